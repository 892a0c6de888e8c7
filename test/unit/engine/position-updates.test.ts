// POSITION_UPDATE_MINUTES on simulated time: the open position's update message every N minutes, or never with 0,
// while the opening is still announced. The loop runs on the manual clock over the bundled history.
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXIT } from '../../../src/domain/settings.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { runEngineUntil } from '../../support/run-engine-until.js';

const MINUTE = 60_000;
const START = new Date('2025-09-20T00:00:00Z');
const AN_HOUR_LATER = new Date('2025-09-20T01:00:00Z');

/** A long opened at the first scan and held for the hour: no profit rule may close it. */
async function holdALongForAnHour(updateIntervalMs: number) {
  const buying = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
  const exits = { ...DEFAULT_EXIT, minProfitUsd: 0, beyondMinProfitPct: 10, updateIntervalMs };
  const settings = { symbols: ['ETH/USDT:USDT'], exits, consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } };
  const fixture = await engineFixture({ start: START, analysts: buying, settings });
  await runEngineUntil(fixture.ctx, AN_HOUR_LATER);
  expect(fixture.notifier.ofType('position_opened').map((event) => event.at.toISOString())).toEqual([START.toISOString()]);
  expect(fixture.notifier.ofType('position_closed')).toEqual([]);
  return { updates: fixture.notifier.ofType('position_update').map((event) => event.at.toISOString()), checkMs: fixture.ctx.settings.schedule.positionCheckMs };
}

describe('the position update message', () => {
  it('when POSITION_UPDATE_MINUTES is 0, then no update comes in an hour of holding, and the opening was announced', async () => {
    const { updates } = await holdALongForAnHour(0);

    expect(updates).toEqual([]);
  }, 60_000);

  it('when it is 15, then an update comes every 15 minutes from the first check after the opening', async () => {
    const { updates, checkMs } = await holdALongForAnHour(15 * MINUTE);

    const firstCheck = START.getTime() + checkMs;
    expect(updates).toEqual([0, 15, 30, 45].map((minutes) => new Date(firstCheck + minutes * MINUTE).toISOString()));
  }, 60_000);

  it('when the mark is away from the last price, then the distance to the stop is from the mark it triggers on, as the liquidation\'s is', async () => {
    const buying = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const exits = { ...DEFAULT_EXIT, minProfitUsd: 0, beyondMinProfitPct: 10, updateIntervalMs: 15 * MINUTE };
    const settings = { symbols: ['ETH/USDT:USDT'], exits, consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } };
    const fixture = await engineFixture({ start: START, analysts: buying, settings });
    // A mark 1% above the last price: a long's stop and liquidation are that much farther than the last price says.
    const { marketData } = fixture.ctx;
    marketData.markPrice = async (symbol) => (await marketData.ticker(symbol)).last * 1.01;
    await runEngineUntil(fixture.ctx, AN_HOUR_LATER);

    const [update] = fixture.notifier.ofType('position_update');
    const mark = update!.price * 1.01;
    expect(update!.stopDistancePct).toBeCloseTo((mark - update!.position.stopPrice) / mark, 9);
    expect(update!.liquidationDistancePct).toBeCloseTo((mark - update!.position.liquidationPrice) / mark, 9);
  }, 60_000);
});
