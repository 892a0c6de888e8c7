// Sweep trials as BullMQ jobs on the Redis the stack already runs. BullMQ does the distributed part: any number of
// workers on any machine pull jobs; a worker that dies mid-job stops renewing its lock, the job is found stalled
// and handed to another worker; a failing job is retried up to `attempts`. Job ids are the trials' own
// deterministic ids, so queueing a sweep twice queues each trial once.
import { Queue, QueueEvents, Worker, type ConnectionOptions } from 'bullmq';

export interface SweepQueueOptions {
  readonly redisUrl: string;
  /** The queue's name; sweeps that should share workers share it. */
  readonly name: string;
  /** Redis key prefix (tests use their own, so parallel runs never meet). */
  readonly prefix?: string;
}

export interface SweepWorkerOptions extends SweepQueueOptions {
  readonly concurrency?: number;
  /** How long a worker's lock on a job lasts without renewal: a dead worker's job is retried after about this long. */
  readonly lockMs?: number;
  /** The processor's child processes' whole environment (default: this process's, as a fork inherits it). */
  readonly processorEnv?: NodeJS.ProcessEnv;
}

export interface QueuedJob<T> {
  readonly id: string;
  readonly data: T;
}

/** A job that failed on its last attempt. */
export interface FailedJob {
  readonly id: string;
  readonly reason: string;
}

/** Five tries, 1, 2, 4 and 8 s apart: a Postgres or Redis restart under a trial is waited out, a broken trial is not retried for long. */
const ATTEMPTS = 5;

export function redisConnection(url: string): ConnectionOptions {
  const parsed = new URL(url);
  const db = Number(parsed.pathname.replace('/', '') || '0');
  return {
    host: parsed.hostname,
    port: Number(parsed.port || '6379'),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's blocking commands need this on the worker side; harmless on the queue side.
    maxRetriesPerRequest: null,
  };
}

export class SweepQueue<T> {
  private readonly queue: Queue;
  private events: QueueEvents | undefined;

  constructor(private readonly options: SweepQueueOptions) {
    this.queue = new Queue(options.name, { connection: redisConnection(options.redisUrl), ...(options.prefix ? { prefix: options.prefix } : {}) });
  }

  /**
   * Calls `listener` each time a job of this queue completes or fails an attempt, on any machine (BullMQ's event
   * stream in Redis), from when the returned promise resolves. A hint to look now: events are not kept for a
   * listener that was not there, so what is finished must still be read from where the results are.
   */
  async onSettled(listener: () => void): Promise<void> {
    this.events ??= new QueueEvents(this.options.name, {
      connection: redisConnection(this.options.redisUrl),
      ...(this.options.prefix ? { prefix: this.options.prefix } : {}),
    });
    this.events.on('completed', listener);
    this.events.on('failed', listener);
    await this.events.waitUntilReady();
  }

  /**
   * Queues each job unless one with its id is already waiting, running or delayed. A job that failed for good in an
   * earlier run is removed and queued anew: a restarted sweep tries it again.
   */
  async submit(jobs: readonly QueuedJob<T>[]): Promise<void> {
    for (const job of jobs) {
      const existing = await this.queue.getJob(job.id);
      if (existing && (await existing.isFailed())) await existing.remove();
    }
    await this.queue.addBulk(
      jobs.map((job) => ({
        name: 'trial',
        data: job.data,
        opts: { jobId: job.id, attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: false },
      })),
    );
  }

  /** Which of these jobs failed on their last attempt, with the reason. */
  async failed(ids: readonly string[]): Promise<FailedJob[]> {
    const failed: FailedJob[] = [];
    for (const id of ids) {
      const job = await this.queue.getJob(id);
      if (job && (await job.isFailed())) failed.push({ id, reason: job.failedReason });
    }
    return failed;
  }

  /** Removes every key of this queue (tests clean up after themselves). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }

  async close(): Promise<void> {
    await this.events?.close();
    await this.queue.close();
  }
}

/**
 * V8 gives each process a pool of 4 threads for its collector's parallel and concurrent work and its optimising
 * compiler. A sweep keeps one busy trial child per core it is given, so those threads only take turns with the
 * children's main threads; with one, a trial costs about 5% less CPU (BENCHMARKS.md, section 12).
 */
const TRIAL_CHILD_V8_POOL = '--v8-pool-size=1';

/**
 * This process's Node flags for the child (what BullMQ passes by default), one V8 helper thread unless those flags
 * choose a pool size, and tsx's loader when the processor is TypeScript and this process got its own TypeScript
 * support elsewhere (a test runner's transform, say).
 */
export function childExecArgv(processorFile: URL, parentFlags: readonly string[] = process.execArgv): string[] {
  const flags = parentFlags.filter((flag) => !flag.startsWith('--inspect'));
  const loadsTsx = flags.some((flag, index) => flag.includes('tsx') && (flags[index - 1] === '--import' || flag.startsWith('--import')));
  const pool = flags.some((flag) => flag.startsWith('--v8-pool-size')) ? [] : [TRIAL_CHILD_V8_POOL];
  return processorFile.pathname.endsWith('.ts') && !loadsTsx ? [...flags, ...pool, '--import', 'tsx'] : [...flags, ...pool];
}

/**
 * Starts pulling jobs at once; `close()` lets the running job finish. Each job runs in `processorFile` (its default
 * export gets the job; what it returns is the job's result) inside a child process BullMQ forks and reuses for later
 * jobs: a sandboxed processor (https://docs.bullmq.io/guide/workers/sandboxed-processors). However long a job keeps
 * its child busy, this process's event loop stays free to renew the job's lock every half lock period, so a running
 * job is never taken for stalled and handed out twice; only a worker that is really gone loses its jobs.
 */
export function startSweepWorker(options: SweepWorkerOptions, processorFile: URL): Worker {
  const lockMs = options.lockMs ?? 30_000;
  return new Worker(options.name, processorFile, {
    connection: redisConnection(options.redisUrl),
    ...(options.prefix ? { prefix: options.prefix } : {}),
    concurrency: options.concurrency ?? 1,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    // A job whose worker vanished goes back to the queue; a job that kills every worker it meets fails at last.
    maxStalledCount: ATTEMPTS,
    // Child processes rather than worker threads: a trial that runs out of memory or crashes takes down its child
    // only, and the child inherits this process's loader flags (tsx), so the processor may be TypeScript.
    useWorkerThreads: false,
    // The child's whole environment comes from the caller (the configuration builds it): the one channel to a child
    // BullMQ starts with nothing but the processor file.
    workerForkOptions: { ...(options.processorEnv ? { env: options.processorEnv } : {}), execArgv: childExecArgv(processorFile) },
  });
}
