import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZING, kellyShare, lossBudget } from '../../../src/domain/position-sizing.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';

const risk = { ...DEFAULT_RISK, maxLossAtStopPct: 0.2 };

describe('loss budget by sizing mode', () => {
  it('fixed keeps MAX_LOSS_AT_STOP_PERCENT', () => {
    expect(lossBudget(DEFAULT_SIZING, risk, { stopLossPct: 0.05 })).toMatchObject({ ok: true, lossPct: 0.2 });
  });

  it('atr_risk risks RISK_PER_TRADE_PERCENT, never more than the fixed limit', () => {
    expect(lossBudget({ ...DEFAULT_SIZING, mode: 'atr_risk', riskPerTradePct: 0.02 }, risk, { stopLossPct: 0.05 })).toMatchObject({ lossPct: 0.02 });
    expect(lossBudget({ ...DEFAULT_SIZING, mode: 'atr_risk', riskPerTradePct: 0.3 }, risk, { stopLossPct: 0.05 })).toMatchObject({ lossPct: 0.2 });
  });

  it('kelly falls back to fixed until enough votes are scored', () => {
    const kelly = { ...DEFAULT_SIZING, mode: 'kelly' as const, kellyMinScoredVotes: 30 };
    expect(lossBudget(kelly, risk, { stopLossPct: 0.05, takeProfitPct: 0.1, record: { scored: 29, hits: 29 } })).toMatchObject({ ok: true, lossPct: 0.2 });
    expect(lossBudget(kelly, risk, { stopLossPct: 0.05, takeProfitPct: 0.1 })).toMatchObject({ ok: true, lossPct: 0.2 });
  });

  it('kelly takes its fraction of the full Kelly share once the record is long enough', () => {
    const kelly = { ...DEFAULT_SIZING, mode: 'kelly' as const, kellyFraction: 0.25, kellyMinScoredVotes: 30 };
    // 50% hits at 2:1: full Kelly 25% of capital at risk, quarter Kelly 6.25%.
    const budget = lossBudget(kelly, risk, { stopLossPct: 0.05, takeProfitPct: 0.1, record: { scored: 30, hits: 15 } });
    expect(budget).toMatchObject({ ok: true });
    expect(budget.ok && budget.lossPct).toBeCloseTo(0.0625, 12);
  });

  it('kelly is capped at the fixed budget', () => {
    const kelly = { ...DEFAULT_SIZING, mode: 'kelly' as const, kellyFraction: 1, kellyMinScoredVotes: 1 };
    expect(lossBudget(kelly, risk, { stopLossPct: 0.05, takeProfitPct: 0.1, record: { scored: 10, hits: 9 } })).toMatchObject({ lossPct: 0.2 });
  });

  it('when the record shows no edge, kelly refuses the entry', () => {
    const kelly = { ...DEFAULT_SIZING, mode: 'kelly' as const, kellyMinScoredVotes: 1 };
    // 1/3 hits at 2:1 is exactly break-even: Kelly 0.
    const budget = lossBudget(kelly, risk, { stopLossPct: 0.05, takeProfitPct: 0.1, record: { scored: 30, hits: 10 } });
    expect(budget.ok).toBe(false);
    expect(kellyShare(0.5, 1)).toBe(0);
  });
});
