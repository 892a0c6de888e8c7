// npm run walkforward -- [--data DIR] [--from DATE] [--to DATE] [--train 90d] [--test 30d] [--grid 'A=1,2;B=3,4']
// Walk-forward evaluation of a grid of settings on history; only the out-of-sample test windows are reported.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readConfiguredCalendar } from '../adapters/calendar/calendar-file.js';
import { createLogger } from '../adapters/logging/create-logger.js';
import { ManualClock } from '../adapters/clock/index.js';
import { bundledHistoryDir, loadHistory, ReplayMarketData } from '../adapters/market-data/replay/index.js';
import { openStore } from '../adapters/store/open-store.js';
import { loadConfig, replayVariables } from '../config/load-config.js';
import { decryptSecret } from '../config/secrets.js';
import { parseDuration, parseGrid, walkForwardFolds } from '../domain/performance/walk-forward-windows.js';
import { DAY_MS } from '../domain/time.js';
import { readCommandLine, UsageError, parseDateOption, runCli } from './command-line.js';
import { refuseStartInWarmup, replayStarts } from './replay-start.js';
import { runTrials } from './sweep-runner.js';
import { calendarForTrial } from './sweep-trial.js';
import { codeFingerprint } from './code-fingerprint.js';
import { folderFingerprint } from './folder-fingerprint.js';
import { formatWalkForward, sweepIdOf, walkForward } from './walk-forward-sweep.js';

const USAGE = `usage: npm run walkforward -- [--data DIR] [--from DATE] [--to DATE] [--train 90d] [--test 30d] [--grid SPEC] [options]
  --data        history folder as for npm run backtest (default: the bundled history)
  --from/--to   the span the windows roll over (default and earliest --from: after the 35-day indicator warm-up; to the
                data's end)
  --train/--test  window lengths in whole days, e.g. 90d, 30d or 48h; windows roll forward by the test length
  --grid        NAME=v1,v2;NAME=v3,v4 over configuration variables (default: MIN_OPPORTUNITY_SCORE=70,80,90;MAX_STOP_LOSS_PERCENT=0.08,0.10)
  --symbols     comma-separated (default: every file in --data)
  --min-trades  a setting needs this many training trades to be chosen (default 3)
  --workers     with REDIS_URL and DATABASE_URL: queue workers started by this process (default 1; 0 leaves the work
                to npm run worker)
  --queue/--prefix  BullMQ queue name and key prefix (default: sweeps, bull)
  --db          keep the embedded database (and so the finished trials) in this folder; DATABASE_URL wins
  --json        write the report to this file
  --quick       a small form for CI: bundled history, 2 symbols, 2 folds of 14d/7d, a grid of 2
  --help        print this and exit
  The same command run again resumes: trials already in the database are not replayed.`;

const QUICK = { from: '2025-09-14', to: '2025-10-12', train: '14d', test: '7d', grid: 'MIN_OPPORTUNITY_SCORE=70,90', symbols: 'BTCUSDT,ETHUSDT' };

async function main(): Promise<number> {
  const line = readCommandLine(USAGE, {
    options: {
      data: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      train: { type: 'string', default: '90d' },
      test: { type: 'string', default: '30d' },
      grid: { type: 'string', default: 'MIN_OPPORTUNITY_SCORE=70,80,90;MAX_STOP_LOSS_PERCENT=0.08,0.10' },
      symbols: { type: 'string' },
      'min-trades': { type: 'string', default: '3' },
      workers: { type: 'string', default: '1' },
      queue: { type: 'string', default: 'sweeps' },
      prefix: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean' },
    },
  });
  if ('exitCode' in line) return line.exitCode;
  const values = line.values.quick ? { ...line.values, ...QUICK } : line.values;
  const config = loadConfig({ dotenvPath: '.env', decryptSecret });
  const logger = createLogger({ level: 'error', secrets: config.secrets, destination: process.stderr });
  // Absolute: a worker started in another folder, or on another machine, reads the same path.
  const historyDir = resolve(values.data ?? bundledHistoryDir());
  const chosenSymbols = values.symbols?.split(',').map((s) => s.trim()).filter(Boolean);
  const grid = parseGrid(values.grid ?? '');
  // Every setting is checked by the configuration before anything runs: a typo fails now, not in trial 37.
  for (const setting of grid) loadConfig({ dotenvPath: '.env', decryptSecret, overrides: setting });
  const history = await loadHistory(historyDir, { symbols: chosenSymbols });
  // Named, not "every file in the folder": a file added later would change what a resumed sweep's trials replay.
  const symbols = chosenSymbols ?? [...history.markets.keys()];
  const variables = replayVariables({ dotenvPath: '.env' });
  const calendar = calendarForTrial(await readConfiguredCalendar(config.portfolio.calendarFile));
  const range = new ReplayMarketData(history, new ManualClock(new Date(0))).range();
  // The first UTC midnight after the indicators' warm-up, and the default: the windows are whole days.
  const { earliest } = replayStarts(history, { wholeDays: true });
  const from = parseDateOption(values.from, 'from') ?? earliest;
  const to = parseDateOption(values.to, 'to') ?? range.to;
  const trainMs = parseDuration(values.train ?? '');
  const testMs = parseDuration(values.test ?? '');
  if (trainMs % DAY_MS !== 0 || testMs % DAY_MS !== 0) throw new UsageError(`--train ${values.train} and --test ${values.test} must be whole days: the figures are daily returns`);
  if (from.getTime() % DAY_MS !== 0) throw new UsageError(`--from ${values.from} must be a UTC midnight (e.g. 2025-09-14): the figures are daily returns`);
  // A replay starts no earlier than the warm-up's end: the first training window would be shorter than reported.
  refuseStartInWarmup(history, from, { wholeDays: true });
  const folds = walkForwardFolds(from, to, trainMs, testMs);
  if (folds.length === 0) {
    throw new UsageError(`no fold fits: ${from.toISOString().slice(0, 10)} → ${to.toISOString().slice(0, 10)} is shorter than --train ${values.train} plus --test ${values.test}`);
  }
  const minTrades = Number(values['min-trades']);
  const workers = Number(values.workers);
  if (!Number.isInteger(minTrades) || minTrades < 0) throw new UsageError('--min-trades must be a whole number');
  if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--workers must be a whole number');
  // Named by what it replays and the code it replays with: other files or an edited engine make another sweep.
  const [historyFingerprint, code] = await Promise.all([folderFingerprint(historyDir), codeFingerprint()]);
  const sweepId = sweepIdOf([historyDir, historyFingerprint, code, symbols, from, to, trainMs, testMs, grid, minTrades, variables, calendar]);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: values.db, logger });
  try {
    // Queue workers, here or on other machines, record their trials in the one shared Postgres.
    const queue =
      config.redisUrl && config.databaseUrl
        ? {
            redisUrl: config.redisUrl,
            name: values.queue ?? 'sweeps',
            ...(values.prefix ? { prefix: values.prefix } : {}),
            localWorkers: workers,
            results: { databaseUrl: config.databaseUrl },
          }
        : undefined;
    console.error(
      queue
        ? `trials on the BullMQ queue ${queue.name} (${workers} worker(s) started by this process)`
        : `trials in this process, one after another (${config.redisUrl ? 'DATABASE_URL' : 'REDIS_URL'} is not set)`,
    );
    const report = await walkForward({ sweepId, historyDir, historyFingerprint, symbols, variables, calendar, folds, grid, minTrades }, (specs, phase) =>
      runTrials(specs, { store, logger, queue, code, onTrialDone: (done, total) => console.error(`${phase} replays ${done}/${total}`) }),
    );
    console.log(formatWalkForward(report));
    if (values.json) {
      await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`report written to ${values.json}`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

runCli('walkforward', main);
