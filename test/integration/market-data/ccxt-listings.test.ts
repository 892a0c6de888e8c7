// The venue's market listing for UNIVERSE=top_volume, through real ccxt against the local Binance USDⓈ-M venue:
// three requests for all markets, whatever their number (one of them, the funding intervals, at most hourly).
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { type FakeBinance, startFakeBinance, venueClock } from '../../peers/binance-usdm/index.js';

interface VenueSymbol {
  readonly symbol: string;
  readonly contractType: string;
  readonly status: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly marginAsset: string;
  readonly onboardDate: number;
}

let venue: FakeBinance | undefined;
let marketData: CcxtMarketData | undefined;

afterEach(async () => {
  await marketData?.close();
  await venue?.close();
  venue = marketData = undefined;
});

describe('CcxtMarketData listings (real ccxt, fake venue)', () => {
  it('lists the tradeable USDT and USDC perpetuals with the venue\u2019s 24h volume, listing date, funding and its interval, in three requests', async () => {
    venue = await startFakeBinance({ now: Date.UTC(2025, 9, 15, 12, 5) });
    marketData = new CcxtMarketData({ apiOrigin: venue.origin, wsOrigin: venue.wsOrigin, clock: venueClock(venue), logger: new RecordingLogger() });
    await marketData.validateSymbols(['BTC/USDT:USDT']);
    const info = (await (await fetch(`${venue.origin}/fapi/v1/exchangeInfo`)).json()) as { symbols: VenueSymbol[] };
    const tickers = (await (await fetch(`${venue.origin}/fapi/v1/ticker/24hr?symbol=BTCUSDT`)).json()) as { quoteVolume: string };
    venue.clearRequests();

    const listings = await marketData.listings();

    const perpetuals = info.symbols.filter((s) => s.contractType === 'PERPETUAL' && ['USDT', 'USDC'].includes(s.marginAsset) && s.quoteAsset === s.marginAsset && s.status === 'TRADING');
    expect(listings.map((entry) => entry.symbol).sort()).toEqual(perpetuals.map((s) => `${s.baseAsset}/${s.marginAsset}:${s.marginAsset}`).sort());
    const btc = listings.find((entry) => entry.symbol === 'BTC/USDT:USDT');
    expect(btc?.quoteVolume24h).toBe(Number(tickers.quoteVolume));
    expect(btc?.listedAt?.getTime()).toBe(perpetuals.find((s) => s.symbol === 'BTCUSDT')?.onboardDate);
    expect(typeof btc?.fundingRate).toBe('number');
    expect(btc?.fundingIntervalHours).toBe(8);
    expect(venue.requests.map((request) => request.path).sort()).toEqual(['/fapi/v1/fundingInfo', '/fapi/v1/premiumIndex', '/fapi/v1/ticker/24hr']);
  });
});
