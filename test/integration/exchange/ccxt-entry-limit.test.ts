// The entry as an immediate-or-cancel limit order, through real ccxt against the fake Binance USDⓈ-M venue: it fills
// at the book price within its limit, expires when the price is beyond it, and a partial fill is a smaller position.
import { afterEach, describe, expect, it } from 'vitest';
import { BTC, type Harness, startHarness } from './ccxt-harness.js';

let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function ready(price: number, options: Parameters<typeof startHarness>[1] = {}): Promise<Harness> {
  harness = await startHarness({}, options);
  harness.venue.setPrice('BTCUSDT', price);
  await harness.exchange.setLeverage(BTC, 5, 'isolated');
  return harness;
}

describe('immediate-or-cancel entries (real ccxt, fake venue)', () => {
  it('when the price has moved past the limit, then the entry expires with nothing filled and no position', async () => {
    const { venue, exchange } = await ready(100_100);

    const entry = await exchange.placeEntry({ clientOrderId: 'ioc-1', symbol: BTC, side: 'long', quantity: 0.01, limitPrice: 100_050 });

    expect(entry).toMatchObject({ clientOrderId: 'ioc-1', status: 'expired', filledQuantity: 0, quantity: 0.01 });
    expect(entry.averagePrice).toBeUndefined();
    expect(await exchange.positions()).toEqual([]);
    expect(venue.book.trades).toEqual([]);
    expect(await exchange.findOrder('ioc-1', BTC)).toMatchObject({ status: 'expired', filledQuantity: 0 });
  });

  it('when the book holds less than the order, then the rest expires and the part filled is the position', async () => {
    const { venue, exchange } = await ready(100_000);
    venue.setBookDepth('BTCUSDT', 0.004);

    const entry = await exchange.placeEntry({ clientOrderId: 'ioc-2', symbol: BTC, side: 'long', quantity: 0.01, limitPrice: 100_050 });

    // Binance reports an IOC that filled in part as EXPIRED, with the part filled in executedQty.
    expect(entry).toMatchObject({ status: 'expired', filledQuantity: 0.004, averagePrice: 100_000 });
    expect((await exchange.positions()).map((p) => [p.side, p.quantity, p.entryPrice])).toEqual([['long', 0.004, 100_000]]);
  });

  it('when a short\u2019s limit is off the tick, then it rounds up (never a lower sale than allowed) and fills at the book', async () => {
    const { venue, exchange } = await ready(100_000);

    const entry = await exchange.placeEntry({ clientOrderId: 'ioc-3', symbol: BTC, side: 'short', quantity: 0.01, limitPrice: 99_949.93 });

    const [request] = venue.requestsTo('/fapi/v1/order', 'POST');
    expect(request?.params).toMatchObject({ side: 'SELL', type: 'LIMIT', timeInForce: 'IOC' });
    expect(Number(request?.params['price'])).toBe(99_950);
    expect(entry).toMatchObject({ status: 'filled', filledQuantity: 0.01, averagePrice: 100_000 });
  });

  it('when an expired entry\u2019s answer lags, then the look-up by client id settles it without waiting for the answer', async () => {
    const { venue, exchange, logger } = await ready(100_100, { timeoutMs: 5_000, entryLookUpAfterMs: 100 });
    venue.delayNext({ path: '/fapi/v1/order', method: 'POST', ms: 3_000 });

    const entry = await exchange.placeEntry({ clientOrderId: 'ioc-4', symbol: BTC, side: 'long', quantity: 0.01, limitPrice: 100_050 });

    expect(entry).toMatchObject({ status: 'expired', filledQuantity: 0 });
    expect(venue.requestsTo('/fapi/v1/order', 'POST')).toHaveLength(1);
    expect(venue.requestsTo('/fapi/v1/order', 'GET').map((r) => r.params['origClientOrderId'])).toContain('ioc-4');
    expect(logger.lines.some((line) => line.message === 'entry answer is late; it was found expired by client id')).toBe(true);
  });

  it('when the limit is not a positive price, then nothing is sent', async () => {
    const { venue, exchange } = await ready(100_000);

    await expect(exchange.placeEntry({ clientOrderId: 'ioc-5', symbol: BTC, side: 'long', quantity: 0.01, limitPrice: 0 })).rejects.toThrow(
      /limit price must be positive/,
    );
    expect(venue.requestsTo('/fapi/v1/order', 'POST')).toEqual([]);
  });
});
