// One replay of the whole engine in its own process: technical analysts, the paper exchange, and the embedded store
// (PGlite in memory, as `openStore({ logger })` opens it), or Postgres at DATABASE_URL in a schema of its own.
// Started by the throughput benchmark, with --cpu-prof when it wants a profile.
//   node --import tsx bench/replay-child.ts --history <dir> [--from <iso>] [--to <iso>] [--store postgres] --out <file>
import { writeFile } from 'node:fs/promises';
import { loadHistory } from '../src/adapters/market-data/replay/index.js';
import { openStore } from '../src/adapters/store/open-store.js';
import { runReplay } from '../src/cli/replay-runner.js';
import { loadConfig } from '../src/config/load-config.js';
import type { Store } from '../src/ports/store.js';
import { databaseUrl, dropSchema, uniqueName } from '../test/support/services.js';
import { argument } from './child-process.js';
import { profileClockUs, type ProfileWindow } from './cpu-profile.js';
import { QuietLogger } from './harness.js';

export interface ReplayRun {
  readonly symbols: number;
  readonly start: string;
  readonly end: string;
  readonly candleSteps: number;
  /** Opening the store (PGlite start-up and migrations), before the replay. */
  readonly storeOpenMs: number;
  /** Reading and parsing the history files alone (measured separately; the replay reads them again). */
  readonly loadMs: number;
  /** `runReplay` from call to return: loading, the engine's start, every tick, the final flush. */
  readonly replayMs: number;
  readonly trades: number;
  readonly engineErrors: number;
  readonly rssBytes: number;
  /** The replay's span on the CPU profile's clock, so a profile can leave out start-up. */
  readonly profileWindow: ProfileWindow;
}

async function main(): Promise<void> {
  const historyDir = argument('history');
  const out = argument('out');
  if (!historyDir || !out) throw new Error('--history and --out are required');
  const from = argument('from');
  const to = argument('to');
  const logger = new QuietLogger();
  const config = loadConfig({ env: {} });

  const loadStarted = performance.now();
  await loadHistory(historyDir);
  const loadMs = performance.now() - loadStarted;

  const kind = argument('store') === 'postgres' ? 'postgres' : 'pglite';
  const url = databaseUrl();
  if (kind === 'postgres' && !url) throw new Error('DATABASE_URL is not set');
  const schema = kind === 'postgres' ? uniqueName('bench_replay') : undefined;
  const openStarted = performance.now();
  const store: Store = kind === 'postgres' ? await openStore({ databaseUrl: url, schema, logger }) : await openStore({ logger });
  const storeOpenMs = performance.now() - openStarted;
  try {
    const started = performance.now();
    const fromUs = profileClockUs();
    const result = await runReplay({
      historyDir,
      config,
      store,
      logger,
      from: from ? new Date(from) : undefined,
      to: to ? new Date(to) : undefined,
    });
    const replayMs = performance.now() - started;
    const profileWindow = { fromUs, toUs: profileClockUs() };
    const run: ReplayRun = {
      symbols: result.symbols.length,
      start: result.start.toISOString(),
      end: result.end.toISOString(),
      candleSteps: result.candleSteps,
      storeOpenMs,
      loadMs,
      replayMs,
      trades: result.trades.length,
      engineErrors: logger.errors,
      rssBytes: process.memoryUsage().rss,
      profileWindow,
    };
    await writeFile(out, JSON.stringify(run));
  } finally {
    await store.close();
    if (url && schema) await dropSchema(url, schema);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`replay failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
