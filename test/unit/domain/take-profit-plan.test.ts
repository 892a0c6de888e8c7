import { describe, expect, it } from 'vitest';
import { priceForNetPnl, valuePosition } from '../../../src/domain/exit-rules.js';
import {
  breakEvenStopPrice,
  parseTakeProfitLadder,
  planLadder,
  stepNetPnl,
  trailingStopLevel,
  type LadderTerms,
  type TrailingTerms,
} from '../../../src/domain/take-profit-plan.js';
import { DEFAULT_COSTS } from '../../../src/domain/settings.js';
import { position } from '../../support/factories.js';

describe('parsing the take-profit ladder', () => {
  it('when the ladder is given in R multiples, then each step keeps its share and distance in order', () => {
    expect(parseTakeProfitLadder('0.5@1R, 0.25@2r')).toEqual({
      ok: true,
      steps: [
        { share: 0.5, distance: { unit: 'r', value: 1 } },
        { share: 0.25, distance: { unit: 'r', value: 2 } },
      ],
    });
  });

  it('when the ladder is given in percent of price, then the distance is a fraction', () => {
    expect(parseTakeProfitLadder('0.5@3%')).toEqual({ ok: true, steps: [{ share: 0.5, distance: { unit: 'pct', value: 0.03 } }] });
  });

  it('when the text is empty, then there is no ladder', () => {
    expect(parseTakeProfitLadder('  ')).toEqual({ ok: true, steps: [] });
  });

  it('when the shares add up to exactly 1, then it is accepted; a hair more is refused with the sum named', () => {
    expect(parseTakeProfitLadder('0.5@1R,0.5@2R').ok).toBe(true);
    expect(parseTakeProfitLadder('0.5@1R,0.51@2R')).toEqual({ ok: false, error: 'the shares add up to 1.01, more than the whole position' });
  });

  it.each([
    ['0.5', 'step "0.5" is not share@distance, like 0.5@1R or 0.5@3%'],
    ['0@1R', 'step "0@1R": the share must be above 0 and at most 1'],
    ['1.5@1R', 'step "1.5@1R": the share must be above 0 and at most 1'],
    ['0.5@0R', 'step "0.5@0R": the distance must be above 0'],
    ['0.2@1R,0.2@2%', 'all steps must use the same unit (R or %)'],
    ['0.2@2R,0.2@2R', 'each step must lie further from the entry than the one before'],
    ['-0.5@1R', 'step "-0.5@1R" is not share@distance, like 0.5@1R or 0.5@3%'],
  ])('when the ladder is %s, then it is refused: %s', (text, error) => {
    expect(parseTakeProfitLadder(text)).toEqual({ ok: false, error });
  });
});

// 1 long at 100 with the stop at 95 (R = 5), a 0.001 lot and a 0.01 tick.
const long = { side: 'long' as const, entryPrice: 100, quantity: 1, stopPrice: 95, entryFee: 0.05 };
const terms: LadderTerms = { lotSize: 0.001, minQuantity: 0.001, tickSize: 0.01, minProfitUsd: 0, costs: DEFAULT_COSTS };

describe('planning the ladder for a filled position', () => {
  it('when a step is 0.5 at 1R on a long, then it closes half at entry + R, on the tick', () => {
    const plan = planLadder(long, [{ share: 0.5, distance: { unit: 'r', value: 1 } }], terms);
    expect(plan.steps).toEqual([{ index: 0, quantity: 0.5, triggerPrice: 105, netPnl: expect.any(Number) }]);
    expect(plan.skipped).toEqual([]);
  });

  it('when a short steps at 3%, then the target lies below the entry, rounded away from it', () => {
    const short = { ...long, side: 'short' as const, stopPrice: 105, entryPrice: 100.005 };
    const plan = planLadder(short, [{ share: 0.5, distance: { unit: 'pct', value: 0.03 } }], terms);
    expect(plan.steps[0]?.triggerPrice).toBe(97);
  });

  it('when a share is not a whole number of lots, then it is rounded down (never closes more than its share)', () => {
    const plan = planLadder({ ...long, quantity: 0.007, entryFee: 0 }, [{ share: 0.5, distance: { unit: 'r', value: 1 } }], terms);
    expect(plan.steps[0]?.quantity).toBe(0.003);
  });

  it('when the shares add up to the whole position, then one lot is always left to the stop and the final target', () => {
    const plan = planLadder(long, [
      { share: 0.5, distance: { unit: 'r', value: 1 } },
      { share: 0.5, distance: { unit: 'r', value: 2 } },
    ], terms);
    expect(plan.steps.map((step) => step.quantity)).toEqual([0.5, 0.499]);
  });

  it('when the venue\u2019s minimum order is above its lot, then the steps leave at least that minimum to the stop and the final target', () => {
    const plan = planLadder(long, [
      { share: 0.5, distance: { unit: 'r', value: 1 } },
      { share: 0.45, distance: { unit: 'r', value: 2 } },
    ], { ...terms, lotSize: 0.01, minQuantity: 0.1 });
    // 0.45 would leave 0.05, an order the venue refuses (a re-armed stop, a close): the second step takes 0.4.
    expect(plan.steps.map((step) => step.quantity)).toEqual([0.5, 0.4]);
  });

  it('when a share is below the minimum quantity, then the step is skipped with the reason', () => {
    const plan = planLadder({ ...long, quantity: 0.001 }, [{ share: 0.5, distance: { unit: 'r', value: 1 } }], terms);
    expect(plan.steps).toEqual([]);
    expect(plan.skipped[0]?.reason).toMatch(/minimum quantity/);
  });

  it('when a step would book exactly the minimum profit, then it is placed; a cent above the step profit, skipped', () => {
    const step = [{ share: 0.5, distance: { unit: 'r' as const, value: 1 } }];
    const net = stepNetPnl(long, 0.5, 105, DEFAULT_COSTS);
    expect(planLadder(long, step, { ...terms, minProfitUsd: net }).steps).toHaveLength(1);
    const skipped = planLadder(long, step, { ...terms, minProfitUsd: net + 0.01 });
    expect(skipped.steps).toEqual([]);
    expect(skipped.skipped[0]?.reason).toMatch(/below the minimum profit/);
  });

  it('a step net profit counts its share of the entry fee, the exit fee and slippage', () => {
    const fill = 105 * (1 - DEFAULT_COSTS.slippageBps / 10_000);
    expect(stepNetPnl(long, 0.5, 105, DEFAULT_COSTS)).toBeCloseTo((fill - 100) * 0.5 - 0.025 - fill * 0.5 * DEFAULT_COSTS.takerFeeRate, 10);
  });
});

describe('the break-even stop after the first step', () => {
  // ETH long 1.0 at 3000 (entry fee $1.50); step 1 closed 0.5 at 3009.8 for $2.65; the rest is 0.5 with its $0.75 share.
  const whole = position({ quantity: 1, entryPrice: 3000, entryFee: 1.5, stopPrice: 2850 });
  const stepTaken = stepNetPnl(whole, 0.5, 3009.8, DEFAULT_COSTS);
  const rest = { ...whole, quantity: 0.5, entryFee: 0.75 };

  it('when the remaining quantity closes at the break-even stop, then it books no loss, fees and slippage included', () => {
    const price = breakEvenStopPrice(rest, 0, DEFAULT_COSTS, 0.01);
    expect(price).toBe(3004.51);
    expect(valuePosition(rest, price, DEFAULT_COSTS).netPnl).toBeGreaterThanOrEqual(0);
    expect(valuePosition(rest, price - 0.01, DEFAULT_COSTS).netPnl).toBeLessThan(0);
  });

  it('for a short, the break-even stop lies below the entry', () => {
    const short = { ...rest, side: 'short' as const, stopPrice: 3150 };
    const price = breakEvenStopPrice(short, 0, DEFAULT_COSTS, 0.01);
    expect(price).toBe(2995.5);
    expect(valuePosition(short, price, DEFAULT_COSTS).netPnl).toBeGreaterThanOrEqual(0);
    expect(valuePosition(short, price + 0.01, DEFAULT_COSTS).netPnl).toBeLessThan(0);
  });

  it('when the position paid $2.70 funding, then the stop covers it: the whole trade keeps the step\'s $2.65, where fees alone (3004.51) would book -$0.05', () => {
    const paid = { ...rest, funding: -2.7 };
    const price = breakEvenStopPrice(paid, stepTaken, DEFAULT_COSTS, 0.01);
    expect(stepTaken).toBeCloseTo(2.645476, 6);
    expect(price).toBe(3009.91);
    expect(stepTaken + valuePosition(paid, 3004.51, DEFAULT_COSTS).netPnl).toBeCloseTo(-0.051403, 6);
    expect(valuePosition(paid, price, DEFAULT_COSTS).netPnl).toBeGreaterThanOrEqual(0);
    expect(valuePosition(paid, price - 0.01, DEFAULT_COSTS).netPnl).toBeLessThan(0);
  });

  it('when the position received funding, then the stop may lie nearer the entry by what it received', () => {
    const received = { ...rest, funding: 1 };
    const price = breakEvenStopPrice(received, stepTaken, DEFAULT_COSTS, 0.01);
    expect(price).toBe(3002.51);
    expect(valuePosition(received, price - 0.01, DEFAULT_COSTS).netPnl).toBeLessThan(0);
  });

  it('when a part closed earlier at a $3 loss, then the rest must win it back: the whole trade books no loss at the stop, a tick lower it would', () => {
    const price = breakEvenStopPrice(rest, -3, DEFAULT_COSTS, 0.01);
    expect(price).toBe(3010.51);
    expect(valuePosition(rest, price, DEFAULT_COSTS).netPnl - 3).toBeGreaterThanOrEqual(0);
    expect(valuePosition(rest, price - 0.01, DEFAULT_COSTS).netPnl - 3).toBeLessThan(0);
  });

  it('when the closed parts booked a profit, then the stop is not loosened by it: the rest still books no loss on its own', () => {
    expect(breakEvenStopPrice(rest, stepTaken, DEFAULT_COSTS, 0.01)).toBe(3004.51);
  });
});

describe('the trailing stop level', () => {
  const trail: TrailingTerms = { trailPct: 0.02, activationPct: 0.03, minStepPct: 0.001, tickSize: 0.01, minMarkDistancePct: 0.001, minProfitPrice: 100.2 };

  it('when the best price is just short of the activation, then the stop does not trail', () => {
    expect(trailingStopLevel('long', 100, 102.99, 95, 102.99, trail)).toBeUndefined();
  });

  it('when the best price reaches the activation, then the stop moves to the trail below it, on the tick, down', () => {
    expect(trailingStopLevel('long', 100, 103, 95, 103, trail)).toBe(100.94);
  });

  it('when the move would be smaller than the minimum step, then the stop stays', () => {
    expect(trailingStopLevel('long', 100, 103.05, 100.94, 103.05, trail)).toBeUndefined();
    expect(trailingStopLevel('long', 100, 103.2, 100.94, 103.2, trail)).toBe(101.13);
  });

  it('when the price falls back, then the stop never loosens', () => {
    expect(trailingStopLevel('long', 100, 103, 101.5, 102, trail)).toBeUndefined();
  });

  it('when the trail would lie closer to the mark than the venue allows, then it is held that far away', () => {
    const tight = { ...trail, trailPct: 0.0001 };
    expect(trailingStopLevel('long', 100, 104, 95, 104, tight)).toBe(103.89);
  });

  it('when the trailed stop would close inside the protected band, then it does not move', () => {
    const band = { ...trail, minProfitPrice: 101 };
    expect(trailingStopLevel('long', 100, 103, 95, 103, band)).toBeUndefined();
    expect(trailingStopLevel('long', 100, 103.07, 95, 103.07, band)).toBe(101.0);
  });

  it('for a short, the stop trails above the best price and moves down only', () => {
    const short = { ...trail, minProfitPrice: 99.8 };
    expect(trailingStopLevel('short', 100, 97, 105, 97, short)).toBe(98.94);
    expect(trailingStopLevel('short', 100, 97, 98.5, 97.5, short)).toBeUndefined();
  });

  it('the minimum-profit price used for the band is the one exit rules use', () => {
    const subject = position({ entryPrice: 100, quantity: 1, entryFee: 0.05, funding: 0 });
    expect(priceForNetPnl(subject, 0, DEFAULT_COSTS)).toBeCloseTo(breakEvenStopPrice(subject, 0, DEFAULT_COSTS, 1e-8), 6);
  });
});
