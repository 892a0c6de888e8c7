// The daemon's memory over simulated days: the whole engine in replay with the live schedule (a scan every 5 minutes
// while flat, a position check every 60 s), the technical analysts, the paper exchange and a real store, sampled
// after start-up and at the end of every simulated day, each time after a forced GC. The venue's ccxt client is
// created as the daemon creates it in paper and live trading, though a replay never calls it.
//   node --expose-gc --import tsx bench/memory-child.ts --store <pglite|postgres> [--data-dir <dir>] [--daemon-modules yes] --days <n> --out <file>
// With --data-dir, PGlite keeps its files in that directory as the daemon does under ./data (in memory otherwise).
// With --daemon-modules, the daemon's whole module graph (src/main.ts, as `npm start` loads it) is loaded first, so
// that the readings hold what the daemon's process holds, not only the parts a replay uses.
import { writeFile } from 'node:fs/promises';
import { createCcxtClient } from '../src/adapters/exchange/ccxt/ccxt-client.js';
import { bundledHistoryDir } from '../src/adapters/market-data/replay/index.js';
import { openStore } from '../src/adapters/store/open-store.js';
import { runReplay } from '../src/cli/replay-runner.js';
import { loadConfig } from '../src/config/load-config.js';
import { DAY_MS, HOUR_MS } from '../src/domain/time.js';
import type { Store } from '../src/ports/store.js';
import { databaseUrl, dropSchema, uniqueName } from '../test/support/services.js';
import { argument } from './child-process.js';
import { QuietLogger } from './harness.js';
import { sampleMemory, type MemorySample } from './memory-sample.js';

/** The end of the bundled history's warm-up. */
const FROM = new Date('2025-09-14T00:00:00Z');

/** Held for the whole run, as the daemon holds its client: ccxt's share of the memory is part of every reading. */
export const venueClient = await createCcxtClient({ exchangeId: 'binanceusdm' });

export interface MemoryRun {
  readonly store: 'pglite' | 'postgres';
  readonly dataDir?: string;
  readonly afterStartup: MemorySample;
  /** Index 0 is the end of simulated day 1. */
  readonly daily: readonly MemorySample[];
  readonly trades: number;
  readonly engineErrors: number;
  /** Events the replay runner kept for its report (a live daemon keeps none), and their size as JSON. */
  readonly keptEvents: number;
  readonly keptEventBytes: number;
}

async function main(): Promise<void> {
  if (argument('daemon-modules') === 'yes') await import('../src/main.js');
  const kind = argument('store') === 'postgres' ? 'postgres' : 'pglite';
  const days = Number(argument('days') ?? '7');
  const out = argument('out');
  if (!out || !Number.isInteger(days) || days < 1) throw new Error('--days <n ≥ 1> and --out are required');
  const logger = new QuietLogger();
  const url = databaseUrl();
  if (kind === 'postgres' && !url) throw new Error('DATABASE_URL is not set');
  const schema = kind === 'postgres' ? uniqueName('bench_memory') : undefined;
  const dataDir = argument('data-dir');
  const store: Store = kind === 'postgres' ? await openStore({ databaseUrl: url, schema, logger }) : await openStore({ dataDir, logger });

  let afterStartup: MemorySample | undefined;
  const daily: MemorySample[] = [];
  const span = days * DAY_MS;
  try {
    const result = await runReplay({
      historyDir: bundledHistoryDir(),
      config: loadConfig({ env: {} }),
      store,
      logger,
      from: FROM,
      // An hour past the last midnight, so that every day's reading is taken by a tick of the running daemon.
      to: new Date(FROM.getTime() + span + HOUR_MS),
      onStarted: async () => {
        afterStartup = sampleMemory();
      },
      // Called after every tick with the share of the replay done; the first tick past a midnight closes that day.
      onProgress: (done) => {
        const day = Math.floor((done * (span + HOUR_MS)) / DAY_MS + 1e-9);
        if (day > daily.length && daily.length < days) daily.push(sampleMemory());
      },
    });
    if (!afterStartup) throw new Error('the replay never reported its start');
    const run: MemoryRun = {
      store: kind,
      dataDir,
      afterStartup,
      daily,
      trades: result.trades.length,
      engineErrors: logger.errors,
      keptEvents: result.events.length,
      keptEventBytes: JSON.stringify(result.events).length,
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
    process.stderr.write(`memory run failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
