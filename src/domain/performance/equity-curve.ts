// The figures of one equity curve (a strategy's, or a benchmark's): total return, max drawdown, Sharpe, Sortino and
// Calmar, all read from the same daily samples so that the strategy and its benchmarks are measured alike.
import type { EquityPoint } from '../events.js';
import { DAY_MS } from '../time.js';
import { maxDrawdown, periodReturns, sharpeRatio, sortinoRatio } from './return-ratios.js';

/** Crypto markets trade every day of the year. */
export const DAYS_PER_YEAR = 365;

export interface CurveFigures {
  /** End over start, minus one (0.05 = +5%). */
  readonly totalReturn: number;
  /** Deepest fall from a running peak, as a fraction of the peak. */
  readonly maxDrawdown: number;
  /**
   * Annualised, over daily returns, zero risk-free rate. Undefined with fewer than two daily returns: a spread needs
   * two, and a 0 would read as "no edge" beside the flat benchmark's.
   */
  readonly sharpe: number | undefined;
  /** Annualised, over daily returns; undefined when no day lost and the curve rose, or with fewer than two returns. */
  readonly sortino: number | undefined;
  /**
   * Annualised return over max drawdown; undefined when the curve never fell, or when the annualised figure is past
   * any number (hours of a window raised to a year's power).
   */
  readonly calmar: number | undefined;
}

/** An open position as the equity reading needs it. */
export interface HeldAtMark {
  readonly quantity: number;
  /** At the mark price, before any fee. */
  readonly unrealizedPnl: number;
  readonly markPrice: number;
}

/**
 * A strategy's equity at an instant: the wallet plus its open positions at the mark, less the taker fee closing them
 * then would pay. Measured as the buy-and-hold benchmarks are, whose fee on the way out is in every reading, so a
 * window that ends holding a position does not read better than one that closed it.
 */
export function equityAtMark(wallet: number, held: readonly HeldAtMark[], takerFeeRate: number): number {
  return held.reduce((total, position) => total + position.unrealizedPnl - takerFeeRate * position.quantity * position.markPrice, wallet);
}

/**
 * The equity at each instant of `times`: the last point at or before it (what was known then), or the first point's
 * level for an instant before the curve starts. `points` must be oldest first.
 */
export function sampleEquity(points: readonly EquityPoint[], times: readonly Date[]): number[] {
  if (points.length === 0) throw new RangeError('an equity curve needs at least one point');
  const samples: number[] = [];
  let index = 0;
  for (const time of times) {
    while (index + 1 < points.length && (points[index + 1] as EquityPoint).time.getTime() <= time.getTime()) index += 1;
    samples.push((points[index] as EquityPoint).equity);
  }
  return samples;
}

/** The instants a daily series is read at: `from`, every UTC midnight after it, and `to` when it falls between. */
export function dailyInstants(from: Date, to: Date): Date[] {
  if (to.getTime() < from.getTime()) throw new RangeError(`the period ends (${to.toISOString()}) before it starts (${from.toISOString()})`);
  const instants = [from];
  for (let t = (Math.floor(from.getTime() / DAY_MS) + 1) * DAY_MS; t < to.getTime(); t += DAY_MS) instants.push(new Date(t));
  if (to.getTime() > from.getTime()) instants.push(to);
  return instants;
}

/** Annualised return over max drawdown (Young's Calmar ratio over the window given). */
export function calmarRatio(totalReturn: number, years: number, drawdown: number): number | undefined {
  if (drawdown <= 0 || years <= 0) return undefined;
  const annual = totalReturn <= -1 ? -1 : (1 + totalReturn) ** (1 / years) - 1;
  const ratio = annual / drawdown;
  return Number.isFinite(ratio) ? ratio : undefined;
}

/** The figures of a curve over `from`..`to`: ratios from daily readings (the last sample at or before each), drawdown from every reading. */
export function curveFigures(points: readonly EquityPoint[], from: Date, to: Date): CurveFigures {
  const daily = sampleEquity(points, dailyInstants(from, to));
  const first = daily[0] ?? 0;
  const last = daily[daily.length - 1] ?? first;
  const totalReturn = first > 0 ? last / first - 1 : 0;
  const returns = periodReturns(daily);
  // Drawdown from every reading in the window, not only the daily ones: a fall recovered within a day still happened.
  const instants = dailyInstants(from, to);
  const inside = points.map((point) => point.time).filter((time) => time.getTime() > from.getTime() && time.getTime() < to.getTime());
  const everyReading = [...instants, ...inside].sort((a, b) => a.getTime() - b.getTime());
  const drawdown = maxDrawdown(sampleEquity(points, everyReading));
  const years = (to.getTime() - from.getTime()) / (DAYS_PER_YEAR * DAY_MS);
  return {
    totalReturn,
    maxDrawdown: drawdown,
    sharpe: returns.length < 2 ? undefined : sharpeRatio(returns, DAYS_PER_YEAR),
    sortino: returns.length < 2 ? undefined : sortinoRatio(returns, DAYS_PER_YEAR),
    calmar: calmarRatio(totalReturn, years, drawdown),
  };
}

/** The fall from the running peak at each point, as a fraction of that peak (0 at a new high). */
export function drawdownSeries(points: readonly EquityPoint[]): EquityPoint[] {
  let peak = Number.NEGATIVE_INFINITY;
  return points.map(({ time, equity }) => {
    peak = Math.max(peak, equity);
    return { time, equity: peak > 0 ? (equity - peak) / peak : 0 };
  });
}
