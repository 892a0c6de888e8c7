// What every use case of the engine gets: the ports and the settings. Built by the composition root.
import type { BlackoutSettings, CalendarEvent } from '../domain/calendar.js';
import type { DrawdownSettings } from '../domain/drawdown.js';
import type { Mode } from '../domain/events.js';
import type { PortfolioSettings } from '../domain/portfolio-limits.js';
import type { SizingSettings } from '../domain/position-sizing.js';
import type { ConsensusSettings, CostSettings, ExitSettings, RiskSettings, ScheduleSettings } from '../domain/settings.js';
import type { Analyst } from '../ports/analyst.js';
import type { Clock } from '../ports/clock.js';
import type { Exchange } from '../ports/exchange.js';
import type { Logger } from '../ports/logger.js';
import type { MarketData } from '../ports/market-data.js';
import type { Notifier } from '../ports/notifier.js';
import type { Store } from '../ports/store.js';
import type { UniverseSettings } from './universe.js';

export interface EngineSettings {
  readonly mode: Mode;
  readonly symbols: readonly string[];
  readonly risk: RiskSettings;
  readonly consensus: ConsensusSettings;
  readonly exits: ExitSettings;
  readonly schedule: ScheduleSettings;
  readonly costs: CostSettings;
  readonly orderIdPrefix: string;
  readonly closeOnShutdown: boolean;
  readonly notifyScans: 'all' | 'changes' | 'off';
  /** Closed candles fetched per timeframe: enough for the 200-period averages. */
  readonly candleLimit: number;
  /** Symbols prepared and assessed at the same time during a scan. */
  readonly scanConcurrency: number;
  /** How often the exchange is compared with the store while running. */
  readonly reconcileIntervalMs: number;
  /** Attempts (1 s apart) to see a just-placed protective stop among the open orders. */
  readonly stopVerifyAttempts: number;
  /**
   * full: every analyst on every symbol. cascade: a technical pre-filter first, then the screening analyst, and the
   * others only when the screen proposes a trade.
   */
  readonly aiMode: 'full' | 'cascade';
  /** Name of the screening analyst in cascade mode (e.g. `deepseek`). */
  readonly screener?: string;
  /** AI_MONTHLY_BUDGET_USD, for the owner's view of the spend; 0 or unset: no cap. The analysts enforce it. */
  readonly aiMonthlyBudgetUsd?: number;
  /** Live mode: the most capital the engine may use, however much the account holds. */
  readonly capitalCap?: number;
  /** Analyst answers written per statement; 0 writes each scan's at once (live), replays batch hundreds. */
  readonly decisionBatchRows: number;
  /** Which markets are scanned and how many go to the analysts; the static SYMBOLS, all asked, when absent. */
  readonly universe?: UniverseSettings;
  /** Sizing mode; fixed when unset. */
  readonly sizing?: SizingSettings;
  /** Limits across positions; wide enough to change nothing when unset. */
  readonly portfolio?: PortfolioSettings;
  /** The account drawdown kill switch; the defaults when unset. */
  readonly drawdown?: DrawdownSettings;
  readonly blackout?: BlackoutSettings;
  /** High-impact events (CALENDAR_FILE), read once at start; none when unset. */
  readonly calendar?: readonly CalendarEvent[];
}

export const ENGINE_DEFAULTS = {
  candleLimit: 250,
  // Up to the 15 symbols allowed in one wave: a scan lasts about one AI round trip, and its ~150 request-weight
  // units of market data sit well inside the venue's per-minute budget.
  scanConcurrency: 15,
  reconcileIntervalMs: 5 * 60_000,
  stopVerifyAttempts: 3,
  decisionBatchRows: 0,
} as const;

export interface EngineContext {
  readonly clock: Clock;
  readonly marketData: MarketData;
  readonly exchange: Exchange;
  /** Analysts asked about entries. */
  readonly analysts: readonly Analyst[];
  /** Analysts asked whether to exit an open position. */
  readonly exitAnalysts: readonly Analyst[];
  readonly store: Store;
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly settings: EngineSettings;
}
