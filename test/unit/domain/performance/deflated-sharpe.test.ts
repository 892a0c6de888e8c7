import { describe, expect, it } from 'vitest';
import {
  deflatedSharpe,
  expectedMaximumSharpe,
  higherMoments,
  probabilisticSharpe,
} from '../../../../src/domain/performance/deflated-sharpe.js';

// The paper's worked example (Bailey & López de Prado 2014, section "A numerical example"): 100 trials whose
// annualised Sharpe ratios vary by 1/2, five years of daily returns (T = 1250), an annualised Sharpe of 2.5 with
// skewness -3 and kurtosis 10. The paper finds SR0 = 0.1132 per day and a deflated Sharpe ratio of 0.9004.
describe('the deflated Sharpe ratio', () => {
  const perDay = (annual: number): number => annual / Math.sqrt(250);

  it("finds the paper's expected maximum Sharpe of 100 trials", () => {
    expect(expectedMaximumSharpe(100, 0.5 / 250)).toBeCloseTo(0.1132, 3);
  });

  it("finds the paper's deflated Sharpe ratio of 0.90", () => {
    const benchmark = expectedMaximumSharpe(100, 0.5 / 250);
    const probability = probabilisticSharpe({ sharpe: perDay(2.5), observations: 1250, skewness: -3, kurtosis: 10 }, benchmark);
    expect(probability).toBeCloseTo(0.9004, 2);
    expect(Math.abs(probability - 0.9004)).toBeLessThan(0.001);
  });

  it('is lower with more trials: the same Sharpe is less surprising as the best of 1000', () => {
    const observed = { sharpe: perDay(2.5), observations: 1250, skewness: -3, kurtosis: 10 };
    const of100 = probabilisticSharpe(observed, expectedMaximumSharpe(100, 0.5 / 250));
    const of1000 = probabilisticSharpe(observed, expectedMaximumSharpe(1000, 0.5 / 250));
    expect(of1000).toBeLessThan(of100);
  });

  it('with one trial is the probabilistic Sharpe ratio against zero', () => {
    expect(expectedMaximumSharpe(1, 0.01)).toBe(0);
    const observed = { sharpe: 0, observations: 100, skewness: 0, kurtosis: 3 };
    expect(probabilisticSharpe(observed, 0)).toBeCloseTo(0.5, 10);
  });

  it('reads skewness and kurtosis from the returns', () => {
    expect(higherMoments([1, -1, 1, -1])).toEqual({ skewness: 0, kurtosis: 1 });
    expect(higherMoments([0, 0, 0, 3]).skewness).toBeCloseTo(1.1547, 4);
    const result = deflatedSharpe([0.01, -0.005, 0.02, 0.003, -0.01, 0.007], 4, 0.01);
    expect(result.trials).toBe(4);
    expect(result.observations).toBe(6);
    expect(result.probability).toBeGreaterThan(0);
    expect(result.probability).toBeLessThan(1);
  });

  it('gives no probability for fewer than two returns', () => {
    expect(deflatedSharpe([0.01], 4, 0.01).probability).toBeNaN();
  });
});
