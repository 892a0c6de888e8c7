// A request refused for its timestamp (the clock drifted from the venue's) has the adapter measure the time difference
// again, whichever operation met the refusal: otherwise every signed request after it is refused the same way.
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtExchange } from '../../../src/adapters/exchange/ccxt/ccxt-exchange.js';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { TemporaryError } from '../../../src/domain/errors.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { venueClock } from '../../peers/binance-usdm/index.js';
import { BYBIT_API_KEY, BYBIT_SECRET, type FakeBybit, startFakeBybit } from '../../peers/bybit/index.js';

const BTC = 'BTC/USDT:USDT';
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function bybitHolding(): Promise<{ venue: FakeBybit; exchange: CcxtExchange }> {
  const venue = await startFakeBybit({ balance: 1_000, takerFeeRate: 0.0005 });
  const logger = new RecordingLogger();
  const clock = venueClock(venue);
  const wsOrigin = venue.origin.replace('http', 'ws');
  const marketData = new CcxtMarketData({ exchangeId: 'bybit', apiOrigin: venue.origin, wsOrigin, clock, logger });
  const exchange = new CcxtExchange({ exchangeId: 'bybit', apiKey: BYBIT_API_KEY, secret: BYBIT_SECRET, apiOrigin: venue.origin, wsOrigin, marketData, clock, logger, timeoutMs: 5_000 });
  closers.push(() => exchange.close(), () => marketData.close(), () => venue.close());
  venue.setPrice(BTC, 100_000);
  await exchange.setLeverage(BTC, 5, 'isolated');
  await exchange.placeEntry({ clientOrderId: 'ltd-7-entry', symbol: BTC, side: 'long', quantity: 0.01 });
  return { venue, exchange };
}

/** Bybit's answer to a request signed more than the receive window away from its clock. */
function refuseTimestampOnce(venue: FakeBybit, path: string): void {
  venue.failNext({
    path,
    status: 200,
    body: {
      retCode: 10002,
      retMsg: 'invalid request, please check your server timestamp or recv_window param. req_timestamp[1],server_timestamp[2],recv_window[5000]',
      result: {},
      retExtInfo: {},
      time: venue.now(),
    },
  });
}

const stop = { clientOrderId: 'ltd-7-stop', symbol: BTC, positionSide: 'long', quantity: 0.01, triggerPrice: 95_000 } as const;

describe('Bybit clock drift (real ccxt, local Bybit)', () => {
  it('when placing a stop is refused with 10002, then the time difference is measured again and the next attempt places it', async () => {
    const { venue, exchange } = await bybitHolding();
    const timeReads = venue.requestsTo('/v5/market/time').length;
    refuseTimestampOnce(venue, '/v5/order/create');

    await expect(exchange.placeProtectiveStop(stop)).rejects.toThrow(TemporaryError);
    expect(venue.requestsTo('/v5/market/time')).toHaveLength(timeReads + 1);
    expect(await exchange.placeProtectiveStop(stop)).toMatchObject({ clientOrderId: 'ltd-7-stop', status: 'open', type: 'stop_market' });
  });

  it('when looking an order up by client id is refused with 10002, then the time difference is measured again and the next look-up finds it', async () => {
    const { venue, exchange } = await bybitHolding();
    const timeReads = venue.requestsTo('/v5/market/time').length;
    refuseTimestampOnce(venue, '/v5/order/realtime');

    await expect(exchange.findOrder('ltd-7-entry', BTC)).rejects.toThrow(/clock drift/);
    expect(venue.requestsTo('/v5/market/time')).toHaveLength(timeReads + 1);
    expect(await exchange.findOrder('ltd-7-entry', BTC)).toMatchObject({ clientOrderId: 'ltd-7-entry', status: 'filled', filledQuantity: 0.01 });
  });

  it('when cancelling a stop is refused with 10002, then the time difference is measured again and the next attempt cancels it', async () => {
    const { venue, exchange } = await bybitHolding();
    const placed = await exchange.placeProtectiveStop(stop);
    const timeReads = venue.requestsTo('/v5/market/time').length;
    refuseTimestampOnce(venue, '/v5/order/cancel');

    await expect(exchange.cancelOrder(placed.id, BTC)).rejects.toThrow(/clock drift/);
    expect(venue.requestsTo('/v5/market/time')).toHaveLength(timeReads + 1);
    await exchange.cancelOrder(placed.id, BTC);
    expect(await exchange.openOrders(BTC)).toEqual([]);
  });
});
