// The daily and weekly summaries come at 00:00 UTC whatever time of day the daemon was started, flat or in a position.
import { describe, expect, it } from 'vitest';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { runEngineUntil } from '../../support/run-engine-until.js';

const holding = () => [new ScriptedAnalyst('a', () => ({ action: 'hold' })), new ScriptedAnalyst('b', () => ({ action: 'hold' }))];
const buying = () => [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];

describe('the summaries, when the daemon was started at an arbitrary time of day', () => {
  it('while flat, then the daily and weekly summaries come at 00:00:00 UTC, not at the next scan', async () => {
    const fixture = await engineFixture({ start: new Date('2025-09-21T10:02:30Z'), analysts: holding(), settings: { symbols: ['BTC/USDT:USDT'] } });
    await runEngineUntil(fixture.ctx, new Date('2025-09-22T00:30:00Z'));
    expect(fixture.notifier.ofType('daily_summary').map((event) => event.at.toISOString())).toEqual(['2025-09-22T00:00:00.000Z']);
    expect(fixture.notifier.ofType('weekly_summary').map((event) => event.at.toISOString())).toEqual(['2025-09-22T00:00:00.000Z']);
  }, 60_000);

  it('while a position is open, then the daily summary comes at 00:00:00 UTC, not at the next heartbeat', async () => {
    const settings = { symbols: ['ETH/USDT:USDT'], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } };
    const fixture = await engineFixture({ start: new Date('2025-09-20T23:40:30Z'), analysts: buying(), settings });
    await runEngineUntil(fixture.ctx, new Date('2025-09-21T00:10:00Z'));
    expect(fixture.notifier.ofType('position_opened')).toHaveLength(1);
    expect(fixture.notifier.ofType('daily_summary').map((event) => event.at.toISOString())).toEqual(['2025-09-21T00:00:00.000Z']);
  }, 60_000);
});
