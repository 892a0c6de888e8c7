import { describe, expect, it } from 'vitest';
import { orderQuantity, stopTriggerPrice } from '../../../../../src/adapters/exchange/ccxt/order-sizing.js';
import type { MarketSpec } from '../../../../../src/domain/market.js';
import { RejectedError } from '../../../../../src/domain/errors.js';

const BTC: MarketSpec = {
  symbol: 'BTC/USDT:USDT',
  id: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.1,
  amountStep: 0.001,
  minAmount: 0.001,
  minNotional: 100,
  maintenanceMarginRate: 0.004,
  maintenanceAmount: 0,
  maxLeverage: 20,
};

describe('orderQuantity', () => {
  it('when the requested size is between lot steps, then it is rounded down, never up', () => {
    expect(orderQuantity(BTC, { operation: 'placeEntry', requested: 0.0129, referencePrice: 100_000, reduceOnly: false })).toBe(0.012);
  });

  it('when the size rounds below the minimum, then the order is refused with the minimum in the message', () => {
    const size = () => orderQuantity(BTC, { operation: 'placeEntry', requested: 0.0009, reduceOnly: false });

    expect(size).toThrow(RejectedError);
    expect(size).toThrow(/rounds down to 0, below the venue's minimum order size 0.001/);
  });

  it('when the order is worth 99.9 USDT against a 100 USDT minimum, then it is refused', () => {
    // 0.001 × 99 900 = 99.9 USDT.
    const size = () => orderQuantity(BTC, { operation: 'placeEntry', requested: 0.001, referencePrice: 99_900, reduceOnly: false });

    expect(size).toThrow(/order value 99.90 USDT .* below the venue's minimum of 100 USDT/);
  });

  it('when a reduce-only order is worth less than the minimum notional, then it still goes (the venue exempts it)', () => {
    expect(orderQuantity(BTC, { operation: 'closePosition', requested: 0.001, referencePrice: 50_000, reduceOnly: true })).toBe(0.001);
  });

  it('when the quantity is not a positive number, then it is refused', () => {
    expect(() => orderQuantity(BTC, { operation: 'placeEntry', requested: Number.NaN, reduceOnly: false })).toThrow(RejectedError);
    expect(() => orderQuantity(BTC, { operation: 'placeEntry', requested: -1, reduceOnly: false })).toThrow(RejectedError);
  });
});

describe('stopTriggerPrice', () => {
  it("when a long's stop falls between ticks, then it rounds up towards the price", () => {
    expect(stopTriggerPrice(BTC, 'long', 95_000.01)).toBe(95_000.1);
  });

  it("when a short's stop falls between ticks, then it rounds down towards the price", () => {
    expect(stopTriggerPrice(BTC, 'short', 105_000.09)).toBe(105_000);
  });

  it('when the stop is already on the tick grid, then it is unchanged', () => {
    expect(stopTriggerPrice(BTC, 'long', 95_000.3)).toBe(95_000.3);
  });
});
