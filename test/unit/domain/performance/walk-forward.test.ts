import { describe, expect, it } from 'vitest';
import { chooseSetting, compounded, stitchedReturns } from '../../../../src/domain/performance/walk-forward-selection.js';
import { parseDuration, parseGrid, settingLabel, walkForwardFolds } from '../../../../src/domain/performance/walk-forward-windows.js';

const day = (d: number): Date => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000);

describe('walk-forward windows', () => {
  it('rolls a 90-day training and 30-day test window forward by the test length, tests tiling without overlap', () => {
    const folds = walkForwardFolds(day(0), day(180), parseDuration('90d'), parseDuration('30d'));
    expect(folds.map((fold) => [fold.train.from, fold.train.to, fold.test.from, fold.test.to])).toEqual([
      [day(0), day(90), day(90), day(120)],
      [day(30), day(120), day(120), day(150)],
      [day(60), day(150), day(150), day(180)],
    ]);
  });

  it('has no fold when the history is shorter than one training and one test window', () => {
    expect(walkForwardFolds(day(0), day(100), parseDuration('90d'), parseDuration('30d'))).toEqual([]);
  });

  it('refuses windows that are not whole days from a midnight: the figures are daily returns', () => {
    expect(() => walkForwardFolds(day(0), day(10), parseDuration('1d'), parseDuration('12h'))).toThrow(/whole days/);
    expect(() => walkForwardFolds(day(0), day(10), parseDuration('36h'), parseDuration('1d'))).toThrow(/whole days/);
    expect(walkForwardFolds(day(0), day(4), parseDuration('48h'), parseDuration('1d'))).toHaveLength(2);
    expect(() => walkForwardFolds(new Date(day(0).getTime() + 43_200_000), day(10), parseDuration('2d'), parseDuration('1d'))).toThrow(/UTC midnight/);
  });

  it('reads durations in days or hours and refuses anything else', () => {
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('12h')).toBe(43_200_000);
    expect(() => parseDuration('3 weeks')).toThrow(/not a duration/);
  });

  it('expands a grid into every combination, in a stable order', () => {
    const grid = parseGrid('MIN_OPPORTUNITY_SCORE=70,80,90;MAX_STOP_LOSS_PERCENT=0.08,0.10');
    expect(grid).toHaveLength(6);
    expect(grid[0]).toEqual({ MIN_OPPORTUNITY_SCORE: '70', MAX_STOP_LOSS_PERCENT: '0.08' });
    expect(grid[5]).toEqual({ MIN_OPPORTUNITY_SCORE: '90', MAX_STOP_LOSS_PERCENT: '0.10' });
    expect(settingLabel(grid[0] ?? {})).toBe('MAX_STOP_LOSS_PERCENT=0.08 MIN_OPPORTUNITY_SCORE=70');
    expect(() => parseGrid('min_score=1')).toThrow(/NAME=value/);
    expect(() => parseGrid('A=1;A=2')).toThrow(/twice/);
  });
});

describe('choosing a setting on a training window', () => {
  const setting = (name: string) => ({ NAME: name });

  it('takes the highest Sharpe among settings with enough trades', () => {
    const steady = { setting: setting('steady'), dailyEquity: [100, 101, 102, 103, 104], trades: 5 };
    const lucky = { setting: setting('lucky'), dailyEquity: [100, 100, 100, 100, 130], trades: 1 };
    const noisy = { setting: setting('noisy'), dailyEquity: [100, 110, 95, 112, 104], trades: 8 };
    expect(chooseSetting([lucky, noisy, steady], 3)).toMatchObject({ index: 2, qualified: true });
  });

  it('never takes a setting that lost its whole account over one that lost some: its single -100% day scores a Sharpe of 0', () => {
    const ruined = { setting: setting('ruined'), dailyEquity: [100, 0, 0, 0], trades: 1 };
    const losing = { setting: setting('losing'), dailyEquity: [100, 99, 97, 96], trades: 1 };
    expect(chooseSetting([ruined, losing], 3)).toMatchObject({ index: 1, qualified: false });
  });

  it('takes the best Sharpe anyway, flagged, when none traded enough', () => {
    const a = { setting: setting('a'), dailyEquity: [100, 99, 98], trades: 1 };
    const b = { setting: setting('b'), dailyEquity: [100, 101, 101.5], trades: 1 };
    expect(chooseSetting([a, b], 3)).toMatchObject({ index: 1, qualified: false });
  });

  it('stitches test windows by their returns', () => {
    const returns = stitchedReturns([{ dailyEquity: [100, 110] }, { dailyEquity: [100, 90] }]);
    expect(returns[0]).toBeCloseTo(0.1, 12);
    expect(returns[1]).toBeCloseTo(-0.1, 12);
    expect(compounded(returns)[2]).toBeCloseTo(0.99, 12);
  });
});
