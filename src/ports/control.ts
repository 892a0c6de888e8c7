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
  readonly capital: number;
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
  /** Closes an open position at market; undefined when there is no such open position. */
  closePosition(positionId: string, requestedBy: string): Promise<Trade | undefined>;
  /** Effective settings as display strings, secrets left out. */
  effectiveConfig(): Readonly<Record<string, string>>;
}
