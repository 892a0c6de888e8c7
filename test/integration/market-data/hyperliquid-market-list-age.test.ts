// Hyperliquid's price step follows the price (5 significant figures), and the step the daemon rounds to is the one
// valid up to twice the price at the market list's last load. The list is loaded again within the hour, so a market
// that rallies past twice that price is rounded on the step the venue takes, not on a finer one it would reject; the
// reload runs in the background, so nothing that needs the list (a stop) waits for it.
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { venueClock } from '../../peers/binance-usdm/index.js';
import { eventually } from '../../support/services.js';
import { type FakeHyperliquid, startFakeHyperliquid } from '../../peers/hyperliquid/index.js';

const MINUTE = 60_000;
let venue: FakeHyperliquid | undefined;
let marketData: CcxtMarketData | undefined;

afterEach(async () => {
  await marketData?.close();
  await venue?.close();
  venue = undefined;
  marketData = undefined;
});

describe("Hyperliquid's price step after a rally (real ccxt, fake venue)", () => {
  it('when ETH rallies from 4,000 to 9,000, then within the hour its step is 1, where the day-old list kept 0.1 (a sixth significant figure)', async () => {
    const v = await startFakeHyperliquid();
    venue = v;
    v.setPrice('ETH', 4_000);
    marketData = new CcxtMarketData({ exchangeId: 'hyperliquid', apiOrigin: v.origin, clock: venueClock(v), logger: new RecordingLogger() });
    expect((await marketData.market('ETH/USDC:USDC')).tickSize).toBe(0.1);

    v.setPrice('ETH', 9_000);
    v.advance(59 * MINUTE);
    expect((await marketData.market('ETH/USDC:USDC')).tickSize).toBe(0.1);
    v.advance(2 * MINUTE);
    // The list in hand answers at once (its step still holds up to 8,000) while the new one loads.
    const loadsBefore = v.requestsTo('/info', 'meta').length + v.requestsTo('/info', 'metaAndAssetCtxs').length;
    expect((await marketData.market('ETH/USDC:USDC')).tickSize).toBe(0.1);
    await eventually(async () => (await marketData!.market('ETH/USDC:USDC')).tickSize === 1);
    expect(v.requestsTo('/info', 'meta').length + v.requestsTo('/info', 'metaAndAssetCtxs').length).toBeGreaterThan(loadsBefore);
  });
});
