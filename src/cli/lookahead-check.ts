// The look-ahead check: a backtest is evidence only if the engine saw nothing it could not have seen. The history is
// replayed as it is, then once per cut point on a copy whose data after the cut is changed (perturbed or removed),
// up to the cut; everything the daemon did before the cut (notifications, trades, rejections, votes, breaker
// events) must be identical. Cuts fall on 15-minute boundaries and inside candles, several while a position is open.
import type { ReplayHistory } from '../adapters/market-data/replay/index.js';
import type { AppConfig } from '../config/app-config.js';
import { TIMEFRAME_MS } from '../domain/market.js';
import type { Logger } from '../ports/logger.js';
import type { Store } from '../ports/store.js';
import { InMemoryStore } from '../adapters/store/memory/in-memory-store.js';
import { alteredAfter, type Alteration } from './lookahead-alter.js';
import { differencesBefore, observe, type Difference, type Observation } from './lookahead-observe.js';
import { runReplay, type ReplayResult } from './replay-runner.js';

const QUARTER_MS = TIMEFRAME_MS['15m'];
/** How far inside its candle a cut made from a trade's close lands: not on a minute, let alone a quarter. */
const INSIDE_OFFSET_MS = 6 * 60_000 + 40_000;

export interface LookaheadOptions {
  readonly history: ReplayHistory;
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly from?: Date;
  readonly to?: Date;
  readonly cuts: number;
  /** A fresh store per replay (default: in memory, which keeps the database's rules and is several times faster). */
  readonly store?: () => Promise<Store>;
  readonly onProgress?: (line: string) => void;
}

export interface CutResult {
  readonly at: Date;
  /** The cut lies inside a 15-minute candle rather than on its boundary. */
  readonly insideCandle: boolean;
  readonly alteration: Alteration;
  /** Observations of the unaltered run before the cut, compared one by one. */
  readonly compared: number;
  readonly differences: readonly Difference[];
}

export interface LookaheadReport {
  readonly start: Date;
  readonly end: Date;
  readonly symbols: readonly string[];
  readonly trades: number;
  readonly cuts: readonly CutResult[];
}

export async function checkLookahead(options: LookaheadOptions): Promise<LookaheadReport> {
  const openStore = options.store ?? (async () => new InMemoryStore());
  const replay = async (history: ReplayHistory, to: Date | undefined): Promise<{ result: ReplayResult; observed: Observation[] }> => {
    const store = await openStore();
    try {
      const result = await runReplay({ history, config: options.config, store, logger: options.logger, from: options.from, to });
      return { result, observed: await observe(result.events, store) };
    } finally {
      await store.close();
    }
  };
  const baseline = await replay(options.history, options.to);
  const { start, end, trades } = baseline.result;
  options.onProgress?.(`as recorded: ${start.toISOString()} to ${end.toISOString()}, ${trades.length} trades, ${baseline.observed.length} observations`);
  const results: CutResult[] = [];
  for (const [index, cut] of cutPoints(start.getTime(), end.getTime(), trades, options.cuts).entries()) {
    const alteration: Alteration = index % 4 < 2 ? 'perturb' : 'remove';
    const altered = await replay(alteredAfter(options.history, cut, alteration, index + 1), new Date(cut));
    const { compared, differences } = differencesBefore(baseline.observed, altered.observed, cut);
    const result = { at: new Date(cut), insideCandle: cut % QUARTER_MS !== 0, alteration, compared, differences };
    results.push(result);
    options.onProgress?.(describeCut(result));
  }
  return { start, end, symbols: baseline.result.symbols, trades: trades.length, cuts: results };
}

/**
 * `count` cut points inside (start, end): even ones on 15-minute boundaries spread over the window, odd ones inside
 * the candle in which a trade ended (its stop or exit was decided there, the sharpest test), or spread inside
 * candles when there are no trades.
 */
export function cutPoints(start: number, end: number, trades: readonly { readonly closedAt: Date }[], count: number): number[] {
  const span = end - start;
  const cuts: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const spread = start + Math.floor((span * (index + 1)) / (count + 1) / QUARTER_MS) * QUARTER_MS;
    if (index % 2 === 0) {
      cuts.push(spread);
      continue;
    }
    const nth = (index - 1) / 2;
    const insideCuts = Math.floor(count / 2);
    // Spread over the trades when there are enough of them; each trade once, then spread over the window.
    const trade = trades.length >= insideCuts ? trades[Math.floor((nth * trades.length) / insideCuts)] : trades[nth];
    let inside = trade ? trade.closedAt.getTime() - INSIDE_OFFSET_MS : spread + INSIDE_OFFSET_MS;
    if (inside % QUARTER_MS === 0) inside += 17_000;
    cuts.push(inside > start && inside < end ? inside : spread + INSIDE_OFFSET_MS);
  }
  return [...new Set(cuts)].filter((cut) => cut > start && cut < end).sort((a, b) => a - b);
}

export function describeCut(cut: CutResult): string {
  const where = cut.insideCandle ? 'inside a candle' : 'on a boundary';
  const altered = cut.alteration === 'perturb' ? 'perturbed' : 'removed';
  const head = `cut ${cut.at.toISOString()} (${where}, data ${altered} after it): ${cut.compared} observations before it`;
  if (cut.differences.length === 0) return `${head}, no difference`;
  const lines = cut.differences.map((difference) => {
    const show = (item: Observation | undefined): string => (item ? `${new Date(item.time).toISOString()} ${item.text.slice(0, 400)}` : '(none)');
    return `  ${difference.count} ${difference.kind}(s) differ; first:\n    as recorded: ${show(difference.asRecorded)}\n    altered:     ${show(difference.altered)}`;
  });
  return [`${head}, DIFFERENCES:`, ...lines].join('\n');
}
