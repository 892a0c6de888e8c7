// Composition root of the live and paper daemon: configuration, adapters, engine, notifications, signals and an
// orderly shutdown. Replays are composed in cli/replay-runner.ts from the same engine.
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { CcxtExchange } from './adapters/exchange/ccxt/ccxt-exchange.js';
import { PaperExchange } from './adapters/exchange/paper/index.js';
import { AcceleratedClock, SystemClock } from './adapters/clock/index.js';
import { openCache } from './adapters/cache/open-cache.js';
import { consoleStream } from './adapters/logging/console-stream.js';
import { createLogger } from './adapters/logging/create-logger.js';
import { SecretScrubber } from './adapters/logging/scrub-secrets.js';
import { secretsHiddenInHtml } from './cli/hide-secrets.js';
import { StoreLogSink } from './adapters/logging/store-log-sink.js';
import { CcxtMarketData } from './adapters/market-data/ccxt/ccxt-market-data.js';
import { bracketTable, withLeverageBrackets } from './adapters/market-data/bracketed-market-data.js';
import { bundledHistoryDir, LEVERAGE_BRACKETS_FILE, loadLeverageBrackets } from './adapters/market-data/replay/index.js';
import type { MarketData } from './ports/market-data.js';
import { createNotifications } from './adapters/notifier/index.js';
import { StartFailureNotice } from './adapters/notifier/start-failure-notice.js';
import { HealthChecks, LastSuccess, startHttpServer } from './adapters/http/index.js';
import { createDaemonMetrics, MeteredAnalyst } from './adapters/metrics/index.js';
import { decryptSecret } from './config/secrets.js';
import { openStore, SERVER_START_PATIENCE_MS } from './adapters/store/open-store.js';
import type { AppConfig } from './config/app-config.js';
import { buildInfo } from './cli/build-info.js';
import { composeAnalysts } from './cli/compose-analysts.js';
import { composeDashboard } from './cli/compose-dashboard.js';
import { composeShadows } from './cli/compose-shadows.js';
import { cachedFor, NotifierTap } from './adapters/web/index.js';
import { DeferredControl } from './cli/deferred-control.js';
import { engineSettings, settingsView } from './cli/engine-settings.js';
import { ConfigError, loadConfig, type LoadConfigOptions } from './config/load-config.js';
import { describeError } from './domain/errors.js';
import { buildEngine } from './engine/build-engine.js';
import { claimStore, venueOfRecord } from './engine/trading-mode-guard.js';
import { fundPaperAccount } from './engine/paper-funding.js';
import { AiBudget, type AnswersInFlight } from './adapters/analyst/ai/index.js';
import { monthAiSpendOfAll } from './engine/ai-spend.js';
import type { ShadowAccount } from './engine/shadow-leaderboard.js';
import type { Analyst } from './ports/analyst.js';
import type { Clock } from './ports/clock.js';
import type { Exchange } from './ports/exchange.js';
import type { Logger } from './ports/logger.js';
import pino from 'pino';
import { readConfiguredCalendar } from './adapters/calendar/calendar-file.js';

/** Shutdown must finish well inside Docker's grace period; what is not done by then is left for the next start. */
export const SHUTDOWN_BUDGET_MS = 10_000;
const OUTBOX_FLUSH_MS = 3_000;
/** Unhealthy when the loop or the venue has been silent this long: a reconcile (5 min) and a slow scan fit inside. */
const HEALTH_MAX_SILENCE_MS = 15 * 60_000;
/** Metrics read the account at most this often, so a scrape never hammers the venue. */
const ACCOUNT_METRICS_TTL_MS = 30_000;

type Cleanup = () => Promise<void> | void;

export interface DaemonOptions {
  readonly config?: LoadConfigOptions;
  /** Aborting it stops the daemon (tests); otherwise SIGINT/SIGTERM do. */
  readonly signal?: AbortSignal;
  readonly installSignalHandlers?: boolean;
  /** The configuration file the dashboard's setup wizard writes (default: the dotenv file, `.env`). */
  readonly configFile?: string;
}

/** Runs the daemon until a signal; resolves to the process exit code. */
export async function runDaemon(options: DaemonOptions = {}): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfig({ dotenvPath: '.env', decryptSecret, ...options.config });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const logSink = new StoreLogSink();
  const logger = createLogger({
    level: config.logLevel,
    secrets: config.secrets,
    destination: pino.multistream([
      { level: config.logLevel, stream: consoleStream() },
      { level: 'warn', stream: logSink },
    ]),
  });
  const cleanups: Cleanup[] = [];
  const stop = new AbortController();
  // Every AI call of a scan listens on the shutdown signal while it runs (and lets go after): 15 symbols × 3 models
  // at once is no leak, so Node's warning at 11 listeners would only alarm whoever reads the log.
  setMaxListeners(100, stop.signal);
  options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  if (options.installSignalHandlers !== false) installSignals(stop, logger);
  const scrubber = new SecretScrubber(config.secrets);
  // Wall time, even in a simulation: it dates real restarts.
  const startFailures = new StartFailureNotice({
    dataDir: config.dataDir,
    clock: new SystemClock(),
    logger,
    mode: config.paperTrading ? 'paper' : 'live',
    ...(config.telegram && {
      telegram: { token: config.telegram.botToken, chatId: config.telegram.chatId, ...(config.telegram.apiRoot === undefined ? {} : { apiRoot: config.telegram.apiRoot }) },
    }),
    hideSecrets: scrubber,
  });
  let failure: { readonly error: unknown } | undefined;
  try {
    const configFile = options.configFile ?? (options.config && 'dotenvPath' in options.config ? options.config.dotenvPath : '.env');
    await compose(config, logger, logSink, cleanups, stop.signal, configFile, startFailures);
    return 0;
  } catch (error) {
    logger.fatal({ error: describeError(error) }, 'the daemon could not start or stopped on an error');
    console.error(`Start-up failed: ${scrubber.text(describeError(error))}`);
    failure = { error };
    return 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await Promise.resolve()
        .then(cleanup)
        .catch((error: unknown) => logger.warn({ error: describeError(error) }, 'cleanup step failed'));
    }
    // After the cleanups, so what the outbox still had to say (a refused /pause) comes before it.
    if (failure) await startFailures.failed(failure.error);
    await logSink.close();
    logger.flush();
  }
}

async function compose(
  config: AppConfig,
  logger: Logger & { flush(): void },
  logSink: StoreLogSink,
  cleanups: Cleanup[],
  signal: AbortSignal,
  configFile: string | undefined,
  startFailures: StartFailureNotice,
): Promise<void> {
  const mode = config.paperTrading ? 'paper' : 'live';
  const clock: Clock =
    config.simulation.speed > 1 ? new AcceleratedClock(config.simulation.start ?? new Date(), config.simulation.speed) : new SystemClock();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite'), logger, waitForServerMs: SERVER_START_PATIENCE_MS, exclusive: 'daemon' });
  cleanups.push(() => store.close());
  logSink.attach(store.logs);
  // Before anything reads the positions or the breakers: a store of another account (paper against live) is refused
  // while it holds open positions, and otherwise starts its breakers afresh.
  const accountChange = await claimStore(store, { mode, venue: venueOfRecord(config.exchange.id, config.exchange.sandbox) }, clock.now());
  if (accountChange !== undefined) logger.warn({}, accountChange);
  const paperFunding = config.paperTrading ? await fundPaperAccount(store, config.initialCapital, clock.now()) : undefined;
  if (paperFunding !== undefined) logger.warn({}, paperFunding);
  const cache = await openCache({ redisUrl: config.redisUrl, clock, logger, keyPrefix: 'ltd:' });
  cleanups.push(() => cache.close());

  // What /health calls the venue answering: a request that came back, never an answer from a cache or, in paper mode,
  // from the paper account's own store. The market data reports its requests itself, as its cached closed candles
  // answer most scans; the live account is watched whole, as each of its calls is a request.
  const venueAnswers = new LastSuccess(clock);
  const ccxtMarketData = new CcxtMarketData({
    exchangeId: config.exchange.id,
    apiOrigin: config.exchange.apiOrigin,
    wsOrigin: config.exchange.wsOrigin,
    sandbox: config.exchange.sandbox,
    clock,
    logger,
    onVenueAnswer: () => venueAnswers.record(),
  });
  cleanups.push(() => ccxtMarketData.close());
  const { problems } = await ccxtMarketData.validateSymbols(config.symbols);
  // A market the venue has closed (delisted, settling, suspended) is the venue's doing, not a configuration error:
  // refusing the start would also keep reconciliation from protecting and booking what the account holds.
  const configErrors = problems.filter((problem) => problem.kind !== 'not-trading');
  if (configErrors.length > 0) {
    throw new Error(`SYMBOLS has symbols the exchange cannot trade:\n${configErrors.map((p) => `  - ${p.symbol}: ${p.reason}`).join('\n')}`);
  }
  const closedSymbols = new Set(problems.filter((problem) => problem.kind === 'not-trading').map((problem) => problem.symbol));
  const scannedSymbols = config.symbols.filter((symbol) => !closedSymbols.has(symbol));
  const symbolWarnings = [...closedSymbols].map((symbol) => `${symbol} is not trading on ${config.exchange.id} (delisted or suspended): left out of the scans`);
  const venue = await composeExchange(config, ccxtMarketData, clock, logger, store, cleanups);
  const exchange = config.paperTrading ? venue.exchange : venueAnswers.watch(venue.exchange);
  const marketData = venue.marketData;
  // Only with shadows: a question the main account and a shadow ask at the same moment is then paid for once.
  const inFlight: AnswersInFlight | undefined = config.shadows.length > 0 ? new Map() : undefined;
  const metrics = createDaemonMetrics({ logger });
  const metered = (analysts: readonly Analyst[]) => analysts.map((analyst) => new MeteredAnalyst(analyst, metrics));

  const control = new DeferredControl();
  const notifications = createNotifications({
    outbox: store.outbox,
    clock,
    logger,
    telegram: config.telegram && {
      token: config.telegram.botToken,
      chatId: config.telegram.chatId,
      apiRoot: config.telegram.apiRoot,
      ownerIds: config.telegram.ownerIds,
    },
    control,
    hideSecrets: secretsHiddenInHtml(config.secrets),
  });
  await notifications.start();
  cleanups.push(async () => {
    await notifications.stop(OUTBOX_FLUSH_MS);
  });

  // The dashboard hears every event the owner's messenger does, as it happens.
  const tap = new NotifierTap(notifications.notifier);
  // Shadows are added once composed: the budget counts their extra calls too, as they are billed to the same keys.
  let shadowAccounts: readonly ShadowAccount[] = [];
  const budget = new AiBudget({
    limitUsd: config.ai.monthlyBudgetUsd,
    clock,
    spentThisMonth: (now) => monthAiSpendOfAll(store, shadowAccounts, now),
    notifier: tap,
    state: store.state,
    logger,
  });
  const panel = composeAnalysts(config, cache, logger, { ...(inFlight ? { inFlight } : {}), budget });
  const shadows = inFlight ? await composeShadows(config, { marketData: venue.marketData, clock, cache, inFlight, logger, budget }, cleanups) : undefined;
  shadowAccounts = shadows?.accounts ?? [];

  const analystNames = panel.entry.map((analyst) => analyst.name);
  const engine = buildEngine(
    {
      clock,
      marketData,
      exchange,
      analysts: metered(panel.entry),
      exitAnalysts: metered(panel.exit),
      store,
      notifier: tap,
      logger,
      settings: engineSettings(config, mode, scannedSymbols, panel, await readConfiguredCalendar(config.portfolio.calendarFile)),
    },
    {
      orphanPolicy: config.exchange.orphanPolicy,
      recordRetentionDays: config.recordRetentionDays,
      settingsView: settingsView(config, mode, analystNames),
      observer: metrics.loop,
      build: buildInfo(config.gitCommit),
      ...(shadows ? { shadows: shadows.accounts } : {}),
    },
  );
  control.attach(engine.control);
  try {
    // The wallet balance already has the fees and funding paid in it: equity adds the open positions' P&L before fees,
    // as the exchange shows it, and /balance computes it the same way.
    const account = cachedFor(ACCOUNT_METRICS_TTL_MS, clock, async () => {
      const overview = await engine.control.balance();
      if (overview.equity === undefined || overview.unrealizedNetPnl === undefined) throw new Error('an open position has no price yet');
      return { equity: overview.equity, unrealized: overview.unrealizedNetPnl, capital: overview.capital };
    });
    metrics.setCollectors({
      equity: async () => (await account()).equity,
      tradingCapital: async () => (await account()).capital,
      unrealizedPnl: async () => (await account()).unrealized,
      activeBreakers: async () => engine.daemon.parts.breakers.blocks().length,
      outboxBacklog: () => store.outbox.backlog(),
    });
    const health = new HealthChecks({
      clock,
      loop: { lastTickAt: () => engine.daemon.lastTickAt, maxAgeMs: HEALTH_MAX_SILENCE_MS },
      store: { ping: () => store.ping(), timeoutMs: 3_000 },
      exchange: { lastExchangeSuccessAt: () => venueAnswers.at(), maxAgeMs: HEALTH_MAX_SILENCE_MS, label: mode === 'paper' ? 'market data' : 'exchange' },
    });
    const dashboard = await composeDashboard(config, {
      control: engine.control,
      reads: store.dashboard,
      store,
      marketData,
      clock,
      logger,
      configFile,
    });
    if (dashboard) tap.listen((event) => dashboard.feed.onEvent(event));
    const http = await startHttpServer({ host: config.httpHost, port: config.httpPort, health, metrics, logger, ...(dashboard ? { fallback: dashboard.handler } : {}) });
    cleanups.push(() => http.close());
    if (dashboard) cleanups.push(() => dashboard.close());
    logger.info({ host: http.host, port: http.port, dashboard: dashboard !== undefined }, 'health, metrics and dashboard served');
    for (const warning of [...config.warnings, ...symbolWarnings, ...panel.warnings]) logger.warn({}, warning);
    const recovered = await startFailures.recoveryLine();
    await engine.daemon.start([
      ...config.warnings,
      ...symbolWarnings,
      ...panel.warnings,
      ...(accountChange === undefined ? [] : [accountChange]),
      ...(paperFunding === undefined ? [] : [paperFunding]),
      ...(recovered === undefined ? [] : [recovered]),
    ]);
    await startFailures.succeeded();
    await shadows?.start();
    const shadowsRunning = shadows?.run(signal);
    await engine.daemon.run(signal);
    await shadowsRunning;
    const reason = signal.aborted ? 'shutdown requested' : 'loop ended';
    await engine.daemon.stop(reason);
    await shadows?.stop(reason);
  } finally {
    // When anything above fails (the start itself, the venue in maintenance), the daemon's stop never runs: the owner's
    // requests waiting for its loop are refused here, so each requester hears back and the shutdown, which waits for
    // their answers, can finish. After a stop, nothing is left waiting and this does nothing.
    engine.daemon.parts.commands.close();
  }
}

/**
 * The account, and the market data the engine sizes with: its specs carry the leverage brackets, from the account's
 * bracket endpoint in live mode and from the bundled table in paper mode (markets it lacks stay in the first bracket).
 */
async function composeExchange(
  config: AppConfig,
  publicMarketData: CcxtMarketData,
  clock: Clock,
  logger: Logger,
  store: Awaited<ReturnType<typeof openStore>>,
  cleanups: Cleanup[],
): Promise<{ exchange: Exchange; marketData: MarketData }> {
  if (config.paperTrading) {
    const bundled = await loadLeverageBrackets(join(bundledHistoryDir(), LEVERAGE_BRACKETS_FILE));
    const marketData = withLeverageBrackets(publicMarketData, bracketTable(bundled), logger);
    const exchange = new PaperExchange({
      marketData,
      clock,
      account: store.paperAccount,
      initialBalance: config.initialCapital,
      takerFeeRate: config.costs.takerFeeRate,
      slippageBps: config.costs.slippageBps,
      logger,
      settle: config.exchange.settle,
    });
    return { exchange, marketData };
  }
  const live = new CcxtExchange({
    exchangeId: config.exchange.id,
    apiKey: config.exchange.apiKey ?? '',
    secret: config.exchange.secret ?? '',
    settle: config.exchange.settle,
    apiOrigin: config.exchange.apiOrigin,
    wsOrigin: config.exchange.wsOrigin,
    sandbox: config.exchange.sandbox,
    marketData: publicMarketData,
    clock,
    logger,
  });
  cleanups.push(() => live.close());
  // Refuses to trade with a key that can withdraw, or an account that cannot trade futures.
  await live.verifyAccount();
  return { exchange: live, marketData: withLeverageBrackets(publicMarketData, (spec) => live.leverageBrackets(spec.symbol), logger) };
}

function installSignals(stop: AbortController, logger: Logger & { flush(): void }): void {
  const onSignal = (name: string) => {
    if (stop.signal.aborted) return;
    logger.info({ signal: name }, 'stopping: no new entries, finishing the step in flight');
    stop.abort();
    // A step stuck on the network must not keep the container from stopping; the next start reconciles.
    setTimeout(() => {
      logger.error({ budgetMs: SHUTDOWN_BUDGET_MS }, 'shutdown took too long; exiting now');
      logger.flush();
      process.exit(1);
    }, SHUTDOWN_BUDGET_MS).unref();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}

