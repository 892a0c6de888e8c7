// Sweep trials on the real BullMQ queue (REDIS_URL) with results in the real Postgres (DATABASE_URL), pulled by
// two `npm run worker` processes. One is killed mid-trial: the other finishes that trial. Then a restarted sweep
// replays only what is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../../src/adapters/market-data/replay/index.js';
import { SweepQueue } from '../../../src/adapters/queue/bullmq-sweep-queue.js';
import { openStore } from '../../../src/adapters/store/open-store.js';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import { runTrials } from '../../../src/cli/sweep-runner.js';
import type { TrialSpec } from '../../../src/cli/sweep-trial.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { databaseUrl, dropSchema, redisUrl, required, skipWithout, uniqueName } from '../../support/services.js';

const pgUrl = databaseUrl();
const queueUrl = redisUrl();

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly events: Record<string, unknown>[];
  /** Resolves with the first event (already seen or still to come) that matches. */
  next(match: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function startWorker(prefix: string, schema: string): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/worker.ts', '--prefix', prefix, '--schema', schema, '--lock-ms', '10000'], {
    // The worker machine's own settings differ from the sweep's: the trials must not read them.
    env: { ...process.env, DATABASE_URL: pgUrl, REDIS_URL: queueUrl, INITIAL_CAPITAL: '5000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: Record<string, unknown>[] = [];
  const waiting: { match: (event: Record<string, unknown>) => boolean; resolve: (event: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const event = JSON.parse(line) as Record<string, unknown>;
    events.push(event);
    for (const waiter of [...waiting]) {
      if (waiter.match(event)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  return {
    child,
    events,
    next: (match) => {
      const seen = events.find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ match, resolve }));
    },
  };
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

describe.skipIf(skipWithout(pgUrl) || skipWithout(queueUrl))('sweep trials on BullMQ with two worker processes', () => {
  const schema = uniqueName('sweep_test');
  const prefix = uniqueName('sweep_test');
  const sweepId = uniqueName('sweep');
  const logger = new RecordingLogger();
  const day = (d: number): string => new Date(Date.UTC(2025, 8, 14 + d)).toISOString();
  const specs: TrialSpec[] = [0, 2, 4].map((start) => ({
    sweepId,
    trialId: `t${start}`,
    historyDir: bundledHistoryDir(),
    symbols: ['BTCUSDT'],
    from: day(start),
    to: day(start + 2),
    variables: { INITIAL_CAPITAL: '250' },
    calendar: [],
    setting: { MIN_OPPORTUNITY_SCORE: '70' },
  }));
  let store: SqlStore;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    store = await openStore({ databaseUrl: required(pgUrl, 'DATABASE_URL'), schema, logger });
  });
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGTERM');
      await exited(worker.child);
    }
    for (const name of ['sweeps', 'sweeps_local', 'sweeps_elsewhere', 'sweeps_othercode', 'sweeps_outdated']) {
      const queue = new SweepQueue({ redisUrl: required(queueUrl, 'REDIS_URL'), name, prefix });
      await queue.obliterate();
      await queue.close();
    }
    await store?.close();
    if (pgUrl) await dropSchema(pgUrl, schema);
  }, 60_000);

  it('when a worker is killed mid-trial, then the other worker finishes that trial and every result is recorded', async () => {
    const doomed = startWorker(prefix, schema);
    const survivor = startWorker(prefix, schema);
    workers.push(doomed, survivor);
    await doomed.next((event) => 'ready' in event);
    const survivorReady = await survivor.next((event) => 'ready' in event);

    const sweep = runTrials(specs, { store, logger, queue: { redisUrl: required(queueUrl, 'REDIS_URL'), name: 'sweeps', prefix, localWorkers: 0 } });
    const started = await doomed.next((event) => 'started' in event);
    doomed.child.kill('SIGKILL');
    await exited(doomed.child);
    const results = await sweep;

    expect([...results.keys()].sort()).toEqual(['t0', 't2', 't4']);
    // Replayed with the sweep's capital, sent in the job, not the worker's INITIAL_CAPITAL=5000.
    expect([...results.values()].map((result) => result.dailyEquity[0])).toEqual([250, 250, 250]);
    const recorded = await store.sweepTrials.finished(sweepId);
    expect(recorded.get(String(started.started))?.worker).toBe(survivorReady.ready);
    expect(survivor.events.some((event) => event.started === started.started)).toBe(true);
    expect(doomed.events.some((event) => 'finished' in event)).toBe(false);
    // Each trial's CPU, split: the replay's own thread, and (the rest) V8's compiler and collector threads.
    const costs = survivor.events.filter((event) => 'finished' in event);
    expect(costs.length).toBeGreaterThan(0);
    for (const cost of costs) {
      expect(cost.mainThreadCpuMs).toBeGreaterThan(0);
      expect(cost.mainThreadCpuMs).toBeLessThanOrEqual(Number(cost.cpuMs) + 10);
    }
  }, 300_000);

  it('when the sweep restarts, then only the trial without a result is replayed', async () => {
    const survivor = workers[1];
    if (!survivor) throw new Error('the first test starts the workers');
    const before = await store.sweepTrials.finished(sweepId);
    await store.sweepTrials.forget(sweepId, 't2');
    // What a waiting sweep polls: the finished ids, without the forgotten one.
    expect(await store.sweepTrials.finishedIds(sweepId)).toEqual(new Set([...before.keys()].filter((id) => id !== 't2')));
    const startedBefore = survivor.events.filter((event) => 'started' in event).length;

    const results = await runTrials(specs, { store, logger, queue: { redisUrl: required(queueUrl, 'REDIS_URL'), name: 'sweeps', prefix, localWorkers: 0 } });

    expect(results.size).toBe(3);
    const startedNow = survivor.events.filter((event) => 'started' in event).slice(startedBefore);
    expect(startedNow.map((event) => event.started)).toContain('t2');
    // Nothing that had a result was recorded again. (On a loaded machine a worker that missed its lock renewal may see
    // an earlier job handed out twice; its second result is ignored, which these rows show as well.)
    const after = await store.sweepTrials.finished(sweepId);
    for (const [trialId, row] of before) {
      if (trialId !== 't2') expect(after.get(trialId)?.finishedAt, trialId).toEqual(row.finishedAt);
    }
    expect(after.get('t2')?.result).toEqual(before.get('t2')?.result);
  }, 300_000);

  it('when the sweep starts its own queue worker, then that worker runs the trial in its child and records it', async () => {
    const first = specs[0];
    if (!first) throw new Error('the specs above hold three trials');
    const own: TrialSpec = { ...first, sweepId: `${sweepId}_local`, trialId: 'local' };

    const results = await runTrials([own], {
      store,
      logger,
      queue: {
        redisUrl: required(queueUrl, 'REDIS_URL'),
        name: 'sweeps_local',
        prefix,
        localWorkers: 1,
        results: { databaseUrl: required(pgUrl, 'DATABASE_URL'), schema },
      },
    });

    expect([...results.keys()]).toEqual(['local']);
    const recorded = await store.sweepTrials.finished(own.sweepId);
    expect(recorded.get('local')?.worker).toMatch(/#local-0$/);
    await store.sweepTrials.forget(own.sweepId);
  }, 300_000);

  it('when the only worker records into another database than the sweep reads, then it refuses the trial and the sweep fails saying why, not waiting forever', async () => {
    const first = specs[0];
    if (!first) throw new Error('the specs above hold three trials');
    const elsewhere = uniqueName('sweep_elsewhere');
    const own: TrialSpec = { ...first, sweepId: `${sweepId}_elsewhere`, trialId: 'elsewhere' };
    try {
      const sweep = runTrials([own], {
        store,
        logger,
        queue: {
          redisUrl: required(queueUrl, 'REDIS_URL'),
          name: 'sweeps_elsewhere',
          prefix,
          localWorkers: 1,
          results: { databaseUrl: required(pgUrl, 'DATABASE_URL'), schema: elsewhere },
        },
      });

      await expect(sweep).rejects.toThrow(/elsewhere: this worker records results into another database than the sweep reads them from/);
      expect((await store.sweepTrials.finished(own.sweepId)).size).toBe(0);
    } finally {
      if (pgUrl) await dropSchema(pgUrl, elsewhere);
    }
  }, 300_000);

  it('when the only worker runs other code than the sweep was planned with, then it refuses the trial and the sweep fails saying why, recording nothing', async () => {
    const first = specs[0];
    if (!first) throw new Error('the specs above hold three trials');
    const own: TrialSpec = { ...first, sweepId: `${sweepId}_othercode`, trialId: 'othercode' };

    const sweep = runTrials([own], {
      store,
      logger,
      // As a sweep planned from another checkout or image would stamp its jobs.
      code: '0123456789abcdef0123456789abcdef',
      queue: {
        redisUrl: required(queueUrl, 'REDIS_URL'),
        name: 'sweeps_othercode',
        prefix,
        localWorkers: 1,
        results: { databaseUrl: required(pgUrl, 'DATABASE_URL'), schema },
      },
    });

    await expect(sweep).rejects.toThrow(/othercode: this worker runs other code than the sweep was planned with \(code [0-9a-f]{12}, the sweep's 0123456789ab\)/);
    expect((await store.sweepTrials.finished(own.sweepId)).size).toBe(0);
  }, 300_000);

  it('when `npm run worker` refuses a trial planned on other code, then it stops taking jobs and exits saying why, and the trial keeps its other attempts', async () => {
    const first = specs[0];
    if (!first) throw new Error('the specs above hold three trials');
    const own: TrialSpec = { ...first, sweepId: `${sweepId}_outdated`, trialId: 'outdated' };
    const queue = new SweepQueue<TrialSpec & { code: string }>({ redisUrl: required(queueUrl, 'REDIS_URL'), name: 'sweeps_outdated', prefix });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/worker.ts', '--queue', 'sweeps_outdated', '--prefix', prefix, '--schema', schema], {
      env: { ...process.env, DATABASE_URL: pgUrl, REDIS_URL: queueUrl },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      // As a sweep planned from another checkout or image would queue it.
      await queue.submit([{ id: `${own.sweepId}.${own.trialId}`, data: { ...own, code: '0123456789abcdef0123456789abcdef' } }]);

      expect(await exitCode).toBe(1);
      expect(stderr).toMatch(/worker: stopped: this worker runs other code than the sweep was planned with/);
      // One attempt spent, the others left for a worker on the sweep's code.
      expect(await queue.failed([`${own.sweepId}.${own.trialId}`])).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await queue.close();
    }
  }, 300_000);
});
