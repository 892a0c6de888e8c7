// Not a test: measures how fast decisions.recordMany writes replay-shaped batches (30 rows, one simulated scan).
// Run: npx tsx test/integration/store/measure-decision-inserts.ts   (DATABASE_URL set adds Postgres)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../src/adapters/store/open-store.js';
import type { DecisionRecord, Store } from '../../../src/ports/store.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { dropSchema, uniqueName } from '../../support/services.js';

const BATCH = 30;
const BATCHES = 400;

function batchAt(scan: number): DecisionRecord[] {
  const time = new Date(Date.UTC(2024, 0, 1) + scan * 15 * 60_000);
  return Array.from({ length: BATCH }, (_, index) => ({
    time,
    symbol: `S${index % 10}/USDT:USDT`,
    analyst: ['claude', 'deepseek', 'grok'][index % 3] as string,
    purpose: 'entry',
    outcome: 'valid',
    action: 'hold',
    confidence: 0.41,
    reasoning: 'no edge: RSI mid-range, ADX 14, price inside the bands',
    usage: { model: 'replay', latencyMs: 0, inputTokens: 1800, outputTokens: 120, costUsd: 0.0021, promptHash: 'h', cached: true },
    price: 60_000 + scan,
  }));
}

async function measure(name: string, store: Store): Promise<void> {
  await store.decisions.recordMany(batchAt(-1)); // warm-up: statement planning, first page allocation
  const started = performance.now();
  for (let scan = 0; scan < BATCHES; scan++) await store.decisions.recordMany(batchAt(scan));
  const seconds = (performance.now() - started) / 1_000;
  const rows = BATCH * BATCHES;
  console.log(`${name}: ${rows} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds)} rows/s (${BATCH}-row batches)`);
}

const pglite = await openStore({ logger: new RecordingLogger() });
await measure('PGlite (in memory)', pglite);
await pglite.close();

const dataDir = await mkdtemp(join(tmpdir(), 'measure-pglite-'));
try {
  const fileBacked = await openStore({ dataDir, logger: new RecordingLogger() });
  await measure('PGlite (data directory)', fileBacked);
  await fileBacked.close();
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

const url = process.env.DATABASE_URL;
if (url) {
  const schema = uniqueName('measure');
  const postgres = await openStore({ databaseUrl: url, schema, logger: new RecordingLogger() });
  try {
    await measure('Postgres', postgres);
  } finally {
    await postgres.close();
    await dropSchema(url, schema);
  }
}
