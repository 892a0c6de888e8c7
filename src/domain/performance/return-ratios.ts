// Risk-adjusted return ratios over an equity curve sampled at a fixed period (daily in the reports). Shared by the
// backtest report, the walk-forward objective and the shadow leaderboard, so every figure of a "Sharpe" means the same.

/** Simple returns between consecutive equity samples; a sample at or below zero ends the series (the account is gone). */
export function periodReturns(equity: readonly number[]): number[] {
  const returns: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const previous = equity[i - 1] ?? 0;
    if (previous <= 0) break;
    returns.push((equity[i] ?? 0) / previous - 1);
  }
  return returns;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((total, value) => total + value, 0) / values.length;
}

/** Sample standard deviation (n - 1); 0 for fewer than two values. */
export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const average = mean(values);
  const squares = values.reduce((total, value) => total + (value - average) ** 2, 0);
  return Math.sqrt(squares / (values.length - 1));
}

/** Annualised Sharpe ratio with a zero risk-free rate; 0 when the returns do not vary (flat, or too few). */
export function sharpeRatio(returns: readonly number[], periodsPerYear: number): number {
  const deviation = standardDeviation(returns);
  return deviation === 0 ? 0 : (mean(returns) / deviation) * Math.sqrt(periodsPerYear);
}

/**
 * Annualised Sortino ratio: the mean over the downside deviation (losses only, against zero). Undefined when nothing
 * was lost and something was gained: the ratio is unbounded there, and a 0 would rank the steadiest curve last.
 */
export function sortinoRatio(returns: readonly number[], periodsPerYear: number): number | undefined {
  if (returns.length < 2) return 0;
  const downside = Math.sqrt(returns.reduce((total, value) => total + Math.min(0, value) ** 2, 0) / returns.length);
  if (downside > 0) return (mean(returns) / downside) * Math.sqrt(periodsPerYear);
  return mean(returns) > 0 ? undefined : 0;
}

/** The deepest fall from a running peak, as a fraction of that peak (0.25 = 25%); 0 for a curve that never falls. */
export function maxDrawdown(equity: readonly number[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let deepest = 0;
  for (const value of equity) {
    peak = Math.max(peak, value);
    if (peak > 0) deepest = Math.max(deepest, (peak - value) / peak);
  }
  return deepest;
}
