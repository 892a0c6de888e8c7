// What a scan costs the venue: closed candles are asked for again only once a new one may have closed, and a
// snapshot's mark price and funding come from one premium-index read. Real ccxt against the local venue.
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { type FakeBinance, startFakeBinance, venueClock } from '../../peers/binance-usdm/index.js';

const BTC = 'BTC/USDT:USDT';
const MINUTE = 60_000;
let venue: FakeBinance | undefined;
let marketData: CcxtMarketData | undefined;

afterEach(async () => {
  await marketData?.close();
  await venue?.close();
  venue = marketData = undefined;
});

async function start(): Promise<{ venue: FakeBinance; marketData: CcxtMarketData }> {
  venue = await startFakeBinance({ now: Date.UTC(2025, 9, 15, 12, 5) });
  marketData = new CcxtMarketData({ apiOrigin: venue.origin, wsOrigin: venue.wsOrigin, clock: venueClock(venue), logger: new RecordingLogger() });
  await marketData.market(BTC);
  venue.clearRequests();
  return { venue, marketData };
}

describe('CcxtMarketData request economy (real ccxt, fake venue)', () => {
  it('when no candle can have closed since the last answer, then the candles come without a request; after the close, the new one is there', async () => {
    const { venue, marketData } = await start();

    const first = await marketData.candles(BTC, '15m', 50);
    venue.advance(9 * MINUTE); // 12:14, the 12:00 candle is still forming
    const cached = await marketData.candles(BTC, '15m', 50);
    expect(venue.requestsTo('/fapi/v1/klines')).toHaveLength(1);
    expect(cached).toEqual(first);

    venue.advance(MINUTE); // 12:15: the 12:00 candle has closed
    const fresh = await marketData.candles(BTC, '15m', 50);
    expect(venue.requestsTo('/fapi/v1/klines')).toHaveLength(2);
    expect(fresh[fresh.length - 1]?.openTime).toBe(Date.UTC(2025, 9, 15, 12, 0));
    expect(fresh[fresh.length - 2]).toEqual(first[first.length - 1]);
  });

  it('when candles come from the cache, then the health check hears no venue answer; when they are asked for, it does', async () => {
    venue = await startFakeBinance({ now: Date.UTC(2025, 9, 15, 12, 5) });
    let answers = 0;
    marketData = new CcxtMarketData({
      apiOrigin: venue.origin,
      wsOrigin: venue.wsOrigin,
      clock: venueClock(venue),
      logger: new RecordingLogger(),
      onVenueAnswer: () => (answers += 1),
    });
    await marketData.candles(BTC, '1h', 50);
    const asked = answers;
    expect(asked).toBeGreaterThan(0);

    venue.advance(30 * MINUTE); // the 12:00 candle is still forming: the cache answers, and no market is reloaded
    await marketData.candles(BTC, '1h', 50);
    await marketData.market(BTC);
    expect(venue.requestsTo('/fapi/v1/klines')).toHaveLength(1);
    expect(answers).toBe(asked);

    await marketData.ticker(BTC);
    expect(answers).toBe(asked + 1);
  });

  it('when a snapshot asks for the mark price and funding together, then one premium-index read answers both', async () => {
    const { venue, marketData } = await start();

    const [mark, funding] = await Promise.all([marketData.markPrice(BTC), marketData.fundingRate(BTC)]);

    const reads = venue.requestsTo('/fapi/v1/premiumIndex');
    expect(reads).toHaveLength(1);
    const served = (await (await fetch(`${venue.origin}/fapi/v1/premiumIndex?symbol=BTCUSDT`)).json()) as { markPrice: string; lastFundingRate: string };
    expect(mark).toBe(Number(served.markPrice));
    expect(funding.rate).toBe(Number(served.lastFundingRate));
    // A later ask reads again: nothing is kept beyond the read in flight.
    await marketData.markPrice(BTC);
    expect(venue.requestsTo('/fapi/v1/premiumIndex')).toHaveLength(3);
  });
});
