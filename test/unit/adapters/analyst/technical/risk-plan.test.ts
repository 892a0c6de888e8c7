import { describe, expect, it } from 'vitest';
import { planRisk } from '../../../../../src/adapters/analyst/technical/index.js';
import { DEFAULT_RISK } from '../../../../../src/domain/settings.js';

describe('planRisk: stop from the 1h ATR', () => {
  it('when the 1h ATR is 3 %, then the stop is 2.5 ATRs = 7.5 %, inside the default 5-10 % band', () => {
    expect(planRisk(0.03, 2, DEFAULT_RISK).stopLossPct).toBeCloseTo(0.075, 12);
  });

  it('when the 1h ATR is 0.4 %, then 2.5 ATRs (1 %) is raised to the 5 % minimum stop', () => {
    expect(planRisk(0.004, 2, DEFAULT_RISK).stopLossPct).toBe(0.05);
  });

  it('when the 1h ATR is 5 %, then 2.5 ATRs (12.5 %) is cut to the 10 % maximum stop', () => {
    expect(planRisk(0.05, 2, DEFAULT_RISK).stopLossPct).toBe(0.1);
  });

  it('when the target is 1.75x the stop, then take-profit is 1.75 times the stop distance', () => {
    const plan = planRisk(0.03, 1.75, DEFAULT_RISK);
    expect(plan.riskReward).toBe(1.75);
    expect(plan.takeProfitPct).toBeCloseTo(0.075 * 1.75, 12);
  });

  it('when an analyst asks for a target under 1.5x the stop, then it is refused', () => {
    expect(() => planRisk(0.01, 1.4, DEFAULT_RISK)).toThrow(RangeError);
  });
});

describe('planRisk: leverage falls as the 1h ATR rises', () => {
  it.each([
    [0.004, 5],
    [0.006, 5],
    [0.0061, 4],
    [0.009, 4],
    [0.012, 3],
    [0.0131, 2],
    [0.04, 2],
  ])('when the 1h ATR is %f, then leverage is %i', (atrPct, leverage) => {
    expect(planRisk(atrPct, 2, DEFAULT_RISK).leverage).toBe(leverage);
  });

  it('when the configured maximum is 3x, then even a calm market gets 3x', () => {
    expect(planRisk(0.004, 2, { ...DEFAULT_RISK, maxLeverage: 3 }).leverage).toBe(3);
  });

  it('when the minimum stop is 20 %, then leverage drops to 4 so the stop still comes before liquidation', () => {
    // stop 20 % + liquidation buffer 2 % + 1 % margin = 23 %; 1 / 0.23 = 4.3 -> 4x (liquidation about 25 % away)
    const plan = planRisk(0.004, 2, { ...DEFAULT_RISK, minStopLossPct: 0.2, maxStopLossPct: 0.3 });
    expect(plan.stopLossPct).toBe(0.2);
    expect(plan.leverage).toBe(4);
  });
});
