// Which setting a training window picks, and what the picked settings did on the test windows that followed.
// The objective, stated once: the highest annualised Sharpe ratio of daily equity among the settings that traded at
// least `minTrades` times in the training window (a setting that barely traded has a Sharpe of noise); a setting that
// lost its whole account ranks last.
import { periodReturns, sharpeRatio } from './return-ratios.js';
import type { GridSetting } from './walk-forward-windows.js';

export interface TrialOutcome {
  readonly setting: GridSetting;
  /** Equity at the window's start and at each UTC midnight after it, then at its end. */
  readonly dailyEquity: readonly number[];
  readonly trades: number;
}

export interface Choice {
  readonly index: number;
  readonly sharpe: number;
  /** False when no setting reached the minimum trade count and the best Sharpe was taken anyway. */
  readonly qualified: boolean;
}

export const objectiveSharpe = (outcome: Pick<TrialOutcome, 'dailyEquity'>): number =>
  sharpeRatio(periodReturns(outcome.dailyEquity), 365);

/**
 * The index of the best outcome by the objective; the earliest in grid order on a tie. A setting that lost its whole
 * account ranks below every one that did not: its returns end at the loss, and one day's -100% alone has no spread,
 * so a Sharpe of 0 that beats any setting that merely lost money.
 */
export function chooseSetting(outcomes: readonly TrialOutcome[], minTrades: number): Choice {
  if (outcomes.length === 0) throw new Error('walk-forward: no outcome to choose from');
  const scored = outcomes.map((outcome, index) => ({
    index,
    sharpe: objectiveSharpe(outcome),
    rank: outcome.dailyEquity.some((equity) => equity <= 0) ? Number.NEGATIVE_INFINITY : objectiveSharpe(outcome),
    trades: outcome.trades,
  }));
  const qualified = scored.filter((entry) => entry.trades >= minTrades);
  const pool = qualified.length > 0 ? qualified : scored;
  const best = pool.reduce((top, entry) => (entry.rank > top.rank ? entry : top));
  return { index: best.index, sharpe: best.sharpe, qualified: qualified.length > 0 };
}

/** The test windows' daily returns one after another: each window starts from fresh capital, so returns chain. */
export function stitchedReturns(testOutcomes: readonly Pick<TrialOutcome, 'dailyEquity'>[]): number[] {
  return testOutcomes.flatMap((outcome) => periodReturns(outcome.dailyEquity));
}

/** An equity curve from 1 compounding the returns. */
export function compounded(returns: readonly number[]): number[] {
  const curve = [1];
  for (const value of returns) curve.push((curve[curve.length - 1] ?? 1) * (1 + value));
  return curve;
}
