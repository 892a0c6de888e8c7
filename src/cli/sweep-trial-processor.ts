// The sandboxed processor of sweep workers: BullMQ runs this file in a child process of the worker and hands it each
// job (https://docs.bullmq.io/guide/workers/sandboxed-processors). A trial is a CPU-bound replay; run in the worker's
// own event loop it starved BullMQ's lock renewal on a busy machine, the lock lapsed and the job ran a second time
// elsewhere. Here the worker's loop only renews locks and moves jobs. BullMQ keeps the child for the next job, so
// its store connection and loaded history serve every trial it runs.
import type { SandboxedJob } from 'bullmq';
import { createLogger } from '../adapters/logging/create-logger.js';
import { openStore } from '../adapters/store/open-store.js';
import type { SqlStore } from '../adapters/store/sql-store.js';
import type { Logger } from '../ports/logger.js';
import { readProcessorSettings, type ProcessorSettings } from '../config/sweep-processor.js';
import type { TrialCost } from './sweep-processor-settings.js';
import { threadCpuMs } from './thread-cpu.js';
import { SystemClock } from '../adapters/clock/system-clock.js';
import { retryTemporary, type RetryOptions } from '../engine/retry.js';
import { checkSameCode } from './code-fingerprint.js';
import { checkSameDatabase } from './sweep-database.js';
import { HistoryCache, runTrial, trialSpecSchema } from './sweep-trial.js';

interface ChildContext {
  readonly settings: ProcessorSettings;
  readonly store: SqlStore;
  readonly logger: Logger;
  readonly histories: HistoryCache;
  /** From the fork to this context ready, milliseconds, and the CPU time that took. */
  readonly startMs: number;
  readonly startCpuMs: number;
}

const CLOCK = new SystemClock();
const RECORD_RETRY: RetryOptions = { attempts: 6, baseDelayMs: 1_000, maxWaitMs: 60_000 };

let context: Promise<ChildContext> | undefined;
let opened = false;
let trialsRun = 0;

// A child whose worker died (SIGKILL, a crash) must not live on as an orphan that finishes and records the job
// BullMQ is about to hand to another worker: the IPC channel closing is the parent's death notice.
process.once('disconnect', () => process.exit(1));

async function open(): Promise<ChildContext> {
  // The settings the parent worker put in this child's environment (src/config/sweep-processor.ts), not a user's.
  const settings = readProcessorSettings();
  const logger = createLogger({ level: 'error', secrets: [settings.databaseUrl], destination: process.stderr });
  const store = await openStore({
    databaseUrl: settings.databaseUrl,
    logger,
    applicationName: 'sweep-trial',
    ...(settings.schema ? { schema: settings.schema } : {}),
  });
  const cpu = process.cpuUsage();
  return { settings, store, logger, histories: new HistoryCache(), startMs: performance.now(), startCpuMs: (cpu.user + cpu.system) / 1000 };
}

/** A store the child could not open (Postgres restarting) is opened again by the next job, not kept as a failure. */
function childContext(): Promise<ChildContext> {
  if (context === undefined) {
    const opening = open();
    context = opening;
    opening.catch(() => {
      if (context === opening) context = undefined;
    });
  }
  return context;
}

export default async function processTrial(job: SandboxedJob): Promise<TrialCost> {
  const first = !opened;
  const child = await childContext();
  opened = true;
  const spec = trialSpecSchema.parse(job.data);
  await checkSameDatabase(child.store.state, spec.resultsDatabase);
  await checkSameCode(spec.code);
  const cpuBefore = process.cpuUsage();
  const mainBefore = threadCpuMs();
  const began = performance.now();
  const result = await runTrial(spec, child.histories, child.logger);
  // The parent is gone: its job goes to another worker, whose result is the one to keep.
  if (!process.connected) throw new Error('the worker that started this trial is gone');
  // A Postgres restart under a finished trial costs the trial a wait, not its replay again.
  await retryTemporary(CLOCK, () => child.store.sweepTrials.record(spec.sweepId, spec.trialId, spec, result, child.settings.worker), RECORD_RETRY);
  const cpu = process.cpuUsage(cpuBefore);
  const mainAfter = threadCpuMs();
  return {
    worker: child.settings.worker,
    trialId: spec.trialId,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    wallMs: Math.round(performance.now() - began),
    ...(mainBefore !== undefined && mainAfter !== undefined ? { mainThreadCpuMs: Math.round(mainAfter - mainBefore) } : {}),
    ...(first ? { childStartMs: Math.round(child.startMs), childStartCpuMs: Math.round(child.startCpuMs) } : {}),
    childTrials: ++trialsRun,
  };
}
