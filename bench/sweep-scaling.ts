// Sweep scaling: the same trials on the BullMQ queue (REDIS_URL), results in Postgres (DATABASE_URL), pulled first by
// one and then by two worker processes (`src/cli/worker.ts` compiled, as `node dist/cli/worker.js` after `npm run build`
// and in the Docker image). Each worker runs its trials in a child process it keeps (BullMQ's
// sandboxed processor) and reports the CPU time that child spent on every trial. Wall time says what a user waits;
// the CPU times and the machine's load average during the run say whether the trials really ran side by side or only
// took turns on cores the rest of the machine was using.
//   npm run bench -- --only sweep        (a full-bench item, not in --quick; DATABASE_URL and REDIS_URL, or the
//                                         local servers at their default ports)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readConfiguredCalendar } from '../src/adapters/calendar/calendar-file.js';
import { bundledHistoryDir } from '../src/adapters/market-data/replay/index.js';
import { SweepQueue } from '../src/adapters/queue/bullmq-sweep-queue.js';
import { openStore } from '../src/adapters/store/open-store.js';
import { runTrials } from '../src/cli/sweep-runner.js';
import { writeCodeStamp } from '../src/cli/code-fingerprint.js';
import { calendarForTrial, type TrialSpec } from '../src/cli/sweep-trial.js';
import { databaseUrl, dropSchema, redisUrl } from '../test/support/services.js';
import { type CorePairScaling, measureCorePair } from './core-pair.js';
import { fmt, QuietLogger, table, type BenchContext, type BenchOutcome, type Check } from './harness.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** How the same figures carry over to more machines; not measured here (one machine), reasoned from the above. */
const ACROSS_MACHINES = [
  '**Across machines.** Each `npm run worker` started on another machine with the same `REDIS_URL`, `DATABASE_URL` and history folder path pulls from the same queue; BullMQ gives each job to one worker at a time and hands a stalled one (its lock not renewed) to another. A trial costs its worker a few seconds of CPU and the shared services almost nothing: Redis a handful of commands (take the job, renew its lock every half lock period, complete it), Postgres one row in `sweep_trials`. So one Redis and one Postgres are far from the limit at tens of workers, and the speed-up follows the cores added, one trial per core (`--concurrency` per machine), with two limits: each worker\'s trial child starts once and loads the history once (its first trial costs more: the child start-up above, and the history load inside that trial\'s CPU), and a sweep of T trials on W cores still takes at least ceil(T / W) trial times. A walk-forward queues every fold\'s training replays at once (folds × settings: 18 in §11), then the test replays, which depend on the picks (2 a fold: 6 in §11); at most that many workers help in each phase.',
].join('\n');
const TARGET = 1.7;
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];

export interface TrialTiming {
  readonly trialId: string;
  readonly worker: number;
  /** The trial child's CPU time (user + system) on this trial, and its wall time. */
  readonly cpuMs: number;
  readonly wallMs: number;
  /** When the bench heard of the finished trial (`performance.now()` in the bench's process). */
  readonly reportedAtMs: number;
  /** Of `cpuMs`, the child's main thread: the replay itself, without V8's compiler and collector threads. */
  readonly mainThreadCpuMs?: number;
  /** Set on a child's first trial: from its fork to the processor ready (Node, modules, store), wall and CPU. */
  readonly childStartMs?: number;
  readonly childStartCpuMs?: number;
}

export interface Run {
  readonly workers: number;
  readonly wallMs: number;
  readonly trials: readonly TrialTiming[];
  /** 1-minute load average: before the run, and the mean and highest of samples taken every 2 s during it. */
  readonly load: { readonly before: number; readonly mean: number; readonly max: number };
  /** The worker processes' own CPU (queue bookkeeping), excluding their trial children; start-up included. */
  readonly workerCpuMs: number;
}

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
}

/** Where the bench compiles the project for its workers, as `npm run build` does for `dist/` (and the image). */
const WORKER_BUILD_DIR = join(ROOT, '.bench-build', 'sweep-worker');

/**
 * The worker compiled to JavaScript, as the Docker image and `npm run build` give it (`node dist/cli/worker.js`): its
 * trial children then load plain modules, without tsx's loader, and start in about half the time.
 */
async function compileWorker(): Promise<string> {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', WORKER_BUILD_DIR], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`sweep bench: tsc could not compile the worker (exit ${code})`);
  // As `npm run build` does: without it the workers could not tell their code, and would refuse every trial.
  await writeCodeStamp(WORKER_BUILD_DIR);
  return join(WORKER_BUILD_DIR, 'cli', 'worker.js');
}

function startWorker(script: string, index: number, prefix: string, schema: string, timings: TrialTiming[], own: number[], db: string, redis: string): WorkerProcess {
  // SWEEP_BENCH_LOCK_MS: the workers' --lock-ms, to see how much of a loaded machine's result is lapsed locks.
  const lock = process.env.SWEEP_BENCH_LOCK_MS ? ['--lock-ms', process.env.SWEEP_BENCH_LOCK_MS] : [];
  const child = spawn(process.execPath, [script, '--prefix', prefix, '--schema', schema, ...lock], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db, REDIS_URL: redis },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker ${index} exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as { ready?: string; finished?: string; stopped?: string; cpuMs?: number; wallMs?: number; mainThreadCpuMs?: number; childStartMs?: number; childStartCpuMs?: number };
      if (event.ready) resolve();
      if (event.stopped && event.cpuMs !== undefined) own.push(event.cpuMs);
      if (event.finished && event.cpuMs !== undefined && event.wallMs !== undefined) {
        timings.push({ trialId: event.finished, worker: index, cpuMs: event.cpuMs, wallMs: event.wallMs, reportedAtMs: performance.now(),
          ...(event.mainThreadCpuMs !== undefined ? { mainThreadCpuMs: event.mainThreadCpuMs } : {}),
          ...(event.childStartMs !== undefined ? { childStartMs: event.childStartMs } : {}),
          ...(event.childStartCpuMs !== undefined ? { childStartCpuMs: event.childStartCpuMs } : {}),
        });
      }
    });
  });
  return { child, ready, exited };
}

/** What the trials replay: the bench's year of data in the full form, the bundled history in the quick one. */
interface TrialPlan {
  readonly count: number;
  readonly days: number;
  readonly historyDir: string;
  /** The first window's start, and how far each later window starts after the one before. */
  readonly firstFrom: Date;
  readonly stepDays: number;
}

const DAY_MS = 86_400_000;

function trials(sweepId: string, plan: TrialPlan, calendar: TrialSpec['calendar']): TrialSpec[] {
  return Array.from({ length: plan.count }, (_, index) => {
    const from = plan.firstFrom.getTime() + index * plan.stepDays * DAY_MS;
    return {
      sweepId,
      trialId: `t${index}`,
      historyDir: plan.historyDir,
      // The defaults and the bundled calendar, whatever this machine's environment holds: the same trials everywhere.
      variables: {},
      calendar,
      symbols: SYMBOLS,
      from: new Date(from).toISOString(),
      to: new Date(from + plan.days * DAY_MS).toISOString(),
      setting: {},
    };
  });
}

async function measure(script: string, workers: number, plan: TrialPlan, db: string, redis: string, schema: string, tag: string): Promise<Run> {
  const logger = new QuietLogger();
  const store = await openStore({ databaseUrl: db, schema, logger });
  const prefix = `sweep_bench_${tag}_${workers}`;
  const sweepId = `bench-${tag}-${workers}`;
  const timings: TrialTiming[] = [];
  const own: number[] = [];
  const processes = Array.from({ length: workers }, (_, index) => startWorker(script, index, prefix, schema, timings, own, db, redis));
  let run: Omit<Run, 'workerCpuMs'> | undefined;
  try {
    // Workers start (modules load, Postgres connects) before the clock starts. Their trial children are forked by
    // BullMQ at the first job, inside the timed run; each child's start-up is reported (childStartMs).
    await Promise.all(processes.map((worker) => worker.ready));
    const before = loadavg()[0] ?? 0;
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(loadavg()[0] ?? 0), 2_000);
    const started = performance.now();
    try {
      await runTrials(trials(sweepId, plan, calendarForTrial(await readConfiguredCalendar(undefined))), { store, logger, queue: { redisUrl: redis, name: 'sweeps', prefix, localWorkers: 0 } });
    } finally {
      clearInterval(sampler);
    }
    const wallMs = performance.now() - started;
    samples.push(loadavg()[0] ?? 0);
    run = { workers, wallMs, trials: timings, load: { before, mean: samples.reduce((a, b) => a + b, 0) / samples.length, max: Math.max(...samples) } };
  } finally {
    for (const worker of processes) worker.child.kill('SIGTERM');
    await Promise.all(processes.map((worker) => worker.exited));
    const queue = new SweepQueue({ redisUrl: redis, name: 'sweeps', prefix });
    await queue.obliterate();
    await queue.close();
    await store.sweepTrials.forget(sweepId);
    await store.close();
  }
  if (!run) throw new Error('sweep bench: the run ended without its figures');
  return { ...run, workerCpuMs: own.reduce((a, b) => a + b, 0) };
}

const total = (run: Run, key: 'cpuMs' | 'wallMs'): number => run.trials.reduce((sum, trial) => sum + trial[key], 0);
const mean = (run: Run, key: 'cpuMs' | 'wallMs'): number => total(run, key) / Math.max(1, run.trials.length);
/** How many cores the trial children kept busy on average: all trials' CPU over the wall time. */
const coresUsed = (run: Run): number => total(run, 'cpuMs') / run.wallMs;
/** Mean CPU of the trials a child ran first (the history load and the JIT's warm-up fall in them), and of the rest. */
const cpuSplit = (run: Run): [number, number] => {
  const meanOf = (trials: readonly TrialTiming[]): number => trials.reduce((sum, trial) => sum + trial.cpuMs, 0) / Math.max(1, trials.length);
  return [meanOf(run.trials.filter((trial) => trial.childStartMs !== undefined)), meanOf(run.trials.filter((trial) => trial.childStartMs === undefined))];
};
const childStarts = (run: Run): { wallMs: number; cpuMs: number }[] =>
  run.trials.flatMap((trial) => (trial.childStartMs === undefined ? [] : [{ wallMs: trial.childStartMs, cpuMs: trial.childStartCpuMs ?? 0 }]));
const startText = (start: { wallMs: number; cpuMs: number }): string => `${fmt.s(start.wallMs)} (CPU ${fmt.s(start.cpuMs)})`;
/** A trial's first run in this sweep (a second one means its lock lapsed and another worker took it). */
const firstRuns = (run: Run): TrialTiming[] => run.trials.filter((trial, index) => run.trials.findIndex((other) => other.trialId === trial.trialId) === index);
/** The CPU a worker's child needed for its first runs, plus its start-up: its busy time on a core of its own. */
const busyMs = (run: Run, worker: number): number =>
  firstRuns(run)
    .filter((trial) => trial.worker === worker)
    .reduce((sum, trial) => sum + trial.cpuMs + (trial.childStartCpuMs ?? 0), 0);

/**
 * How long, at the end of a run, one worker had no trial left while another still ran its last: a sweep of T trials
 * on W workers waits for the slowest last trial, and trials of equal windows still differ in cost with the market.
 */
export function idleAtEndMs(run: Pick<Run, 'trials'>): number {
  const lastByWorker = new Map<number, number>();
  for (const trial of run.trials) lastByWorker.set(trial.worker, Math.max(lastByWorker.get(trial.worker) ?? -Infinity, trial.reportedAtMs));
  const lasts = [...lastByWorker.values()];
  return lasts.length < 2 ? 0 : Math.max(...lasts) - Math.min(...lasts);
}

/** The most two workers can gain on two cores, and the figures it comes from. */
export interface TwoCoreCeiling {
  readonly ceiling: number;
  /** The share of the child's CPU that ran off its main thread, over the run. */
  readonly otherShare: number;
  /** Off the main thread: in the child's first trial, and in a trial of the later half on average. */
  readonly firstOtherMs: number;
  readonly laterOtherMs: number;
  /** What the child's first trial cost beyond a warmed-up one. */
  readonly warmUpMs: number;
}

/**
 * From the 1-worker run's CPU alone. Its child's main thread sets the 1-worker wall time, while V8's compiler and
 * collector threads (most of them in the first trials, while the JIT warms up) run on the spare core for free. Two
 * children on two cores have no spare core: all their threads' CPU, and a second child's start-up and warm-up, are
 * shared by the two. Undefined where the kernel gave no per-thread figures.
 */
export function twoCoreCeiling(run: Run): TwoCoreCeiling | undefined {
  const trials = firstRuns(run);
  if (trials.length < 4 || trials.some((trial) => trial.mainThreadCpuMs === undefined)) return undefined;
  const start = trials.reduce((sum, trial) => sum + (trial.childStartCpuMs ?? 0), 0);
  const main = trials.reduce((sum, trial) => sum + (trial.mainThreadCpuMs ?? 0), 0);
  const all = trials.reduce((sum, trial) => sum + trial.cpuMs, 0);
  // The second child's extra first trial: what a child's first trial costs beyond a warmed-up one (the later half).
  const later = trials.slice(Math.floor(trials.length / 2));
  const first = trials.find((trial) => trial.childStartMs !== undefined) ?? trials[0];
  const warmUpMs = Math.max(0, (first?.cpuMs ?? 0) - later.reduce((sum, trial) => sum + trial.cpuMs, 0) / later.length);
  const other = (trial: TrialTiming | undefined): number => (trial ? trial.cpuMs - (trial.mainThreadCpuMs ?? 0) : 0);
  return {
    ceiling: (start + main) / ((2 * start + all + warmUpMs) / 2),
    otherShare: (all - main) / all,
    firstOtherMs: other(first),
    laterOtherMs: later.reduce((sum, trial) => sum + other(trial), 0) / later.length,
    warmUpMs,
  };
}

/** Postgres and Redis on this machine at their default ports, when the environment names none. */
const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/** The bench's year of real data (bench/data/README.md); its first 35 days are the indicators' warm-up. */
const YEAR_DIR = join(ROOT, 'bench', 'data', 'binance-usdm');

/**
 * The full form replays what a walk-forward's training trials replay: 90-day windows (the issue's `--train 90d`) of
 * two markets, 32 of them (a year's walk-forward with 30-day test windows has 9 folds; a grid of 3-4 settings makes
 * 27-36 training trials), each a week later than the last. The quick form only checks that the machinery works.
 */
const PLANS: Record<BenchContext['mode'], TrialPlan & { rounds: number }> = {
  full: { count: 32, days: 90, historyDir: YEAR_DIR, firstFrom: new Date('2025-02-05T00:00:00Z'), stepDays: 7, rounds: 3 },
  quick: { count: 4, days: 2, historyDir: bundledHistoryDir(), firstFrom: new Date('2025-09-14T00:00:00Z'), stepDays: 1, rounds: 1 },
};

export interface Round {
  readonly one: Run;
  readonly two: Run;
}

/**
 * Two workers can only add contention to a trial, never take CPU off it. A round whose lone worker spent this much more
 * CPU on a warmed-up trial than the two did beside it was slowed by the host: a guest that counts no steal time books
 * the vCPU the host took away as the process's own. Its ratio overstates the speed-up, so it is shown and not judged.
 */
const UNSTEADY_CPU_RATIO = 1.15;

export function unsteadyRound(round: Round): boolean {
  const alone = cpuSplit(round.one)[1];
  const paired = cpuSplit(round.two)[1];
  return paired > 0 && alone > UNSTEADY_CPU_RATIO * paired;
}

/** The round whose ratio is the median of the steady rounds', or undefined when no round was steady. */
export function medianSteadyRound(rounds: readonly Round[]): Round | undefined {
  const sorted = rounds.filter((round) => !unsteadyRound(round)).sort((a, b) => speedUpOf(a) - speedUpOf(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export async function runSweepScaling(ctx: BenchContext): Promise<BenchOutcome> {
  const db = databaseUrl() ?? LOCAL_DATABASE_URL;
  const redis = redisUrl() ?? LOCAL_REDIS_URL;
  const title = 'Sweep scaling: 1 against 2 worker processes (BullMQ)';
  const plan = PLANS[ctx.mode];
  const tag = randomBytes(4).toString('hex');
  const schema = `sweep_bench_${tag}`;
  const rounds: Round[] = [];
  try {
    ctx.progress('compiling the worker (tsc), as the image runs it');
    const script = await compileWorker();
    const machine: CorePairScaling[] = [];
    if (plan.rounds > 1) {
      ctx.progress('what this machine gives two busy processes: an arithmetic loop and an allocating loop, alone and two at once');
      for (const kind of ['alu', 'alloc'] as const) machine.push(await measureCorePair(kind, 3));
    }
    // 1 worker and then 2, in each of several rounds: a machine's slow minute then falls on both sides of one
    // round's ratio, and the median of the rounds' ratios is the figure, not one lucky or unlucky run.
    for (let round = 1; round <= plan.rounds; round += 1) {
      ctx.progress(`round ${round}/${plan.rounds}: ${plan.count} trials of ${plan.days} days × ${SYMBOLS.length} symbols, 1 worker process`);
      const one = await measure(script, 1, plan, db, redis, schema, `${tag}r${round}`);
      ctx.progress(`1 worker: ${fmt.s(one.wallMs)}; now 2 worker processes`);
      const two = await measure(script, 2, plan, db, redis, schema, `${tag}r${round}`);
      ctx.progress(`2 workers: ${fmt.s(two.wallMs)} (${(one.wallMs / two.wallMs).toFixed(2)}x)`);
      rounds.push({ one, two });
    }
    return outcome(title, plan, rounds, machine);
  } finally {
    await dropSchema(db, schema);
  }
}

const speedUpOf = (round: Round): number => round.one.wallMs / round.two.wallMs;

/** The trials' figure beside what the machine gives two copies of a loop with no project code in it. */
function machineParagraph(machine: readonly CorePairScaling[], speedUp: number): string {
  const text = machine.map((pair) => `${CORE_PAIR_WORK[pair.kind]} ${pair.speedUp.toFixed(2)}x (${fmt.s(pair.aloneMs)} alone, ${fmt.s(pair.pairedMs)} each of two)`).join('; ');
  return `**What the machine gives two processes.** The same 1-against-2 comparison on fixed work with none of the project's code (bench/core-pair-child.ts), each copy timed inside its process: ${text}. Whatever two copies of such a loop lose to each other (a shared physical core, shared caches, memory bandwidth) the trials lose too; a replay allocates about a gigabyte a second, so its ceiling here is nearer the allocating loop's than the arithmetic loop's. The trials' ${speedUp.toFixed(2)}x is to be read against those.`;
}

/** Why two workers on two cores stay below 2x before any cache or memory is shared: the JIT's own threads. */
function ceilingParagraph(bound: TwoCoreCeiling, cores: number): string {
  return `**What V8's own threads cost two workers on ${cores} cores.** Each trial child reports its main thread's CPU apart from the whole process's (\`/proc/thread-self/schedstat\`). In the 1-worker run ${fmt.pct(bound.otherShare)} of the child's CPU ran on other threads: V8's optimising compiler and the collector's helpers: ${fmt.s(bound.firstOtherMs)} in the child's first trial, while the JIT warms up, and ${fmt.s(bound.laterOtherMs)} in a trial of the later half. With one worker that work runs on the spare core and costs no wall time; two children on ${cores} cores have no spare core, and the second child pays its own start-up and warm-up (its first trial costs ${fmt.s(bound.warmUpMs)} more than a warmed-up one). From the 1-worker run's figures alone, two workers can then reach at most **${bound.ceiling.toFixed(2)}x** on ${cores} cores, with no cache or memory bandwidth shared at all. With a third core for those threads, the limit is the CPU-time figure above.`;
}

const CORE_PAIR_WORK: Record<CorePairScaling['kind'], string> = {
  alu: 'an arithmetic loop (registers only)',
  alloc: 'an allocating loop (short-lived objects, as a replay makes)',
};

function outcome(title: string, plan: TrialPlan, rounds: readonly Round[], machine: readonly CorePairScaling[]): BenchOutcome {
  const { count, days } = plan;
  if (rounds.length === 0) throw new Error('sweep bench: no round was measured');
  const steady = medianSteadyRound(rounds);
  // With no steady round the figures below describe the first, and the target is not met: nothing was shown.
  const middle = steady ?? rounds[0]!;
  const { one, two } = middle;
  const speedUp = speedUpOf(middle);
  const roundText = (round: Round): string => `${speedUpOf(round).toFixed(2)}${unsteadyRound(round) ? ' unsteady' : ''}`;
  const unsteady = rounds.filter(unsteadyRound).length;
  const cpuRatio = mean(two, 'cpuMs') / mean(one, 'cpuMs');
  const repeats = rounds.reduce((sum, round) => sum + [round.one, round.two].reduce((n, run) => n + run.trials.length - firstRuns(run).length, 0), 0);
  const recorded = rounds.map((round) => firstRuns(round.two).length);
  // Two workers on two idle cores finish when the busier one has done its share: its child's CPU (start-up
  // included). Against the 1-worker run's CPU, that is the speed-up the code gives once the machine gives each
  // worker a core; the wall-clock figure above it is what this machine gave, load and all.
  const cpuSpeedUp = busyMs(one, 0) / Math.max(busyMs(two, 0), busyMs(two, 1));
  const shares = [0, 1].map((worker) => firstRuns(two).filter((trial) => trial.worker === worker).length);
  const bound = twoCoreCeiling(one);
  const starts = [...childStarts(one), ...childStarts(two)];
  const cores = cpus().length;
  const row = (run: Run, round: number): string[] => [
    String(round),
    String(run.workers),
    fmt.s(run.wallMs),
    `${fmt.s(mean(run, 'cpuMs'))} (${cpuSplit(run).map((ms) => fmt.s(ms)).join(' / ')})`,
    fmt.s(mean(run, 'wallMs')),
    coresUsed(run).toFixed(2),
    `${childStarts(run).length}: ${childStarts(run).map(startText).join(', ')}`,
    fmt.s(run.workerCpuMs),
    `${run.load.before.toFixed(2)}; ${run.load.mean.toFixed(2)} (≤ ${run.load.max.toFixed(2)})`,
    run.workers > 1 ? fmt.s(idleAtEndMs(run)) : '–',
  ];
  const loaded = Math.max(one.load.mean, two.load.mean) > cores;
  const checks: Check[] = [
    {
      what: `2 worker processes ≥ ${TARGET}x as fast as 1 (wall clock, ${count} trials${rounds.length > 1 ? `; the median of ${rounds.length} rounds, unsteady ones left out` : ''})`,
      measured: `${steady ? `${speedUp.toFixed(2)}x` : 'no steady round'}${rounds.length > 1 || unsteady > 0 ? ` (rounds: ${rounds.map(roundText).join(', ')})` : ''}`,
      passed: steady !== undefined && speedUp >= TARGET,
      gate: false,
    },
    { what: `speed-up from the CPU time per trial (each worker on a core of its own; ${count} trials)`, measured: `${cpuSpeedUp.toFixed(2)}x`, passed: cpuSpeedUp >= TARGET, gate: false },
    { what: 'CPU time per trial, 2 workers against 1', measured: cpuRatio.toFixed(2), passed: true, gate: false, reported: true },
    ...(bound
      ? [{ what: `most 2 workers can gain on ${cores} cores, from the 1-worker run (V8's compiler and collector threads lose their spare core)`, measured: `${bound.ceiling.toFixed(2)}x (${fmt.pct(bound.otherShare)} of a trial child's CPU off its main thread)`, passed: true, gate: false, reported: true } satisfies Check]
      : []),
    { what: 'load average (1 min) during the runs, 1 worker / 2 workers', measured: `${one.load.mean.toFixed(2)} / ${two.load.mean.toFixed(2)} on ${cores} cores`, passed: true, gate: false, reported: true },
    { what: 'trial child start-up (fork to processor ready), once per worker', measured: starts.map(startText).join(', '), passed: true, gate: false, reported: true },
    { what: 'trials run a second time (a lapsed lock)', measured: String(repeats), passed: repeats === 0, gate: false },
    ...machine.map((pair): Check => ({
      what: `this machine, no project code: ${CORE_PAIR_WORK[pair.kind]}, two copies at once against one (median of ${pair.rounds.length})`,
      measured: `${pair.speedUp.toFixed(2)}x (rounds: ${pair.rounds.map((x) => x.toFixed(2)).join(', ')})`,
      passed: true,
      gate: false,
      reported: true,
    })),
    {
      what: 'every trial recorded, both workers took trials',
      measured: `${recorded.join(', ')} of ${count}; median round's split ${shares.join('/')}`,
      passed: recorded.every((n) => n === count) && rounds.every((round) => [0, 1].every((worker) => round.two.trials.some((trial) => trial.worker === worker))),
      gate: true,
    },
  ];
  const markdown = [
    `${count} trials (the unmodified engine replayed over ${days} days of ${SYMBOLS.join(' and ')} from ${plan.historyDir === YEAR_DIR ? "the bench's year of data (`bench/data/`), as a walk-forward's training trials do" : 'the bundled history'}, each window ${plan.stepDays === 1 ? 'a day' : `${plan.stepDays} days`} later than the last), queued on BullMQ and pulled by \`npm run worker\` processes on this machine (${cores} cores); results in Postgres. Each worker, compiled with tsc as the Docker image runs it (\`node dist/cli/worker.js\`), runs its trials in one child process that BullMQ forks at its first job and keeps (a sandboxed processor), and reports that child's CPU time (user + system) on each trial. The workers are started and ready before the clock starts; their children start inside the timed run. Each trial records into a store in memory, as \`npm run backtest\` does. ${rounds.length > 1 ? `The two runs are repeated in ${rounds.length} rounds, 1 worker then 2 in each; the figure is the median round's, and the text below describes that round (round ${rounds.indexOf(middle) + 1}).` : ''}${unsteady > 0 ? ` ${unsteady} round(s) were unsteady and are not judged: the lone worker spent more than ${UNSTEADY_CPU_RATIO}x the CPU of either of two on a warmed-up trial, which only the host taking its vCPU away explains${steady ? '' : '; no round was steady, so the target is not met and the text describes round 1'}.` : ''}`,
    '',
    table(
      ['round', 'worker processes', 'wall time', 'CPU per trial (a child\'s first / the rest)', 'wall per trial', 'cores kept busy', 'trial children: start-up (its CPU)', 'workers\' own CPU', 'load (1 min): before; mean (max) during', 'one worker idle at the end'],
      rounds.flatMap((round, index) => [row(round.one, index + 1), row(round.two, index + 1)]),
    ),
    '',
    `**Wall-clock speed-up: ${speedUp.toFixed(2)}x** (target ≥ ${TARGET}x). **From the CPU time per trial: ${cpuSpeedUp.toFixed(2)}x**: the 1-worker run's CPU (its child's start-up CPU included) against the busier worker's in the 2-worker run (first runs only${shares[0] === shares[1] ? '' : `; the trials split ${shares.join(' and ')}`}), which is what two workers achieve when each has a core. CPU time per trial with 2 workers is ${cpuRatio.toFixed(2)}x that with 1: each child's first trial carries the history load and the JIT's warm-up (${fmt.s(cpuSplit(one)[0])} against ${fmt.s(cpuSplit(one)[1])} for the rest with 1 worker), and two workers pay it twice over half as many trials each; the rest of the trials cost ${fmt.s(cpuSplit(one)[1])} with 1 worker and ${fmt.s(cpuSplit(two)[1])} with 2 (two busy processes on ${cores} cores also share caches and memory bandwidth). The sandbox costs one child start-up per worker (${starts.map(startText).join(', ')}: Node, loading the compiled engine, the store's connection), not one per trial: the child is reused, with its store connection and loaded history. At the end of the 2-worker run one worker had no trial left for ${fmt.s(idleAtEndMs(two))} while the other finished its last (${fmt.pct(idleAtEndMs(two) / two.wallMs)} of the run; across the rounds ${rounds.map((round) => fmt.s(idleAtEndMs(round.two))).join(', ')}): trials of equal windows differ in cost with what the market did, and the sweep waits for the last. The workers' own processes, which only renew locks and move jobs, used ${fmt.s(one.workerCpuMs)} and ${fmt.s(two.workerCpuMs)} of CPU in all (start-up included). ${repeats > 0 ? `${repeats} trial(s) ran twice. ` : 'No trial ran twice. '}${loaded ? `The machine's load average during the runs (${one.load.mean.toFixed(1)} and ${two.load.mean.toFixed(1)} on ${cores} cores) counts the runs' own threads (the trial children's main and helper threads, the workers, Postgres) and anything else: where it passes the cores, some of them waited for one, and the wall clock stretches beyond the CPU time.` : 'The machine was not loaded beyond its cores during the runs, so the wall-clock figure is the one to read.'}`,
    ...(machine.length > 0 ? ['', machineParagraph(machine, speedUp)] : []),
    ...(bound ? ['', ceilingParagraph(bound, cores)] : []),
    '',
    ACROSS_MACHINES,
  ].join('\n');
  const summary = [
    `1 worker ${fmt.s(one.wallMs)}, 2 workers ${fmt.s(two.wallMs)}: ${speedUp.toFixed(2)}x wall clock (load ${one.load.mean.toFixed(2)} / ${two.load.mean.toFixed(2)} on ${cores} cores); from CPU per trial ${cpuSpeedUp.toFixed(2)}x (${fmt.s(mean(one, 'cpuMs'))} vs ${fmt.s(mean(two, 'cpuMs'))} a trial)`,
  ];
  return { id: 'sweep', title, markdown, summary, checks };
}
