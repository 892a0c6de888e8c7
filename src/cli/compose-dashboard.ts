// The web dashboard of a running daemon: its credentials (made on the first start when none are configured), the
// data it reads, and the routes composed here because they need the configuration (backtests, setup).
import { chmodSync, writeFileSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledHistoryDir } from '../adapters/market-data/replay/index.js';
import { BacktestJobs, backtestRoutes, createDashboard, ReportFiles, reportRoutes, resolveCredentials, setupRoutes, type Dashboard, type Route } from '../adapters/web/index.js';
import { configurationFileWritable, setupServices } from './setup-services.js';
import type { AppConfig } from '../config/app-config.js';
import type { Clock } from '../ports/clock.js';
import type { OwnerControl } from '../ports/control.js';
import type { DashboardReads } from '../ports/dashboard.js';
import type { Logger } from '../ports/logger.js';
import type { MarketData } from '../ports/market-data.js';
import type { StoreRepositories } from '../ports/store.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where `npm run build` puts the page, seen from src/cli and from dist/cli alike. */
export const WEB_BUILD_DIR = resolve(PROJECT_ROOT, 'dist', 'web');

export interface DashboardParts {
  readonly control: OwnerControl;
  readonly reads: DashboardReads;
  readonly store: Pick<StoreRepositories, 'positions' | 'orders' | 'dailyPerformance' | 'rejections' | 'state'>;
  readonly marketData: Pick<MarketData, 'candles'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The configuration file the setup wizard writes; undefined: no wizard. */
  readonly configFile?: string;
  readonly extraRoutes?: readonly Route[];
  /** Tests: where the built page is. */
  readonly staticRoot?: string;
}

function secretsStatus(config: AppConfig): { name: string; set: boolean }[] {
  return [
    { name: config.exchange.id === 'hyperliquid' ? 'HYPERLIQUID_ACCOUNT_ADDRESS' : config.exchange.id === 'bybit' ? 'BYBIT_API_KEY' : 'BINANCE_API_KEY', set: config.exchange.apiKey !== undefined },
    { name: config.exchange.id === 'hyperliquid' ? 'HYPERLIQUID_API_WALLET_KEY' : config.exchange.id === 'bybit' ? 'BYBIT_SECRET_KEY' : 'BINANCE_SECRET_KEY', set: config.exchange.secret !== undefined },
    { name: 'CLAUDE_API_KEY', set: config.ai.claude !== undefined },
    { name: 'DEEPSEEK_API_KEY', set: config.ai.deepseek !== undefined },
    { name: 'GROK_API_KEY', set: config.ai.grok !== undefined },
    { name: 'TELEGRAM_BOT_TOKEN', set: config.telegram !== undefined },
    { name: 'DATABASE_URL', set: config.databaseUrl !== undefined },
    { name: 'REDIS_URL', set: config.redisUrl !== undefined },
    { name: 'DASHBOARD_PASSWORD', set: config.dashboard.ownerPassword !== undefined },
    { name: 'DASHBOARD_READONLY_PASSWORD', set: config.dashboard.readonlyPassword !== undefined },
  ];
}

async function version(): Promise<string> {
  try {
    return (JSON.parse(await readFile(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Where a made password is told: a terminal, or for a service's log (stdout not a terminal) a file beside its hash. */
export interface PasswordOutput {
  readonly isTerminal: boolean;
  readonly print: (text: string) => void;
}

const CONSOLE: PasswordOutput = { isTerminal: process.stdout.isTTY === true, print: (text) => console.log(text) };

/**
 * Told once, on the first start without DASHBOARD_PASSWORD: the only time the password exists in clear. A terminal
 * shows it; a log (Docker keeps one for as long as it rotates) gets only the path of a file that holds it, readable by
 * this user alone, for the owner to read and delete.
 */
export function announcePassword(password: string, file: string, output: PasswordOutput = CONSOLE): void {
  const lines = ['', '================ dashboard ================'];
  if (output.isTerminal) lines.push(`Dashboard password (shown once): ${password}`);
  else {
    const clear = resolve(dirname(file), 'first-password.txt');
    writeFileSync(clear, `${password}\n`, { mode: 0o600 });
    chmodSync(clear, 0o600);
    lines.push(`A dashboard password was made. It is in ${clear}: read it there, then delete that file.`);
  }
  lines.push(`Only its hash is kept (${file}). Set DASHBOARD_PASSWORD to choose your own,`, 'or delete that file to have a new one made at the next start.', '===========================================', '');
  output.print(lines.join('\n'));
}

/** The backtest child: compiled JavaScript in the image and after `npm run build`, TypeScript through tsx otherwise. */
function backtestJobs(config: AppConfig, clock: Clock): BacktestJobs {
  const compiled = import.meta.url.endsWith('.js');
  const entry = resolve(dirname(fileURLToPath(import.meta.url)), compiled ? 'backtest-job.js' : 'backtest-job.ts');
  return new BacktestJobs(
    {
      command: process.execPath,
      args: compiled ? [entry] : ['--import', 'tsx', entry],
      bundledData: bundledHistoryDir(),
      reportsDir: resolve(config.dataDir, 'backtests'),
    },
    clock,
  );
}

export async function composeDashboard(config: AppConfig, parts: DashboardParts): Promise<Dashboard | undefined> {
  if (!config.dashboard.enabled) return undefined;
  const jobs = backtestJobs(config, parts.clock);
  let created: string | undefined;
  const credentials = await resolveCredentials({
    ownerPassword: config.dashboard.ownerPassword,
    readonlyPassword: config.dashboard.readonlyPassword,
    dataDir: config.dataDir,
    announce: (password, file) => {
      created = password;
      announcePassword(password, file);
    },
  });
  const configFile = parts.configFile;
  return createDashboard({
    data: {
      control: parts.control,
      reads: parts.reads,
      store: parts.store,
      marketData: parts.marketData,
      clock: parts.clock,
      limits: {
        maxLeverage: config.risk.maxLeverage,
        positionSizePct: config.risk.positionSizePct,
        maxLossAtStopPct: config.risk.maxLossAtStopPct,
        dailyLossLimitPct: config.risk.dailyLossLimitPct,
        maxConsecutiveLosses: config.risk.maxConsecutiveLosses,
        maxOpenPositions: config.risk.maxOpenPositions,
      },
      scanIntervalMs: config.schedule.scanIntervalMs,
      minConfidence: config.consensus.minConfidence,
      secrets: secretsStatus(config),
    },
    credentials,
    sessionHours: config.dashboard.sessionHours,
    allowedHosts: config.dashboard.allowedHosts,
    secrets: [...config.secrets, ...(created ? [created] : [])],
    staticRoot: parts.staticRoot ?? WEB_BUILD_DIR,
    clock: parts.clock,
    logger: parts.logger,
    version: await version(),
    // Only where the wizard could make the file: a container started without one (docker run --env-file) cannot.
    setupSuggested: async () => {
      if (configFile === undefined) return false;
      try {
        await access(configFile);
        return false;
      } catch {
        return configurationFileWritable(configFile);
      }
    },
    extraRoutes: [
      ...backtestRoutes(jobs),
      ...reportRoutes(new ReportFiles(resolve(config.dashboard.reportsDir))),
      ...(configFile === undefined ? [] : setupRoutes(setupServices({ file: configFile, config, clock: parts.clock, logger: parts.logger }))),
      ...(parts.extraRoutes ?? []),
    ],
    onClose: () => jobs.close(),
  });
}
