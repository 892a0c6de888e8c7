// An entry inside a forming candle, on real SOL history: the daemon scans at 02:34 on 2025-09-23, inside the 02:30
// candle, and two analysts agree on a long. Whatever that candle's later low and close turn out to be, the daemon's
// price, its sizing, its stop and the fill are the same: they exist before the candle closes, so they cannot depend
// on it. (The audit's proof: changing only such a candle's low and close moved an AVAX entry from 50.13 to 50.91.)
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/index.js';
import { PaperExchange } from '../../src/adapters/exchange/paper/index.js';
import { marketHistory, replayHistory, ReplayMarketData, type MarketHistory } from '../../src/adapters/market-data/replay/index.js';
import { engineSettings } from '../../src/cli/engine-settings.js';
import { loadConfig } from '../../src/config/load-config.js';
import { buildEngine } from '../../src/engine/build-engine.js';
import { InMemoryStore } from '../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../src/testing/recording-notifier.js';
import { ScriptedAnalyst } from '../../src/testing/scripted-analyst.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';
import { bundledHistory } from '../support/engine-fixture.js';

const SOL = 'SOL/USDT:USDT';
const FORMING = Date.parse('2025-09-23T02:30:00Z');
const SCAN_AT = new Date('2025-09-23T02:34:00Z');

/** SOL with the 02:30 candle (O 215.29, H 216.28, L 215.21, C 215.93) given a 3% lower low and a close at its high. */
function withOtherLowAndClose(market: MarketHistory): MarketHistory {
  const candles = market.candles['15m'].map((candle) => (candle.openTime === FORMING ? { ...candle, low: candle.low * 0.97, close: candle.high } : candle));
  return marketHistory(market.spec, candles, market.funding, { minutes: market.minutes, ...(market.mark ? { mark: market.mark } : {}) });
}

async function enterAt(market: MarketHistory) {
  const config = loadConfig({ env: { SYMBOLS: SOL } });
  const clock = new ManualClock(SCAN_AT);
  const marketData = new ReplayMarketData(replayHistory([market]), clock);
  const store = new InMemoryStore();
  const logger = new RecordingLogger();
  const exchange = new PaperExchange({ marketData, clock, account: store.paperAccount, initialBalance: 100, takerFeeRate: 0.0005, slippageBps: 5, logger });
  const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
  const base = engineSettings(config, 'replay', [SOL]);
  const settings = { ...base, consensus: { ...base.consensus, minOpportunityScore: 0 } };
  const engine = buildEngine(
    { clock, marketData, exchange, analysts: longs, exitAnalysts: [], store, notifier: new RecordingNotifier(), logger, settings },
    { orphanPolicy: 'adopt', settingsView: {} },
  );
  await engine.daemon.parts.breakers.load(100);
  const scan = await engine.daemon.parts.scanner.scan([SOL]);
  const best = scan.best;
  if (best === undefined || best.consensus.decision === 'hold') throw new Error('the scan found nothing to trade');
  const snapshot = { price: best.snapshot.price, markPrice: best.snapshot.markPrice };
  const outcome = await engine.daemon.parts.opener.open({ snapshot: best.snapshot, consensus: { ...best.consensus, decision: best.consensus.decision }, score: best.score });
  if (outcome.status !== 'opened') throw new Error(`the entry was not opened: ${JSON.stringify(outcome)}`);
  const { entryPrice, quantity, margin, stopPrice, liquidationPrice } = outcome.position;
  return { snapshot, position: { entryPrice, quantity, margin, stopPrice, liquidationPrice }, fills: await exchange.fills(SOL, SCAN_AT) };
}

describe('an entry inside a forming candle', () => {
  it('when that candle\'s low and close are changed, then the price seen, the sizing, the stop and the fill stay exactly the same', async () => {
    const recorded = (await bundledHistory()).markets.get(SOL);
    if (recorded === undefined) throw new Error('SOL missing from the bundled history');

    const asRecorded = await enterAt(recorded);
    const otherwise = await enterAt(withOtherLowAndClose(recorded));

    expect(otherwise).toEqual(asRecorded);
    // What the daemon could know at 02:34 is the candle's open; the fill is that price plus 5 bps of slippage, capped by
    // the entry's limit (the same 5 bps, on SOL's 0.001 tick towards the price).
    expect(asRecorded.snapshot.price).toBe(215.29);
    expect(asRecorded.position.entryPrice).toBe(215.397);
    expect(asRecorded.fills.map((fill) => fill.time)).toEqual([SCAN_AT]);
  });
});
