// The bundled history replayed with the portfolio features on: three positions at once under the exposure caps and
// the correlation guard, an entry cap per day, the drawdown switch at 10% and the bundled calendar (the FOMC
// statement of 2025-09-17 falls inside the history). Every trade must still keep every limit, and the new rules hold.
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfiguredCalendar } from '../../src/adapters/calendar/calendar-file.js';
import { bundledHistoryDir } from '../../src/adapters/market-data/replay/index.js';
import { runReplay, type ReplayResult } from '../../src/cli/replay-runner.js';
import { loadConfig } from '../../src/config/load-config.js';
import { activeBlackout, type CalendarEvent } from '../../src/domain/calendar.js';
import { utcDay } from '../../src/domain/time.js';
import { InMemoryStore } from '../../src/testing/in-memory-store.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';
import { limitBreaches } from '../support/limit-invariants.js';

// A score of 70: with each agreeing vote held to the 75% confidence bar, 75 leaves six trades here, none of them
// overlapping, and the caps on several positions at once would go untested.
const config = loadConfig({
  env: { MIN_OPPORTUNITY_SCORE: '70', MAX_OPEN_POSITIONS: '3', MAX_ENTRIES_PER_DAY: '4', MAX_DRAWDOWN_PERCENT: '0.10', DRAWDOWN_WARNING_STEPS: '0.05' },
});
let calendar: CalendarEvent[];
let result: ReplayResult;

beforeAll(async () => {
  calendar = await readConfiguredCalendar(config.portfolio.calendarFile);
  result = await runReplay({ historyDir: bundledHistoryDir(), config, store: new InMemoryStore(), logger: new RecordingLogger(), calendar });
}, 600_000);

const opened = () => result.events.flatMap((e) => (e.type === 'position_opened' ? [e] : []));

describe('a replay of the bundled history with the portfolio features on', () => {
  it('trades, and more than one position was open at once', () => {
    expect(result.trades.length).toBeGreaterThanOrEqual(5);
    const overlapping = result.trades.some((a) => result.trades.some((b) => a !== b && a.openedAt < b.openedAt && b.openedAt < a.closedAt));
    expect(overlapping).toBe(true);
  });

  it('keeps the stop band, the margin cap and the loss at the stop for every trade', () => {
    expect(limitBreaches(result.trades, config.initialCapital, config.risk)).toMatchObject({ stopsUnderMin: 0, stopsOverMax: 0, marginsOverCap: 0 });
  });

  it('never holds more than 3 positions, nor more notional than 4x the capital at the time', () => {
    for (const entry of opened()) {
      const open = result.trades.filter((t) => t.openedAt <= entry.at && t.closedAt > entry.at);
      expect(open.length).toBeLessThanOrEqual(3);
      const notional = open.reduce((sum, t) => sum + t.entryPrice * t.quantity, 0);
      // Capital never rose above 1.6x the start in this history; the cap is measured on the capital of the moment.
      expect(notional).toBeLessThanOrEqual(config.portfolio.limits.maxTotalExposure * config.initialCapital * 1.6);
    }
  });

  it('opens at most 4 positions a UTC day', () => {
    const perDay = new Map<string, number>();
    for (const entry of opened()) perDay.set(utcDay(entry.at), (perDay.get(utcDay(entry.at)) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(4);
  });

  it('opens nothing inside a calendar blackout, and the 2025-09-17 FOMC statement is one of them', () => {
    expect(calendar.some((event) => event.time.toISOString() === '2025-09-17T18:00:00.000Z')).toBe(true);
    for (const entry of opened()) expect(activeBlackout(calendar, entry.at, config.portfolio.blackout)).toBeUndefined();
  });
});

describe('a replay of the bundled history with the drawdown switch at 10%', () => {
  const tight = loadConfig({ env: { MIN_OPPORTUNITY_SCORE: '75', MAX_DRAWDOWN_PERCENT: '0.10', DRAWDOWN_WARNING_STEPS: '0.05' } });
  let run: ReplayResult;
  beforeAll(async () => {
    run = await runReplay({ historyDir: bundledHistoryDir(), config: tight, store: new InMemoryStore(), logger: new RecordingLogger(), calendar: [] });
  }, 600_000);

  it('warns at 5%, trips at 10%, and opens nothing after (nobody resumes in a replay)', () => {
    const warning = run.events.find((e) => e.type === 'alert' && e.incident === 'drawdown:0.05');
    const tripped = run.events.find((e) => e.type === 'breaker_tripped' && e.breaker === 'drawdown');
    expect(warning).toBeDefined();
    expect(tripped).toBeDefined();
    expect(warning && tripped && warning.at <= tripped.at).toBe(true);
    expect(run.events.filter((e) => e.type === 'position_opened' && tripped && e.at > tripped.at)).toEqual([]);
    expect(limitBreaches(run.trades, tight.initialCapital, tight.risk)).toMatchObject({ stopsUnderMin: 0, stopsOverMax: 0, marginsOverCap: 0 });
  });
});
