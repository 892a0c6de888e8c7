// How much of a backtest's result could be luck: the trades' outcomes are drawn again with replacement (a seeded
// bootstrap), each draw is booked at the original trades' closing times, and the spread of the return and of the
// Sharpe ratio over the draws gives a percentile interval. An outcome
// is a trade's return on the equity it closed into, not its dollars: a trade was sized from the equity of its time,
// and a dollar loss drawn onto a smaller account could take it below nothing.
import type { Trade } from '../trading.js';
import { seededRandom } from '../seeded-random.js';
import { DAYS_PER_YEAR, dailyInstants } from './equity-curve.js';
import { periodReturns, sharpeRatio } from './return-ratios.js';

export interface BootstrapOptions {
  /** Resamples drawn (default 2000). */
  readonly samples?: number;
  /** Seed of the generator: the same seed gives the same interval. */
  readonly seed?: number;
  /** Two-sided coverage of the interval (default 0.95). */
  readonly confidence?: number;
}

export interface Interval {
  readonly low: number;
  readonly median: number;
  readonly high: number;
}

export interface BootstrapResult {
  readonly samples: number;
  readonly seed: number;
  readonly confidence: number;
  readonly trades: number;
  /** The realised figures of the trades as they happened, which the intervals are drawn around. */
  readonly observed: { readonly totalReturn: number; readonly sharpe: number };
  readonly totalReturn: Interval;
  readonly sharpe: Interval;
}

/** The q-quantile (0..1) of sorted values, interpolating linearly between neighbours. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('a quantile of nothing');
  const position = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const below = Math.floor(position);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return lower + (upper - lower) * (position - below);
}

type Booked = Pick<Trade, 'closedAt' | 'netPnl'>;

/**
 * Fewer trades give no interval. A percentile bootstrap draws only outcomes it has seen: one trade gives an interval of
 * no width at all, and a handful one far narrower than the truth, which reads as certainty where there is none.
 */
export const MIN_BOOTSTRAP_TRADES = 10;

/**
 * Realised figures of trade returns compounded in order, each booked into its daily slot (slots ascend with the
 * trades): total return and daily Sharpe. An account at nothing stays there.
 */
function realisedFigures(returns: readonly number[], slots: readonly number[], days: number): { totalReturn: number; sharpe: number } {
  const equity: number[] = [];
  let level = 1;
  let next = 0;
  for (let day = 0; day < days; day++) {
    for (; next < returns.length && slots[next] === day; next++) level = Math.max(0, level * (1 + (returns[next] as number)));
    equity.push(level);
  }
  return { totalReturn: level - 1, sharpe: sharpeRatio(periodReturns(equity), DAYS_PER_YEAR) };
}

/** Each trade's net P&L over the equity it closed into (the start capital and every earlier trade's P&L). */
function tradeReturns(pnls: readonly number[], capital: number): number[] {
  let equity = capital;
  return pnls.map((pnl) => {
    const before = equity;
    equity += pnl;
    return before > 0 ? pnl / before : -1;
  });
}

/**
 * A percentile interval of the total return and of the annualised daily Sharpe over `from`..`to`, resampling the
 * trades' returns on the equity they closed into; undefined with fewer than `MIN_BOOTSTRAP_TRADES` trades.
 */
export function bootstrapTrades(trades: readonly Booked[], startCapital: number, from: Date, to: Date, options: BootstrapOptions = {}): BootstrapResult | undefined {
  const samples = options.samples ?? 2000;
  const seed = options.seed ?? 1;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`bootstrap samples ${samples} is not a positive integer`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bootstrap confidence ${confidence} is not between 0 and 1`);
  if (!(startCapital > 0)) throw new RangeError(`bootstrap start capital ${startCapital} is not positive`);
  if (trades.length < MIN_BOOTSTRAP_TRADES) return undefined;
  const sorted = [...trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
  const instants = dailyInstants(from, to).map((instant) => instant.getTime());
  // A trade counts from the first daily instant at or after its close (the first reading that knows it).
  const slots = sorted.map((trade) => {
    const slot = instants.findIndex((instant) => instant >= trade.closedAt.getTime());
    return slot === -1 ? instants.length - 1 : slot;
  });
  const outcomes = tradeReturns(sorted.map((trade) => trade.netPnl), startCapital);
  const random = seededRandom(seed);
  const returns: number[] = [];
  const sharpes: number[] = [];
  for (let s = 0; s < samples; s++) {
    const drawn = outcomes.map(() => outcomes[Math.floor(random() * outcomes.length)] as number);
    const figures = realisedFigures(drawn, slots, instants.length);
    returns.push(figures.totalReturn);
    sharpes.push(figures.sharpe);
  }
  const tail = (1 - confidence) / 2;
  const interval = (values: number[]): Interval => {
    values.sort((a, b) => a - b);
    return { low: quantile(values, tail), median: quantile(values, 0.5), high: quantile(values, 1 - tail) };
  };
  return {
    samples,
    seed,
    confidence,
    trades: sorted.length,
    observed: realisedFigures(outcomes, slots, instants.length),
    totalReturn: interval(returns),
    sharpe: interval(sharpes),
  };
}
