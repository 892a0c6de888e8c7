// What the owner can ask of, and tell, a running daemon (Telegram commands). Implemented by the engine.
import type { BreakerKind, EquityPoint, Mode, PeriodSummary } from '../domain/events.js';
import type { CloseReason, Position, Trade } from '../domain/trading.js';
import type { UniverseVerdict } from '../domain/universe.js';
import { HOUR_MS } from '../domain/time.js';
import type { LogEntry } from './store.js';

/**
 * How old an owner's /resume or /close may be and still be carried out: one sent while the daemon was down (waiting
 * at Telegram, or written down by a process that died) acts on a market that has moved since. A pause, which only
 * ever holds entries back, is carried out however late.
 */
export const OWNER_REQUEST_MAX_AGE_MS = HOUR_MS;

export interface PositionView {
  readonly position: Position;
  /** Last known price; undefined when the market could not be read. */
  readonly price?: number;
  /**
   * The price the stop and liquidation trigger on, so their distances are measured from it; the last price when the
   * mark could not be read. Undefined with `price`.
   */
  readonly markPrice?: number;
  /** Net of entry fee, estimated exit fee and funding. */
  readonly unrealizedPnl?: number;
  /** Fraction of margin. */
  readonly unrealizedPct?: number;
}

export interface ActiveBreaker {
  readonly breaker: BreakerKind;
  readonly detail: string;
  readonly until?: Date;
}

export interface DaemonStatus {
  readonly mode: Mode;
  readonly startedAt: Date;
  readonly now: Date;
  /**
   * The capital the daemon sizes new positions on: the balance, and in live mode at most INITIAL_CAPITAL, or the
   * daemon's share of it after its losses since the cap was set.
   */
  readonly capital: number;
  /** The whole wallet balance of the account (paper: the simulated account), shown beside the trading capital. */
  readonly accountBalance: number;
  readonly analysts: readonly string[];
  /** Breakers currently blocking new entries (empty when entries are allowed). */
  readonly breakers: readonly ActiveBreaker[];
  readonly openPositions: readonly PositionView[];
  readonly nextScanAt?: Date;
  readonly lastTickAt?: Date;
}

export interface PnlOverview {
  readonly today: number;
  readonly week: number;
  readonly allTime: number;
  readonly tradesAllTime: number;
}

export interface AiSpend {
  readonly today: number;
  readonly monthToDate: number;
  /** Month-to-date spend extrapolated to the whole month. */
  readonly projectedMonth: number;
}

/** A shadow strategy's extra AI calls: an answer the main account also used (same question) is the main account's cost. */
export interface ShadowAiSpend extends AiSpend {
  readonly name: string;
}

/** The monthly cap on AI spend (AI_MONTHLY_BUDGET_USD), against the month's spend of every account together. */
export interface AiBudgetStatus {
  readonly limitUsd: number;
  readonly spentUsd: number;
  /** No AI call is made until `resumesAt`. */
  readonly reached: boolean;
  /** The start of the next UTC month. */
  readonly resumesAt: Date;
}

/** The main account's spend, and beside it each shadow strategy's extra calls (none without shadows). */
export interface AiCostOverview extends AiSpend {
  readonly shadows: readonly ShadowAiSpend[];
  /** Absent when there is no cap. */
  readonly budget?: AiBudgetStatus;
}

export interface ModelRecord {
  readonly analyst: string;
  readonly votes: number;
  /** Votes that have been scored against what the market did afterwards. */
  readonly scored: number;
  readonly hits: number;
  /** hits / scored; undefined before anything is scored. */
  readonly hitRate?: number;
  readonly avgConfidenceWhenRight?: number;
  readonly avgConfidenceWhenWrong?: number;
}

export interface BalanceOverview {
  readonly currency: string;
  /** What the daemon sizes new positions on (in live mode at most INITIAL_CAPITAL, less its losses since). */
  readonly capital: number;
  /** The account's wallet balance: fees and funding paid are in it, open positions' P&L is not. */
  readonly accountBalance: number;
  /** What the daemon may still post as margin (within the trading capital in live mode). */
  readonly availableMargin: number;
  /** Margin posted for the daemon's open positions. */
  readonly marginInUse: number;
  readonly openPositions: number;
  /** Open positions' P&L at the last price, before fees (what the exchange shows); undefined when a price is missing. */
  readonly unrealizedPnl?: number;
  /** The same net of the entry fee, the estimated exit fee and funding, as /positions shows it. */
  readonly unrealizedNetPnl?: number;
  /** Account balance plus the open P&L at the last price (the exchange's margin balance). */
  readonly equity?: number;
}

export interface SymbolPerformance {
  readonly symbol: string;
  readonly trades: number;
  /** Trades that made money net of fees and funding. */
  readonly wins: number;
  readonly netPnl: number;
  /** Fees paid plus funding paid (funding received lowers it). */
  readonly feesAndFunding: number;
}

export interface PerformanceReport {
  /** The window's length in days; undefined: all time. */
  readonly days?: number;
  readonly from?: Date;
  readonly to: Date;
  /** Best net P&L first. */
  readonly symbols: readonly SymbolPerformance[];
}

export interface ExitReasonStats {
  readonly reason: CloseReason;
  readonly trades: number;
  readonly wins: number;
  readonly netPnl: number;
}

export interface HoldingTimes {
  readonly trades: number;
  readonly averageMs: number;
  readonly medianMs: number;
  readonly longestMs: number;
}

export interface TradeStats {
  readonly trades: number;
  /** Most frequent exit reason first. */
  readonly exits: readonly ExitReasonStats[];
  /** How long positions were held; winners made money net, losers lost it (`tradeResult`: a trade at exactly zero is neither). */
  readonly holding: { readonly all?: HoldingTimes; readonly winners?: HoldingTimes; readonly losers?: HoldingTimes };
}

/** What the composition root knows about the running build. */
export interface BuildInfo {
  readonly version: string;
  /** The git commit built from; undefined when the build did not say. */
  readonly commit?: string;
  /** The JavaScript runtime, e.g. `v20.19.0`. */
  readonly runtime: string;
}

export interface VersionInfo extends BuildInfo {
  readonly mode: Mode;
  readonly startedAt: Date;
  readonly now: Date;
}

/** Realised equity over the last `days` days: the start level, then one point per closed trade. */
export interface EquityHistory {
  readonly days: number;
  readonly from: Date;
  readonly to: Date;
  readonly points: readonly EquityPoint[];
  readonly trades: number;
}

/**
 * What became of an owner's close. `pending`: the close could not be completed now (the venue failed, or its fills
 * are not visible yet); the daemon keeps at it on every check and reports the trade when it is booked.
 */
export type CloseOutcome =
  | { readonly status: 'closed'; readonly trade: Trade }
  | { readonly status: 'not_open' }
  | { readonly status: 'pending'; readonly detail: string };

/** The markets a scan looks at, and, when the daemon picks them, why each of the venue's markets is in or out. */
export interface UniverseView {
  readonly mode: 'static' | 'top_volume';
  readonly symbols: readonly string[];
  /** When the list was picked; undefined for the static list or before the first pick. */
  readonly selectedAt?: Date;
  readonly verdicts: readonly UniverseVerdict[];
  /** Why the list in use is not a fresh pick, when it is not. */
  readonly problem?: string;
}

/** A high-impact event of the calendar and the blackout around it. */
export interface CalendarEntry {
  readonly time: Date;
  readonly kind: string;
  readonly title: string;
  readonly blackoutFrom: Date;
  readonly blackoutUntil: Date;
}

/** /risk: every limit that can stop an entry, with how much of it is left. */
export interface RiskOverview {
  readonly now: Date;
  /** Breakers blocking entries right now (empty when entries are allowed). */
  readonly blocking: readonly ActiveBreaker[];
  readonly manualPause: boolean;
  readonly consecutiveLosses: number;
  readonly maxConsecutiveLosses: number;
  /** Net realised P&L of today (UTC) and the loss that trips the daily limit, both in USDT. */
  readonly realizedToday: number;
  readonly dailyLossLimit: number;
  /** Equity (capital plus open P&L) at the last check, its peak and the drawdown between them. */
  readonly equity?: number;
  readonly peakEquity?: number;
  readonly drawdown?: number;
  readonly maxDrawdownPct: number;
  readonly drawdownTripped: boolean;
  readonly capital: number;
  /** Sum of the open positions' notional at entry. */
  readonly openNotional: number;
  readonly maxTotalExposure: number;
  readonly openPositions: number;
  readonly maxOpenPositions: number;
  readonly nextBlackout?: CalendarEntry;
}

/** One account's record on the shadow leaderboard, over its comparison window. */
export interface AccountStanding {
  readonly name: string;
  /** Start of the window: when the shadow first ran (for the main account, when the first shadow did). */
  readonly since: Date;
  readonly startEquity: number;
  /** Closed trades in the window. */
  readonly trades: number;
  readonly netPnl: number;
  readonly returnPct: number;
  readonly maxDrawdownPct: number;
  readonly winRate: number;
  readonly openPositions: number;
}

export interface ShadowStanding extends AccountStanding {
  /** The settings the variant changes, as written in SHADOW_STRATEGIES. */
  readonly changes: Readonly<Record<string, string>>;
  /** The main account over this variant's own window (the board's main row is over the earliest variant's). */
  readonly main: AccountStanding;
  /** Why the variant is not trading now (could not start, or stopped on an error); absent while it runs. */
  readonly problem?: string;
  /** Against the main account's trades over the same window. */
  readonly comparison: {
    readonly verdict: 'better' | 'worse' | 'not enough evidence';
    readonly explanation: string;
    readonly meanDifference?: number;
    readonly lowerBound?: number;
    readonly upperBound?: number;
  };
}

export interface ShadowBoard {
  readonly now: Date;
  /** Undefined when no shadow strategy is configured. */
  readonly main?: AccountStanding;
  readonly shadows: readonly ShadowStanding[];
  /**
   * The rule a variant must pass before it is called better: the trade counts it is judged at, the largest chance of
   * a false "better" over all of them together, and the bootstrap's resamples.
   */
  readonly rule: { readonly checkpoints: readonly number[]; readonly errorRate: number; readonly resamples: number };
}

/** The periods /daily, /weekly and /monthly report on. */
export type ReportPeriod = 'day' | 'week' | 'month';

/**
 * Implemented by the engine. Commands that change state (pause, resume, close) are requests: the daemon's loop carries
 * them out between its own steps, so no position is ever written by two hands at once. They resolve once done.
 */
export interface OwnerControl {
  status(): Promise<DaemonStatus>;
  openPositions(): Promise<PositionView[]>;
  pnl(): Promise<PnlOverview>;
  /** The day, the week (from Monday) or the month so far, UTC. */
  summary(period: ReportPeriod): Promise<PeriodSummary>;
  recentTrades(limit: number): Promise<Trade[]>;
  aiCost(): Promise<AiCostOverview>;
  modelRecords(): Promise<ModelRecord[]>;
  balance(): Promise<BalanceOverview>;
  /** Net P&L per symbol over the last `days` days, or all time when undefined. */
  performance(days?: number): Promise<PerformanceReport>;
  /** Exit reasons and holding times over all trades. */
  tradeStats(): Promise<TradeStats>;
  /** The newest warnings and errors of the log, newest first. */
  recentLogs(limit: number): Promise<LogEntry[]>;
  version(): Promise<VersionInfo>;
  /** Today's markets and why each is in or out. */
  universe(): Promise<UniverseView>;
  equityHistory(days: number): Promise<EquityHistory>;
  /** Stops new entries until `resumeEntries`; open positions stay protected and monitored. */
  pauseEntries(requestedBy: string): Promise<void>;
  /**
   * Lifts the owner's pause and the losing-streak pause. Answers what still holds entries back once it is done (the
   * daily loss limit, the drawdown switch, a blackout), so the owner is not told entries resumed when they did not.
   * `sentAt`, when the owner sent it (now when absent): a pause that began after it is not lifted.
   */
  resumeEntries(requestedBy: string, sentAt?: Date): Promise<readonly ActiveBreaker[]>;
  /** Closes an open position at market. */
  closePosition(positionId: string, requestedBy: string): Promise<CloseOutcome>;
  /** Effective settings as display strings, secrets left out. */
  effectiveConfig(): Readonly<Record<string, string>>;
  riskOverview(): Promise<RiskOverview>;
  /** The next calendar events whose blackout has not ended, soonest first. */
  calendar(limit: number): Promise<CalendarEntry[]>;
  /** The shadow strategies' leaderboard against the main account. */
  shadows(): Promise<ShadowBoard>;
}
