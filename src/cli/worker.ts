// npm run worker -- [--queue NAME] [--prefix P] [--concurrency N] [--lock-ms MS]
// Pulls sweep trials (walk-forward grids) from the BullMQ queue on REDIS_URL and writes each result to the Postgres
// on DATABASE_URL. Start it on as many machines as you like: they share the queue and the results table.
import { createLogger } from '../adapters/logging/create-logger.js';
import { openStore } from '../adapters/store/open-store.js';
import { loadConfig } from '../config/load-config.js';
import { decryptSecret } from '../config/secrets.js';
import { readCommandLine, UsageError, runCli } from './command-line.js';
import { OTHER_CODE_REFUSAL } from './code-fingerprint.js';
import { startTrialWorker, workerName } from './sweep-runner.js';

const USAGE = `usage: npm run worker -- [--queue NAME] [--prefix P] [--concurrency N] [--lock-ms MS] [--schema NAME]
  Needs REDIS_URL (the queue) and DATABASE_URL (where results go), the same on every machine, and the same
  history folder path as the sweep that queued the trials.
  --queue        queue name (default: sweeps)
  --prefix       Redis key prefix (default: bull)
  --concurrency  trials at once, each in a child process of its own (default 1; one per core is the most that helps)
  --lock-ms      a job whose worker stops renewing its lock this long is given to another worker (default 30000)
  --schema       Postgres schema of the results (default: the connection's)
  --help         print this and exit
  Each trial runs in a child process the worker keeps for the next one (a BullMQ sandboxed processor), so the
  worker keeps renewing its job's lock however long a trial takes.
  Prints one JSON line per trial started and finished; stops cleanly on SIGINT/SIGTERM (the running trial finishes).`;

const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

async function main(): Promise<number> {
  const line = readCommandLine(USAGE, {
    options: {
      queue: { type: 'string', default: 'sweeps' },
      prefix: { type: 'string' },
      concurrency: { type: 'string', default: '1' },
      'lock-ms': { type: 'string', default: '30000' },
      schema: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if ('exitCode' in line) return line.exitCode;
  const { values } = line;
  const config = loadConfig({ dotenvPath: '.env', decryptSecret });
  if (!config.redisUrl || !config.databaseUrl) {
    throw new UsageError('npm run worker needs REDIS_URL and DATABASE_URL: the queue and the results are shared by every machine');
  }
  const concurrency = positiveInteger(values.concurrency, '--concurrency');
  const lockMs = positiveInteger(values['lock-ms'], '--lock-ms');
  // The trials' children open the store themselves; opening it here first makes a wrong DATABASE_URL fail now, at
  // start-up, and applies any migration once.
  const logger = createLogger({ level: 'error', secrets: config.secrets, destination: process.stderr });
  await (await openStore({ databaseUrl: config.databaseUrl, logger, applicationName: 'sweep-worker', ...(values.schema ? { schema: values.schema } : {}) })).close();
  const name = workerName();
  const worker = startTrialWorker(
    { redisUrl: config.redisUrl, name: values.queue ?? 'sweeps', ...(values.prefix ? { prefix: values.prefix } : {}), concurrency, lockMs },
    { databaseUrl: config.databaseUrl, ...(values.schema ? { schema: values.schema } : {}), worker: name },
    (cost, attempt) => say({ finished: cost.trialId, attempt, ...cost }),
  );
  worker.on('active', (job) => say({ started: trialIdOf(job.data), job: job.id, worker: name, attempt: job.attemptsMade + 1 }));
  let outdated: string | undefined;
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    worker.on('failed', (job, error) => {
      say({ failed: job?.id, reason: error.message });
      // Each refusal costs the trial one of its attempts, and an idle worker on old code would take every retry before
      // the busy ones could: it stops instead, and the retry goes to a worker on the sweep's code.
      if (error.message.startsWith(OTHER_CODE_REFUSAL)) {
        outdated = error.message;
        resolve();
      }
    });
  });
  worker.on('error', (error) => process.stderr.write(`worker: ${error.message}\n`));
  await worker.waitUntilReady();
  say({ ready: name });
  await stopped;
  await worker.close();
  // This process's own CPU (queue bookkeeping: locks, moving jobs); the trials' CPU is their children's.
  const own = process.cpuUsage();
  say({ stopped: name, cpuMs: Math.round((own.user + own.system) / 1000) });
  if (outdated !== undefined) {
    process.stderr.write(`worker: stopped: ${outdated}\n`);
    return 1;
  }
  return 0;
}

const trialIdOf = (data: unknown): string =>
  typeof data === 'object' && data !== null && 'trialId' in data ? String(data.trialId) : '?';

function positiveInteger(text: string | undefined, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag}: ${JSON.stringify(text)} is not a positive whole number`);
  return value;
}

runCli('worker', main);
