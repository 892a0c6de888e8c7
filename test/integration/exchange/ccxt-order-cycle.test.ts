import { afterEach, describe, expect, it } from 'vitest';
import { liquidationPrice } from '../../../src/domain/money.js';
import { CcxtExchange } from '../../../src/adapters/exchange/ccxt/ccxt-exchange.js';
import { TEST_API_KEY, TEST_SECRET, venueClock } from '../../peers/binance-usdm/index.js';
import { BTC, type Harness, accountRequests, startHarness } from './ccxt-harness.js';

let harness: Harness | undefined;

/** A commission as the venue sends it: 8 decimals. */
const onWire = (amount: number | undefined): number => Number((amount ?? NaN).toFixed(8));

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('CcxtExchange against the fake Binance USDⓈ-M venue (real ccxt)', () => {
  it('when a long is opened, protected, listed, closed and its stop cancelled, then the venue sees exactly those requests', async () => {
    harness = await startHarness();
    const { venue, exchange } = harness;
    venue.setPrice('BTCUSDT', 100_000);

    await exchange.setLeverage(BTC, 5, 'isolated');
    const entry = await exchange.placeEntry({ clientOrderId: 'entry-1', symbol: BTC, side: 'long', quantity: 0.0109, limitPrice: 100_050.07 });
    const stop = await exchange.placeProtectiveStop({
      clientOrderId: 'stop-1',
      symbol: BTC,
      positionSide: 'long',
      quantity: 0.01,
      triggerPrice: 95_000.04,
    });
    const listed = await exchange.openOrders(BTC);
    const close = await exchange.closePosition({ clientOrderId: 'close-1', symbol: BTC, positionSide: 'long', quantity: 0.01 });
    await exchange.cancelOrder(stop.id, BTC);

    const requests = accountRequests(venue);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /fapi/v1/marginType',
      'POST /fapi/v1/leverage',
      'POST /fapi/v1/order',
      'POST /fapi/v1/algoOrder',
      'GET /fapi/v1/openOrders',
      'GET /fapi/v1/openAlgoOrders',
      'POST /fapi/v1/order',
      'DELETE /fapi/v1/algoOrder',
    ]);
    const [marginType, leverage, entryRequest, stopRequest, , , closeRequest, cancelRequest] = requests;
    expect(marginType?.params).toMatchObject({ symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    expect(leverage?.params).toMatchObject({ symbol: 'BTCUSDT', leverage: '5' });
    // 0.0109 rounds down to the 0.001 lot step; a buy's limit rounds down to the 0.1 tick, never above what was allowed.
    expect(entryRequest?.params).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', newClientOrderId: 'entry-1' });
    expect(Number(entryRequest?.params['quantity'])).toBe(0.01);
    expect(Number(entryRequest?.params['price'])).toBe(100_050);
    expect(entryRequest?.params['reduceOnly']).toBeUndefined();
    // A long's stop rounds up to the 0.1 tick: towards the price, never adding to the loss.
    expect(stopRequest?.params).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'STOP_MARKET',
      algoType: 'CONDITIONAL',
      workingType: 'MARK_PRICE',
      reduceOnly: 'true',
      clientAlgoId: 'stop-1',
    });
    expect(Number(stopRequest?.params['triggerPrice'])).toBe(95_000.1);
    expect(Number(stopRequest?.params['quantity'])).toBe(0.01);
    expect(closeRequest?.params).toMatchObject({ side: 'SELL', type: 'MARKET', reduceOnly: 'true', newClientOrderId: 'close-1' });
    expect(cancelRequest?.params).toMatchObject({ symbol: 'BTCUSDT', algoId: stop.id });

    expect(entry).toMatchObject({ clientOrderId: 'entry-1', side: 'buy', type: 'limit', status: 'filled', filledQuantity: 0.01 });
    expect(entry.averagePrice).toBe(100_000);
    expect(stop).toMatchObject({ clientOrderId: 'stop-1', type: 'stop_market', status: 'open', reduceOnly: true, triggerPrice: 95_000.1 });
    expect(listed.map((o) => o.clientOrderId)).toEqual(['stop-1']);
    expect(close).toMatchObject({ clientOrderId: 'close-1', side: 'sell', status: 'filled', reduceOnly: true });
    expect(await exchange.openOrders(BTC)).toEqual([]);
    expect(await exchange.positions()).toEqual([]);
  });

  it('when the mark price crosses the stop, then the position is closed reduce-only and both fills carry USDT fees', async () => {
    harness = await startHarness({ balance: 1_000, takerFeeRate: 0.0005 });
    const { venue, exchange } = harness;
    venue.setPrice('BTCUSDT', 100_000);
    const since = new Date(venue.now());
    await exchange.setLeverage(BTC, 5, 'isolated');
    await exchange.placeEntry({ clientOrderId: 'entry-2', symbol: BTC, side: 'long', quantity: 0.01 });
    await exchange.placeProtectiveStop({ clientOrderId: 'stop-2', symbol: BTC, positionSide: 'long', quantity: 0.01, triggerPrice: 95_000 });

    const [open] = await exchange.positions();
    // Isolated margin = notional / leverage; liquidation from the Binance formula with BTC's first-bracket rate.
    const margin = (0.01 * 100_000) / 5;
    expect(open).toMatchObject({ symbol: BTC, side: 'long', quantity: 0.01, entryPrice: 100_000, leverage: 5, margin });
    expect(open?.liquidationPrice).toBeCloseTo(
      liquidationPrice({ side: 'long', entryPrice: 100_000, quantity: 0.01, margin, maintenanceMarginRate: 0.004, maintenanceAmount: 0 }),
      4,
    );

    expect((await exchange.openOrders()).map((o) => o.clientOrderId)).toEqual(['stop-2']); // all symbols at once

    venue.setPrice('BTCUSDT', 94_000);

    expect(await exchange.positions()).toEqual([]);
    expect(await exchange.openOrders(BTC)).toEqual([]);
    const stop = await exchange.findOrder('stop-2', BTC);
    expect(stop).toMatchObject({ type: 'stop_market', status: 'filled', reduceOnly: true });
    const fills = await exchange.fills(BTC, since);
    expect(fills.map((f) => [f.side, f.price, f.quantity])).toEqual([
      ['buy', 100_000, 0.01],
      ['sell', 94_000, 0.01],
    ]);
    expect(fills[0]?.fee).toBeCloseTo(100_000 * 0.01 * 0.0005, 8);
    expect(fills[1]?.fee).toBeCloseTo(94_000 * 0.01 * 0.0005, 8);
    expect(fills[0]?.clientOrderId).toBe('entry-2');
  });

  it('when leverage is set again and the margin mode is already isolated (-4046), then the leverage still changes', async () => {
    harness = await startHarness();
    const { venue, exchange } = harness;
    await exchange.setLeverage(BTC, 5, 'isolated');

    await exchange.setLeverage(BTC, 3, 'isolated');

    expect(venue.requestsTo('/fapi/v1/marginType', 'POST')).toHaveLength(2);
    expect(venue.requestsTo('/fapi/v1/leverage', 'POST').map((r) => r.params['leverage'])).toEqual(['5', '3']);
    expect(venue.book.leverage.get('BTCUSDT')).toBe(3);
  });

  it('when funding settles on an open long, then fundingPayments reports what the long paid', async () => {
    harness = await startHarness();
    const { venue, exchange } = harness;
    venue.setPrice('BTCUSDT', 100_000);
    const since = new Date(venue.now());
    await exchange.placeEntry({ clientOrderId: 'entry-3', symbol: BTC, side: 'long', quantity: 0.01 });
    venue.advance(60_000);

    venue.settleFunding('BTCUSDT', 0.0001);

    const payments = await exchange.fundingPayments(BTC, since);
    expect(payments).toHaveLength(1);
    // A positive rate: longs pay rate × quantity × mark = 0.0001 × 0.01 × 100 000.
    expect(payments[0]?.amount).toBeCloseTo(-0.1, 8);
    expect(payments[0]?.time.getTime()).toBe(venue.now());
  });

  it('when an order was never placed, then findOrder asks both order books and answers undefined', async () => {
    harness = await startHarness();
    const { venue, exchange } = harness;

    const found = await exchange.findOrder('never-placed', BTC);

    expect(found).toBeUndefined();
    expect(venue.requestsTo('/fapi/v1/order', 'GET')[0]?.params['origClientOrderId']).toBe('never-placed');
    expect(venue.requestsTo('/fapi/v1/algoOrder', 'GET')[0]?.params['clientAlgoId']).toBe('never-placed');
  });

  it('when the quantity rounds below the minimum size or value, then the order is refused before anything is signed', async () => {
    harness = await startHarness();
    const { venue, exchange } = harness;
    venue.setPrice('BTCUSDT', 60_000);

    // 0.001 BTC at 60 000 is 60 USDT, below BTCUSDT's 100 USDT minimum notional.
    const tooSmallValue = exchange.placeEntry({ clientOrderId: 'small-1', symbol: BTC, side: 'long', quantity: 0.001 });
    await expect(tooSmallValue).rejects.toMatchObject({ kind: 'rejected' });
    await expect(tooSmallValue).rejects.toThrow(/below the venue's minimum of 100 USDT/);
    const tooSmallSize = exchange.placeEntry({ clientOrderId: 'small-2', symbol: BTC, side: 'short', quantity: 0.0004 });
    await expect(tooSmallSize).rejects.toThrow(/minimum order size 0.001/);

    expect(venue.signedRequests()).toEqual([]);
    expect(venue.requestsTo('/fapi/v1/order')).toEqual([]);
  });
  it('when the account pays its fees in BNB, then a fill\'s fee is that BNB at its price in the minute of the fill, and stays so after BNB moves', async () => {
    harness = await startHarness();
    const { venue, exchange, logger } = harness;
    venue.setCommissionAsset('BNB');
    const since = new Date(venue.now());
    const entryMinute = Math.floor(venue.now() / 60_000) * 60_000;
    const exitMinute = entryMinute + 5 * 60_000;
    venue.setMinuteCandles('BNBUSDT', [
      { openTime: entryMinute, open: 600, high: 602, low: 599, close: 601, volume: 10 },
      { openTime: exitMinute, open: 640, high: 642, low: 639, close: 641, volume: 10 },
    ]);
    venue.setPrice('BNBUSDT', 600);
    venue.setPrice('BTCUSDT', 100_000);
    await exchange.placeEntry({ clientOrderId: 'entry-bnb', symbol: BTC, side: 'long', quantity: 0.01 });
    venue.advance(5 * 60_000);
    venue.setPrice('BNBUSDT', 640);
    venue.setPrice('BTCUSDT', 101_000);
    await exchange.closePosition({ clientOrderId: 'close-bnb', symbol: BTC, positionSide: 'long', quantity: 0.01 });
    const [entryTrade, exitTrade] = venue.book.trades;
    expect([entryTrade?.commissionAsset, exitTrade?.commissionAsset]).toEqual(['BNB', 'BNB']);

    // BNB halves before the fills are read: the fees are what was paid then, not what that BNB is worth now.
    venue.advance(60 * 60_000);
    venue.setPrice('BNBUSDT', 320);
    const fills = await exchange.fills(BTC, since);
    expect(fills[0]?.fee).toBeCloseTo(onWire(entryTrade?.commission) * 600, 10);
    expect(fills[1]?.fee).toBeCloseTo(onWire(exitTrade?.commission) * 640, 10);
    // What the fees would have been in USDT, to the 8 decimals the venue gives the BNB amount.
    expect(fills[0]?.fee).toBeCloseTo(100_000 * 0.01 * 0.0005, 5);
    expect(fills[1]?.fee).toBeCloseTo(101_000 * 0.01 * 0.0005, 5);

    // Read again, and by a process started afresh (a restart): the same fees.
    expect((await exchange.fills(BTC, since)).map((fill) => fill.fee)).toEqual(fills.map((fill) => fill.fee));
    const restarted = new CcxtExchange({ apiKey: TEST_API_KEY, secret: TEST_SECRET, apiOrigin: venue.origin, wsOrigin: venue.wsOrigin, marketData: harness.marketData, clock: venueClock(venue), logger });
    try {
      expect((await restarted.fills(BTC, since)).map((fill) => fill.fee)).toEqual(fills.map((fill) => fill.fee));
    } finally {
      await restarted.close();
    }
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([]);
  });

  it('when the venue has no candle for the minute of a BNB-paid fill, then the fee is valued at BNB\'s price now, and a warning says so', async () => {
    harness = await startHarness();
    const { venue, exchange, logger } = harness;
    venue.setCommissionAsset('BNB');
    venue.setPrice('BNBUSDT', 600);
    venue.setPrice('BTCUSDT', 100_000);
    const since = new Date(venue.now());
    await exchange.placeEntry({ clientOrderId: 'entry-bnb', symbol: BTC, side: 'long', quantity: 0.01 });
    venue.setPrice('BNBUSDT', 300);

    const [fill] = await exchange.fills(BTC, since);

    expect(fill?.fee).toBeCloseTo(onWire(venue.book.trades[0]?.commission) * 300, 10);
    expect(logger.lines.some((line) => line.level === 'warn' && line.message.includes('valued at the price now'))).toBe(true);
  });
});
