// One scan cycle with three AI analysts whose providers take 5 s per answer: the real MarketScanner (bounded
// parallelism, full and cascade mode) against the sequential loop of the original specification (for each symbol,
// for each model, await the call) on the same servers, in the same run.
import { CachedAnalyst } from '../src/adapters/analyst/ai/index.js';
import { InProcessCache } from '../src/adapters/cache/in-process-cache.js';
import { ManualClock } from '../src/adapters/clock/index.js';
import { PaperExchange } from '../src/adapters/exchange/paper/index.js';
import { bundledHistoryDir, loadHistory, ReplayMarketData, type ReplayHistory } from '../src/adapters/market-data/replay/index.js';
import { createAiAnalysts, screenerOf } from '../src/cli/compose-analysts.js';
import { engineSettings } from '../src/cli/engine-settings.js';
import type { AppConfig } from '../src/config/app-config.js';
import { buildEngine } from '../src/engine/build-engine.js';
import { SnapshotService } from '../src/engine/snapshots.js';
import type { Analyst } from '../src/ports/analyst.js';
import { InMemoryStore } from '../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../src/testing/recording-notifier.js';
import { fmt, QuietLogger, table, type BenchContext, type BenchOutcome } from './harness.js';
import { reusedHistory } from './reused-history.js';
import { StubProviders, type ProviderCalls } from './stub-providers.js';

/** Inside the bundled history, with its 35 days of warm-up behind it. */
const AT = new Date('2025-10-01T12:00:00Z');
const TARGET_MS = 20_000;
const BASELINE_ABOVE_MS = 90_000;
/** The parallel scan must beat the sequential loop by at least this in the quick form (a ratio, not a time). */
const QUICK_MIN_SPEEDUP = 3;

interface Phase {
  readonly ms: number;
  readonly calls: ProviderCalls;
  readonly decisions?: string;
}

const totalCalls = (calls: ProviderCalls): number => calls.claude + calls.deepseek + calls.grok;

async function timedScan(providers: StubProviders, config: AppConfig, world: { history: ReplayHistory; symbols: string[] }, aiMode: 'full' | 'cascade', delayMs: number): Promise<Phase> {
  const logger = new QuietLogger();
  const clock = new ManualClock(AT);
  const marketData = new ReplayMarketData(world.history, clock);
  const store = new InMemoryStore();
  const exchange = new PaperExchange({ marketData, clock, account: store.paperAccount, initialBalance: config.initialCapital, takerFeeRate: config.costs.takerFeeRate, slippageBps: config.costs.slippageBps, logger });
  // As the live composition wires them: each provider behind the per-candle vote cache (empty at the first scan).
  const ai = createAiAnalysts(config, logger);
  const cache = new InProcessCache(clock);
  const analysts: Analyst[] = ai.map((analyst) => new CachedAnalyst(analyst, cache, { logger }));
  const settings = { ...engineSettings(config, 'live', world.symbols, { ai: true, screener: screenerOf(ai) }), aiMode };
  const engine = buildEngine(
    { clock, marketData, exchange, analysts, exitAnalysts: analysts, store, notifier: new RecordingNotifier(), logger, settings },
    { orphanPolicy: 'adopt', settingsView: {} },
  );
  providers.answerAfter(delayMs);
  const started = performance.now();
  const result = await engine.daemon.parts.scanner.scan(world.symbols);
  const ms = performance.now() - started;
  const directional = result.ranked.filter((candidate) => candidate.consensus.decision !== 'hold').length;
  if (result.failedSymbols.length > 0) throw new Error(`the ${aiMode} scan skipped ${result.failedSymbols.join(', ')}`);
  return { ms, calls: providers.calls(), decisions: `${result.ranked.length} assessed, ${directional} with a directional consensus` };
}

/** The specification's loop: one symbol after another, one model after another, each call awaited. */
async function sequentialBaseline(providers: StubProviders, config: AppConfig, world: { history: ReplayHistory; symbols: string[] }, delayMs: number): Promise<Phase> {
  const logger = new QuietLogger();
  const clock = new ManualClock(AT);
  const snapshots = new SnapshotService(new ReplayMarketData(world.history, clock), clock, 250);
  const analysts = createAiAnalysts(config, logger);
  providers.answerAfter(delayMs);
  const started = performance.now();
  for (const symbol of world.symbols) {
    const snapshot = await snapshots.snapshot(symbol);
    for (const analyst of analysts) {
      const vote = await analyst.assess(snapshot);
      if (vote.outcome === 'failed') throw new Error(`baseline: ${analyst.name} failed on ${symbol}: ${vote.reason}`);
    }
  }
  return { ms: performance.now() - started, calls: providers.calls() };
}

export async function runScanCycle(ctx: BenchContext): Promise<BenchOutcome> {
  const quick = ctx.mode === 'quick';
  const symbolCount = quick ? 5 : 15;
  const delayMs = quick ? 1_000 : 5_000;
  const world = reusedHistory(await loadHistory(bundledHistoryDir()), symbolCount);
  const providers = await StubProviders.start();
  let full: Phase;
  let cascade: Phase;
  let baseline: Phase;
  try {
    const config = providers.config();
    ctx.progress(`scanning ${symbolCount} symbols, every provider answering after ${delayMs / 1000} s`);
    full = await timedScan(providers, config, world, 'full', delayMs);
    ctx.progress(`full mode: ${fmt.s(full.ms)}`);
    cascade = await timedScan(providers, config, world, 'cascade', delayMs);
    ctx.progress(`cascade mode: ${fmt.s(cascade.ms)}; now the sequential baseline (about ${fmt.s(symbolCount * 3 * delayMs)})`);
    baseline = await sequentialBaseline(providers, config, world, delayMs);
    ctx.progress(`sequential baseline: ${fmt.s(baseline.ms)}`);
  } finally {
    await providers.close();
  }
  const speedup = baseline.ms / full.ms;
  const calls = (phase: Phase) => `${totalCalls(phase.calls)} (Claude ${phase.calls.claude}, DeepSeek ${phase.calls.deepseek}, Grok ${phase.calls.grok})`;
  const rows = [
    ['sequential loop of the spec (baseline)', fmt.s(baseline.ms), calls(baseline), '(votes only, no consensus)', '1.0x'],
    ['MarketScanner, full mode', fmt.s(full.ms), calls(full), full.decisions ?? '', fmt.ratio(speedup)],
    ['MarketScanner, cascade mode (the default)', fmt.s(cascade.ms), calls(cascade), cascade.decisions ?? '', fmt.ratio(baseline.ms / cascade.ms)],
  ];
  const checks = quick
    ? [{ what: `parallel scan ≥ ${QUICK_MIN_SPEEDUP}x faster than the sequential loop`, measured: fmt.ratio(speedup), passed: speedup >= QUICK_MIN_SPEEDUP, gate: true }]
    : [
        { what: `scan of ${symbolCount} symbols × 3 models, full mode, ≤ 20 s`, measured: fmt.s(full.ms), passed: full.ms <= TARGET_MS, gate: false },
        { what: 'sequential baseline > 90 s (the problem is real)', measured: fmt.s(baseline.ms), passed: baseline.ms > BASELINE_ABOVE_MS, gate: false },
        { what: `parallel scan ≥ ${QUICK_MIN_SPEEDUP}x faster than the sequential loop`, measured: fmt.ratio(speedup), passed: speedup >= QUICK_MIN_SPEEDUP, gate: true },
      ];
  const markdown = [
    `${symbolCount} symbols: the six real series of the bundled history (BTC, ETH, SOL, BNB, XRP, DOGE), reused under new names (BTC2, ETH2, …) to make ${symbolCount}, at ${AT.toISOString()}. Three AI analysts through their real SDKs (Claude via \`@anthropic-ai/sdk\`, DeepSeek and Grok via \`openai\`) against local servers on 127.0.0.1 that answer every call after ${delayMs / 1000} s, from the prompt (a trend follower's answer with realistic token counts). The scans are the engine's own \`MarketScanner.scan\` (\`scanConcurrency\` ${15}), with the analysts behind the per-candle vote cache as in live trading (empty at a first scan). The baseline is the original specification's loop on the same servers: for each symbol, for each model, await the call.`,
    '',
    table(['scan', 'wall time', 'provider calls', 'symbols', 'speed-up'], rows),
    '',
    `Full mode asks all three models about every symbol at once, so a scan lasts about one provider round trip (${delayMs / 1000} s) plus the snapshots; the baseline pays every round trip in turn (${symbolCount} × 3 × ${delayMs / 1000} s). Cascade mode (the default) first drops quiet markets with a technical pre-filter and asks the cheap screener (DeepSeek) alone, and only where it proposes a trade asks Claude and Grok: ${totalCalls(cascade.calls)} calls instead of ${totalCalls(full.calls)}, at the price of a second round trip for the symbols that pass the screen.`,
  ].join('\n');
  const summary = [
    `baseline (sequential) ${fmt.s(baseline.ms)}; full ${fmt.s(full.ms)} (${fmt.ratio(speedup)} faster); cascade ${fmt.s(cascade.ms)} (${totalCalls(cascade.calls)} calls vs ${totalCalls(full.calls)})`,
  ];
  return { id: 'scan', title: 'Scan cycle', markdown, summary, checks };
}
