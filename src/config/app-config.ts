// The typed configuration handed to the composition root. Built once at start-up; nothing reads the environment later.
import type { BlackoutSettings } from '../domain/calendar.js';
import type { DrawdownSettings } from '../domain/drawdown.js';
import type { PortfolioSettings } from '../domain/portfolio-limits.js';
import type { SizingSettings } from '../domain/position-sizing.js';
import type { ConsensusSettings, CostSettings, ExitSettings, RiskSettings, ScheduleSettings } from '../domain/settings.js';

export interface ExchangeConfig {
  readonly id: string;
  /** Binance and Bybit: the API key. Hyperliquid: the main wallet's address. */
  readonly apiKey?: string;
  /** Binance and Bybit: the API secret. Hyperliquid: the API (agent) wallet's private key. */
  readonly secret?: string;
  /** The asset the configured perpetuals settle in (USDT or USDC): balance, margin, P&L and fees. */
  readonly settle: string;
  readonly sandbox: boolean;
  readonly apiOrigin?: string;
  readonly wsOrigin?: string;
  readonly marginMode: 'isolated';
  readonly orphanPolicy: 'adopt' | 'close';
}

export interface ProviderConfig {
  readonly apiKey: string;
  readonly model?: string;
  readonly baseUrl?: string;
}

export interface AiConfig {
  readonly claude?: ProviderConfig;
  readonly deepseek?: ProviderConfig;
  readonly grok?: ProviderConfig;
  readonly timeoutMs: number;
  readonly mode: 'cascade' | 'full';
  /** The most the AI calls may cost in one UTC month (USD); 0: no cap. */
  readonly monthlyBudgetUsd: number;
}

export interface TelegramConfig {
  readonly botToken: string;
  readonly chatId: string;
  readonly apiRoot: string;
  /** User ids allowed to change state (/pause, /resume, /close); empty = the private chat's own user, if any. */
  readonly ownerIds: readonly string[];
}

export interface DashboardConfig {
  readonly enabled: boolean;
  readonly ownerPassword?: string;
  readonly readonlyPassword?: string;
  readonly sessionHours: number;
  /** Folder of the HTML backtest reports the dashboard lists and serves. */
  readonly reportsDir: string;
  /** DASHBOARD_ALLOWED_HOSTS: names besides this machine's that the dashboard answers to (a reverse proxy's domain). */
  readonly allowedHosts: readonly string[];
}

export interface UniverseConfig {
  readonly mode: 'static' | 'top_volume';
  readonly size: number;
  readonly askTop: number;
  readonly minQuoteVolume: number;
  readonly minListingAgeDays: number;
  readonly maxAbsFundingRate: number;
  readonly exclude: readonly string[];
}

/** Sizing mode, limits across positions, the drawdown kill switch and the calendar blackout. */
export interface PortfolioConfig {
  readonly sizing: SizingSettings;
  readonly limits: PortfolioSettings;
  readonly drawdown: DrawdownSettings;
  readonly blackout: BlackoutSettings;
  /** Unset: the bundled calendar. */
  readonly calendarFile?: string;
}

export interface AppConfig {
  readonly paperTrading: boolean;
  readonly initialCapital: number;
  readonly symbols: readonly string[];
  readonly universe: UniverseConfig;
  readonly closeOnShutdown: boolean;
  readonly orderIdPrefix: string;
  readonly risk: RiskSettings;
  readonly consensus: ConsensusSettings;
  readonly exits: ExitSettings;
  readonly schedule: ScheduleSettings;
  readonly costs: CostSettings;
  readonly portfolio: PortfolioConfig;
  readonly exchange: ExchangeConfig;
  readonly ai: AiConfig;
  readonly telegram?: TelegramConfig;
  readonly notifyScans: 'all' | 'changes' | 'off';
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
  readonly dataDir: string;
  /** RECORD_RETENTION_DAYS: analyst answers and log entries older than this are deleted daily; 0 keeps them all. */
  readonly recordRetentionDays: number;
  readonly logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** Address of /health and /metrics: loopback unless the operator opens it (the Docker image does, inside the container). */
  readonly httpHost: string;
  readonly httpPort: number;
  readonly dashboard: DashboardConfig;
  /** Soak tests only: an accelerated clock (speed > 1), starting at `start` when given (never with speed 1). */
  readonly simulation: { readonly speed: number; readonly start?: Date };
  /** The commit the running code was built from (GIT_COMMIT), when known. */
  readonly gitCommit?: string;
  /** Non-fatal remarks for the start-up message (e.g. Grok enabled without a key). */
  readonly warnings: readonly string[];
  /** Every secret value, so loggers and messages can redact them wherever they appear. */
  readonly secrets: readonly string[];
  /** Paper variants run beside the main account (SHADOW_STRATEGIES); empty when unset. */
  readonly shadows: readonly ShadowStrategy[];
}

/** One paper variant: the main configuration with a few settings changed, always in paper mode. */
export interface ShadowStrategy {
  readonly name: string;
  readonly config: AppConfig;
  /** The settings it changes, as written, for the leaderboard. */
  readonly changes: Readonly<Record<string, string>>;
  /** The AI providers it asks (a subset of the main account's); all of them when undefined. */
  readonly analysts?: readonly ('claude' | 'deepseek' | 'grok')[];
  /** Extra instruction appended to the entry prompt. */
  readonly promptNote?: string;
}
