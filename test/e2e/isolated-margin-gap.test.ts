// The whole engine in replay, holding a long into a candle that opens far below its liquidation price. The venue and
// the daemon share one clock: the venue meets the gapped open first and liquidates, so the daemon never sells into
// the gap and the trade loses its isolated margin, not more.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/index.js';
import { PaperExchange } from '../../src/adapters/exchange/paper/index.js';
import { marketHistory, replayHistory, ReplayMarketData, type MarketHistory } from '../../src/adapters/market-data/replay/index.js';
import { engineSettings } from '../../src/cli/engine-settings.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Candle } from '../../src/domain/market.js';
import { buildEngine } from '../../src/engine/build-engine.js';
import { InMemoryStore } from '../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../src/testing/recording-notifier.js';
import { ScriptedAnalyst } from '../../src/testing/scripted-analyst.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';
import { bundledHistory } from '../support/engine-fixture.js';

const BTC = 'BTC/USDT:USDT';
const START = new Date('2025-09-20T00:00:00Z');
const GAP_AT = Date.parse('2025-09-20T03:00:00Z');
const END = new Date('2025-09-20T06:00:00Z');

/** BTC as recorded, except that from GAP_AT on every price (traded and mark) sits 45% lower: a gap at 03:00. */
function gapped(market: MarketHistory): MarketHistory {
  const scale = (candle: Candle): Candle =>
    candle.openTime < GAP_AT ? candle : { ...candle, open: candle.open * 0.55, high: candle.high * 0.55, low: candle.low * 0.55, close: candle.close * 0.55 };
  const mark = market.mark && { intervalMs: market.mark.intervalMs, candles: market.mark.candles.map(scale) };
  return marketHistory(market.spec, market.candles['15m'].map(scale), market.funding, { minutes: market.minutes.map(scale), ...(mark ? { mark } : {}) });
}

describe('a replayed long caught in a gap through its liquidation price', () => {
  it('is liquidated by the venue at the gapped open and loses its isolated margin (the clearance fee coming out of it), never more', async () => {
    const recorded = (await bundledHistory()).markets.get(BTC);
    if (recorded === undefined) throw new Error('BTC missing from the bundled history');
    const config = loadConfig({ env: { SYMBOLS: BTC, MIN_OPPORTUNITY_SCORE: '0' } });
    const clock = new ManualClock(START);
    const marketData = new ReplayMarketData(replayHistory([gapped(recorded)]), clock);
    const store = new InMemoryStore();
    const notifier = new RecordingNotifier();
    const logger = new RecordingLogger();
    const exchange = new PaperExchange({ marketData, clock, account: store.paperAccount, initialBalance: 100, takerFeeRate: 0.0005, slippageBps: 5, logger });
    // Two analysts agreeing on a 3x long with a 6% stop: liquidation lies about 33% below the entry.
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const settings = engineSettings(config, 'replay', [BTC]);
    const stop = new AbortController();
    const engine = buildEngine(
      {
        clock: { now: () => clock.now(), sleep: async (ms, signal) => (clock.now() >= END ? stop.abort() : clock.sleep(ms, signal)) },
        marketData,
        exchange,
        analysts: longs,
        exitAnalysts: [],
        store,
        notifier,
        logger,
        settings,
      },
      { orphanPolicy: 'adopt', settingsView: {} },
    );

    await engine.daemon.start();
    await engine.daemon.run(stop.signal);

    const [trade] = await store.trades.list({});
    expect(trade).toBeDefined();
    if (trade === undefined) return;
    expect(trade.openedAt.getTime()).toBeLessThan(GAP_AT);
    expect(trade.closedAt.getTime()).toBe(GAP_AT);
    expect(trade.reason).toBe('liquidation');
    // Everything after the entry fee (the exit fill's loss and its clearance fee) is exactly the margin.
    expect(trade.netPnl + trade.entryFee).toBeCloseTo(-trade.margin, 6);
    expect(trade.fills.at(-1)?.clientOrderId).toMatch(/^autoclose-/);
  });
});
