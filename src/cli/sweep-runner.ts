// Runs a sweep's trials and returns every result, whichever way they run:
// - with a queue (REDIS_URL and DATABASE_URL set): each missing trial becomes a BullMQ job; `localWorkers` workers
//   started by this process pull jobs beside any `npm run worker` on other machines, each running its trials in a
//   child process; results arrive in the shared Postgres's sweep_trials table;
// - without: the same trial function, one after another in this process (no queue, nothing to install).
// Either way a trial already in sweep_trials is not run again, so a sweep stopped halfway resumes where it was.
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { Worker } from 'bullmq';
import { SweepQueue, startSweepWorker, type SweepQueueOptions, type SweepWorkerOptions } from '../adapters/queue/bullmq-sweep-queue.js';
import type { SqlStore } from '../adapters/store/sql-store.js';
import type { Logger } from '../ports/logger.js';
import { describeError, TemporaryError } from '../domain/errors.js';
import { processorEnvironment, type ProcessorSettings } from '../config/sweep-processor.js';
import { trialCostSchema, trialProcessorFile, type TrialCost } from './sweep-processor-settings.js';
import { codeFingerprint } from './code-fingerprint.js';
import { sweepDatabaseId } from './sweep-database.js';
import { HistoryCache, runTrial, trialResultSchema, type TrialResult, type TrialSpec } from './sweep-trial.js';

export interface SweepQueueSetup extends SweepQueueOptions {
  /** Workers inside this process (0: only machines running `npm run worker` do the work). */
  readonly localWorkers: number;
  readonly lockMs?: number;
  /** Where the local workers' children write results: the Postgres (and schema) of the sweep's own store. */
  readonly results?: Omit<ProcessorSettings, 'worker'>;
}

export interface SweepRun {
  readonly store: SqlStore;
  readonly logger: Logger;
  readonly queue?: SweepQueueSetup;
  readonly onTrialDone?: (done: number, total: number) => void;
  /** The code the sweep was planned with (`codeFingerprint`), which every queued trial carries; default this process's. */
  readonly code?: string;
}

/** How often a waiting sweep reads the results table when no job event woke it (one missed while connecting). */
const RESULTS_POLL_MS = 2_000;

/** A wait that a wake() cuts short, including one that came before the wait began. */
class Wakeup {
  private woken = false;
  private cut: AbortController | undefined;

  wake(): void {
    this.woken = true;
    this.cut?.abort();
  }

  async wait(ms: number): Promise<void> {
    if (!this.woken) {
      this.cut = new AbortController();
      await delay(ms, undefined, { signal: this.cut.signal }).catch(() => undefined);
      this.cut = undefined;
    }
    this.woken = false;
  }
}

/** A BullMQ job id: the sweep and the trial (BullMQ refuses ':' in custom ids). */
export const jobId = (spec: Pick<TrialSpec, 'sweepId' | 'trialId'>): string => `${spec.sweepId}.${spec.trialId}`;

export const workerName = (): string => `${hostname()}/${process.pid}`;

export async function runTrials(specs: readonly TrialSpec[], run: SweepRun): Promise<Map<string, TrialResult>> {
  const sweepIds = new Set(specs.map((spec) => spec.sweepId));
  const finished = async (): Promise<Map<string, TrialResult>> => {
    const results = new Map<string, TrialResult>();
    for (const sweepId of sweepIds) {
      for (const [trialId, trial] of await run.store.sweepTrials.finished(sweepId)) results.set(trialId, trialResultSchema.parse(trial.result));
    }
    return results;
  };
  const done = await finished();
  const pending = specs.filter((spec) => !done.has(spec.trialId));
  if (pending.length > 0) {
    const ours = new Set(specs.map((spec) => spec.trialId));
    // Polled while the queue works: ids only, so a long sweep's waiting costs its Postgres a small read, not every result.
    const countOurs = async (): Promise<number> => {
      let count = 0;
      for (const sweepId of sweepIds) for (const id of await run.store.sweepTrials.finishedIds(sweepId)) if (ours.has(id)) count += 1;
      return count;
    };
    if (run.queue) await runOnQueue(pending, run, run.queue, countOurs, ours.size);
    else await runInProcess(pending, run, specs.length - pending.length, specs.length);
  }
  const results = await finished();
  const missing = specs.filter((spec) => !results.has(spec.trialId));
  if (missing.length > 0) throw new Error(`sweep: ${missing.length} trial(s) have no result: ${missing.map((spec) => spec.trialId).join(', ')}`);
  return results;
}

async function runInProcess(pending: readonly TrialSpec[], run: SweepRun, alreadyDone: number, total: number): Promise<void> {
  const histories = new HistoryCache();
  let done = alreadyDone;
  for (const spec of pending) {
    const result = await runTrial(spec, histories, run.logger);
    await run.store.sweepTrials.record(spec.sweepId, spec.trialId, spec, result, 'in-process');
    run.onTrialDone?.(++done, total);
  }
}

/**
 * A queue worker, in this process or `npm run worker`: BullMQ runs each trial in a reused child process
 * (sweep-trial-processor.ts) that replays it and records it in Postgres, so the worker's own loop stays free to
 * renew the job's lock. `onFinished` hears what each trial cost its child.
 */
export function startTrialWorker(
  options: SweepWorkerOptions,
  results: ProcessorSettings,
  onFinished?: (cost: TrialCost, attempt: number) => void,
): Worker {
  const worker = startSweepWorker({ ...options, processorEnv: processorEnvironment(results) }, trialProcessorFile());
  if (onFinished) worker.on('completed', (job, value: unknown) => onFinished(trialCostSchema.parse(value), job.attemptsMade));
  return worker;
}

/**
 * `total` is the number of the sweep's trials, from its specs: a count read from the table after submitting could
 * include a trial another machine's worker recorded meanwhile and count it twice, and the sweep would never end.
 */
async function runOnQueue(
  pending: readonly TrialSpec[],
  run: SweepRun,
  setup: SweepQueueSetup,
  finishedCount: () => Promise<number>,
  total: number,
): Promise<void> {
  const results = setup.results;
  if (setup.localWorkers > 0 && !results) throw new Error('sweep: local queue workers need the Postgres their trials are recorded in');
  const queue = new SweepQueue<TrialSpec>(setup);
  const workers = results
    ? Array.from({ length: setup.localWorkers }, (_, index) => {
        const worker = startTrialWorker(setup, { ...results, worker: `${workerName()}#local-${index}` });
        // A lost Redis connection or a lock it could not renew: BullMQ retries; the sweep carries on and says so.
        worker.on('error', (error) => run.logger.warn({ err: error.message }, 'sweep worker error'));
        return worker;
      })
    : [];
  const settled = new Wakeup();
  try {
    await queue.onSettled(() => settled.wake());
    const resultsDatabase = await sweepDatabaseId(run.store.state);
    const code = run.code ?? (await codeFingerprint());
    await queue.submit(pending.map((spec) => ({ id: jobId(spec), data: { ...spec, resultsDatabase, code } })));
    let shown = -1;
    // Results land in Postgres from any machine; the table, not the event stream, says when the sweep is complete.
    // An event only says to look now: the last trial's end is seen at once, not at the next poll.
    for (;;) {
      // A Postgres restart while the sweep waits is waited out: the workers go on, and the next poll reads again.
      const count = await finishedCount().catch((error: unknown) => {
        if (!(error instanceof TemporaryError)) throw error;
        run.logger.warn({ error: describeError(error) }, 'sweep: could not read the finished trials; reading again at the next poll');
        return undefined;
      });
      if (count !== undefined && count !== shown) run.onTrialDone?.((shown = count), total);
      if (count !== undefined && count >= total) return;
      const failed = await queue.failed(pending.map(jobId));
      if (failed.length > 0) throw new Error(`sweep: trial failed after retries: ${failed.map((job) => `${job.id}: ${job.reason}`).join('; ')}`);
      await settled.wait(RESULTS_POLL_MS);
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await queue.close();
  }
}
