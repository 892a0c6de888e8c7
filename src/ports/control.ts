// What the owner can ask of, and tell, a running daemon (Telegram commands). Implemented by the engine.
import type { BreakerKind, Mode, PeriodSummary } from '../domain/events.js';
import type { Position, Trade } from '../domain/trading.js';

export interface PositionView {
  readonly position: Position;
  /** Last known price; undefined when the market could not be read. */
  readonly price?: number;
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
  /** The capital the daemon sizes positions and measures its daily loss limit with (capped at INITIAL_CAPITAL live). */
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

export interface AiCostOverview {
  readonly today: number;
  readonly monthToDate: number;
  /** Month-to-date spend extrapolated to the whole month. */
  readonly projectedMonth: number;
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

/**
 * What became of an owner's close. `pending`: the close could not be completed now (the venue failed, or its fills
 * are not visible yet); the daemon keeps at it on every check and reports the trade when it is booked.
 */
export type CloseOutcome =
  | { readonly status: 'closed'; readonly trade: Trade }
  | { readonly status: 'not_open' }
  | { readonly status: 'pending'; readonly detail: string };

/**
 * Implemented by the engine. Commands that change state (pause, resume, close) are requests: the daemon's loop carries
 * them out between its own steps, so no position is ever written by two hands at once. They resolve once done.
 */
export interface OwnerControl {
  status(): Promise<DaemonStatus>;
  openPositions(): Promise<PositionView[]>;
  pnl(): Promise<PnlOverview>;
  summary(period: 'day' | 'week'): Promise<PeriodSummary>;
  recentTrades(limit: number): Promise<Trade[]>;
  aiCost(): Promise<AiCostOverview>;
  modelRecords(): Promise<ModelRecord[]>;
  /** Stops new entries until `resumeEntries`; open positions stay protected and monitored. */
  pauseEntries(requestedBy: string): Promise<void>;
  resumeEntries(requestedBy: string): Promise<void>;
  /** Closes an open position at market. */
  closePosition(positionId: string, requestedBy: string): Promise<CloseOutcome>;
  /** Effective settings as display strings, secrets left out. */
  effectiveConfig(): Readonly<Record<string, string>>;
}
