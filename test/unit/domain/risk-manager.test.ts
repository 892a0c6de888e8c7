import { describe, expect, it } from 'vitest';
import { RiskManager, type AccountView, type EntryProposal } from '../../../src/domain/risk-manager.js';
import { DEFAULT_COSTS, DEFAULT_RISK } from '../../../src/domain/settings.js';
import { marketSpec, position } from '../../support/factories.js';

const risk = new RiskManager(DEFAULT_RISK, DEFAULT_COSTS);
const flatAccount: AccountView = { capital: 100, available: 100, activePositions: [], entryBlocks: [] };
const market = marketSpec();

function proposal(overrides: Partial<EntryProposal> = {}): EntryProposal {
  return { symbol: 'ETH/USDT:USDT', side: 'long', price: 100, leverage: 5, stopLossRange: [0.06, 0.06], ...overrides };
}

function rejectionOf(decision: ReturnType<RiskManager['validateEntry']>): string {
  if (decision.approved) throw new Error('expected a rejection');
  return decision.reasons.join('; ');
}

describe('stop-loss distance', () => {
  it('when the stop is 4.99% away, then the entry is rejected', () => {
    const decision = risk.validateEntry(proposal({ stopLossRange: [0.0499, 0.0499] }), flatAccount, market);
    expect(rejectionOf(decision)).toContain('stop-loss 4.99% is closer than the 5.00% minimum');
  });

  it('when the stop is exactly 5%, then the entry is accepted with the stop 5% below entry', () => {
    const decision = risk.validateEntry(proposal({ stopLossRange: [0.05, 0.05] }), flatAccount, market);
    expect(decision.approved).toBe(true);
    if (decision.approved) {
      expect(decision.plan.stopLossPct).toBe(0.05);
      expect(decision.plan.stopPrice).toBe(95);
    }
  });

  it('when the stop is exactly 10%, then the entry is accepted', () => {
    const decision = risk.validateEntry(proposal({ stopLossRange: [0.1, 0.1] }), flatAccount, market);
    expect(decision.approved).toBe(true);
  });

  it('when the stop is 10.01% away, then the entry is rejected', () => {
    const decision = risk.validateEntry(proposal({ stopLossRange: [0.1001, 0.1001] }), flatAccount, market);
    expect(rejectionOf(decision)).toContain('stop-loss 10.01% is farther than the 10.00% maximum');
  });

  it('chooses inside the analysts\u2019 range and the allowed range, near 2.5 ATRs', () => {
    expect(risk.chooseStopLoss(proposal({ stopLossRange: [0.03, 0.08], atrPct: 0.01 }))).toBeCloseTo(0.05, 12);
    expect(risk.chooseStopLoss(proposal({ stopLossRange: [0.05, 0.08], atrPct: 0.028 }))).toBeCloseTo(0.07, 12);
    expect(risk.chooseStopLoss(proposal({ stopLossRange: [0.05, 0.08], atrPct: 0.05 }))).toBeCloseTo(0.08, 12);
  });

  it('puts a short\u2019s stop above entry', () => {
    const decision = risk.validateEntry(proposal({ side: 'short', stopLossRange: [0.06, 0.06] }), flatAccount, market);
    expect(decision.approved && decision.plan.stopPrice).toBe(106);
  });
});

describe('leverage', () => {
  it('when the leverage is above the maximum, then the entry is rejected', () => {
    expect(rejectionOf(risk.validateEntry(proposal({ leverage: 6 }), flatAccount, market))).toContain('leverage 6x exceeds the 5x maximum');
  });

  it('when the leverage is not a whole number, then the entry is rejected', () => {
    expect(rejectionOf(risk.validateEntry(proposal({ leverage: 2.5 }), flatAccount, market))).toContain('not a whole number');
  });

  it('when the exchange allows less than asked, then the entry is rejected', () => {
    const decision = risk.validateEntry(proposal({ leverage: 5 }), flatAccount, marketSpec({ maxLeverage: 4 }));
    expect(rejectionOf(decision)).toContain("exceeds the exchange's 4x");
  });
});

describe('position size', () => {
  it('posts at most 80% of available capital as margin', () => {
    // 1x, 5% stop: a stop-out would cost 80 x (0.05 + 0.0005 x 2.05 + 0.001) = 4.16, well under the 20 cap.
    const decision = risk.validateEntry(proposal({ leverage: 1, stopLossRange: [0.05, 0.05] }), flatAccount, market);
    expect(decision.approved && decision.plan.margin).toBeCloseTo(80, 9);
  });

  it('sizes down so the loss at the stop, fees included, is at most 20% of capital', () => {
    // 5x at 80 margin = 400 notional; at a 10% stop that would lose 400 x 0.10205 = 40.82 > 20,
    // so the notional shrinks to 20 / 0.10205 = 195.98 → 1.959 ETH at 100 after rounding down to the lot step.
    const decision = risk.validateEntry(proposal({ leverage: 5, stopLossRange: [0.1, 0.1] }), flatAccount, market);
    expect(decision.approved).toBe(true);
    if (!decision.approved) return;
    expect(decision.plan.quantity).toBe(1.959);
    expect(decision.plan.lossAtStop).toBeLessThanOrEqual(20);
    expect(decision.plan.lossAtStop).toBeGreaterThan(19.9);
  });

  it('rejects a position below the exchange minimum before any order exists', () => {
    const small: AccountView = { ...flatAccount, capital: 20, available: 20 };
    const decision = risk.validateEntry(proposal({ leverage: 2, stopLossRange: [0.1, 0.1] }), small, marketSpec({ minNotional: 100 }));
    expect(rejectionOf(decision)).toContain('below the exchange minimum of $100.00');
  });
});

describe('liquidation', () => {
  it('rejects when liquidation would be closer than 10% to entry', () => {
    // 5x with a 12% maintenance rate: liquidation at 100 x 0.8 / 0.88 = 90.91, only 9.09% away.
    const decision = risk.validateEntry(proposal(), flatAccount, marketSpec({ maintenanceMarginRate: 0.12 }));
    expect(rejectionOf(decision)).toContain('from entry (minimum 10.00%)');
  });

  it('rejects when the stop is not far enough on the safe side of liquidation', () => {
    const strict = new RiskManager({ ...DEFAULT_RISK, liquidationBufferPct: 0.12 }, DEFAULT_COSTS);
    // 5x, 0.5% maintenance: liquidation 19.6% below entry; a 10% stop leaves 9.6% < 12%.
    const decision = strict.validateEntry(proposal({ stopLossRange: [0.1, 0.1] }), flatAccount, market);
    expect(rejectionOf(decision)).toContain('too close to liquidation');
  });

  it('places the stop strictly between entry and liquidation', () => {
    const decision = risk.validateEntry(proposal(), flatAccount, market);
    expect(decision.approved).toBe(true);
    if (!decision.approved) return;
    expect(decision.plan.liquidationPrice).toBeLessThan(decision.plan.stopPrice);
    expect(decision.plan.stopPrice).toBeLessThan(decision.plan.entryPrice);
  });
});

describe('exposure and breakers', () => {
  it('rejects a second position on the same symbol and beyond the open-position limit', () => {
    const busy: AccountView = { ...flatAccount, activePositions: [position()] };
    const reasons = rejectionOf(risk.validateEntry(proposal(), busy, market));
    expect(reasons).toContain('a position in ETH/USDT:USDT is already open');
    expect(reasons).toContain('1 position(s) open; the maximum is 1');
  });

  it('passes a breaker\u2019s reason through to the rejection', () => {
    const blocked: AccountView = { ...flatAccount, entryBlocks: ['daily loss limit reached (-$10.00 today)'] };
    expect(rejectionOf(risk.validateEntry(proposal(), blocked, market))).toContain('daily loss limit reached');
  });
});
