// Shadow strategies: each is a whole engine of its own (build-engine.ts) on a paper venue with its own account and
// its own store (a Postgres schema, or a PGlite folder), sharing the main daemon's market data, clock and AI cache.
// A shadow cannot place a real order (its venue is the paper exchange), cannot write the main account's records (it
// holds no handle on the main store) and never messages the owner (its notifier only logs).
import { join } from 'node:path';
import { readConfiguredCalendar } from '../adapters/calendar/calendar-file.js';
import { PaperExchange } from '../adapters/exchange/paper/index.js';
import { InMemoryStore } from '../adapters/store/memory/in-memory-store.js';
import { openStore } from '../adapters/store/open-store.js';
import type { AppConfig, ShadowStrategy } from '../config/app-config.js';
import type { AiBudget, AnswersInFlight } from '../adapters/analyst/ai/index.js';
import { describeError } from '../domain/errors.js';
import type { TradingEvent } from '../domain/events.js';
import { buildEngine, type Engine } from '../engine/build-engine.js';
import type { EngineSettings } from '../engine/engine-context.js';
import { markShadowStart, type ShadowAccount } from '../engine/shadow-leaderboard.js';
import type { Cache } from '../ports/cache.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Store } from '../ports/store.js';
import type { MarketData } from '../ports/market-data.js';
import type { Notifier } from '../ports/notifier.js';
import { fundPaperAccount, PaperFundingRefusedError } from '../engine/paper-funding.js';
import { composeAnalysts, type AnalystPanel } from './compose-analysts.js';
import { engineSettings, settingsView, type PanelShape } from './engine-settings.js';

/** A shadow's events go to the log only: the owner reads shadows on the leaderboard, never as trades of their own. */
class ShadowLogNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}

  async notify(event: TradingEvent): Promise<void> {
    this.logger.debug({ event: event.type }, 'shadow event (not sent)');
  }
}

export interface ShadowDependencies {
  readonly marketData: MarketData;
  readonly clock: Clock;
  readonly cache: Cache;
  /** The AI questions in flight, shared with the main account's panel. */
  readonly inFlight: AnswersInFlight;
  readonly logger: Logger;
  /** The main account's monthly AI budget: a shadow's calls are billed to the same keys. */
  readonly budget?: AiBudget;
}

interface RunningShadow {
  readonly strategy: ShadowStrategy;
  readonly account: ShadowAccount;
  readonly engine: Engine;
  readonly logger: Logger;
  started: boolean;
  /** Why it is not trading, for the leaderboard. */
  problem?: string;
}

export interface ShadowFleet {
  readonly accounts: readonly ShadowAccount[];
  /** Starts every shadow; one that fails to start is logged and left out, the main account carries on. */
  start(): Promise<void>;
  /** Runs every started shadow's loop until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  stop(reason: string): Promise<void>;
}

/** What makes a variant the one it is, for telling an edited one from the one that ran under its name before. */
export function shadowDefinition(strategy: Pick<ShadowStrategy, 'changes' | 'analysts' | 'promptNote'>): string {
  const changes = Object.fromEntries(Object.entries(strategy.changes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify({ changes, analysts: strategy.analysts ?? null, promptNote: strategy.promptNote ?? null });
}

/** The schema (Postgres) or folder (PGlite) of a shadow's records; a restart finds its positions there. */
export function shadowSchema(name: string): string {
  return `shadow_${name}`;
}

/** A shadow's analysts: its own providers and prompt, on the cache and questions in flight it shares with the main account. */
export function shadowPanel(strategy: ShadowStrategy, deps: Pick<ShadowDependencies, 'cache' | 'inFlight' | 'budget'>, logger: Logger): AnalystPanel {
  return composeAnalysts(strategy.config, deps.cache, logger, {
    inFlight: deps.inFlight,
    shadow: strategy.name,
    ...(deps.budget ? { budget: deps.budget } : {}),
    ...(strategy.analysts ? { providers: strategy.analysts } : {}),
    ...(strategy.promptNote ? { promptNote: strategy.promptNote } : {}),
  });
}

/**
 * A shadow's engine settings, with the economic calendar its own configuration names (the main account's unless the
 * variant changes `CALENDAR_FILE`): without it a shadow would trade through the blackouts the main account sits out.
 */
export async function shadowEngineSettings(strategy: ShadowStrategy, symbols: readonly string[], panel: PanelShape): Promise<EngineSettings> {
  const calendar = await readConfiguredCalendar(strategy.config.portfolio.calendarFile);
  return engineSettings(strategy.config, 'paper', symbols, panel, calendar);
}

/** A shadow's paper account on the live prices, with its own capital and costs. */
function shadowExchange(strategy: ShadowStrategy, store: Store, deps: Pick<ShadowDependencies, 'marketData' | 'clock'>, logger: Logger): PaperExchange {
  const { initialCapital, costs } = strategy.config;
  return new PaperExchange({
    marketData: deps.marketData,
    clock: deps.clock,
    account: store.paperAccount,
    initialBalance: initialCapital,
    takerFeeRate: costs.takerFeeRate,
    slippageBps: costs.slippageBps,
    logger,
  });
}

export async function composeShadows(
  config: AppConfig,
  deps: ShadowDependencies,
  cleanups: (() => Promise<void> | void)[],
): Promise<ShadowFleet> {
  // Opened together: a new embedded database takes several seconds to create, and they need not wait for each other.
  const stores = await Promise.allSettled(
    config.shadows.map((strategy) =>
      openStore({
        ...(config.databaseUrl
          ? { databaseUrl: config.databaseUrl, schema: shadowSchema(strategy.name), applicationName: `ltd-${shadowSchema(strategy.name)}` }
          : { dataDir: join(config.dataDir, 'shadows', strategy.name) }),
        logger: deps.logger.child({ shadow: strategy.name }),
      }),
    ),
  );
  for (const opened of stores) if (opened.status === 'fulfilled') cleanups.push(() => opened.value.close());
  const running: RunningShadow[] = [];
  /** Every variant's account in the order SHADOW_STRATEGIES lists them, those that could not be composed included. */
  const accounts: ShadowAccount[] = [];
  for (const [index, strategy] of config.shadows.entries()) {
    const logger = deps.logger.child({ shadow: strategy.name });
    const shadowConfig = strategy.config;
    const opened = stores[index] as PromiseSettledResult<Store>;
    if (opened.status === 'rejected') {
      // A paper experiment's database (a schema the role may not create, a damaged folder) never stops the daemon: the
      // variant is left out, and /shadows says so, over an empty account.
      logger.error({ error: describeError(opened.reason) }, 'shadow strategy could not open its database; the main account is not affected');
      const empty = new InMemoryStore();
      accounts.push({ name: strategy.name, changes: strategy.changes, store: empty, exchange: shadowExchange(strategy, empty, deps, logger), problem: () => 'could not open its database; see the log' });
      continue;
    }
    const store = opened.value;
    const exchange = shadowExchange(strategy, store, deps, logger);
    const panel = shadowPanel(strategy, deps, logger);
    const names = panel.entry.map((analyst) => analyst.name);
    let settings: EngineSettings;
    try {
      settings = await shadowEngineSettings(strategy, config.symbols, panel);
      const funding = await fundPaperAccount(store, shadowConfig.initialCapital, deps.clock.now()).catch((error: unknown) => {
        // A capital it cannot take now (an open position, a wallet too small) leaves the variant trading on the old
        // one, its positions still managed, rather than out of the race.
        if (!(error instanceof PaperFundingRefusedError)) throw error;
        return `${error.reason} The shadow strategy keeps trading on its paper account as it was; the change is tried again at the next start.`;
      });
      if (funding !== undefined) logger.warn({}, funding);
    } catch (error) {
      // A variant's own calendar file that cannot be read leaves that shadow out, never the daemon.
      logger.error({ error: describeError(error) }, 'shadow strategy could not start; the main account is not affected');
      accounts.push({ name: strategy.name, changes: strategy.changes, store, exchange, problem: () => 'could not start; see the log' });
      continue;
    }
    const engine = buildEngine(
      {
        clock: deps.clock,
        marketData: deps.marketData,
        exchange,
        analysts: panel.entry,
        exitAnalysts: panel.exit,
        store,
        notifier: new ShadowLogNotifier(logger),
        logger,
        settings,
      },
      { orphanPolicy: 'adopt', settingsView: settingsView(shadowConfig, 'paper', names), recordRetentionDays: shadowConfig.recordRetentionDays },
    );
    const shadow: RunningShadow = { strategy, account: { name: strategy.name, changes: strategy.changes, store, exchange, problem: () => shadow.problem }, engine, logger, started: false };
    running.push(shadow);
    accounts.push(shadow.account);
  }
  return {
    accounts,
    async start() {
      for (const shadow of running) {
        try {
          const start = await markShadowStart(shadow.account.store, deps.clock, shadowDefinition(shadow.strategy));
          if (start.restarted) shadow.logger.warn({ since: start.at.toISOString() }, 'shadow strategy edited under the same name: its comparison starts again now');
          await shadow.engine.daemon.start();
          shadow.started = true;
          shadow.logger.info({ changes: shadow.strategy.changes, analysts: shadow.strategy.analysts ?? 'all' }, 'shadow strategy started (paper)');
        } catch (error) {
          shadow.problem = 'could not start; see the log';
          shadow.logger.error({ error: describeError(error) }, 'shadow strategy could not start; the main account is not affected');
        }
      }
    },
    async run(signal) {
      await Promise.all(
        running
          .filter((shadow) => shadow.started)
          .map((shadow) =>
            shadow.engine.daemon.run(signal).catch((error: unknown) => {
              shadow.problem = 'stopped on an error; see the log';
              shadow.logger.error({ error: describeError(error) }, 'shadow strategy stopped on an error; the main account is not affected');
            }),
          ),
      );
    },
    async stop(reason) {
      for (const shadow of running.filter((s) => s.started)) {
        await shadow.engine.daemon.stop(reason).catch((error: unknown) => shadow.logger.warn({ error: describeError(error) }, 'shadow stop failed'));
      }
    },
  };
}
