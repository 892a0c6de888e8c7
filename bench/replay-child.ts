// One replay of the whole engine in its own process: technical analysts, the paper exchange, and a store: in memory
// (what `npm run backtest` records into), PGlite in memory (`openStore({ logger })`), or Postgres at DATABASE_URL in
// a schema of its own. With --symbols N the history's real series are reused under new names to make N markets.
// With --baseline-rounds R the fixed baseline computation runs R times around the replay, in the same process, and
// the replay is repeated R times on fresh stores: their ratio is the CI gate. Started by the throughput benchmark,
// with --cpu-prof when it wants a profile.
//   node --import tsx bench/replay-child.ts --history <dir> [--symbols N] [--from <iso>] [--to <iso>]
//        [--store memory|pglite|postgres] [--baseline-rounds R] --out <file>
import { writeFile } from 'node:fs/promises';
import { loadHistory, type ReplayHistory } from '../src/adapters/market-data/replay/index.js';
import { InMemoryStore } from '../src/adapters/store/memory/in-memory-store.js';
import { openStore } from '../src/adapters/store/open-store.js';
import { reportedEvent } from '../src/cli/backtest-report.js';
import { runReplay, type ReplayResult } from '../src/cli/replay-runner.js';
import { loadConfig } from '../src/config/load-config.js';
import type { Store } from '../src/ports/store.js';
import { databaseUrl, dropSchema, uniqueName } from '../test/support/services.js';
import { argument } from './child-process.js';
import { profileClockUs, type ProfileWindow } from './cpu-profile.js';
import { QuietLogger } from './harness.js';
import { baselineWork } from './indicator-baseline.js';
import { reusedHistory } from './reused-history.js';

export type ReplayStoreKind = 'memory' | 'pglite' | 'postgres';

export interface ReplayRun {
  readonly store: ReplayStoreKind;
  readonly symbols: number;
  readonly start: string;
  readonly end: string;
  readonly candleSteps: number;
  /** Reading and parsing the history files, once, before the replay. */
  readonly loadMs: number;
  /** Opening the store (PGlite start-up and migrations; nothing for the in-memory store). */
  readonly storeOpenMs: number;
  /** `runReplay` from call to return: the engine's start, every tick, the final flush. */
  readonly replayMs: number;
  /** CPU time (user + system) of the process during `runReplay`. */
  readonly replayCpuMs: number;
  /** From the process's start to the replay's end: Node, the loader, loading the data, the store, the replay. */
  readonly processMs: number;
  readonly trades: number;
  readonly engineErrors: number;
  /** Peak resident set of the whole process, as the kernel counted it. */
  readonly peakRssBytes: number;
  /** The replay's span on the CPU profile's clock, so a profile can leave out start-up. */
  readonly profileWindow: ProfileWindow;
  /** With --baseline-rounds: CPU ms of each replay round and of each baseline round (baseline rounds interleaved). */
  readonly rounds?: { readonly replayCpuMs: readonly number[]; readonly baselineCpuMs: readonly number[] };
}

const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function openKind(kind: ReplayStoreKind, logger: QuietLogger, schema: string | undefined): Promise<Store> {
  if (kind === 'memory') return new InMemoryStore();
  if (kind === 'pglite') return openStore({ logger });
  return openStore({ databaseUrl: databaseUrl(), schema, logger });
}

async function main(): Promise<void> {
  const historyDir = argument('history');
  const out = argument('out');
  if (!historyDir || !out) throw new Error('--history and --out are required');
  const from = argument('from');
  const to = argument('to');
  const count = argument('symbols');
  const rounds = Number(argument('baseline-rounds') ?? 0);
  const kind = (argument('store') ?? 'memory') as ReplayStoreKind;
  if (!['memory', 'pglite', 'postgres'].includes(kind)) throw new Error(`--store ${kind}: memory, pglite or postgres`);
  const url = databaseUrl();
  if (kind === 'postgres' && !url) throw new Error('DATABASE_URL is not set');
  const logger = new QuietLogger();
  const config = loadConfig({ env: {} });

  const loadStarted = performance.now();
  const loaded = await loadHistory(historyDir);
  const history: ReplayHistory = count ? reusedHistory(loaded, Number(count)).history : loaded;
  const loadMs = performance.now() - loadStarted;

  const replayOnce = async (): Promise<{ result: ReplayResult; storeOpenMs: number; replayMs: number; replayCpuMs: number; profileWindow: ProfileWindow }> => {
    const schema = kind === 'postgres' ? uniqueName('bench_replay') : undefined;
    const openStarted = performance.now();
    const store = await openKind(kind, logger, schema);
    const storeOpenMs = performance.now() - openStarted;
    try {
      const started = performance.now();
      const cpuStarted = cpuMs();
      const fromUs = profileClockUs();
      // As `npm run backtest` runs it: the result keeps the events its report reads.
      const result = await runReplay({ history, config, store, logger, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined, keepEvent: reportedEvent });
      return { result, storeOpenMs, replayMs: performance.now() - started, replayCpuMs: cpuMs() - cpuStarted, profileWindow: { fromUs, toUs: profileClockUs() } };
    } finally {
      await store.close();
      if (url && schema) await dropSchema(url, schema);
    }
  };

  const baselineCpuMs: number[] = [];
  const replayCpuMs: number[] = [];
  const baseline = (): void => {
    const started = cpuMs();
    baselineWork();
    baselineCpuMs.push(cpuMs() - started);
  };
  // Baseline, replay, baseline, …: a neighbour who slows one slows the ones beside it alike.
  if (rounds > 0) baseline();
  const first = await replayOnce();
  const processMs = performance.now();
  replayCpuMs.push(first.replayCpuMs);
  for (let round = 1; round < rounds; round += 1) {
    baseline();
    replayCpuMs.push((await replayOnce()).replayCpuMs);
  }
  if (rounds > 0) baseline();

  const run: ReplayRun = {
    store: kind,
    symbols: first.result.symbols.length,
    start: first.result.start.toISOString(),
    end: first.result.end.toISOString(),
    candleSteps: first.result.candleSteps,
    loadMs,
    storeOpenMs: first.storeOpenMs,
    replayMs: first.replayMs,
    replayCpuMs: first.replayCpuMs,
    processMs,
    trades: first.result.trades.length,
    engineErrors: logger.errors,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    profileWindow: first.profileWindow,
    ...(rounds > 0 ? { rounds: { replayCpuMs, baselineCpuMs } } : {}),
  };
  await writeFile(out, JSON.stringify(run));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`replay failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
