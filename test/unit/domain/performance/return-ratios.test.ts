import { describe, expect, it } from 'vitest';
import { maxDrawdown, periodReturns, sharpeRatio, sortinoRatio, standardDeviation } from '../../../../src/domain/performance/return-ratios.js';

describe('return ratios', () => {
  it('turns an equity curve into simple returns and stops where the account is gone', () => {
    expect(periodReturns([100, 110, 99])).toEqual([0.10000000000000009, -0.09999999999999998]);
    expect(periodReturns([100, 0, 50])).toEqual([-1]);
  });

  it('uses the sample standard deviation', () => {
    expect(standardDeviation([1, 2, 3, 4])).toBeCloseTo(1.2909944, 6);
    expect(standardDeviation([5])).toBe(0);
  });

  it('annualises the Sharpe ratio and gives 0 for returns that do not vary', () => {
    const returns = [0.01, -0.005, 0.02, 0];
    expect(sharpeRatio(returns, 365)).toBeCloseTo((0.00625 / standardDeviation(returns)) * Math.sqrt(365), 9);
    expect(sharpeRatio([0.01, 0.01], 365)).toBe(0);
  });

  it('counts only losses in the Sortino ratio', () => {
    const returns = [0.02, -0.01, 0.03, -0.02];
    const downside = Math.sqrt((0.01 ** 2 + 0.02 ** 2) / 4);
    expect(sortinoRatio(returns, 365)).toBeCloseTo((0.005 / downside) * Math.sqrt(365), 9);
    expect(sortinoRatio([0, 0, 0], 365)).toBe(0);
  });

  it('when no day lost and the curve rose, then the Sortino ratio is undefined (unbounded), not 0', () => {
    expect(sortinoRatio([0.01, 0.02], 365)).toBeUndefined();
    expect(sortinoRatio([0.01, 0, 0.02, 0, 0.01], 365)).toBeUndefined();
  });

  it('measures the deepest fall from a running peak', () => {
    expect(maxDrawdown([100, 120, 90, 130, 117])).toBeCloseTo(0.25, 12);
    expect(maxDrawdown([100, 101, 102])).toBe(0);
  });
});
