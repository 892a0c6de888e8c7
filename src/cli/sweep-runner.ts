// Runs a sweep's trials and returns every result, whichever way they run:
// - with a queue (REDIS_URL set): each missing trial becomes a BullMQ job; `localWorkers` workers in this process
//   pull jobs beside any `npm run worker` on other machines; results arrive in the store's sweep_trials table;
// - without: the same trial function, one after another in this process (no queue, nothing to install).
// Either way a trial already in sweep_trials is not run again, so a sweep stopped halfway resumes where it was.
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { SweepQueue, startSweepWorker, type SweepQueueOptions } from '../adapters/queue/bullmq-sweep-queue.js';
import type { SqlStore } from '../adapters/store/sql-store.js';
import type { Logger } from '../ports/logger.js';
import { HistoryCache, runTrial, trialResultSchema, trialSpecSchema, type TrialResult, type TrialSpec } from './sweep-trial.js';

export interface SweepQueueSetup extends SweepQueueOptions {
  /** Workers inside this process (0: only machines running `npm run worker` do the work). */
  readonly localWorkers: number;
  readonly lockMs?: number;
}

export interface SweepRun {
  readonly store: SqlStore;
  readonly logger: Logger;
  readonly queue?: SweepQueueSetup;
  readonly onTrialDone?: (done: number, total: number) => void;
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
    const countOurs = async (): Promise<number> => [...(await finished()).keys()].filter((id) => ours.has(id)).length;
    if (run.queue) await runOnQueue(pending, run, run.queue, countOurs);
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

/** What a queue worker does with a job, on this machine or another: run the trial, record it. */
export function trialJobHandler(store: SqlStore, logger: Logger, worker: string, onEvent?: (event: object) => void) {
  const histories = new HistoryCache();
  return async (job: { data: unknown }, attempt: number): Promise<void> => {
    const spec = trialSpecSchema.parse(job.data);
    onEvent?.({ started: spec.trialId, sweep: spec.sweepId, worker, attempt });
    // The process's CPU time across the trial: with one trial at a time, that trial's cost, whatever else wants the
    // cores (the scaling benchmark compares it with the wall time).
    const cpuBefore = process.cpuUsage();
    const began = performance.now();
    const result = await runTrial(spec, histories, logger);
    await store.sweepTrials.record(spec.sweepId, spec.trialId, spec, result, worker);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    onEvent?.({ finished: spec.trialId, sweep: spec.sweepId, worker, cpuMs, wallMs: Math.round(performance.now() - began) });
  };
}

async function runOnQueue(
  pending: readonly TrialSpec[],
  run: SweepRun,
  setup: SweepQueueSetup,
  finishedCount: () => Promise<number>,
): Promise<void> {
  const queue = new SweepQueue<TrialSpec>(setup);
  const workers = Array.from({ length: setup.localWorkers }, () =>
    startSweepWorker(setup, trialJobHandler(run.store, run.logger, `${workerName()}#in-process`)),
  );
  try {
    await queue.submit(pending.map((spec) => ({ id: jobId(spec), data: spec })));
    const total = (await finishedCount()) + pending.length;
    let shown = -1;
    // Results land in Postgres from any machine; the table, not an event stream, says when the sweep is complete.
    for (;;) {
      const count = await finishedCount();
      if (count !== shown) run.onTrialDone?.((shown = count), total);
      if (count >= total) return;
      const failed = await queue.failed(pending.map(jobId));
      if (failed.length > 0) throw new Error(`sweep: trial failed after retries: ${failed.map((job) => `${job.id}: ${job.reason}`).join('; ')}`);
      await delay(500);
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await queue.close();
  }
}
