import { describe, expect, it } from 'vitest';
import type { ExitVote } from '../../../src/domain/analysis.js';
import { evaluateExit, isDiscretionaryExit, priceForNetPnl, takeProfitTrigger, valuePosition } from '../../../src/domain/exit-rules.js';
import { DEFAULT_COSTS, DEFAULT_EXIT, type ExitSettings } from '../../../src/domain/settings.js';
import { NO_USAGE, position } from '../../support/factories.js';

const now = new Date('2025-10-01T06:00:00Z');
// 4 units long at 100, 5x: margin 80, liquidation ~80.4, stop at 95.
const open = position({ quantity: 4, entryPrice: 100, margin: 80, entryFee: 0.2, stopPrice: 95, liquidationPrice: 80.4 });

const exitSignal = (overrides: Partial<ExitVote> = {}): ExitVote => ({
  analyst: 'claude',
  outcome: 'valid',
  shouldExit: true,
  confidence: 0.9,
  reason: 'momentum fading',
  usage: NO_USAGE,
  ...overrides,
});

function decideAt(price: number, vote?: ExitVote, settings: ExitSettings = DEFAULT_EXIT, subject = open) {
  return evaluateExit(subject, { price, markPrice: price, now }, vote, settings, DEFAULT_COSTS);
}

describe('liquidation distance', () => {
  it('when the mark price is 4.9% from liquidation, then the position is closed at once', () => {
    const mark = open.liquidationPrice / (1 - 0.049);
    expect(decideAt(mark)).toMatchObject({ action: 'close', reason: 'liquidation_risk' });
  });

  it('when it is 5.1% away, then the liquidation rule does not fire', () => {
    const stopFree = position({ ...open, stopPrice: 10 });
    const mark = open.liquidationPrice / (1 - 0.051);
    expect(decideAt(mark, undefined, DEFAULT_EXIT, stopFree)).toEqual({ action: 'hold' });
  });
});

describe('stop-loss', () => {
  it('closes when the price touches the stop', () => {
    expect(decideAt(95)).toMatchObject({ action: 'close', reason: 'stop_loss' });
  });

  it('holds a cent above it', () => {
    expect(decideAt(95.01)).toEqual({ action: 'hold' });
  });
});

describe('profit rules and the AI exit opinion', () => {
  it('net profit is gross minus both fees minus slippage plus funding', () => {
    // Exit fill 105 x (1 - 0.0005) = 104.9475; gross (104.9475 - 100) x 4 = 19.79; exit fee 104.9475 x 4 x 0.0005 = 0.209895.
    const value = valuePosition(open, 105, DEFAULT_COSTS);
    expect(value.netPnl).toBeCloseTo(19.79 - 0.2 - 0.209895, 9);
  });

  it('when net profit is $2.49 and the AI says exit, then the position is held', () => {
    const price = priceForNetPnl(open, 2.49, DEFAULT_COSTS);
    expect(valuePosition(open, price, DEFAULT_COSTS).netPnl).toBeCloseTo(2.49, 9);
    expect(decideAt(price, exitSignal())).toEqual({ action: 'hold' });
  });

  it('when net profit is $2.51 and the AI says exit, then the position is closed by the AI exit', () => {
    const price = priceForNetPnl(open, 2.51, DEFAULT_COSTS);
    expect(decideAt(price, exitSignal())).toMatchObject({ action: 'close', reason: 'ai_exit' });
  });

  it('when the position is losing and the AI says exit, then it is closed', () => {
    expect(decideAt(98, exitSignal())).toMatchObject({ action: 'close', reason: 'ai_exit' });
  });

  it('when a take-profit step already took $3 and the rest is $1 down, then the AI exit waits (the trade is a $2 winner); $4 down, it closes', () => {
    const oneDown = priceForNetPnl(open, -1, DEFAULT_COSTS);
    const fourDown = priceForNetPnl(open, -4, DEFAULT_COSTS);
    expect(evaluateExit(open, { price: oneDown, markPrice: oneDown, now }, exitSignal(), DEFAULT_EXIT, DEFAULT_COSTS, 3)).toEqual({ action: 'hold' });
    expect(evaluateExit(open, { price: fourDown, markPrice: fourDown, now }, exitSignal(), DEFAULT_EXIT, DEFAULT_COSTS, 3)).toMatchObject({ action: 'close', reason: 'ai_exit' });
  });

  it('ignores an exit opinion below the confidence threshold or one that was rejected', () => {
    expect(decideAt(98, exitSignal({ confidence: 0.6 }))).toEqual({ action: 'hold' });
    expect(decideAt(98, exitSignal({ outcome: 'rejected' }))).toEqual({ action: 'hold' });
  });

  it('takes profit at twice the minimum profit', () => {
    const price = priceForNetPnl(open, 5.0, DEFAULT_COSTS);
    expect(decideAt(price)).toMatchObject({ action: 'close', reason: 'take_profit' });
    expect(decideAt(priceForNetPnl(open, 4.99, DEFAULT_COSTS))).toEqual({ action: 'hold' });
  });

  it('takes profit above the minimum once price is 2% beyond the min-profit price', () => {
    // A small position (1 unit) so 2% beyond the min-profit price is still under twice the minimum.
    const small = position({ quantity: 1, entryPrice: 100, margin: 20, entryFee: 0.05, stopPrice: 95, liquidationPrice: 80.4 });
    const minProfitPrice = priceForNetPnl(small, DEFAULT_EXIT.minProfitUsd, DEFAULT_COSTS);
    const justShort = evaluateExit(small, { price: minProfitPrice * 1.0199, markPrice: minProfitPrice * 1.0199, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS);
    const beyond = evaluateExit(small, { price: minProfitPrice * 1.02, markPrice: minProfitPrice * 1.02, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS);
    expect(justShort).toEqual({ action: 'hold' });
    expect(beyond).toMatchObject({ action: 'close', reason: 'take_profit' });
    expect(valuePosition(small, minProfitPrice * 1.02, DEFAULT_COSTS).netPnl).toBeLessThan(5);
  });

  it('when a part closed $8 down and the rest nets $7.74, then no take-profit closes the rest: the trade is a $0.26 loser', () => {
    const price = priceForNetPnl(open, 7.74, DEFAULT_COSTS);
    expect(evaluateExit(open, { price, markPrice: price, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS, -8)).toEqual({ action: 'hold' });
  });

  it('when a step took $3, then the rest is not closed sooner for it: twice the minimum is still the rest\'s own $5.00', () => {
    const two = priceForNetPnl(open, 2, DEFAULT_COSTS);
    expect(evaluateExit(open, { price: two, markPrice: two, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS, 3)).toEqual({ action: 'hold' });
    const five = priceForNetPnl(open, 5, DEFAULT_COSTS);
    expect(evaluateExit(open, { price: five, markPrice: five, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS, 3)).toEqual({
      action: 'close',
      reason: 'take_profit',
      detail: 'net profit $5.00 reached 2x the minimum',
    });
  });

  it('when a part closed $1 down, then "2% beyond" is measured from the price where the whole trade books the minimum', () => {
    const small = position({ quantity: 1, entryPrice: 100, margin: 20, entryFee: 0.05, stopPrice: 95, liquidationPrice: 80.4 });
    // The rest must book $3.50 for the trade to book $2.50.
    const minProfitPrice = priceForNetPnl(small, DEFAULT_EXIT.minProfitUsd + 1, DEFAULT_COSTS);
    const at = (price: number) => evaluateExit(small, { price, markPrice: price, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS, -1);
    expect(at(minProfitPrice * 1.0199)).toEqual({ action: 'hold' });
    expect(at(minProfitPrice * 1.02)).toEqual({ action: 'close', reason: 'take_profit', detail: 'price 2.00% beyond the min-profit price (net $4.57)' });
  });

  it('when a step of 0.75 took $2.55, then "2% beyond" is still measured from where the rest books the minimum on its own, as the venue\'s orders are', () => {
    const rest = position({ quantity: 0.25, entryPrice: 100, margin: 5, entryFee: 0.0125, stopPrice: 95, liquidationPrice: 80.4 });
    // At 103.4 the trade nets about $3.36; the whole trade's price for $2.50 lies near the entry, the rest's own at 110.
    expect(priceForNetPnl(rest, DEFAULT_EXIT.minProfitUsd - 2.55, DEFAULT_COSTS) * 1.02).toBeLessThan(103.4);
    expect(evaluateExit(rest, { price: 103.4, markPrice: 103.4, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS, 2.55)).toEqual({ action: 'hold' });
  });
});

describe('optional exits (off by default)', () => {
  it('the time exit closes a losing position after the holding limit but never one in the protected band', () => {
    const settings = { ...DEFAULT_EXIT, maxHoldingMs: 60 * 60_000 };
    expect(decideAt(98, undefined, settings)).toMatchObject({ action: 'close', reason: 'time_exit' });
    expect(decideAt(priceForNetPnl(open, 1, DEFAULT_COSTS), undefined, settings)).toEqual({ action: 'hold' });
    expect(decideAt(98)).toEqual({ action: 'hold' });
  });

  it('when the time exit fires, then its detail says how long the position was held and what the limit is', () => {
    const settings = { ...DEFAULT_EXIT, maxHoldingMs: 2 * 3_600_000 };
    const held = position({ ...open, openedAt: new Date(now.getTime() - 2.5 * 3_600_000) });
    expect(decideAt(98, undefined, settings, held)).toEqual({ action: 'close', reason: 'time_exit', detail: 'held 2.5 h, limit 2.0 h' });
    const young = position({ ...open, openedAt: new Date(now.getTime() - 2 * 3_600_000 + 1) });
    expect(decideAt(98, undefined, settings, young)).toEqual({ action: 'hold' });
  });

  it('the trailing stop closes after the price falls back from its best by the distance', () => {
    const settings = { ...DEFAULT_EXIT, trailingStopPct: 0.01, minProfitUsd: 0.5, takeProfitMultiple: 100, beyondMinProfitPct: 1 };
    const ran = position({ ...open, bestPrice: 104 });
    expect(evaluateExit(ran, { price: 102.9, markPrice: 102.9, now }, undefined, settings, DEFAULT_COSTS)).toMatchObject({ reason: 'trailing_stop' });
    expect(evaluateExit(ran, { price: 103.2, markPrice: 103.2, now }, undefined, settings, DEFAULT_COSTS)).toEqual({ action: 'hold' });
  });

  it('when the last price alone wicks down through the trail and the mark does not, then it holds, as the venue\u2019s stop would', () => {
    const settings = { ...DEFAULT_EXIT, trailingStopPct: 0.01, minProfitUsd: 0.5, takeProfitMultiple: 100, beyondMinProfitPct: 1 };
    const ran = position({ ...open, bestPrice: 104 });
    expect(evaluateExit(ran, { price: 102.5, markPrice: 103.5, now }, undefined, settings, DEFAULT_COSTS)).toEqual({ action: 'hold' });
    expect(evaluateExit(ran, { price: 103.5, markPrice: 102.9, now }, undefined, settings, DEFAULT_COSTS)).toMatchObject({ reason: 'trailing_stop' });
  });
});

describe('the trailing stop\'s activation', () => {
  const settings = { ...DEFAULT_EXIT, trailingStopPct: 0.01, minProfitUsd: 0.5, takeProfitMultiple: 100, beyondMinProfitPct: 1, trailingActivationPct: 0.04 };

  it('when the best price stayed short of the activation profit, then a fall back by the trail distance does not close', () => {
    const barely = position({ ...open, bestPrice: 103.99 });
    expect(evaluateExit(barely, { price: 102.5, markPrice: 102.5, now }, undefined, settings, DEFAULT_COSTS)).toEqual({ action: 'hold' });
  });

  it('when the best price reached the activation profit exactly, then the same fall back closes', () => {
    const reached = position({ ...open, bestPrice: 104 });
    expect(evaluateExit(reached, { price: 102.9, markPrice: 102.9, now }, undefined, settings, DEFAULT_COSTS)).toMatchObject({ reason: 'trailing_stop' });
  });
});

describe('shorts', () => {
  it('mirror every rule', () => {
    const short = position({ side: 'short', quantity: 4, entryPrice: 100, margin: 80, entryFee: 0.2, stopPrice: 105, liquidationPrice: 119.5 });
    expect(evaluateExit(short, { price: 105, markPrice: 105, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS)).toMatchObject({ reason: 'stop_loss' });
    const profitPrice = priceForNetPnl(short, 2.49, DEFAULT_COSTS);
    expect(profitPrice).toBeLessThan(100);
    expect(valuePosition(short, profitPrice, DEFAULT_COSTS).netPnl).toBeCloseTo(2.49, 9);
    expect(evaluateExit(short, { price: profitPrice, markPrice: profitPrice, now }, exitSignal(), DEFAULT_EXIT, DEFAULT_COSTS)).toEqual({ action: 'hold' });
  });
});

describe('which exits the minimum-profit band holds back', () => {
  it('the daemon\'s own choices are discretionary; protection and the owner\'s close are not', () => {
    expect((['take_profit', 'ai_exit', 'trailing_stop', 'time_exit'] as const).map(isDiscretionaryExit)).toEqual([true, true, true, true]);
    expect((['stop_loss', 'liquidation_risk', 'drawdown', 'stop_not_protected', 'manual', 'shutdown', 'entry_beyond_limits'] as const).map(isDiscretionaryExit)).toEqual([
      false, false, false, false, false, false, false,
    ]);
  });
});

describe('where a take-profit order rests', () => {
  it('at the target, away from the entry on the tick, when closing there books more than the minimum profit', () => {
    const long = position({ side: 'long', entryPrice: 100, quantity: 1, entryFee: 0.05 });
    const short = position({ side: 'short', entryPrice: 100, quantity: 1, entryFee: 0.05 });

    expect(takeProfitTrigger(long, 110.04, 2.5, DEFAULT_COSTS, 0.1)).toBeCloseTo(110.1, 9);
    expect(takeProfitTrigger(short, 89.96, 2.5, DEFAULT_COSTS, 0.1)).toBeCloseTo(89.9, 9);
  });

  it('farther out, where closing books the minimum profit, when the target would book less', () => {
    for (const side of ['long', 'short'] as const) {
      const held = position({ side, entryPrice: 100, quantity: 0.5, entryFee: 0.025, funding: -0.1 });
      const trigger = takeProfitTrigger(held, side === 'long' ? 101 : 99, 2.5, DEFAULT_COSTS, 0.01);

      expect(valuePosition(held, trigger, DEFAULT_COSTS).netPnl).toBeGreaterThanOrEqual(2.5 - 1e-9);
      expect(valuePosition(held, trigger, DEFAULT_COSTS).netPnl).toBeLessThan(2.5 + 0.01 * 0.5);
    }
  });
});

describe("the daemon's own stop check reads the mark, as the venue's stop does", () => {
  it('when only the last price wicks through a long\'s stop (the mark still above it), then the position is held', () => {
    expect(evaluateExit(open, { price: 94.5, markPrice: 96, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS)).toEqual({ action: 'hold' });
  });

  it('when only the last price wicks through a short\'s stop (the mark still below it), then the position is held', () => {
    const short = position({ side: 'short', quantity: 4, entryPrice: 100, margin: 80, entryFee: 0.2, stopPrice: 105, liquidationPrice: 119.6 });

    expect(evaluateExit(short, { price: 105.5, markPrice: 104, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS)).toEqual({ action: 'hold' });
  });

  it('when the mark reaches a long\'s stop while the last price is above it, then it closes', () => {
    expect(evaluateExit(open, { price: 95.5, markPrice: 95, now }, undefined, DEFAULT_EXIT, DEFAULT_COSTS)).toMatchObject({ action: 'close', reason: 'stop_loss' });
  });
});
