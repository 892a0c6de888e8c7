// Is a shadow variant really better than the main account, or just luckier so far? A seeded bootstrap of the
// difference in mean per-trade return answers it at fixed checkpoints of the trade count, with an error rate that holds
// however often the owner asks; short of it the answer is "not enough evidence".
import { seededRandom } from '../seeded-random.js';
import { capitalWithin } from '../trading-capital.js';
import { DAY_MS, utcMinute } from '../time.js';
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

/** Oldest close first; trades closed at the same moment keep their order. */
function byClose<T extends { readonly closedAt: Date }>(trades: readonly T[]): T[] {
  return [...trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
}

/** Equity after each closed trade, oldest first, starting with the start equity. */
export function equityByTrade(record: AccountRecord): number[] {
  const curve = [record.startEquity];
  let equity = record.startEquity;
  for (const trade of byClose(record.trades)) {
    equity += trade.netPnl;
    curve.push(equity);
  }
  return curve;
}

/** Each trade's net P&L over the capital it was traded from, oldest first. */
function perTradeReturns(record: AccountRecord, curve: readonly number[]): number[] {
  const { capped } = record;
  if (!capped) return periodReturns(curve);
  let wallet = capped.walletAtStart;
  return byClose(record.trades).map((trade) => {
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

/** A trade's return and when it closed: trades closed on the same day rode the same market, so they move together. */
export interface DatedReturn {
  readonly closedAt: Date;
  /** Net P&L over the capital the trade was sized from (fraction). */
  readonly value: number;
}

/** Each trade's return with its closing time, oldest first; as `perTradeReturns` of `accountFigures`. */
export function datedReturns(record: AccountRecord): DatedReturn[] {
  const returns = accountFigures(record).perTradeReturns;
  // An equity curve that reached nothing has no returns after it: the trades beyond are not counted.
  return byClose(record.trades)
    .slice(0, returns.length)
    .map((trade, index) => ({ closedAt: trade.closedAt, value: returns[index] ?? 0 }));
}

export interface ComparisonRule {
  /**
   * The trade counts at which the variant is judged, ascending. Once both sides have closed that many, the trades each
   * closed by the moment the slower side closed its that-many-th are compared (so both cover the same stretch of the
   * market), and that verdict stands until the next checkpoint; after the last it stays. A verdict recomputed at every
   * look would be wrong far more often than its confidence says: one look at 95% is fooled by chance 5% of the time,
   * but looking every few trades from 20 to 100 is fooled about 20% of the time.
   */
  readonly checkpoints: readonly number[];
  /**
   * The largest chance, over all checkpoints together, of calling "better" a variant that is no better than the main
   * account (and apart, of calling "worse" one that is no worse). It is spent evenly, each check at
   * `errorRate / checkpoints.length` (Bonferroni): that bound holds however the checks depend on each other, which
   * they do (each sample holds the one before), where a group-sequential spending function would be sharper but
   * rests on a normal approximation that a few dozen fat-tailed trades do not give.
   */
  readonly errorRate: number;
  readonly resamples: number;
  /** The same seed gives the same verdict on the same trades: the owner is never told "better" by a lucky draw. */
  readonly seed: number;
}

/**
 * Doubling checkpoints: a clearly better variant shows within its first 20 or 40 trades, a subtler one needs many
 * more, and five checks cost each one only a 1% tail. A variant still undecided at 320 trades differs from the main
 * account by too little to tell; its verdict stays as judged there.
 */
export const DEFAULT_COMPARISON_RULE: ComparisonRule = { checkpoints: [20, 40, 80, 160, 320], errorRate: 0.05, resamples: 10_000, seed: 20_231 };

export type Verdict = 'better' | 'worse' | 'not enough evidence';

export interface Comparison {
  readonly verdict: Verdict;
  /** The checkpoint the verdict was judged at (trades on the slower side); undefined before the first. */
  readonly checkpoint?: number;
  /** The checkpoint that judges next; undefined once the last is passed. */
  readonly nextCheckpoint?: number;
  /**
   * Variant mean per-trade return minus the main account's (fraction), over the trades judged; before the first
   * checkpoint, over all trades so far. Undefined without trades on both sides.
   */
  readonly meanDifference?: number;
  /** One-sided bounds of that difference at the confidence of one check; only once a checkpoint is reached. */
  readonly lowerBound?: number;
  readonly upperBound?: number;
  /** The reason in words, for the leaderboard: what was judged, and when it is judged next. */
  readonly explanation: string;
}

/**
 * Judges the variant at the last checkpoint both sides have reached, on the trades each side closed by the moment the
 * slower one closed its `checkpoint`-th (the same stretch of the market for both, and the same answer at every look
 * until the next checkpoint). The difference of mean per-trade returns is
 * bootstrapped two-sample, each side by UTC day of closing: positions opened together on correlated coins win or
 * lose together, and resampling them one by one would take a day of three correlated trades for three independent
 * pieces of evidence (18% "better" instead of 5% for the same strategy). The two sides' days are drawn apart: the
 * variant and the main account ride the same market, so their days rise and fall together, and drawing them apart
 * only widens the bounds.
 *
 * The bootstrap is studentised (each resample's difference over its own standard error, the bounds from the spread
 * of that ratio), not percentile: with a 1% tail and the few days twenty trades span, the percentile bounds were too
 * narrow even widened by sqrt(days / (days - 1)), a single check at 99% saying "better" 2% of the time at seven days
 * and 11% at two; the studentised ones stay at about 1%. The variant is `better` only when the lower one-sided bound
 * is above zero, `worse` only when the upper one is below zero.
 */
export function compareVariant(main: readonly DatedReturn[], variant: readonly DatedReturn[], rule: ComparisonRule = DEFAULT_COMPARISON_RULE): Comparison {
  checkRule(rule);
  const fewest = Math.min(main.length, variant.length);
  const checkpoint = rule.checkpoints.filter((count) => count <= fewest).at(-1);
  const nextCheckpoint = rule.checkpoints.find((count) => count > fewest);
  const next = nextCheckpoint === undefined ? 'that was the last check' : `next check at ${nextCheckpoint} trades`;
  const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
  if (main.length === 0 || variant.length === 0) {
    const side = main.length === 0 ? 'the main account' : 'the variant';
    return { verdict: 'not enough evidence', nextCheckpoint, explanation: `no closed trades yet on ${side}; first check at ${nextCheckpoint} trades on each side` };
  }
  const allDifference = mean(variant.map(({ value }) => value)) - mean(main.map(({ value }) => value));
  if (checkpoint === undefined) {
    const explanation = `${fewest} ${fewest === 1 ? 'trade' : 'trades'} on the smaller side; first check at ${nextCheckpoint} on each (checks at ${checkpointList(rule.checkpoints)} trades); mean difference per trade so far ${pct(allDifference)}`;
    return { verdict: 'not enough evidence', nextCheckpoint, meanDifference: allDifference, explanation };
  }
  const cut = sameStretch(byClose(main), byClose(variant), checkpoint);
  const mainDays = dayBlocks(cut.main);
  const variantDays = dayBlocks(cut.variant);
  const meanDifference = variantDays.mean - mainDays.mean;
  const judged = `${countsJudged(cut.main.length, cut.variant.length)} closed by ${utcMinute(cut.at)}`;
  const oneDay = mainDays.totals.length < 2 ? 'the main account' : variantDays.totals.length < 2 ? 'the variant' : undefined;
  if (oneDay) {
    // One day is one draw of the market: how much the next would differ cannot be told from it.
    const explanation = `${judged}: those of ${oneDay} closed on one UTC day, which cannot tell luck from skill; ${next}`;
    return { verdict: 'not enough evidence', checkpoint, nextCheckpoint, meanDifference, explanation };
  }
  const random = seededRandom(rule.seed);
  const standardError = Math.sqrt(variantDays.variance + mainDays.variance);
  const pivots = new Float64Array(rule.resamples);
  for (let i = 0; i < rule.resamples; i++) {
    const v = resampled(variantDays, random);
    const m = resampled(mainDays, random);
    const spread = Math.sqrt(v.variance + m.variance);
    const shift = v.mean - m.mean - meanDifference;
    pivots[i] = spread > 0 ? shift / spread : shift === 0 ? 0 : Math.sign(shift) * Number.POSITIVE_INFINITY;
  }
  pivots.sort();
  const tail = rule.errorRate / rule.checkpoints.length;
  const [lowPivot, highPivot] = tailBounds(pivots, tail);
  const lowerBound = meanDifference - highPivot * standardError;
  const upperBound = meanDifference - lowPivot * standardError;
  // Over a few days some resamples draw one day again and again, a difference with no spread: its ratio is infinite,
  // and so is a bound that reaches it. No bound, then, on that side.
  const bounded = (bound: number) => (Number.isFinite(bound) ? bound : undefined);
  const figures = { checkpoint, nextCheckpoint, meanDifference, lowerBound: bounded(lowerBound), upperBound: bounded(upperBound) };
  const level = `${Number(((1 - tail) * 100).toFixed(2))}%`;
  const shown = (bound: number | undefined, none: string) => (bound === undefined ? none : pct(bound));
  const bounds = `${shown(figures.lowerBound, '−∞')} to ${shown(figures.upperBound, '+∞')}`;
  const range = `${judged}: mean difference per trade ${pct(meanDifference)}, one-sided ${level} bounds ${bounds}`;
  if (lowerBound > 0) return { verdict: 'better', ...figures, explanation: `${range}; ${next}` };
  if (upperBound < 0) return { verdict: 'worse', ...figures, explanation: `${range}; ${next}` };
  return { verdict: 'not enough evidence', ...figures, explanation: `the difference could be zero (${range}); ${next}` };
}

/**
 * Both sides cut at one instant: the later of their `checkpoint`-th closes. A variant trading less often than the main
 * account takes longer to reach its `checkpoint`-th trade, and the first that many of each would pit its weeks against
 * the main account's earlier days, counting a change in the market as a difference between strategies. Once both
 * sides have reached the checkpoint the instant is fixed, so later trades never enter the judged sets.
 */
function sameStretch(main: readonly DatedReturn[], variant: readonly DatedReturn[], checkpoint: number): { at: Date; main: DatedReturn[]; variant: DatedReturn[] } {
  const at = Math.max(main[checkpoint - 1]?.closedAt.getTime() ?? 0, variant[checkpoint - 1]?.closedAt.getTime() ?? 0);
  const closedBy = (trades: readonly DatedReturn[]) => trades.filter(({ closedAt }) => closedAt.getTime() <= at);
  return { at: new Date(at), main: closedBy(main), variant: closedBy(variant) };
}

/** "the 20 trades of each", or "the variant's 20 trades and the main account's 64": the slower side's count is the checkpoint. */
function countsJudged(main: number, variant: number): string {
  return main === variant ? `the ${main} trades of each` : `the variant's ${variant} trades and the main account's ${main}`;
}

/** "20, 40 and 80". */
export function checkpointList(counts: readonly number[]): string {
  return counts.length < 2 ? counts.join('') : `${counts.slice(0, -1).join(', ')} and ${counts.at(-1)}`;
}

function checkRule(rule: ComparisonRule): void {
  const ascending = rule.checkpoints.every((count, index) => Number.isInteger(count) && count > (rule.checkpoints[index - 1] ?? 0));
  if (rule.checkpoints.length === 0 || !ascending) throw new RangeError(`comparison checkpoints ${rule.checkpoints.join(', ')} are not ascending whole numbers`);
  if (!(rule.errorRate > 0 && rule.errorRate < 1)) throw new RangeError(`comparison error rate ${rule.errorRate} is not between 0 and 1`);
}

/** One side's judged trades grouped by the UTC day they closed: the blocks the bootstrap draws. */
interface DayBlocks {
  /** Each day's summed returns, number of trades, and the squares and product the variance needs. */
  readonly totals: Float64Array;
  readonly counts: Float64Array;
  readonly totalSquares: Float64Array;
  readonly totalCounts: Float64Array;
  readonly countSquares: Float64Array;
  /** Mean return per trade over all the days, and the variance of that mean. */
  readonly mean: number;
  readonly variance: number;
}

function dayBlocks(returns: readonly DatedReturn[]): DayBlocks {
  const byDay = new Map<number, { total: number; count: number }>();
  for (const { closedAt, value } of returns) {
    const day = Math.floor(closedAt.getTime() / DAY_MS);
    const block = byDay.get(day) ?? { total: 0, count: 0 };
    block.total += value;
    block.count += 1;
    byDay.set(day, block);
  }
  const blocks = [...byDay.values()];
  const totals = Float64Array.from(blocks, (block) => block.total);
  const counts = Float64Array.from(blocks, (block) => block.count);
  const sums = { total: 0, count: 0, totalSquare: 0, totalCount: 0, countSquare: 0 };
  blocks.forEach(({ total, count }) => addDay(sums, total, count));
  return {
    totals,
    counts,
    totalSquares: totals.map((total) => total * total),
    totalCounts: totals.map((total, day) => total * (counts[day] ?? 0)),
    countSquares: counts.map((count) => count * count),
    ...meanAndVariance(sums, blocks.length),
  };
}

interface Sums {
  total: number;
  count: number;
  totalSquare: number;
  totalCount: number;
  countSquare: number;
}

function addDay(sums: Sums, total: number, count: number): void {
  sums.total += total;
  sums.count += count;
  sums.totalSquare += total * total;
  sums.totalCount += total * count;
  sums.countSquare += count * count;
}

/**
 * The mean per trade and its variance over days (the clustered, linearised one): the sum over days of each day's
 * departure from the mean, squared, times days / (days - 1), over the trades squared.
 */
function meanAndVariance(sums: Sums, days: number): { mean: number; variance: number } {
  const mean = sums.total / sums.count;
  const departures = Math.max(0, sums.totalSquare - 2 * mean * sums.totalCount + mean * mean * sums.countSquare);
  return { mean, variance: days > 1 ? (departures * days) / (days - 1) / (sums.count * sums.count) : 0 };
}

/** As many days as the side has, drawn with replacement: their mean return per trade and its variance. */
function resampled(blocks: DayBlocks, random: () => number): { mean: number; variance: number } {
  const days = blocks.totals.length;
  const sums = { total: 0, count: 0, totalSquare: 0, totalCount: 0, countSquare: 0 };
  for (let i = 0; i < days; i++) {
    const day = Math.floor(random() * days);
    sums.total += blocks.totals[day] ?? 0;
    sums.count += blocks.counts[day] ?? 0;
    sums.totalSquare += blocks.totalSquares[day] ?? 0;
    sums.totalCount += blocks.totalCounts[day] ?? 0;
    sums.countSquare += blocks.countSquares[day] ?? 0;
  }
  return meanAndVariance(sums, days);
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
