import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { RejectedError, TemporaryError } from '../../../src/domain/errors.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { type FakeBinance, startFakeBinance, venueClock } from '../../peers/binance-usdm/index.js';

const HISTORY = join(import.meta.dirname, '../../../history/binance-usdm');
const BTC = 'BTC/USDT:USDT';
const MINUTE = 60_000;

function csvRows(file: string): number[][] {
  return readFileSync(join(HISTORY, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map(Number));
}

let venue: FakeBinance | undefined;
let marketData: CcxtMarketData | undefined;

async function start(now: number): Promise<{ venue: FakeBinance; marketData: CcxtMarketData }> {
  venue = await startFakeBinance({ now });
  marketData = new CcxtMarketData({
    apiOrigin: venue.origin,
    wsOrigin: venue.wsOrigin,
    clock: venueClock(venue),
    logger: new RecordingLogger(),
  });
  return { venue, marketData };
}

afterEach(async () => {
  await marketData?.close();
  await venue?.close();
  venue = undefined;
  marketData = undefined;
});

describe('CcxtMarketData against the fake Binance USDⓈ-M venue (real ccxt, public endpoints only)', () => {
  it('when it is 12:05, then 15m candles end with the one that closed at 12:00 and never show the forming one', async () => {
    const now = Date.UTC(2025, 9, 15, 12, 5);
    const { venue, marketData } = await start(now);
    const recorded = csvRows('klines/BTCUSDT-15m.csv');
    const served = (await (await fetch(`${venue.origin}/fapi/v1/klines?symbol=BTCUSDT&interval=15m&limit=1`)).json()) as number[][];
    const expected = recorded.filter((r) => (r[0] as number) + 15 * MINUTE <= now).slice(-4);

    const candles = await marketData.candles(BTC, '15m', 4);

    expect(candles.map((c) => [c.openTime, c.open, c.high, c.low, c.close, c.volume])).toEqual(expected);
    expect(candles[3]?.openTime).toBe(Date.UTC(2025, 9, 15, 11, 45));
    expect(served[0]?.[0]).toBe(Date.UTC(2025, 9, 15, 12, 0)); // the venue itself does serve the forming candle
  });

  it('when 1h candles are read at 12:05, then the last one is 11:00-12:00, aggregated from its four 15m candles', async () => {
    const now = Date.UTC(2025, 9, 15, 12, 5);
    const { marketData } = await start(now);
    const hour = csvRows('klines/BTCUSDT-15m.csv').filter(
      (r) => (r[0] as number) >= Date.UTC(2025, 9, 15, 11) && (r[0] as number) < Date.UTC(2025, 9, 15, 12),
    );

    const candles = await marketData.candles(BTC, '1h', 2);

    expect(candles).toHaveLength(2);
    expect(candles[1]).toEqual({
      openTime: Date.UTC(2025, 9, 15, 11),
      open: hour[0]?.[1],
      high: Math.max(...hour.map((r) => r[2] as number)),
      low: Math.min(...hour.map((r) => r[3] as number)),
      close: hour[3]?.[4],
      volume: expect.closeTo(hour.reduce((sum, r) => sum + (r[5] as number), 0), 6),
    });
  });

  it('when the client is closed while the daily market list reloads, then the next look-up loads the list on the new client', async () => {
    const { venue, marketData } = await start(Date.UTC(2025, 9, 15, 12, 5));
    expect((await marketData.market(BTC)).id).toBe('BTCUSDT');
    venue.advance(25 * 60 * MINUTE);
    // The reload (in the background: the list in hand answers) is slow to answer.
    venue.delayNext({ path: '/fapi/v1/exchangeInfo', ms: 300 });
    expect((await marketData.market(BTC)).id).toBe('BTCUSDT');

    await marketData.close();

    expect((await marketData.market(BTC)).id).toBe('BTCUSDT');
  });

  it('when BTCUSDT is looked up, then its spec carries the recorded tick, lot, minimums and first-bracket rate', async () => {
    const { marketData } = await start(Date.UTC(2025, 9, 15, 12, 5));
    const info = JSON.parse(readFileSync(join(HISTORY, 'exchangeInfo.json'), 'utf8')) as {
      symbols: { symbol: string; requiredMarginPercent: string; filters: Record<string, string>[] }[];
    };
    const btc = info.symbols.find((s) => s.symbol === 'BTCUSDT');
    const filter = (type: string) => btc?.filters.find((f) => f['filterType'] === type) ?? {};

    const spec = await marketData.market(BTC);

    expect(spec).toEqual({
      symbol: BTC,
      id: 'BTCUSDT',
      base: 'BTC',
      quote: 'USDT',
      tickSize: Number(filter('PRICE_FILTER')['tickSize']),
      amountStep: Number(filter('LOT_SIZE')['stepSize']),
      minAmount: Number(filter('LOT_SIZE')['minQty']),
      minNotional: Number(filter('MIN_NOTIONAL')['notional']),
      maintenanceMarginRate: 0.004,
      maintenanceAmount: 0,
      maxLeverage: 100 / Number(btc?.requiredMarginPercent),
    });
  });

  it('when the configured symbols include a quarterly and an unknown contract, then each is refused with its reason, and the USDC-margined perpetual is accepted', async () => {
    const { marketData } = await start(Date.UTC(2025, 9, 15, 12, 5));

    const result = await marketData.validateSymbols([BTC, 'BTCUSDT_241227', 'BTC/USDC:USDC', 'FOO/USDT:USDT', 'ETHUSDT']);

    expect(result.specs.map((s) => s.symbol)).toEqual([BTC, 'BTC/USDC:USDC', 'ETH/USDT:USDT']);
    expect(result.specs[1]).toMatchObject({ id: 'BTCUSDC', base: 'BTC', quote: 'USDC' });
    expect(result.problems.map((p) => p.symbol)).toEqual(['BTCUSDT_241227', 'FOO/USDT:USDT']);
    expect(result.problems[0]?.reason).toMatch(/BTCUSDT_241227.*future contract expiring 2024-12-27, not a perpetual/);
    expect(result.problems[1]?.reason).toMatch(/FOO\/USDT:USDT.*not listed/);
    await expect(marketData.market('FOO/USDT:USDT')).rejects.toBeInstanceOf(RejectedError);
  });

  it('when ticker, mark price and funding are read, then they follow the venue price and the recorded funding rate', async () => {
    const now = Date.UTC(2025, 9, 15, 12, 5);
    const { venue, marketData } = await start(now);
    venue.setPrice('BTCUSDT', 101_234.5);
    const lastRecordedRate = csvRows('fundingRate/BTCUSDT-fundingRate.csv').filter((r) => (r[0] as number) <= now).at(-1)?.[2];

    const ticker = await marketData.ticker(BTC);
    const mark = await marketData.markPrice(BTC);
    const funding = await marketData.fundingRate(BTC);

    expect(ticker).toMatchObject({ symbol: BTC, last: 101_234.5, time: new Date(now) });
    expect(ticker.quoteVolume24h).toBeGreaterThan(0);
    expect(mark).toBe(101_234.5);
    expect(funding).toEqual({ rate: lastRecordedRate, intervalHours: 8, nextFundingTime: new Date(Date.UTC(2025, 9, 15, 16)) });
  });

  it('when funding events are asked for a day, then they are the recorded settlements inside (from, to]', async () => {
    const now = Date.UTC(2025, 9, 15, 12, 5);
    const { marketData } = await start(now);
    const from = Date.UTC(2025, 9, 14, 0);
    const to = Date.UTC(2025, 9, 15, 0);
    const expected = csvRows('fundingRate/BTCUSDT-fundingRate.csv')
      .filter((r) => (r[0] as number) > from && (r[0] as number) <= to)
      .map((r) => ({ time: r[0], rate: r[2] }));

    const events = await marketData.fundingEvents(BTC, from, to);

    expect(expected).toHaveLength(3);
    expect(events).toEqual(expected);
  });

  it('when the price path runs into the forming minute, then closed minutes come as they are (from their real start) and the last bar ends at the current price', async () => {
    const now = Date.UTC(2025, 9, 15, 12, 4, 30);
    const { venue, marketData } = await start(now);
    const base = Date.UTC(2025, 9, 15, 12, 0);
    venue.setMinuteCandles('BTCUSDT', [
      { openTime: base, open: 100, high: 104, low: 99, close: 103, volume: 1 },
      { openTime: base + MINUTE, open: 103, high: 106, low: 102, close: 105, volume: 1 },
      { openTime: base + 2 * MINUTE, open: 105, high: 105, low: 96, close: 97, volume: 1 },
      { openTime: base + 3 * MINUTE, open: 97, high: 98, low: 95, close: 98, volume: 1 },
      { openTime: base + 4 * MINUTE, open: 98, high: 99, low: 97.5, close: 98.5, volume: 1 },
    ]);
    venue.setPrice('BTCUSDT', 94.5);

    const path = await marketData.pricePath(BTC, base + 30_000, now);

    // The first minute keeps its real start although the path begins inside it: the paper venue then knows its high may
    // have come before an order placed at 12:00:30, and matches a take-profit only from the next minute.
    expect(path).toEqual([
      { start: base, end: base + MINUTE, open: 100, high: 104, low: 99, close: 103 },
      { start: base + MINUTE, end: base + 2 * MINUTE, open: 103, high: 106, low: 102, close: 105 },
      { start: base + 2 * MINUTE, end: base + 3 * MINUTE, open: 105, high: 105, low: 96, close: 97 },
      { start: base + 3 * MINUTE, end: base + 4 * MINUTE, open: 97, high: 98, low: 95, close: 98 },
      { start: base + 4 * MINUTE, end: now, open: 98, high: 99, low: 94.5, close: 94.5, mark: { open: 98, high: 99, low: 94.5, close: 94.5 } },
    ]);
  });

  it('when the path ends exactly as a minute opens, then that minute comes as its opening instant, as in a replay', async () => {
    const base = Date.UTC(2025, 9, 15, 12, 0);
    const now = base + 2 * MINUTE;
    const { venue, marketData } = await start(now);
    venue.setMinuteCandles('BTCUSDT', [
      { openTime: base, open: 100, high: 104, low: 99, close: 103, volume: 1 },
      { openTime: base + MINUTE, open: 103, high: 106, low: 102, close: 105, volume: 1 },
      { openTime: base + 2 * MINUTE, open: 95, high: 95, low: 95, close: 95, volume: 1 },
    ]);

    const path = await marketData.pricePath(BTC, base + MINUTE, now);

    expect(path.map(({ mark: _mark, ...bar }) => bar)).toEqual([
      { start: base + MINUTE, end: now, open: 103, high: 106, low: 102, close: 105 },
      { start: now, end: now, open: 95, high: 95, low: 95, close: 95 },
    ]);
  });

  it('when the venue has mark-price minutes, then each bar carries the mark stops trigger on, the forming one up to the current mark', async () => {
    const now = Date.UTC(2025, 9, 15, 12, 2, 30);
    const { venue, marketData } = await start(now);
    const base = Date.UTC(2025, 9, 15, 12, 0);
    venue.setMinuteCandles('BTCUSDT', [
      { openTime: base, open: 100, high: 104, low: 99, close: 103, volume: 1 },
      { openTime: base + MINUTE, open: 103, high: 106, low: 102, close: 105, volume: 1 },
      { openTime: base + 2 * MINUTE, open: 105, high: 105, low: 101, close: 102, volume: 1 },
    ]);
    venue.setMinuteMarkCandles('BTCUSDT', [
      { openTime: base, open: 100.5, high: 103.5, low: 100, close: 102.5, volume: 0 },
      { openTime: base + MINUTE, open: 102.5, high: 104, low: 102, close: 104, volume: 0 },
      { openTime: base + 2 * MINUTE, open: 104, high: 104, low: 103, close: 103, volume: 0 },
    ]);
    venue.setPrice('BTCUSDT', 102);
    venue.setMarkPrice('BTCUSDT', 102.8);

    const path = await marketData.pricePath(BTC, base, now);

    expect(path.map((bar) => bar.mark)).toEqual([
      { open: 100.5, high: 103.5, low: 100, close: 102.5 },
      { open: 102.5, high: 104, low: 102, close: 104 },
      { open: 104, high: 104, low: 102.8, close: 102.8 },
    ]);
    expect(venue.requestsTo('/fapi/v1/markPriceKlines').map((request) => request.params['interval'])).toEqual(['1m']);
  });

  it('when the venue omits the last price, then ticker raises a TemporaryError naming the field', async () => {
    const { venue, marketData } = await start(Date.UTC(2025, 9, 15, 12, 5));
    await marketData.market(BTC);
    venue.failNext({ path: '/fapi/v1/ticker/24hr', status: 200, body: { symbol: 'BTCUSDT', quoteVolume: '12.5' } });

    const reading = marketData.ticker(BTC);

    await expect(reading).rejects.toBeInstanceOf(TemporaryError);
    await expect(reading).rejects.toThrow(/ticker BTC\/USDT:USDT\.last/);
  });

  it('when every public read is made (paper mode), then not one request to the venue is signed or keyed', async () => {
    const now = Date.UTC(2025, 9, 15, 12, 5);
    const { venue, marketData } = await start(now);

    await marketData.validateSymbols([BTC, 'ETH/USDT:USDT']);
    await marketData.candles(BTC, '4h', 10);
    await marketData.ticker(BTC);
    await marketData.markPrice(BTC);
    await marketData.fundingRate(BTC);
    await marketData.fundingEvents(BTC, now - 86_400_000, now);
    await marketData.pricePath(BTC, now - 5 * MINUTE, now);

    expect(venue.requests.length).toBeGreaterThanOrEqual(7);
    expect(venue.signedRequests()).toEqual([]);
    expect(venue.requests.filter((r) => r.path.startsWith('/sapi') || 'timestamp' in r.params)).toEqual([]);
  });
});
