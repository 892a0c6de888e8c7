// An engine context over the bundled history: replay market data, the paper exchange, the in-memory store and
// recording fakes. Tests override what their story needs.
import { expect } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/index.js';
import { PaperExchange } from '../../src/adapters/exchange/paper/index.js';
import { bundledHistoryDir, loadHistory, ReplayMarketData, type ReplayHistory } from '../../src/adapters/market-data/replay/index.js';
import { engineSettings } from '../../src/cli/engine-settings.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Engine } from '../../src/engine/build-engine.js';
import type { EngineContext, EngineSettings } from '../../src/engine/engine-context.js';
import type { OpenOutcome } from '../../src/engine/open-position.js';
import type { Analyst } from '../../src/ports/analyst.js';
import { InMemoryStore } from '../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../src/testing/recording-notifier.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';

let history: Promise<ReplayHistory> | undefined;

export function bundledHistory(): Promise<ReplayHistory> {
  history ??= loadHistory(bundledHistoryDir());
  return history;
}

export interface EngineFixture {
  readonly ctx: EngineContext;
  readonly clock: ManualClock;
  readonly store: InMemoryStore;
  readonly notifier: RecordingNotifier;
  readonly logger: RecordingLogger;
  readonly marketData: ReplayMarketData;
}

export async function engineFixture(options: {
  start: Date;
  analysts: readonly Analyst[];
  exitAnalysts?: readonly Analyst[];
  settings?: Partial<EngineSettings>;
  /** The records of an earlier run, e.g. across a restart. */
  store?: InMemoryStore;
}): Promise<EngineFixture> {
  const config = loadConfig({ env: {} });
  const clock = new ManualClock(options.start);
  const marketData = new ReplayMarketData(await bundledHistory(), clock);
  const store = options.store ?? new InMemoryStore();
  const notifier = new RecordingNotifier();
  const logger = new RecordingLogger();
  const exchange = new PaperExchange({
    marketData,
    clock,
    account: store.paperAccount,
    initialBalance: config.initialCapital,
    takerFeeRate: config.costs.takerFeeRate,
    slippageBps: config.costs.slippageBps,
    logger,
  });
  const settings = { ...engineSettings(config, 'replay', marketData.symbols()), ...options.settings };
  const ctx: EngineContext = {
    clock,
    marketData,
    exchange,
    analysts: options.analysts,
    exitAnalysts: options.exitAnalysts ?? [],
    store,
    notifier,
    logger,
    settings,
  };
  return { ctx, clock, store, notifier, logger, marketData };
}

/** Scans `symbol` and opens a long on what the scan found, whichever way its votes leaned: a test's position to work on. */
export async function openLongFromScan(engine: Engine, symbol: string): Promise<OpenOutcome> {
  const scan = await engine.daemon.parts.scanner.scan([symbol]);
  const best = scan.best ?? expect.fail('nothing to trade');
  return engine.daemon.parts.opener.open({ snapshot: best.snapshot, consensus: { ...best.consensus, decision: 'long' }, score: best.score });
}
