// Hyperliquid publishes no mark-price candles but does publish a current mark: the price path's live edge carries it,
// so paper stops, liquidations and funding there meet the mark the venue triggers on.
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { venueClock } from '../../peers/binance-usdm/index.js';
import { type FakeHyperliquid, startFakeHyperliquid } from '../../peers/hyperliquid/index.js';

const ETH = 'ETH/USDC:USDC';
const MINUTE = 60_000;

let venue: FakeHyperliquid | undefined;
let marketData: CcxtMarketData | undefined;

afterEach(async () => {
  await marketData?.close();
  await venue?.close();
  venue = undefined;
  marketData = undefined;
});

describe("Hyperliquid's price path (real ccxt, fake venue)", () => {
  it('when the mark stands apart from the last trade, then the live edge of the path carries the mark', async () => {
    const v = await startFakeHyperliquid();
    venue = v;
    v.setPrice('ETH', 4_000);
    v.setMarkPrice('ETH', 3_950);
    marketData = new CcxtMarketData({ exchangeId: 'hyperliquid', apiOrigin: v.origin, clock: venueClock(v), logger: new RecordingLogger() });
    const now = venueClock(v).now().getTime();

    const path = await marketData.pricePath(ETH, now - 2 * MINUTE, now);

    const edge = path.at(-1);
    expect(edge?.end).toBe(now);
    expect(edge?.close).toBe(4_000);
    expect(edge?.mark?.close).toBe(3_950);
  });
});
