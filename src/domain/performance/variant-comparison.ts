// Is a shadow variant really better than the main account, or just luckier so far? A seeded bootstrap of the
// difference in mean per-trade return answers it with a stated threshold; below it the answer is "not enough evidence".
import { seededRandom } from '../seeded-random.js';
import { capitalWithin } from '../trading-capital.js';
import { maxDrawdown, mean, periodReturns } from './return-ratios.js';

/** A closed trade as the comparison needs it: when it closed and what it earned after fees and funding. */
export interface ClosedResult {
  readonly closedAt: Date;
  readonly netPnl: number;
}

/** One account's record over the comparison window. */
export interface AccountRecord {
  /** Equity at the start of the window (the balance before the first trade counted). */
  readonly startEquity: number;
  readonly trades: readonly ClosedResult[];
  /**
   * A live account trading at most `cap` of a larger wallet: the engine sized each trade from the smaller of the cap
   * and the wallet before it, so that is what a trade's return is measured on, not the equity curve from the capped
   * start (which would shrink gains and swell losses once the curve passed the cap).
   */
  readonly capped?: { readonly cap: number; readonly walletAtStart: number };
}

export interface AccountFigures {
  readonly trades: number;
  readonly netPnl: number;
  /** Net P&L as a fraction of the start equity. */
  readonly returnPct: number;
  /** Deepest fall of the trade-by-trade equity curve from its running peak (fraction). */
  readonly maxDrawdownPct: number;
  readonly winRate: number;
  /** Each trade's net P&L as a fraction of the capital it was sized from (the equity before it, or the capped wallet). */
  readonly perTradeReturns: readonly number[];
}

/** Equity after each closed trade, oldest first, starting with the start equity. */
export function equityByTrade(record: AccountRecord): number[] {
  const sorted = [...record.trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
  const curve = [record.startEquity];
  let equity = record.startEquity;
  for (const trade of sorted) {
    equity += trade.netPnl;
    curve.push(equity);
  }
  return curve;
}

/** Each trade's net P&L over the capital it was traded from, oldest first. */
function perTradeReturns(record: AccountRecord, curve: readonly number[]): number[] {
  const { capped } = record;
  if (!capped) return periodReturns(curve);
  const sorted = [...record.trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
  let wallet = capped.walletAtStart;
  return sorted.map((trade) => {
    const base = capitalWithin(wallet, capped.cap);
    wallet += trade.netPnl;
    return base > 0 ? trade.netPnl / base : 0;
  });
}

export function accountFigures(record: AccountRecord): AccountFigures {
  const curve = equityByTrade(record);
  const netPnl = (curve[curve.length - 1] ?? record.startEquity) - record.startEquity;
  const wins = record.trades.filter((trade) => trade.netPnl > 0).length;
  return {
    trades: record.trades.length,
    netPnl,
    returnPct: record.startEquity > 0 ? netPnl / record.startEquity : 0,
    maxDrawdownPct: maxDrawdown(curve),
    winRate: record.trades.length === 0 ? 0 : wins / record.trades.length,
    perTradeReturns: perTradeReturns(record, curve),
  };
}

export interface ComparisonRule {
  /** Fewer closed trades than this on either side: not enough evidence, whatever the numbers say. */
  readonly minTrades: number;
  /** One-sided confidence of the bound that must clear zero (0.95: the 5th percentile of the resampled difference). */
  readonly confidence: number;
  readonly resamples: number;
  /** The same seed gives the same verdict on the same trades: the owner is never told "better" by a lucky draw. */
  readonly seed: number;
}

export const DEFAULT_COMPARISON_RULE: ComparisonRule = { minTrades: 20, confidence: 0.95, resamples: 10_000, seed: 20_231 };

export type Verdict = 'better' | 'worse' | 'not enough evidence';

export interface Comparison {
  readonly verdict: Verdict;
  /** Variant mean per-trade return minus the main account's (fraction); undefined without trades on both sides. */
  readonly meanDifference?: number;
  /** One-sided bounds of that difference at `rule.confidence`. */
  readonly lowerBound?: number;
  readonly upperBound?: number;
  /** The reason in words, for the leaderboard. */
  readonly explanation: string;
}

/**
 * Two-sample bootstrap: each resample draws the main's and the variant's per-trade returns with replacement, and the
 * difference of their means is collected. The variant is `better` only when the lower one-sided bound is above zero,
 * `worse` only when the upper one is below zero.
 */
export function compareVariant(main: readonly number[], variant: readonly number[], rule: ComparisonRule = DEFAULT_COMPARISON_RULE): Comparison {
  const fewest = Math.min(main.length, variant.length);
  const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
  if (main.length === 0 || variant.length === 0) {
    return { verdict: 'not enough evidence', explanation: `no closed trades yet on ${main.length === 0 ? 'the main account' : 'the variant'}` };
  }
  const meanDifference = mean(variant) - mean(main);
  const random = seededRandom(rule.seed);
  const differences = new Float64Array(rule.resamples);
  for (let i = 0; i < rule.resamples; i++) differences[i] = resampledMean(variant, random) - resampledMean(main, random);
  differences.sort();
  const tail = 1 - rule.confidence;
  const [lowerBound, upperBound] = tailBounds(differences, tail);
  const figures = { meanDifference, lowerBound, upperBound };
  const range = `mean difference per trade ${pct(meanDifference)}, one-sided ${Math.round(rule.confidence * 100)}% bounds ${pct(lowerBound)} to ${pct(upperBound)}`;
  if (fewest < rule.minTrades) {
    return { verdict: 'not enough evidence', ...figures, explanation: `${fewest} trades on one side; at least ${rule.minTrades} on each are needed (${range})` };
  }
  if (lowerBound > 0) return { verdict: 'better', ...figures, explanation: range };
  if (upperBound < 0) return { verdict: 'worse', ...figures, explanation: range };
  return { verdict: 'not enough evidence', ...figures, explanation: `the difference could be zero (${range})` };
}

function resampledMean(values: readonly number[], random: () => number): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[Math.floor(random() * values.length)] ?? 0;
  return total / values.length;
}

/**
 * The values with `tail` of a sorted sample beyond each (nearest rank, counted from each end): the same number of
 * resamples lies below the lower bound as above the upper one, so "better" is no easier to reach than "worse".
 */
export function tailBounds(sorted: Float64Array, tail: number): [number, number] {
  // Rounded first: 1 - 0.95 is 0.050000000000000044, and its rank over 10,000 must be the 500th, not the 501st.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(Number((tail * sorted.length).toFixed(9)))));
  return [sorted[rank - 1] ?? 0, sorted[sorted.length - rank] ?? 0];
}
