// Where a replay may start: after the days of data that warm up the indicators. A --from inside them is refused, not
// moved to the warm-up's end as the replay itself would: a report whose window is not the one asked for is easily
// compared with others that were.
import { ManualClock } from '../adapters/clock/index.js';
import { ReplayMarketData, type ReplayHistory } from '../adapters/market-data/replay/index.js';
import { DAY_MS } from '../domain/time.js';
import { UsageError } from './command-line.js';
import { DEFAULT_WARMUP_MS } from './replay-runner.js';

/** The history's first instant and the earliest start after the warm-up (the next UTC midnight with `wholeDays`). */
export function replayStarts(history: ReplayHistory, options: { readonly wholeDays?: boolean } = {}): { readonly dataStart: Date; readonly earliest: Date } {
  const dataStart = new ReplayMarketData(history, new ManualClock(new Date(0))).range().from;
  const warmed = dataStart.getTime() + DEFAULT_WARMUP_MS;
  return { dataStart, earliest: new Date(options.wholeDays ? Math.ceil(warmed / DAY_MS) * DAY_MS : warmed) };
}

export function refuseStartInWarmup(history: ReplayHistory, from: Date | undefined, options: { readonly wholeDays?: boolean } = {}): void {
  const { dataStart, earliest } = replayStarts(history, options);
  if (from === undefined || from >= earliest) return;
  throw new UsageError(
    `--from ${shownInstant(from)} falls in the indicators' ${DEFAULT_WARMUP_MS / DAY_MS}-day warm-up of the data, which starts ${shownInstant(dataStart)}: the earliest start is ${shownInstant(earliest)}`,
  );
}

/** A UTC midnight as the day --from takes; any other instant in full. */
function shownInstant(date: Date): string {
  return date.getTime() % DAY_MS === 0 ? date.toISOString().slice(0, 10) : date.toISOString();
}
