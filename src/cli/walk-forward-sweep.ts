// A walk-forward sweep: every grid setting on every training window, the objective's pick per window taken on the
// test window that follows it (beside the daemon's defaults on the same window), and the out-of-sample test windows
// stitched together with the deflated Sharpe ratio of the pick's returns. Every setting is replayed on the test windows
// too: the luck the deflation allows for is measured on the very days the picks are judged on.
import { createHash } from 'node:crypto';
import { deflatedSharpe, probabilisticSharpe, type DeflatedSharpe } from '../domain/performance/deflated-sharpe.js';
import { maxDrawdown, mean, sharpeRatio, standardDeviation } from '../domain/performance/return-ratios.js';
import { chooseSetting, compounded, stitchedReturns } from '../domain/performance/walk-forward-selection.js';
import { settingLabel, type GridSetting, type WalkForwardFold } from '../domain/performance/walk-forward-windows.js';
import type { TrialResult, TrialSpec } from './sweep-trial.js';

export interface WalkForwardPlan {
  readonly sweepId: string;
  readonly historyDir: string;
  /** `folderFingerprint` of that folder, sent with every trial. */
  readonly historyFingerprint?: string;
  readonly symbols?: readonly string[];
  /** The replay variables of the machine that starts the sweep (`replayVariables`), sent with every trial. */
  readonly variables: Readonly<Record<string, string>>;
  /** The economic calendar of the machine that starts the sweep, sent with every trial. */
  readonly calendar: TrialSpec['calendar'];
  readonly folds: readonly WalkForwardFold[];
  readonly grid: readonly GridSetting[];
  readonly minTrades: number;
}

/** Which replays a batch holds: every setting on the training windows, or every setting and the defaults on the test ones. */
export type SweepPhase = 'training' | 'test';
export type TrialRunner = (specs: readonly TrialSpec[], phase: SweepPhase) => Promise<Map<string, TrialResult>>;

export interface FoldReport {
  readonly fold: number;
  readonly train: { from: string; to: string };
  readonly test: { from: string; to: string };
  readonly chosen: string;
  readonly trainSharpe: number;
  readonly qualified: boolean;
  readonly testReturn: number;
  readonly testTrades: number;
  readonly defaultsReturn: number;
  readonly defaultsTrades: number;
}

export interface StitchedFigures {
  readonly return: number;
  readonly sharpe: number;
  readonly maxDrawdown: number;
  readonly trades: number;
  readonly days: number;
}

export interface WalkForwardReport {
  readonly sweepId: string;
  readonly objective: string;
  readonly gridSize: number;
  /** Replays run: every setting on every training and test window, plus the defaults on the test windows. */
  readonly trials: number;
  readonly folds: readonly FoldReport[];
  readonly outOfSample: StitchedFigures;
  readonly defaultsOutOfSample: StitchedFigures;
  /**
   * The picks' stitched returns against what the best of the settings would show by luck on the same days: the spread
   * of every setting's own stitched test-window Sharpe ratio (the paper's V[SR_n], on the same T as the returns).
   */
  readonly deflated: DeflatedSharpe;
  /** Probability that the picks' true daily Sharpe out of sample is above zero (the probabilistic Sharpe ratio). */
  readonly aboveZero: number;
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** The same command gives the same sweep id, so running it again resumes it instead of starting over. */
export function sweepIdOf(parts: readonly unknown[]): string {
  return `wf-${hash(JSON.stringify(parts))}`;
}

/** An instant as a job id may hold it (BullMQ refuses `:` in custom ids), to the second: `2025-09-14T120000`. */
const idInstant = (time: Date): string => time.toISOString().slice(0, 19).replaceAll(':', '');

function spec(plan: WalkForwardPlan, phase: 'train' | 'test', window: { from: Date; to: Date }, setting: GridSetting): TrialSpec {
  const trialId = `${phase}-${idInstant(window.from)}-${idInstant(window.to)}-${hash(settingLabel(setting))}`;
  return {
    sweepId: plan.sweepId,
    trialId,
    historyDir: plan.historyDir,
    ...(plan.historyFingerprint ? { historyFingerprint: plan.historyFingerprint } : {}),
    ...(plan.symbols ? { symbols: [...plan.symbols] } : {}),
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    variables: { ...plan.variables },
    calendar: plan.calendar,
    setting: { ...setting },
  };
}

export const OBJECTIVE = 'highest annualised Sharpe ratio of daily equity at the mark (365 days a year) among settings with at least the minimum trade count';

export async function walkForward(plan: WalkForwardPlan, run: TrialRunner): Promise<WalkForwardReport> {
  const trainSpecs = plan.folds.flatMap((fold) => plan.grid.map((setting) => spec(plan, 'train', fold.train, setting)));
  const trained = await run(trainSpecs, 'training');
  const result = (trial: TrialSpec, from: Map<string, TrialResult>): TrialResult => {
    const found = from.get(trial.trialId);
    if (!found) throw new Error(`walk-forward: no result for ${trial.trialId}`);
    return found;
  };
  const choices = plan.folds.map((fold) => {
    const outcomes = plan.grid.map((setting) => {
      const trial = result(spec(plan, 'train', fold.train, setting), trained);
      return { setting, dailyEquity: trial.dailyEquity, trades: trial.trades };
    });
    return chooseSetting(outcomes, plan.minTrades);
  });
  // Every setting on every test window: the picks are among them, and their spread is the deflation's yardstick.
  const settingTests = plan.grid.map((setting) => plan.folds.map((fold) => spec(plan, 'test', fold.test, setting)));
  const picks = plan.folds.map((_, index) => {
    const pick = settingTests[choices[index]?.index ?? 0]?.[index];
    if (!pick) throw new Error('walk-forward: a fold lost its pick');
    return pick;
  });
  const defaults = plan.folds.map((fold) => spec(plan, 'test', fold.test, {}));
  const testSpecs = [...new Map([...settingTests.flat(), ...defaults].map((trial) => [trial.trialId, trial])).values()];
  const tested = await run(testSpecs, 'test');
  const pickResults = picks.map((trial) => result(trial, tested));
  const defaultResults = defaults.map((trial) => result(trial, tested));

  const folds: FoldReport[] = plan.folds.map((fold, index) => {
    const choice = choices[index];
    const pick = pickResults[index];
    const baseline = defaultResults[index];
    if (!choice || !pick || !baseline) throw new Error('walk-forward: a fold lost its results');
    return {
      fold: fold.index,
      train: { from: fold.train.from.toISOString(), to: fold.train.to.toISOString() },
      test: { from: fold.test.from.toISOString(), to: fold.test.to.toISOString() },
      chosen: settingLabel(plan.grid[choice.index] ?? {}),
      trainSharpe: choice.sharpe,
      qualified: choice.qualified,
      testReturn: growth(pick.dailyEquity),
      testTrades: pick.trades,
      defaultsReturn: growth(baseline.dailyEquity),
      defaultsTrades: baseline.trades,
    };
  });
  // How much luck choosing could find, measured on the days the picks are judged on: the spread across the settings of
  // the per-day Sharpe ratio of each one's own stitched test windows (the paper's V[SR_n]). A Sharpe measured on other
  // days (the training windows, of another length) would scale the yardstick by their length, not the judged returns'.
  const settingSharpes = settingTests.map((trials) => perPeriodSharpe(stitchedReturns(trials.map((trial) => result(trial, tested)))));
  const variance = standardDeviation(settingSharpes) ** 2;
  const stitched = stitchedReturns(pickResults);
  const deflated = deflatedSharpe(stitched, plan.grid.length, variance);
  return {
    sweepId: plan.sweepId,
    objective: `${OBJECTIVE} (${plan.minTrades})`,
    gridSize: plan.grid.length,
    trials: trainSpecs.length + testSpecs.length,
    folds,
    outOfSample: figures(stitched, pickResults),
    defaultsOutOfSample: figures(stitchedReturns(defaultResults), defaultResults),
    deflated,
    aboveZero: probabilisticSharpe(deflated, 0),
  };
}

function perPeriodSharpe(returns: readonly number[]): number {
  const deviation = standardDeviation(returns);
  return deviation === 0 ? 0 : mean(returns) / deviation;
}

function growth(equity: readonly number[]): number {
  const first = equity[0] ?? 0;
  return first > 0 ? (equity[equity.length - 1] ?? first) / first - 1 : 0;
}

function figures(returns: readonly number[], results: readonly TrialResult[]): StitchedFigures {
  const curve = compounded(returns);
  return {
    return: (curve[curve.length - 1] ?? 1) - 1,
    sharpe: sharpeRatio(returns, 365),
    maxDrawdown: maxDrawdown(curve),
    trades: results.reduce((total, trial) => total + trial.trades, 0),
    days: returns.length,
  };
}

const pct = (value: number): string => `${(value * 100).toFixed(2)}%`;
const probability = (value: number): string => (Number.isNaN(value) ? 'n/a (too few returns, or too skewed for the formula)' : value.toFixed(3));

export function formatWalkForward(report: WalkForwardReport): string {
  const lines = [
    `Walk-forward ${report.sweepId}: ${report.folds.length} fold(s), grid of ${report.gridSize}, ${report.trials} trials (replays) in all`,
    `Objective: ${report.objective}`,
    '',
    'fold | test window | chosen on the training window | train Sharpe | test return (trades) | defaults (trades)',
    ...report.folds.map(
      (fold) =>
        `${fold.fold} | ${fold.test.from.slice(0, 10)} → ${fold.test.to.slice(0, 10)} | ${fold.chosen}${fold.qualified ? '' : ' (below the minimum trade count)'} | ${fold.trainSharpe.toFixed(2)} | ${pct(fold.testReturn)} (${fold.testTrades}) | ${pct(fold.defaultsReturn)} (${fold.defaultsTrades})`,
    ),
    '',
    `Out of sample, stitched (${report.outOfSample.days} days): return ${pct(report.outOfSample.return)}, Sharpe ${report.outOfSample.sharpe.toFixed(2)}, max drawdown ${pct(report.outOfSample.maxDrawdown)}, ${report.outOfSample.trades} trades`,
    `The defaults on the same windows:      return ${pct(report.defaultsOutOfSample.return)}, Sharpe ${report.defaultsOutOfSample.sharpe.toFixed(2)}, max drawdown ${pct(report.defaultsOutOfSample.maxDrawdown)}, ${report.defaultsOutOfSample.trades} trades`,
    `Deflated Sharpe ratio (N = ${report.deflated.trials} settings): ${probability(report.deflated.probability)}` +
      ` = probability that the true daily Sharpe exceeds ${report.deflated.expectedMaximum.toFixed(4)}, what the best of ${report.deflated.trials} settings would show by luck on these test days` +
      ` (observed ${report.deflated.sharpe.toFixed(4)} per day over ${report.deflated.observations} days, skewness ${report.deflated.skewness.toFixed(2)}, kurtosis ${report.deflated.kurtosis.toFixed(2)})`,
    `Probabilistic Sharpe ratio against 0: ${probability(report.aboveZero)} = probability that the true daily Sharpe out of sample is above zero`,
  ];
  return lines.join('\n');
}
