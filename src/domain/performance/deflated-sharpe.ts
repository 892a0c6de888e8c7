// The deflated Sharpe ratio (Bailey & López de Prado, "The Deflated Sharpe Ratio", Journal of Portfolio Management
// 2014): the probability that the true Sharpe ratio exceeds the Sharpe ratio the best of N trials would show by luck
// alone, corrected for the length, skewness and fat tails of the returns. Every Sharpe here is per period (not
// annualised), as in the paper's formulas.
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { mean, standardDeviation } from './return-ratios.js';

const EULER_MASCHERONI = 0.5772156649015329;

/** Skewness and (non-excess) kurtosis of the returns, as population moments (the normal has 0 and 3). */
export function higherMoments(returns: readonly number[]): { skewness: number; kurtosis: number } {
  const n = returns.length;
  const average = mean(returns);
  const m2 = returns.reduce((total, value) => total + (value - average) ** 2, 0) / n;
  if (n < 2 || m2 === 0) return { skewness: 0, kurtosis: 3 };
  const m3 = returns.reduce((total, value) => total + (value - average) ** 3, 0) / n;
  const m4 = returns.reduce((total, value) => total + (value - average) ** 4, 0) / n;
  return { skewness: m3 / m2 ** 1.5, kurtosis: m4 / m2 ** 2 };
}

/**
 * The Sharpe ratio the best of `trials` independent trials is expected to reach when every true Sharpe is zero,
 * given the variance of the Sharpe ratios across the trials (the paper's SR0, from the expected maximum of normals).
 */
export function expectedMaximumSharpe(trials: number, sharpeVariance: number): number {
  if (trials <= 1 || sharpeVariance <= 0) return 0;
  const q1 = normalQuantile(1 - 1 / trials, 0, 1);
  const q2 = normalQuantile(1 - 1 / (trials * Math.E), 0, 1);
  return Math.sqrt(sharpeVariance) * ((1 - EULER_MASCHERONI) * q1 + EULER_MASCHERONI * q2);
}

export interface SharpeObservation {
  /** The observed per-period Sharpe ratio. */
  readonly sharpe: number;
  /** Number of returns it was measured on. */
  readonly observations: number;
  readonly skewness: number;
  /** Non-excess kurtosis (3 for normal returns). */
  readonly kurtosis: number;
}

/** The probabilistic Sharpe ratio: the probability that the true Sharpe exceeds `benchmark` (both per period). */
export function probabilisticSharpe(observed: SharpeObservation, benchmark: number): number {
  const { sharpe, observations, skewness, kurtosis } = observed;
  if (observations < 2) return Number.NaN;
  const spread = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe ** 2;
  if (!(spread > 0)) return Number.NaN;
  return normalCdf(((sharpe - benchmark) * Math.sqrt(observations - 1)) / Math.sqrt(spread), 0, 1);
}

export interface DeflatedSharpe {
  /** Per-period Sharpe ratio of the returns judged. */
  readonly sharpe: number;
  /** The Sharpe the best of the trials would reach by luck (per period). */
  readonly expectedMaximum: number;
  /**
   * Probability that the true Sharpe exceeds `expectedMaximum`; NaN with fewer than two returns, or when their skew
   * and tails leave the estimate's variance at or below zero (the formula has no answer there).
   */
  readonly probability: number;
  readonly trials: number;
  readonly observations: number;
  readonly skewness: number;
  readonly kurtosis: number;
}

/**
 * The deflated Sharpe ratio of `returns`, chosen among `trials` trials whose per-period Sharpe ratios varied with
 * `sharpeVariance`.
 */
export function deflatedSharpe(returns: readonly number[], trials: number, sharpeVariance: number): DeflatedSharpe {
  const deviation = standardDeviation(returns);
  const sharpe = deviation === 0 ? 0 : mean(returns) / deviation;
  const { skewness, kurtosis } = higherMoments(returns);
  const expectedMaximum = expectedMaximumSharpe(trials, sharpeVariance);
  const probability = probabilisticSharpe({ sharpe, observations: returns.length, skewness, kurtosis }, expectedMaximum);
  return { sharpe, expectedMaximum, probability, trials, observations: returns.length, skewness, kurtosis };
}
