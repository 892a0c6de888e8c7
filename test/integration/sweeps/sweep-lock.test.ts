// A trial that keeps its processor busy far longer than the lock lasts, with a second worker checking for stalled
// jobs the whole time, against the real Redis and Postgres. The worker runs the trial in a child process (BullMQ's
// sandboxed processor), so its own loop keeps renewing the lock: the job is not taken for stalled, and the trial runs
// and is recorded once.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../../src/adapters/market-data/replay/index.js';
import { SweepQueue, startSweepWorker } from '../../../src/adapters/queue/bullmq-sweep-queue.js';
import { openStore } from '../../../src/adapters/store/open-store.js';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import { processorEnvironment } from '../../../src/config/sweep-processor.js';
import type { TrialSpec } from '../../../src/cli/sweep-trial.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { databaseUrl, dropSchema, redisUrl, required, skipWithout, uniqueName } from '../../support/services.js';

const pgUrl = databaseUrl();
const queueUrl = redisUrl();
const LOCK_MS = 1_000;
// The lock manager renews a job at most every quarter lock period (its timer runs every half renewal period, and
// renews a lock older than that), so this many renewals span at least 3 lock periods: 3 stalled checks of each worker.
const RENEWALS = 12;

type BlockingTrial = TrialSpec & { release: string };

/** Resolves once `worker` has renewed the lock of `jobId` `count` times. */
function renewals(worker: Worker, jobId: string, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const listener = (renewed: { jobIds: string[] }): void => {
      if (renewed.jobIds.includes(jobId) && ++seen >= count) {
        worker.off('locksRenewed', listener);
        resolve();
      }
    };
    worker.on('locksRenewed', listener);
  });
}

describe.skipIf(skipWithout(pgUrl) || skipWithout(queueUrl))('a sweep trial that blocks its processor past the lock duration', () => {
  const schema = uniqueName('sweep_lock');
  const prefix = uniqueName('sweep_lock');
  const sweepId = uniqueName('sweep');
  const logger = new RecordingLogger();
  let store: SqlStore;
  let folder: string;
  const workers: Worker[] = [];
  let queue: SweepQueue<BlockingTrial>;

  beforeAll(async () => {
    store = await openStore({ databaseUrl: required(pgUrl, 'DATABASE_URL'), schema, logger });
    folder = await mkdtemp(join(tmpdir(), 'sweep-lock-'));
    queue = new SweepQueue<BlockingTrial>({ redisUrl: required(queueUrl, 'REDIS_URL'), name: 'sweeps', prefix });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await queue?.obliterate();
    await queue?.close();
    await store?.close();
    if (pgUrl) await dropSchema(pgUrl, schema);
    if (folder) await rm(folder, { recursive: true, force: true });
  }, 60_000);

  it('when the trial holds its child for three lock periods, then its worker keeps the lock and the trial runs once', async () => {
    const release = join(folder, 'release');
    execFileSync('mkfifo', [release]);
    const processor = new URL('./blocking-trial-processor.ts', import.meta.url);
    const names = ['first', 'second'];
    const active: string[] = [];
    const stalled: string[] = [];
    const failed: string[] = [];
    for (const name of names) {
      const worker = startSweepWorker(
        {
          redisUrl: required(queueUrl, 'REDIS_URL'),
          name: 'sweeps',
          prefix,
          lockMs: LOCK_MS,
          processorEnv: processorEnvironment({ databaseUrl: required(pgUrl, 'DATABASE_URL'), schema, worker: name }),
        },
        processor,
      );
      worker.on('active', () => active.push(name));
      worker.on('stalled', (jobId) => stalled.push(jobId));
      worker.on('failed', (_job, error) => failed.push(error.message));
      workers.push(worker);
    }
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    const taken = new Promise<{ worker: Worker; jobId: string }>((resolve) => {
      for (const worker of workers) worker.once('active', (job) => resolve({ worker, jobId: job.id ?? '' }));
    });
    const trial: BlockingTrial = {
      sweepId,
      trialId: 'blocked',
      historyDir: bundledHistoryDir(),
      symbols: ['BTCUSDT'],
      variables: {},
      calendar: [],
      from: new Date(Date.UTC(2025, 8, 14)).toISOString(),
      to: new Date(Date.UTC(2025, 8, 16)).toISOString(),
      setting: {},
      release,
    };

    await queue.submit([{ id: `${sweepId}.blocked`, data: trial }]);
    const holder = await taken;
    await renewals(holder.worker, holder.jobId, RENEWALS);
    const completed = new Promise<unknown>((resolve) => holder.worker.once('completed', (_job, value: unknown) => resolve(value)));
    await writeFile(release, 'go');
    const cost = (await completed) as { worker: string; trialId: string };

    expect(active).toHaveLength(1);
    expect(stalled).toEqual([]);
    expect(failed).toEqual([]);
    const recorded = await store.sweepTrials.finished(sweepId);
    expect([...recorded.keys()]).toEqual(['blocked']);
    expect(recorded.get('blocked')?.worker).toBe(cost.worker);
    expect(cost.trialId).toBe('blocked');
  }, 120_000);
});
