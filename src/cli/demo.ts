// npm run demo: the daemon on five weeks of real Binance history bundled in the repo, with no keys and no servers:
// embedded PGlite under ./data/demo, technical analysts, notifications printed to the console.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SystemClock } from '../adapters/clock/index.js';
import { createLogger } from '../adapters/logging/create-logger.js';
import { bundledHistoryDir } from '../adapters/market-data/replay/index.js';
import { createNotifications } from '../adapters/notifier/index.js';
import { openStore } from '../adapters/store/open-store.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import type { TradingEvent } from '../domain/events.js';
import { buildReport, formatSummary } from './backtest-report.js';
import { readCommandLine } from './command-line.js';
import { runReplay } from './replay-runner.js';

const USAGE = `usage: npm run demo [-- --help]
Replays five weeks of real Binance futures history bundled in the repository through the whole daemon (technical
analysts, risk manager, paper fills, embedded database under ./data/demo, which is wiped first) and prints the trades
and a summary. Needs no keys and no servers, and ignores .env. For other data or settings: npm run backtest -- --help.
  --help     print this and exit`;

/** The demo shows what a trader would want to read; the 5-minute position updates and daily summaries stay in the outbox. */
const QUIET: ReadonlySet<TradingEvent['type']> = new Set(['position_update', 'daily_summary', 'scan_result', 'portfolio']);

async function main(): Promise<number> {
  const line = readCommandLine(USAGE, { options: { help: { type: 'boolean' } } });
  if ('exitCode' in line) return line.exitCode;
  // The demo always runs on the bundled data with defaults; only .env's risk settings would change the story.
  const config = loadConfig({ env: {}, dotenvPath: undefined });
  const logger = createLogger({ level: 'warn', secrets: config.secrets });
  const dataDir = join('data', 'demo');
  await rm(dataDir, { recursive: true, force: true });
  console.log('Replaying five weeks of real Binance futures history (BTC, ETH, SOL, BNB, XRP, DOGE; Sep-Oct 2025)');
  console.log('through the full pipeline: indicators, three analysts, consensus, risk manager, paper fills, embedded database.\n');
  const store = await openStore({ dataDir, logger });
  const notifications = createNotifications({ outbox: store.outbox, clock: new SystemClock(), logger, minIntervalMs: 0 });
  await notifications.start();
  try {
    const result = await runReplay({
      historyDir: bundledHistoryDir(),
      config,
      store,
      logger,
      notifier: { notify: async (event, within) => (QUIET.has(event.type) ? undefined : notifications.notifier.notify(event, within)) },
    });
    await notifications.stop(10_000);
    console.log(`\n${formatSummary(buildReport(result, config.initialCapital, 0))}`);
    console.log(`\nEvery order, trade, decision and message is in the embedded database under ${dataDir}/.`);
    console.log('Next: `npm run backtest -- --json report.json` for the full report, README.md to trade on live prices.');
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `demo failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
