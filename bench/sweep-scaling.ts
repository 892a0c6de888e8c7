// Sweep scaling: the same trials on the BullMQ queue, pulled by 1 and then by 2 `npm run worker` processes.
//   REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/sweep-scaling.ts
// Prints the wall time of each and the speed-up (target >= 1.7x on two idle cores).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { bundledHistoryDir } from '../src/adapters/market-data/replay/index.js';
import { SweepQueue } from '../src/adapters/queue/bullmq-sweep-queue.js';
import { openStore } from '../src/adapters/store/open-store.js';
import { runTrials } from '../src/cli/sweep-runner.js';
import type { TrialSpec } from '../src/cli/sweep-trial.js';
import { RecordingLogger } from '../src/testing/silent-logger.js';

const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;
if (!redisUrl || !databaseUrl) throw new Error('set REDIS_URL and DATABASE_URL');

const TRIALS = 8;
const tag = randomBytes(4).toString('hex');
const schema = `sweep_bench_${tag}`;

function worker(prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/worker.ts', '--prefix', prefix, '--schema', schema], {
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.includes('"ready"')) resolve(child);
    });
  });
}

async function measure(workers: number, store: Awaited<ReturnType<typeof openStore>>, logger: RecordingLogger): Promise<number> {
  const prefix = `sweep_bench_${tag}_${workers}`;
  const children = await Promise.all(Array.from({ length: workers }, () => worker(prefix)));
  const sweepId = `bench-${tag}-${workers}`;
  const specs: TrialSpec[] = Array.from({ length: TRIALS }, (_, index) => ({
    sweepId,
    trialId: `t${index}`,
    historyDir: bundledHistoryDir(),
    symbols: ['BTCUSDT', 'ETHUSDT'],
    from: new Date(Date.UTC(2025, 8, 14 + 2 * index)).toISOString(),
    to: new Date(Date.UTC(2025, 8, 14 + 2 * index + 7)).toISOString(),
    setting: {},
  }));
  const started = performance.now();
  await runTrials(specs, { store, logger, queue: { redisUrl: redisUrl ?? '', name: 'sweeps', prefix, localWorkers: 0 } });
  const seconds = (performance.now() - started) / 1000;
  for (const child of children) child.kill('SIGTERM');
  const queue = new SweepQueue({ redisUrl: redisUrl ?? '', name: 'sweeps', prefix });
  await queue.obliterate();
  await queue.close();
  return seconds;
}

const logger = new RecordingLogger();
const store = await openStore({ databaseUrl, schema, logger });
try {
  const one = await measure(1, store, logger);
  const two = await measure(2, store, logger);
  console.log(`${TRIALS} trials: 1 worker process ${one.toFixed(1)} s, 2 worker processes ${two.toFixed(1)} s, speed-up ${(one / two).toFixed(2)}x (target >= 1.7x)`);
} finally {
  await store.sweepTrials.forget(`bench-${tag}-1`);
  await store.sweepTrials.forget(`bench-${tag}-2`);
  await store.close();
}
