// Read-only questions the owner's dashboard asks of the trading record, beyond what the engine's repositories need:
// pages and filters over trades and decisions, per-model history, the log's warnings and the messages sent.
// Implemented by the store adapter; nothing here writes.
import type { Side } from '../domain/market.js';
import type { Trade } from '../domain/trading.js';
import type { DecisionRecord, LogEntry } from './store.js';


export interface TradeFilter {
  /** Closed at or after. */
  readonly from?: Date;
  /** Closed before. */
  readonly to?: Date;
  readonly symbol?: string;
  readonly side?: Side;
  readonly reason?: string;
  /** By `tradeResult`: win above zero net, loss below; a trade at exactly zero is neither. */
  readonly result?: 'win' | 'loss';
}

export interface TradePageQuery extends TradeFilter {
  /** Newest first; rows skipped. */
  readonly offset: number;
  readonly limit: number;
}

export interface TradePage {
  /** Trades matching the filter, all pages together. */
  readonly total: number;
  readonly trades: readonly Trade[];
}

export interface DecisionQuery {
  readonly from?: Date;
  /** Strictly before: the cursor of the next page. */
  readonly before?: Date;
  readonly symbol?: string;
  readonly analyst?: string;
  readonly outcome?: DecisionRecord['outcome'];
  readonly purpose?: DecisionRecord['purpose'];
  /** Newest first. */
  readonly limit: number;
}

/** One analyst's record over one UTC week. */
export interface ModelWeek {
  readonly analyst: string;
  /** Monday 00:00 UTC. */
  readonly weekStart: Date;
  readonly answers: number;
  /** Answers that were no answer at all (timeout, outage). */
  readonly failed: number;
  /** Answered, but refused by validation. */
  readonly rejected: number;
  readonly directional: number;
  readonly scored: number;
  readonly hits: number;
  readonly costUsd: number;
  readonly meanLatencyMs?: number;
}

export interface ModeChange {
  readonly at: Date;
  readonly mode: string;
}

export interface SentMessage {
  readonly id: string;
  readonly createdAt: Date;
  readonly eventType: string;
  /** As rendered for the messenger (Telegram HTML). */
  readonly text: string;
  readonly deliveredAt?: Date;
}

export interface PnlTotals {
  readonly today: number;
  readonly week: number;
  readonly allTime: number;
  readonly tradesAllTime: number;
}

export interface DashboardReads {
  /** Net P&L of trades closed since each start, summed in the store. */
  pnlTotals(dayStart: Date, weekStart: Date): Promise<PnlTotals>;
  tradePage(query: TradePageQuery): Promise<TradePage>;
  trade(positionId: string): Promise<Trade | undefined>;
  /** Trades of positions opened in [from, to), oldest first. */
  tradesOpenedBetween(from: Date, to: Date): Promise<Trade[]>;
  decisions(query: DecisionQuery): Promise<DecisionRecord[]>;
  /** Weeks starting at or after `from`, oldest first. */
  modelWeeks(from: Date): Promise<ModelWeek[]>;
  /** Each start of the daemon and the mode it ran in (paper, live), oldest first. */
  modeChanges(): Promise<ModeChange[]>;
  /** Log entries at the given levels, newest first. */
  logs(query: { readonly levels: readonly string[]; readonly limit: number; readonly before?: Date }): Promise<LogEntry[]>;
  /** Messages to the owner, newest first. */
  messages(limit: number): Promise<SentMessage[]>;
}
