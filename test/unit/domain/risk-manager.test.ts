import { describe, expect, it } from 'vitest';
import { bracketsFromRates, UNKNOWN_FIRST_BRACKET_CAP } from '../../../src/domain/leverage-brackets.js';
import { adverseDistance, grossPnl, liquidationPrice, slippedPrice, tradingFee } from '../../../src/domain/money.js';
import { positionAfterFill } from '../../../src/domain/position-after-fill.js';
import { DEFAULT_SIZING } from '../../../src/domain/position-sizing.js';
import { RiskManager, type AccountView, type EntryPlan, type EntryProposal } from '../../../src/domain/risk-manager.js';
import { valuePosition } from '../../../src/domain/exit-rules.js';
import { DEFAULT_COSTS, DEFAULT_EXIT, DEFAULT_RISK } from '../../../src/domain/settings.js';
import { marketSpec, position } from '../../support/factories.js';

const MIN_PROFIT = DEFAULT_EXIT.minProfitUsd;
const risk = new RiskManager(DEFAULT_RISK, DEFAULT_COSTS, MIN_PROFIT);
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

  it('when the analysts\u2019 range ends a float\u2019s noise short of the minimum, then the stop is the minimum, not a hair inside it', () => {
    // A fast-check counterexample: the plan kept 10.146797720966354% against a 10.146797720967354% minimum, and the
    // stop at a fill 0.0019 bp lower rounded to a tick 10.1467975% away.
    const band = { ...DEFAULT_RISK, minStopLossPct: 0.10146797720967354, maxStopLossPct: 0.11146797720967354 };
    const manager = new RiskManager(band, DEFAULT_COSTS, MIN_PROFIT);
    const almost = band.minStopLossPct - 1e-14;

    expect(manager.chooseStopLoss(proposal({ stopLossRange: [almost, almost] }))).toBe(band.minStopLossPct);
    expect(manager.chooseStopLoss(proposal({ stopLossRange: [band.maxStopLossPct + 1e-14, band.maxStopLossPct + 1e-14] }))).toBe(band.maxStopLossPct);
  });

  it('puts a short\u2019s stop above entry', () => {
    const decision = risk.validateEntry(proposal({ side: 'short', stopLossRange: [0.06, 0.06] }), flatAccount, market);
    expect(decision.approved && decision.plan.stopPrice).toBe(106);
  });
});

describe('stop-loss on the tick', () => {
  const coarse = marketSpec({ tickSize: 0.1 });

  it('when 5% below entry falls between ticks, then the stop rounds away from entry: never closer than 5%', () => {
    // 100.07 x 0.95 = 95.0665; the nearest tick, 95.1, would be only 4.966% away.
    const decision = risk.validateEntry(proposal({ price: 100.07, stopLossRange: [0.05, 0.05] }), flatAccount, coarse);
    if (!decision.approved) throw new Error(decision.reasons.join('; '));
    expect(decision.plan.stopPrice).toBe(95);
    expect(adverseDistance('long', 100.07, decision.plan.stopPrice)).toBeGreaterThanOrEqual(0.05);
  });

  it('when 10% below entry falls between ticks, then the stop rounds towards entry: never farther than 10%', () => {
    // 100.3 x 0.90 = 90.27; the nearest tick away from entry, 90.2, would be 10.07% away.
    const decision = risk.validateEntry(proposal({ price: 100.3, stopLossRange: [0.1, 0.1] }), flatAccount, coarse);
    if (!decision.approved) throw new Error(decision.reasons.join('; '));
    expect(decision.plan.stopPrice).toBe(90.3);
    expect(adverseDistance('long', 100.3, decision.plan.stopPrice)).toBeLessThanOrEqual(0.1);
  });

  it('when a short\u2019s 5% stop falls between ticks, then it rounds up, away from entry', () => {
    // 100.03 x 1.05 = 105.0315; the nearest tick, 105.0, would be 4.97% away.
    const decision = risk.validateEntry(proposal({ side: 'short', price: 100.03, stopLossRange: [0.05, 0.05] }), flatAccount, coarse);
    expect(decision.approved && decision.plan.stopPrice).toBe(105.1);
  });

  it('when the price step is too coarse for any stop between 5% and 10%, then the entry is refused in words', () => {
    // A 6-dollar tick at 100: the stops on the tick either side of the band are 96 (4%) and 90 (10%) at 100,
    // but a fill a few cents higher would leave none inside it.
    const decision = risk.validateEntry(proposal({ stopLossRange: [0.05, 0.05] }), flatAccount, marketSpec({ tickSize: 6 }));
    expect(rejectionOf(decision)).toContain('the price step of ETH/USDT:USDT (6) is 6.00% of its price');
    expect(rejectionOf(decision)).toContain('between 5.00% and 10.00% from the fill');
  });

  it('when the price is off a step coarser than SLIPPAGE_BPS, then the entry is refused in words, not sent with a limit it cannot fill at', () => {
    // A venue step of 0.1 at 500.01 (Hyperliquid's five significant figures at twice the loaded price) and 1 bp of
    // slippage: the buy limit rounds down to 500.0, the sell limit at 500.09 up to 500.1.
    const costs = { ...DEFAULT_COSTS, slippageBps: 1 };
    const tight = new RiskManager(DEFAULT_RISK, costs, MIN_PROFIT);
    const coarse = marketSpec({ tickSize: 0.1 });

    const long = tight.validateEntry(proposal({ price: 500.01 }), flatAccount, coarse);
    const short = tight.validateEntry(proposal({ side: 'short', price: 500.09 }), flatAccount, coarse);

    expect(rejectionOf(long)).toContain('the entry limit 500 on the price step of ETH/USDT:USDT (0.1) would be on the wrong side of the price 500.01');
    expect(rejectionOf(long)).toContain('SLIPPAGE_BPS (1) is less than one step');
    expect(rejectionOf(short)).toContain('the entry limit 500.1');
    expect(tight.validateEntry(proposal({ price: 500.1 }), flatAccount, coarse).approved).toBe(true);
  });
});

describe('minimum profit within reach (rule 8)', () => {
  const small: AccountView = { capital: 10, available: 10, activePositions: [], entryBlocks: [] };

  it('when a $10 account at 1x would need a 31.8% move to net $2.50, then the entry is refused in words', () => {
    const decision = risk.validateEntry(proposal({ leverage: 1, stopLossRange: [0.05, 0.05] }), small, marketSpec({ minNotional: 5 }));
    expect(rejectionOf(decision)).toMatch(/a position of \$7\.90 would need a 31\.\d\d% price move to net the \$2\.50 minimum profit after fees \(at most 15\.00%\)/);
  });

  it('refuses at a 15.01% move and accepts at 14.99%', () => {
    const entry = proposal({ leverage: 1, stopLossRange: [0.05, 0.05] });
    const free = new RiskManager(DEFAULT_RISK, DEFAULT_COSTS, 0).validateEntry(entry, flatAccount, market);
    if (!free.approved) throw new Error(free.reasons.join('; '));
    const { quantity } = free.plan;
    const { takerFeeRate: fee, slippageBps } = DEFAULT_COSTS;
    // What closing nets after a move of `move` from 100: the exit slips 5 bps, both fills pay the taker fee.
    const netAfter = (move: number): number => {
      const exit = slippedPrice('sell', 100 * (1 + move), slippageBps);
      return grossPnl('long', 100, exit, quantity) - tradingFee(100, quantity, fee) - tradingFee(exit, quantity, fee);
    };

    expect(new RiskManager(DEFAULT_RISK, DEFAULT_COSTS, netAfter(0.1499)).validateEntry(entry, flatAccount, market).approved).toBe(true);
    expect(rejectionOf(new RiskManager(DEFAULT_RISK, DEFAULT_COSTS, netAfter(0.1501)).validateEntry(entry, flatAccount, market))).toContain(
      'would need a 15.01% price move',
    );
  });
});

describe('the target and the minimum profit', () => {
  // POSITION_SIZING=atr_risk at 1% of a $150 account: $1.50 at risk at a 5% stop, so a small position.
  const atrRisk = new RiskManager(DEFAULT_RISK, DEFAULT_COSTS, MIN_PROFIT, { ...DEFAULT_SIZING, mode: 'atr_risk', riskPerTradePct: 0.01 });
  const account: AccountView = { capital: 150, available: 150, activePositions: [], entryBlocks: [] };
  const netAtTarget = (plan: EntryPlan, fill: number): number =>
    valuePosition(position({ side: plan.side, quantity: plan.quantity, entryPrice: fill, entryFee: tradingFee(fill, plan.quantity, DEFAULT_COSTS.takerFeeRate) }), plan.takeProfitPrice ?? NaN, DEFAULT_COSTS).netPnl;

  it('when the analysts\' target (1.5R) would book less than $2.50 on a small position, then the target moves out to where it books $2.50 from the worst fill', () => {
    for (const side of ['long', 'short'] as const) {
      const decision = atrRisk.validateEntry(proposal({ side, stopLossRange: [0.05, 0.05], takeProfitPct: 0.075 }), account, market);
      if (!decision.approved) throw new Error(decision.reasons.join('; '));
      const { plan } = decision;
      const worstFill = side === 'long' ? plan.sizedWith.fills.high : plan.sizedWith.fills.low;

      expect(Math.abs(plan.takeProfitPrice! - 100)).toBeGreaterThan(7.5);
      expect(netAtTarget(plan, worstFill)).toBeGreaterThanOrEqual(MIN_PROFIT - 1e-9);
      // No farther than the tick the floor is rounded onto.
      expect(netAtTarget(plan, worstFill)).toBeLessThan(MIN_PROFIT + market.tickSize * plan.quantity);
    }
  });

  it('when the analysts\' target books more than $2.50, then it stays where they put it', () => {
    const decision = risk.validateEntry(proposal({ takeProfitPct: 0.12 }), flatAccount, market);
    if (!decision.approved) throw new Error(decision.reasons.join('; '));

    expect(decision.plan.takeProfitPrice).toBe(112);
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
  it('posts at most 80% of available capital as margin, even filled at the worst price the entry accepts', () => {
    // 1x, 5% stop: the loss cap is far away. The entry may fill 5 bps above 100, at its limit of 100.05:
    // 80 / 100.05 = 0.79960 → 0.799 ETH on the 0.001 lot, whose margin there is 79.94.
    const decision = risk.validateEntry(proposal({ leverage: 1, stopLossRange: [0.05, 0.05] }), flatAccount, market);
    expect(decision.approved).toBe(true);
    if (!decision.approved) return;
    expect(decision.plan.limitPrice).toBe(100.05);
    expect(decision.plan.quantity).toBe(0.799);
    expect(decision.plan.quantity * decision.plan.limitPrice).toBeLessThanOrEqual(80);
  });

  it('when the entry fills at its limit, then the margin is still at most 80% of available (sized on the slipped price)', () => {
    // Sized on the price before slippage, 0.8 ETH would post 80 x 100.05 / 100 = 80.04 at the slipped fill.
    const decision = risk.validateEntry(proposal({ leverage: 1, stopLossRange: [0.05, 0.05] }), flatAccount, market);
    if (!decision.approved) throw new Error(decision.reasons.join('; '));
    const worstFill = slippedPrice('buy', 100, DEFAULT_COSTS.slippageBps);
    expect((decision.plan.quantity * worstFill) / 1).toBeLessThanOrEqual(0.8 * flatAccount.available);
  });

  it('sizes down so the loss at the stop, both fees and the stop\u2019s slippage included, is at most 20% of capital', () => {
    // 5x at 80 margin = 400 notional; a 10% stop-out would lose about 40, twice the 20 cap. Filled at the limit
    // (100.05), a stop-out costs 10.14% of the notional (10% move, 5 bps slippage, 2 fees): 20 / 0.1014 / 100.05
    // = 1.9713 → 1.971 ETH.
    const decision = risk.validateEntry(proposal({ leverage: 5, stopLossRange: [0.1, 0.1] }), flatAccount, market);
    expect(decision.approved).toBe(true);
    if (!decision.approved) return;
    expect(decision.plan.quantity).toBe(1.971);
    expect(decision.plan.lossAtStop).toBeLessThanOrEqual(20);
    expect(decision.plan.lossAtStop).toBeGreaterThan(19.9);
  });

  it('when a stop-out is booked at the worst fill, then it loses at most 20% of capital, fees and slippage included', () => {
    const decision = risk.validateEntry(proposal({ leverage: 5, stopLossRange: [0.1, 0.1] }), flatAccount, market);
    if (!decision.approved) throw new Error(decision.reasons.join('; '));
    const { quantity } = decision.plan;
    const fill = slippedPrice('buy', 100, DEFAULT_COSTS.slippageBps);
    const stopFill = slippedPrice('sell', fill * 0.9, DEFAULT_COSTS.slippageBps);
    const fees = tradingFee(fill, quantity, DEFAULT_COSTS.takerFeeRate) + tradingFee(stopFill, quantity, DEFAULT_COSTS.takerFeeRate);
    expect(fees - grossPnl('long', fill, stopFill, quantity)).toBeLessThanOrEqual(20);
  });

  it('rejects a position below the exchange minimum before any order exists', () => {
    const small: AccountView = { ...flatAccount, capital: 20, available: 20 };
    const decision = risk.validateEntry(proposal({ leverage: 2, stopLossRange: [0.1, 0.1] }), small, marketSpec({ minNotional: 100 }));
    expect(rejectionOf(decision)).toContain('below the exchange minimum of $100.00');
  });
});

describe('a fill beyond its range, where no step of the price lies in the stop band', () => {
  // Steps of 0.5: a long filled at 9.46 needs a stop between 8.514 (10%) and 8.987 (5%), and no step lies there.
  const coarse = marketSpec({ tickSize: 0.5 });
  const sized = risk.validateEntry(proposal({ price: 10.5, leverage: 2, stopLossRange: [0.05, 0.1] }), flatAccount, coarse);
  const filledAt = (price: number) => {
    if (!sized.approved) throw new Error(rejectionOf(sized));
    const { plan } = sized;
    const { stopPrice } = positionAfterFill({ side: 'long', entryPrice: price, quantity: plan.quantity, leverage: plan.leverage, stopLossPct: plan.stopLossPct }, coarse, { band: DEFAULT_RISK, takerFeeRate: 0 });
    return { plan, fill: { side: 'long', price, quantity: plan.quantity, stopPrice } as const };
  };

  it('keeps none of it, cut with the plan or with the entry order\u2019s record, and says why', () => {
    const { plan, fill } = filledAt(9.46);
    expect(fill.stopPrice).toBe(9);
    expect(risk.noStopFits(fill, coarse)).toBe("at that price no stop on the exchange's price step of 0.5 lies between 5.00% and 10.00% from the fill");
    expect(risk.quantityWithinLimitsAtFill(plan, fill, coarse)).toBe(0);
    expect(risk.quantityWithinCheckedNotional(plan.checkedNotional, fill, coarse)).toBe(0);
  });

  it('keeps all of it a little higher, where a step lies in the band', () => {
    const { plan, fill } = filledAt(9.6);
    expect(fill.stopPrice).toBe(9);
    expect(risk.noStopFits(fill, coarse)).toBeUndefined();
    expect(risk.quantityWithinLimitsAtFill(plan, fill, coarse)).toBe(plan.quantity);
    expect(risk.quantityWithinCheckedNotional(plan.checkedNotional, fill, coarse)).toBe(plan.quantity);
  });

  it('after a restart under a minimum stop raised since the entry, the fill is kept: the band still holds ticks', () => {
    const raised = new RiskManager({ ...DEFAULT_RISK, minStopLossPct: 0.06 }, DEFAULT_COSTS, MIN_PROFIT);
    const fill = { side: 'short', price: 100, quantity: 0.2, stopPrice: 105 } as const;
    expect(raised.noStopFits(fill, market)).toBeUndefined();
    expect(raised.quantityWithinCheckedNotional(20.1, fill, market)).toBe(0.2);
  });
});

describe('liquidation', () => {
  it('rejects when liquidation would be closer than 10% to entry', () => {
    // 5x with a 12% maintenance rate: liquidation at 100 x 0.8 / 0.88 = 90.91, only 9.09% away.
    const decision = risk.validateEntry(proposal(), flatAccount, marketSpec({ maintenanceMarginRate: 0.12 }));
    expect(rejectionOf(decision)).toContain('from entry (minimum 10.00%)');
  });

  it('rejects when the stop is not far enough on the safe side of liquidation', () => {
    const strict = new RiskManager({ ...DEFAULT_RISK, liquidationBufferPct: 0.12 }, DEFAULT_COSTS, MIN_PROFIT);
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

describe('leverage brackets', () => {
  const richAccount: AccountView = { capital: 100_000, available: 100_000, activePositions: [], entryBlocks: [] };
  const approvedPlan = (decision: ReturnType<RiskManager['validateEntry']>) => {
    if (!decision.approved) throw new Error(`expected approval: ${decision.reasons.join('; ')}`);
    return decision.plan;
  };

  it('when the venue\u2019s table is unknown, then a large account is sized inside the first bracket, at the worst fill', () => {
    const plan = approvedPlan(risk.validateEntry(proposal(), richAccount, market));
    const worstFill = plan.limitPrice ?? plan.entryPrice;
    expect(plan.quantity * worstFill).toBeLessThan(UNKNOWN_FIRST_BRACKET_CAP);
    expect(plan.quantity * worstFill).toBeGreaterThan(UNKNOWN_FIRST_BRACKET_CAP - 1);
  });

  it('when the table is known, then the position grows into larger brackets, with liquidation from its own bracket', () => {
    const brackets = bracketsFromRates([[0, 0.005], [10_000, 0.01], [1_000_000, 0.05]]);
    const known = marketSpec({ brackets });
    const plan = approvedPlan(risk.validateEntry(proposal(), richAccount, known));
    expect(plan.notional).toBeGreaterThan(10_000);
    const ownBracket = liquidationPrice({ side: 'long', entryPrice: plan.entryPrice, quantity: plan.quantity, margin: plan.margin, maintenanceMarginRate: 0.01, maintenanceAmount: 50 });
    expect(plan.liquidationPrice).toBeCloseTo(ownBracket, 9);
  });

  it('when a partial fill in the first bracket would have liquidation nearer than the minimum, then the entry is refused, though the whole position\u2019s is far enough', () => {
    // At 2x the whole position (about $728, second bracket, maintenance amount $25) is liquidated 50.9% away; a fill
    // of a single contract (first bracket, no maintenance amount) 49.95% away. A fast-check counterexample.
    const brackets = bracketsFromRates([[0, 0.001], [500, 0.051]]);
    const ada = marketSpec({ symbol: 'ADA/USDT:USDT', tickSize: 0.0001, amountStep: 1, minAmount: 1, minNotional: 5, brackets });
    const strict = new RiskManager({ ...DEFAULT_RISK, minLiquidationDistancePct: 0.5, minStopLossPct: 0.02, maxStopLossPct: 0.04 }, DEFAULT_COSTS, MIN_PROFIT);
    const account = { ...flatAccount, capital: 640, available: 455 };

    const decision = strict.validateEntry(proposal({ symbol: 'ADA/USDT:USDT', price: 0.1165, leverage: 2, stopLossRange: [0.03, 0.03] }), account, ada);

    expect(rejectionOf(decision)).toContain('liquidation would be only 49.95% from entry (minimum 50.00%)');
  });

  it('when a larger bracket does not allow the leverage, then the position stops below that bracket\u2019s floor', () => {
    const brackets = bracketsFromRates([[0, 0.005], [10_000, 0.01], [50_000, 0.02]], [100, 50, 4]);
    const plan = approvedPlan(risk.validateEntry(proposal({ leverage: 5 }), richAccount, marketSpec({ brackets })));
    expect(plan.quantity * (plan.limitPrice ?? plan.entryPrice)).toBeLessThan(50_000);
    expect(plan.quantity * (plan.limitPrice ?? plan.entryPrice)).toBeGreaterThan(49_000);
  });
});
