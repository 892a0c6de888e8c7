// How often each market settles funding, through real ccxt against the local venues: Binance says it only in its
// funding-info table (markets absent settle every 8 h), Bybit in each instrument.
import { afterEach, describe, expect, it } from 'vitest';
import { FUNDING_TABLE_MAX_AGE_MS, FUNDING_TABLE_RETRY_MS } from '../../../src/adapters/market-data/ccxt/funding-intervals.js';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { type FakeBinance, requestWeight, startFakeBinance, venueClock } from '../../peers/binance-usdm/index.js';
import { type FakeBybit, startFakeBybit } from '../../peers/bybit/index.js';
import { type FakeHyperliquid, startFakeHyperliquid } from '../../peers/hyperliquid/index.js';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const NOW = Date.UTC(2025, 9, 15, 12, 5);
const MINUTE = 60_000;
const FUNDING_INFO = '/fapi/v1/fundingInfo';

let binance: FakeBinance | undefined;
let bybit: FakeBybit | undefined;
let hyperliquid: FakeHyperliquid | undefined;
let marketData: CcxtMarketData | undefined;

afterEach(async () => {
  await marketData?.close();
  await binance?.close();
  await bybit?.close();
  await hyperliquid?.close();
  binance = bybit = hyperliquid = marketData = undefined;
});

async function onBinance(): Promise<{ venue: FakeBinance; marketData: CcxtMarketData; logger: RecordingLogger }> {
  const logger = new RecordingLogger();
  binance = await startFakeBinance({ now: NOW });
  marketData = new CcxtMarketData({ apiOrigin: binance.origin, wsOrigin: binance.wsOrigin, clock: venueClock(binance), logger });
  await marketData.market(BTC);
  binance.clearRequests();
  return { venue: binance, marketData, logger };
}

const intervalWarnings = (logger: RecordingLogger) => logger.lines.filter((line) => line.level === 'warn' && /funding intervals/.test(line.message));

describe('funding intervals on Binance USDⓈ-M (real ccxt, fake venue)', () => {
  it('when ETH settles every 4 hours and BTC is not in the funding-info table, then ETH reads 4 h and BTC 8 h, and its next settlement is the next 4 h boundary', async () => {
    const { venue, marketData } = await onBinance();
    venue.setFundingInterval(ETH, 4);

    const [btc, eth] = await Promise.all([marketData.fundingRate(BTC), marketData.fundingRate(ETH)]);

    expect(btc).toMatchObject({ intervalHours: 8, nextFundingTime: new Date(Date.UTC(2025, 9, 15, 16)) });
    expect(eth).toMatchObject({ intervalHours: 4, nextFundingTime: new Date(Date.UTC(2025, 9, 15, 16)) });
    venue.advance(4 * 60 * MINUTE);
    expect((await marketData.fundingRate(ETH)).nextFundingTime).toEqual(new Date(Date.UTC(2025, 9, 15, 20)));
  });

  it('when many markets read funding at once and again within the hour, then one funding-info request (weight 0) answers them all; an hour on it is read again', async () => {
    const { venue, marketData } = await onBinance();
    venue.setFundingInterval(ETH, 1);
    const symbols = [BTC, ETH, 'SOL/USDT:USDT', 'BNB/USDT:USDT', 'XRP/USDT:USDT'];

    await Promise.all(symbols.map((symbol) => marketData.fundingRate(symbol)));
    venue.advance(59 * MINUTE);
    const later = await Promise.all(symbols.map((symbol) => marketData.fundingRate(symbol)));

    expect(venue.requestsTo(FUNDING_INFO)).toHaveLength(1);
    expect(venue.requestsTo('/fapi/v1/premiumIndex')).toHaveLength(2 * symbols.length);
    expect(later.map((funding) => funding.intervalHours)).toEqual([8, 1, 8, 8, 8]);
    expect(requestWeight(venue.requestsTo(FUNDING_INFO)[0] as never)).toBe(0);

    venue.setFundingInterval(ETH, 4);
    venue.advance(FUNDING_TABLE_MAX_AGE_MS - 59 * MINUTE);
    expect((await marketData.fundingRate(ETH)).intervalHours).toBe(4);
    expect(venue.requestsTo(FUNDING_INFO)).toHaveLength(2);
  });

  it('when the funding-info table cannot be read, then funding still reads with the 8 h default and one warning, the venue is not asked again at once, and later the table is read', async () => {
    const { venue, marketData, logger } = await onBinance();
    venue.setFundingInterval(ETH, 4);
    venue.failNext({ path: FUNDING_INFO, status: 503 });

    const first = await marketData.fundingRate(ETH);
    const second = await marketData.fundingRate(ETH);

    expect(first.intervalHours).toBe(8);
    expect(second.intervalHours).toBe(8);
    expect(venue.requestsTo(FUNDING_INFO)).toHaveLength(1);
    expect(intervalWarnings(logger)).toHaveLength(1);
    venue.advance(FUNDING_TABLE_RETRY_MS);
    expect((await marketData.fundingRate(ETH)).intervalHours).toBe(4);
    expect(venue.requestsTo(FUNDING_INFO)).toHaveLength(2);
  });

  it('when the table was read once and the next read fails, then the last table stays in use', async () => {
    const { venue, marketData, logger } = await onBinance();
    venue.setFundingInterval(ETH, 4);
    expect((await marketData.fundingRate(ETH)).intervalHours).toBe(4);
    venue.advance(FUNDING_TABLE_MAX_AGE_MS);
    venue.failNext({ path: FUNDING_INFO, status: 503, count: 2 });

    const stale = await marketData.fundingRate(ETH);
    venue.advance(FUNDING_TABLE_RETRY_MS);
    const staleAgain = await marketData.fundingRate(ETH);

    expect([stale.intervalHours, staleAgain.intervalHours]).toEqual([4, 4]);
    expect(venue.requestsTo(FUNDING_INFO)).toHaveLength(3);
    // One warning for the stretch of failures, not one per failed read.
    expect(intervalWarnings(logger)).toHaveLength(1);
    expect(intervalWarnings(logger)[0]?.message).toMatch(/last table read stays in use/);
  });

  it('when the markets are listed, then each carries its interval, from the same one table', async () => {
    const { venue, marketData } = await onBinance();
    venue.setFundingInterval(ETH, 4);

    const listings = await marketData.listings();

    expect(listings.find((listing) => listing.symbol === ETH)).toMatchObject({ fundingIntervalHours: 4 });
    expect(listings.find((listing) => listing.symbol === BTC)).toMatchObject({ fundingIntervalHours: 8 });
    expect(venue.requestsTo(FUNDING_INFO)).toHaveLength(1);
  });
});

describe('funding intervals on Bybit (real ccxt, fake venue)', () => {
  it('when ETH\u2019s instrument settles every 240 minutes, then ETH reads 4 h and BTC (480 minutes) 8 h, without a table to ask', async () => {
    bybit = await startFakeBybit({ now: NOW });
    bybit.state.setFundingInterval('ETHUSDT', 4);
    marketData = new CcxtMarketData({ exchangeId: 'bybit', apiOrigin: bybit.origin, clock: venueClock(bybit), logger: new RecordingLogger() });
    const instruments = (await (await fetch(`${bybit.origin}/v5/market/instruments-info?category=linear`)).json()) as { result: { list: { symbol: string; fundingInterval: number }[] } };

    const [btc, eth] = await Promise.all([marketData.fundingRate(BTC), marketData.fundingRate(ETH)]);
    const listings = await marketData.listings();

    expect(instruments.result.list.map((entry) => [entry.symbol, entry.fundingInterval])).toEqual([['BTCUSDT', 480], ['ETHUSDT', 240]]);
    expect(btc.intervalHours).toBe(8);
    expect(eth).toMatchObject({ intervalHours: 4, nextFundingTime: new Date(Date.UTC(2025, 9, 15, 16)) });
    expect(listings.find((listing) => listing.symbol === ETH)?.fundingIntervalHours).toBe(4);
  });
});

describe('funding intervals on Hyperliquid (real ccxt, fake venue)', () => {
  it('when ETH\u2019s funding is read, then it settles every hour', async () => {
    hyperliquid = await startFakeHyperliquid();
    marketData = new CcxtMarketData({ exchangeId: 'hyperliquid', apiOrigin: hyperliquid.origin, clock: venueClock(hyperliquid), logger: new RecordingLogger() });

    const funding = await marketData.fundingRate('ETH/USDC:USDC');

    expect(funding.intervalHours).toBe(1);
  });
});
