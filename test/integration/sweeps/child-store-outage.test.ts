// A trial child whose first store open meets a Postgres briefly unreachable opens it again at the next job: the trial
// is retried and recorded once Postgres is back, and so is every trial after it on the same reused child.
import net from 'node:net';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../../src/adapters/market-data/replay/index.js';
import { SweepQueue } from '../../../src/adapters/queue/bullmq-sweep-queue.js';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { startTrialWorker } from '../../../src/cli/sweep-runner.js';
import type { TrialSpec } from '../../../src/cli/sweep-trial.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { databaseUrl, dropSchema, eventually, redisUrl, required, skipWithout, uniqueName } from '../../support/services.js';

// Without Postgres and Redis outside CI the file is skipped; in CI a missing one fails it.
const skipped = skipWithout(databaseUrl()) || skipWithout(redisUrl());
const pgUrl = skipped ? '' : required(databaseUrl(), 'DATABASE_URL');
const queueUrl = skipped ? '' : required(redisUrl(), 'REDIS_URL');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP forwarder to the real Postgres, started on `port` only when Postgres is "back". */
function startProxy(port: number): Promise<net.Server> {
  const target = new URL(pgUrl);
  const server = net.createServer((socket) => {
    const upstream = net.connect(Number(target.port || '5432'), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(skipped)('a Postgres outage as a trial child starts', () => {
  const schema = uniqueName('sweep_child_pg');
  const prefix = uniqueName('sweep_child_pg');
  const sweepId = uniqueName('sweep');
  let worker: Worker | undefined;
  let proxy: net.Server | undefined;
  let queue: SweepQueue<TrialSpec>;
  beforeAll(() => {
    queue = new SweepQueue<TrialSpec>({ redisUrl: queueUrl, name: 'sweeps', prefix });
  });

  afterAll(async () => {
    await worker?.close(true);
    await queue.obliterate();
    await queue.close();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    await dropSchema(pgUrl, schema);
  }, 60_000);

  it('when Postgres is back, then the failed trial and the next one are recorded, none failed for good', async () => {
    const port = await freePort();
    const viaProxy = new URL(pgUrl);
    viaProxy.host = `127.0.0.1:${port}`;
    const failures: string[] = [];
    worker = startTrialWorker(
      { redisUrl: queueUrl, name: 'sweeps', prefix, concurrency: 1, lockMs: 10_000 },
      { databaseUrl: viaProxy.toString(), schema, worker: 'outage' },
    );
    worker.on('failed', (job, error) => failures.push(`${job?.id} attempt ${job?.attemptsMade}: ${error.message}`));
    await worker.waitUntilReady();

    const spec = (trialId: string): TrialSpec => ({
      sweepId,
      trialId,
      historyDir: bundledHistoryDir(),
      symbols: ['BTCUSDT'],
      from: new Date(Date.UTC(2025, 8, 14)).toISOString(),
      to: new Date(Date.UTC(2025, 8, 16)).toISOString(),
      variables: {},
      calendar: [],
      setting: {},
    });
    // Postgres "down" (nothing listens on the port): the first attempt fails while opening the child's store.
    await queue.submit([{ id: `${sweepId}.a`, data: spec('a') }]);
    await eventually(() => failures.length >= 1, 20_000);
    // Postgres "back" well before the retry (backoff 1 s).
    proxy = await startProxy(port);
    const direct = await openStore({ databaseUrl: viaProxy.toString(), schema, logger: new RecordingLogger() });
    await direct.close();

    // A trial queued after Postgres is back, on the same worker.
    await queue.submit([{ id: `${sweepId}.b`, data: spec('b') }]);
    const store = await openStore({ databaseUrl: pgUrl, schema, logger: new RecordingLogger() });
    try {
      await eventually(async () => (await store.sweepTrials.finishedIds(sweepId)).size === 2, 30_000);
      expect([...(await store.sweepTrials.finishedIds(sweepId))].sort()).toEqual(['a', 'b']);
    } finally {
      await store.close();
    }
    expect(await queue.failed([`${sweepId}.a`, `${sweepId}.b`])).toEqual([]);
    // Only the attempt made while Postgres was down failed.
    expect(failures).toHaveLength(1);
  }, 60_000);
});
