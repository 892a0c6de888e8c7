import { afterEach, describe, expect, it } from 'vitest';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import type { PriceTick } from '../../../src/ports/market-data.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { type FakeBinance, startFakeBinance, venueClock } from '../../peers/binance-usdm/index.js';

const BTC = 'BTC/USDT:USDT';

let venue: FakeBinance | undefined;
let marketData: CcxtMarketData | undefined;
const controller = { current: new AbortController() };

afterEach(async () => {
  controller.current.abort();
  await marketData?.close();
  await venue?.close();
  venue = undefined;
  marketData = undefined;
});

/** Pulls ticks until one satisfies `wanted`; the stream is live, so only the awaited condition synchronises. */
async function nextMatching(ticks: AsyncIterator<PriceTick>, wanted: (tick: PriceTick) => boolean): Promise<PriceTick> {
  for (;;) {
    const next = await ticks.next();
    if (next.done) throw new Error('price stream ended');
    if (wanted(next.value)) return next.value;
  }
}

async function start(logger: RecordingLogger): Promise<{ venue: FakeBinance; marketData: CcxtMarketData }> {
  venue = await startFakeBinance();
  marketData = new CcxtMarketData({
    apiOrigin: venue.origin,
    wsOrigin: venue.wsOrigin,
    clock: venueClock(venue),
    logger,
    priceWatch: { pollIntervalMs: 40, initialBackoffMs: 120, maxBackoffMs: 480, staleAfterMs: 10_000 },
  });
  controller.current = new AbortController();
  return { venue, marketData };
}

describe('CcxtMarketData.watchPrice (real ccxt websocket against the fake venue)', () => {
  it('when the venue price changes, then the stream delivers it as a tick', async () => {
    const { venue, marketData } = await start(new RecordingLogger());
    venue.setPrice('BTCUSDT', 100_000);
    const ticks = marketData.watchPrice(BTC, controller.current.signal)[Symbol.asyncIterator]();
    await nextMatching(ticks, (t) => t.price === 100_000);

    venue.setPrice('BTCUSDT', 100_250.5);
    const tick = await nextMatching(ticks, (t) => t.price === 100_250.5);

    expect(tick).toEqual({ symbol: BTC, price: 100_250.5, time: new Date(venue.now()) });
    expect(venue.streamSubscriptions).toContain('btcusdt@miniTicker');
    expect(venue.requestsTo('/fapi/v1/ticker/24hr')).toEqual([]);
  });

  it('when the venue drops the socket and refuses new ones, then prices come from REST polls, the log says so, and the stream comes back', async () => {
    const logger = new RecordingLogger();
    const { venue, marketData } = await start(logger);
    venue.setPrice('BTCUSDT', 100_000);
    const ticks = marketData.watchPrice(BTC, controller.current.signal)[Symbol.asyncIterator]();
    await nextMatching(ticks, (t) => t.price === 100_000);

    venue.refuseWebSockets(true);
    venue.disconnectWebSockets();
    venue.setPrice('BTCUSDT', 99_000);
    await nextMatching(ticks, (t) => t.price === 99_000);

    expect(venue.requestsTo('/fapi/v1/ticker/24hr', 'GET').length).toBeGreaterThanOrEqual(1);
    const fallback = logger.lines.find((l) => l.level === 'warn' && /price stream .* failed; polling the REST ticker/.test(l.message));
    expect(fallback?.context).toMatchObject({ module: 'market-data.ccxt', symbol: BTC, pollIntervalMs: 40 });

    venue.refuseWebSockets(false);
    await nextMatching(ticks, () => logger.lines.some((l) => /price stream for .* restored/.test(l.message)));
    const pollsSoFar = venue.requestsTo('/fapi/v1/ticker/24hr').length;
    venue.setPrice('BTCUSDT', 101_000);
    const streamed = await nextMatching(ticks, (t) => t.price === 101_000);

    expect(streamed.price).toBe(101_000);
    expect(venue.requestsTo('/fapi/v1/ticker/24hr')).toHaveLength(pollsSoFar); // it came through the socket
    expect(venue.openStreams).toBe(1);
  });

  it('when the signal aborts, then the stream ends', async () => {
    const { venue, marketData } = await start(new RecordingLogger());
    venue.setPrice('BTCUSDT', 100_000);
    const ticks = marketData.watchPrice(BTC, controller.current.signal)[Symbol.asyncIterator]();
    await nextMatching(ticks, (t) => t.price === 100_000);

    const pending = ticks.next();
    controller.current.abort();

    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
