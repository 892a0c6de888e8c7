import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import type { PriceWatchSettings } from '../../../src/adapters/market-data/ccxt/price-watch.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { nextMatching } from './price-ticks.js';
import { type FakeBinance, startFakeBinance, venueClock } from '../../peers/binance-usdm/index.js';
import { PriceStream } from '../../peers/binance-usdm/price-stream.js';
import { type FakeBybit, startFakeBybit } from '../../peers/bybit/index.js';

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

async function start(
  logger: RecordingLogger,
  priceWatch: Partial<PriceWatchSettings> = {},
): Promise<{ venue: FakeBinance; marketData: CcxtMarketData }> {
  venue = await startFakeBinance();
  marketData = new CcxtMarketData({
    apiOrigin: venue.origin,
    wsOrigin: venue.wsOrigin,
    clock: venueClock(venue),
    logger,
    priceWatch: { pollIntervalMs: 40, initialBackoffMs: 120, maxBackoffMs: 480, staleAfterMs: 10_000, ...priceWatch },
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

    expect(tick).toEqual({ symbol: BTC, price: 100_250.5, markPrice: 100_250.5, time: new Date(venue.now()) });
    expect(venue.streamSubscriptions).toEqual(['btcusdt@markPrice@1s']);
    expect(venue.requestsTo('/fapi/v1/premiumIndex')).toEqual([]);
    expect(venue.requestsTo('/fapi/v1/ticker/24hr')).toEqual([]);
  });

  it('when the last trade and the mark part, then the stream follows the mark, which the stops trigger on', async () => {
    const { venue, marketData } = await start(new RecordingLogger());
    venue.setPrice('BTCUSDT', 100_000);
    const ticks = marketData.watchPrice(BTC, controller.current.signal)[Symbol.asyncIterator]();
    await nextMatching(ticks, (t) => t.markPrice === 100_000);

    // The last trade stays at 100,000: only the mark moves.
    venue.setMarkPrice('BTCUSDT', 99_500);
    const tick = await nextMatching(ticks, (t) => t.markPrice !== 100_000);

    expect(tick).toMatchObject({ symbol: BTC, markPrice: 99_500 });
  });

  it('when the venue drops the socket and refuses new ones, then the last trade and the mark come from REST polls, the log says so, and the stream comes back', async () => {
    const logger = new RecordingLogger();
    const { venue, marketData } = await start(logger);
    venue.setPrice('BTCUSDT', 100_000);
    const ticks = marketData.watchPrice(BTC, controller.current.signal)[Symbol.asyncIterator]();
    await nextMatching(ticks, (t) => t.price === 100_000);

    venue.refuseWebSockets(true);
    venue.disconnectWebSockets();
    venue.setPrice('BTCUSDT', 99_000);
    await nextMatching(ticks, (t) => t.price === 99_000);

    expect(venue.requestsTo('/fapi/v1/premiumIndex', 'GET').length).toBeGreaterThanOrEqual(1);
    expect(venue.requestsTo('/fapi/v1/ticker/24hr', 'GET').length).toBeGreaterThanOrEqual(1);
    const fallback = logger.lines.find((l) => l.level === 'warn' && /price stream .* failed; polling the REST ticker/.test(l.message));
    expect(fallback?.context).toMatchObject({ module: 'market-data.ccxt', symbol: BTC, pollIntervalMs: 40 });

    venue.refuseWebSockets(false);
    await nextMatching(ticks, () => logger.lines.some((l) => /price stream for .* restored/.test(l.message)));
    const pollsSoFar = venue.requestsTo('/fapi/v1/premiumIndex').length;
    venue.setPrice('BTCUSDT', 101_000);
    const streamed = await nextMatching(ticks, (t) => t.price === 101_000);

    expect(streamed.price).toBe(101_000);
    expect(venue.requestsTo('/fapi/v1/premiumIndex')).toHaveLength(pollsSoFar); // it came through the socket
    expect(venue.openStreams).toBe(1);
  });

  it('when the stream is down and one of the two REST reads fails, then the other still gives a tick', async () => {
    const { venue, marketData } = await start(new RecordingLogger());
    venue.setPrice('BTCUSDT', 100_000);
    venue.refuseWebSockets(true);
    const ticks = marketData.watchPrice(BTC, controller.current.signal)[Symbol.asyncIterator]();
    venue.failNext({ path: '/fapi/v1/premiumIndex', status: 503, body: { code: -1001, msg: 'Internal error; unable to process your request.' } });

    const first = await nextMatching(ticks, () => true);

    expect(first).toMatchObject({ symbol: BTC, price: 100_000 });
    expect(first.markPrice).toBeUndefined();
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

type Send = (this: PriceStream, subscriber: { readonly socket: unknown }, stream: string, symbol: string) => void;
const streamPrototype = PriceStream.prototype as unknown as { send: Send };
const venueSend = streamPrototype.send;

describe('CcxtMarketData.watchPrice when the market stream goes silent without closing', () => {
  // Every socket the venue has pushed a price on, and which of them are silenced now.
  const pushedOn = new Set<unknown>();
  let silenced: (socket: unknown) => boolean = () => false;

  beforeEach(() => {
    streamPrototype.send = function (subscriber, stream, symbol) {
      if (silenced(subscriber.socket)) return;
      pushedOn.add(subscriber.socket);
      venueSend.call(this, subscriber, stream, symbol);
    };
  });

  afterEach(() => {
    streamPrototype.send = venueSend;
    pushedOn.clear();
    silenced = () => false;
  });

  /**
   * A stalled stream as Binance has them: the venue stops pushing on the sockets open now (`existing`) or on every
   * socket, also ones opened later (`all`), while the sockets stay open and answer pings.
   */
  function stallStreams(scope: 'existing' | 'all'): void {
    const stalled = new Set(pushedOn);
    silenced = scope === 'all' ? () => true : (socket) => stalled.has(socket);
  }

  const SILENT = { staleAfterMs: 1_000 } as const;
  const isRetry = (message: string): boolean => /retrying the price stream/.test(message);
  const isFailure = (message: string): boolean => /price stream .* failed/.test(message);

  it('when the stream is known to be stale, then REST polls keep delivering prices while the stream is retried', async () => {
    const logger = new RecordingLogger();
    const { venue, marketData } = await start(logger, SILENT);
    venue.setPrice('BTCUSDT', 100_000);
    const ticks = marketData.watchPrice(BTC, controller.current.signal)[Symbol.asyncIterator]();
    await nextMatching(ticks, (t) => t.price === 100_000);

    stallStreams('all');
    // From here on every price is a REST poll. Count those that arrive while the first retry of the stream is
    // pending: after its "retrying" line and before the failure it ends in.
    const pollsBefore = venue.requestsTo('/fapi/v1/premiumIndex').length;
    let pricesDuringRetry = 0;
    await nextMatching(ticks, () => {
      const lastEvent = logger.lines.filter((l) => isRetry(l.message) || isFailure(l.message)).at(-1);
      if (lastEvent !== undefined && isRetry(lastEvent.message)) pricesDuringRetry += 1;
      return logger.lines.filter((l) => isFailure(l.message)).length >= 2;
    });

    expect(pricesDuringRetry, 'prices delivered while the stale stream was retried').toBeGreaterThan(0);
    expect(venue.requestsTo('/fapi/v1/premiumIndex').length).toBeGreaterThan(pollsBefore);
  });

  it('when the stream is known to be stale, then the retry subscribes on a fresh connection and streamed prices come back', async () => {
    const logger = new RecordingLogger();
    const { venue, marketData } = await start(logger, SILENT);
    venue.setPrice('BTCUSDT', 100_000);
    const ticks = marketData.watchPrice(BTC, controller.current.signal)[Symbol.asyncIterator]();
    await nextMatching(ticks, (t) => t.price === 100_000);
    expect(venue.streamSubscriptions).toEqual(['btcusdt@markPrice@1s']);

    stallStreams('existing');
    // A few retries are enough; the stream that never comes back ends the wait here instead of at the test timeout.
    const restored = (): boolean => logger.lines.some((l) => /price stream for .* restored/.test(l.message));
    await nextMatching(ticks, () => restored() || logger.lines.filter((l) => isFailure(l.message)).length >= 4);

    expect(restored(), 'the stream came back').toBe(true);
    expect(venue.streamSubscriptions.filter((s) => s === 'btcusdt@markPrice@1s').length, 'subscriptions sent').toBeGreaterThan(1);
    const pollsSoFar = venue.requestsTo('/fapi/v1/premiumIndex').length;
    venue.setPrice('BTCUSDT', 101_000);
    await nextMatching(ticks, (t) => t.price === 101_000);
    expect(venue.requestsTo('/fapi/v1/premiumIndex')).toHaveLength(pollsSoFar); // it came through the new socket
  });
});

// Hyperliquid's ticker feed, and its REST polls, are in hyperliquid-price-stream.test.ts.
describe('CcxtMarketData.watchPrice on Bybit, whose stand-in refuses market streams (real ccxt, REST polls)', () => {
  let perp: FakeBybit | undefined;

  afterEach(async () => {
    await perp?.close();
    perp = undefined;
  });

  it('when the mark stands apart from the last trade, then the polled ticks carry both', async () => {
    const started = await startFakeBybit();
    perp = started;
    started.setPrice('BTCUSDT', 100_000);
    started.setMarkPrice('BTCUSDT', 99_500);
    marketData = new CcxtMarketData({
      exchangeId: 'bybit',
      apiOrigin: started.origin,
      wsOrigin: started.origin.replace('http', 'ws'),
      clock: venueClock(started),
      logger: new RecordingLogger(),
      priceWatch: { pollIntervalMs: 40, initialBackoffMs: 60_000, maxBackoffMs: 60_000, staleAfterMs: 10_000 },
    });
    controller.current = new AbortController();
    const ticks = marketData.watchPrice(BTC, controller.current.signal)[Symbol.asyncIterator]();

    const tick = await nextMatching(ticks, () => true);

    expect(tick).toMatchObject({ symbol: BTC, price: 100_000, markPrice: 99_500 });
  });
});
