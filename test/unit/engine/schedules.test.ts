// The daemon's clocks on simulated time: the summaries at UTC midnight (weekly on Mondays), and while a position is
// open its update and the AI exit opinion every five minutes. The loop runs on the manual clock over the bundled
// history with in-memory fakes, and each test asserts the exact instants.
import { describe, expect, it } from 'vitest';
import type { ExitVote, MarketSnapshot } from '../../../src/domain/analysis.js';
import { DEFAULT_EXIT } from '../../../src/domain/settings.js';
import type { Position } from '../../../src/domain/trading.js';
import type { Clock } from '../../../src/ports/clock.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { runEngineUntil } from '../../support/run-engine-until.js';

const MINUTE = 60_000;
const iso = (times: readonly Date[]): string[] => times.map((time) => time.toISOString());

const holding = () => [new ScriptedAnalyst('a', () => ({ action: 'hold' })), new ScriptedAnalyst('b', () => ({ action: 'hold' }))];
const buying = () => [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];

/** An AI exit analyst that notes when it is asked, and always says to stay. */
class TimedExitAnalyst extends ScriptedAnalyst {
  readonly askedAt: Date[] = [];

  constructor(private readonly clock: Clock) {
    super('claude', () => ({ action: 'hold' }), 'ai');
    this.exitAnswer = { outcome: 'valid', shouldExit: false, confidence: 0.6, reason: 'the trend holds' };
  }

  override async exitOpinion(position: Position, snapshot: MarketSnapshot): Promise<ExitVote> {
    this.askedAt.push(this.clock.now());
    return super.exitOpinion(position, snapshot);
  }
}

describe('the summaries', () => {
  it('when the daemon runs from Saturday to the second Monday after, then a daily summary comes at each 00:00 UTC and a weekly one at each Monday 00:00 UTC', async () => {
    const fixture = await engineFixture({ start: new Date('2025-09-20T00:00:00Z'), analysts: holding(), settings: { symbols: ['BTC/USDT:USDT'] } });

    await runEngineUntil(fixture.ctx, new Date('2025-09-29T00:30:00Z'));

    const daily = fixture.notifier.ofType('daily_summary');
    const weekly = fixture.notifier.ofType('weekly_summary');
    const midnights = Array.from({ length: 9 }, (_, day) => new Date(Date.parse('2025-09-21T00:00:00Z') + day * 24 * 60 * MINUTE));
    expect(iso(daily.map((event) => event.at))).toEqual(iso(midnights));
    // Each covers the UTC day that just ended.
    expect(iso(daily.map((event) => event.summary.to))).toEqual(iso(midnights));
    expect(iso(daily.map((event) => event.summary.from))).toEqual(iso(midnights.map((time) => new Date(time.getTime() - 24 * 60 * MINUTE))));
    expect(iso(weekly.map((event) => event.at))).toEqual(['2025-09-22T00:00:00.000Z', '2025-09-29T00:00:00.000Z']);
    expect(iso(weekly.map((event) => event.summary.from))).toEqual(['2025-09-15T00:00:00.000Z', '2025-09-22T00:00:00.000Z']);
    expect(weekly.every((event) => event.at.getUTCDay() === 1)).toBe(true);
  }, 60_000);
});

describe('while a position is open', () => {
  // No profit rule may close the position during the test: every discretionary exit is left to the AI opinion,
  // which always says to stay, so the schedule is all there is to see.
  const exits = { ...DEFAULT_EXIT, minProfitUsd: 0, beyondMinProfitPct: 10 };
  const settings = { symbols: ['ETH/USDT:USDT'], exits, consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } };

  it('then the position update comes every 5 minutes from the first check after the opening, and the AI exit opinion is asked at the same instants', async () => {
    const fixture = await engineFixture({ start: new Date('2025-09-20T00:00:00Z'), analysts: buying(), settings });
    const exitAnalyst = new TimedExitAnalyst(fixture.clock);

    await runEngineUntil({ ...fixture.ctx, exitAnalysts: [exitAnalyst] }, new Date('2025-09-20T01:00:00Z'));

    const [opened] = fixture.notifier.ofType('position_opened');
    expect(opened?.at.toISOString()).toBe('2025-09-20T00:00:00.000Z');
    expect(fixture.notifier.ofType('position_closed')).toEqual([]);
    // The monitor's heartbeat is 60 s (POSITION_CHECK_SECONDS); its first check after the entry starts both schedules.
    const firstCheck = opened!.at.getTime() + fixture.ctx.settings.schedule.positionCheckMs;
    const everyFiveMinutes = Array.from({ length: 12 }, (_, n) => new Date(firstCheck + n * 5 * MINUTE));
    expect(iso(fixture.notifier.ofType('position_update').map((event) => event.at))).toEqual(iso(everyFiveMinutes));
    expect(iso(exitAnalyst.askedAt)).toEqual(iso(everyFiveMinutes));
  }, 60_000);
});
