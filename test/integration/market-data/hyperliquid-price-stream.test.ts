// Hyperliquid's price stream: ccxt's `watchTicker` follows the coin's `activeAssetCtx`, whose ticks carry the mark
// (`markPx`, which the venue's stops and liquidations trigger on) and the mid (`midPx`, ccxt's last). ccxt leaves its
// own `markPrice` empty for this channel, so a stream that read only that field would tick without a mark.
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import type { PriceTick } from '../../../src/ports/market-data.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { nextMatching } from './price-ticks.js';
import { venueClock } from '../../peers/binance-usdm/index.js';
import { type FakeHyperliquid, startFakeHyperliquid } from '../../peers/hyperliquid/index.js';

const ETH = 'ETH/USDC:USDC';

let venue: FakeHyperliquid | undefined;
let marketData: CcxtMarketData | undefined;
const controller = { current: new AbortController() };

afterEach(async () => {
  controller.current.abort();
  await marketData?.close();
  await venue?.close();
  venue = undefined;
  marketData = undefined;
});

/** The REST reads that carry a price on Hyperliquid: ccxt's ticker and the market list both ask `metaAndAssetCtxs`. */
const priceReads = (v: FakeHyperliquid): number => v.requestsTo('/info', 'metaAndAssetCtxs').length;

/** ETH's price stream through real ccxt on the stand-in; REST polls every 40 ms while the stream is down. */
function watchEth(v: FakeHyperliquid, logger: RecordingLogger): AsyncIterator<PriceTick> {
  marketData = new CcxtMarketData({
    exchangeId: 'hyperliquid',
    apiOrigin: v.origin,
    wsOrigin: v.origin.replace('http', 'ws'),
    clock: venueClock(v),
    logger,
    priceWatch: { pollIntervalMs: 40, initialBackoffMs: 60_000, maxBackoffMs: 60_000, staleAfterMs: 10_000 },
  });
  controller.current = new AbortController();
  return marketData.watchPrice(ETH, controller.current.signal)[Symbol.asyncIterator]();
}

describe("CcxtMarketData.watchPrice on Hyperliquid's activeAssetCtx stream (real ccxt, fake venue)", () => {
  it('when the mark stands apart from the mid and then moves alone, then the streamed ticks carry the mark as markPrice and the mid as price', async () => {
    const v = await startFakeHyperliquid();
    venue = v;
    v.setPrice('ETH', 4_000);
    v.setMarkPrice('ETH', 3_950);
    const logger = new RecordingLogger();
    // Were the stream refused, the polls would read the REST ticker every 40 ms and the reads below would grow.
    const ticks = watchEth(v, logger);

    const first = await nextMatching(ticks, () => true);

    expect(first).toMatchObject({ symbol: ETH, price: 4_000, markPrice: 3_950 });
    const stream = v.privateStream;
    const contexts = (): unknown[] => stream?.marketMessages.filter((m) => m['channel'] === 'activeAssetCtx') ?? [];
    expect(stream?.received).toContainEqual({ method: 'subscribe', subscription: { type: 'activeAssetCtx', coin: 'ETH' } });
    expect(contexts()[0]).toMatchObject({ channel: 'activeAssetCtx', data: { coin: 'ETH', ctx: { markPx: '3950', midPx: '4000' } } });
    const readsAfterFirstTick = priceReads(v);

    // Only the mark moves: the mid stays at 4,000.
    v.setMarkPrice('ETH', 3_900);
    const moved = await nextMatching(ticks, (t) => t.markPrice !== 3_950);

    expect(moved).toMatchObject({ symbol: ETH, price: 4_000, markPrice: 3_900 });
    expect(contexts().at(-1)).toMatchObject({ channel: 'activeAssetCtx', data: { coin: 'ETH', ctx: { markPx: '3900', midPx: '4000' } } });
    expect(priceReads(v), 'REST price reads after the stream started').toBe(readsAfterFirstTick);
    expect(logger.lines.filter((l) => /polling the REST ticker/.test(l.message))).toEqual([]);
  });

  it('when the stand-in is told to refuse market feeds, then the subscription closes the socket and the ticks come from REST polls', async () => {
    const v = await startFakeHyperliquid();
    venue = v;
    v.setPrice('ETH', 4_000);
    v.setMarkPrice('ETH', 3_950);
    const stream = v.privateStream;
    if (!stream) throw new Error('the Hyperliquid stand-in has no websocket');
    stream.refuseMarketFeeds = true;
    const logger = new RecordingLogger();
    const ticks = watchEth(v, logger);

    const first = await nextMatching(ticks, () => true);

    expect(first).toMatchObject({ symbol: ETH, price: 4_000, markPrice: 3_950 });
    expect(stream.marketMessages).toEqual([]);
    expect(logger.lines.some((l) => l.level === 'warn' && /polling the REST ticker/.test(l.message))).toBe(true);
  });
});
