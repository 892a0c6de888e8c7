import type { CallUsage, VoteAction, VoteOutcome } from '../domain/analysis.js';
import type { BreakerKind } from '../domain/events.js';
import type { ModelRecord } from './control.js';
import type { Side } from '../domain/market.js';
import type { CloseReason, OrderRecord, Position, Trade } from '../domain/trading.js';

export type NewPosition = Omit<Position, 'id' | 'status' | 'closedAt' | 'closeReason'>;
/** `openedAt` changes once, for an adopted position moved onto the venue's timeline after its stop rests. */
export type PositionPatch = Partial<Omit<Position, 'id' | 'symbol' | 'side' | 'rationale'>>;

/** What a position's booking writes on it as it closes. */
export interface PositionClosing {
  readonly closedAt: Date;
  readonly closeReason: CloseReason;
  readonly funding: number;
  readonly entryFee: number;
}

export interface PositionRepository {
  /** Inserts with status `opening`. Rejects if the symbol already has an active position (a DB constraint). */
  create(position: NewPosition): Promise<Position>;
  update(id: string, patch: PositionPatch): Promise<Position>;
  /**
   * Moves an active position to `closed`, and only an active one (`... WHERE status IN (active)`): true when this call
   * closed it, false when it was closed (or never active) already. Booking a trade does its side effects only on true.
   */
  markClosed(id: string, closing: PositionClosing): Promise<boolean>;
  get(id: string): Promise<Position | undefined>;
  /** Positions in status opening, open or closing, oldest first. */
  active(): Promise<Position[]>;
}

export type NewOrder = Omit<OrderRecord, 'status' | 'createdAt' | 'updatedAt'> & { readonly createdAt: Date };
export type OrderPatch = Partial<Omit<OrderRecord, 'clientOrderId' | 'positionId' | 'symbol' | 'purpose' | 'checkedNotional' | 'createdAt'>> & {
  readonly updatedAt: Date;
};

export interface OrderRepository {
  /** Records the intent (status `intent`) before it is sent. Idempotent on the client order id. */
  record(order: NewOrder): Promise<OrderRecord>;
  update(clientOrderId: string, patch: OrderPatch): Promise<OrderRecord>;
  get(clientOrderId: string): Promise<OrderRecord | undefined>;
  forPosition(positionId: string): Promise<OrderRecord[]>;
}

export interface TradeQuery {
  readonly from?: Date;
  readonly to?: Date;
  /** Newest first when set. */
  readonly limit?: number;
}

export interface TradeRepository {
  /** Stores the trade and its fills. Idempotent on positionId. */
  record(trade: Trade): Promise<void>;
  /** Closed between from (inclusive) and to (exclusive); oldest first unless `limit` asks for the newest. */
  list(query?: TradeQuery): Promise<Trade[]>;
  count(): Promise<number>;
}

export interface DecisionRecord {
  readonly time: Date;
  readonly symbol: string;
  readonly analyst: string;
  readonly purpose: 'entry' | 'exit';
  readonly outcome: VoteOutcome;
  readonly action: VoteAction | 'exit' | 'stay';
  readonly confidence: number;
  readonly side?: Side;
  readonly leverage?: number;
  readonly stopLossPct?: number;
  readonly takeProfitPct?: number;
  readonly riskReward?: number;
  readonly reasoning: string;
  readonly reason?: string;
  readonly usage: CallUsage;
  readonly raw?: string;
  /** Price when asked, for scoring the vote against what the market did. */
  readonly price: number;
  readonly positionId?: string;
}

/** A valid directional entry vote awaiting its score. */
export interface ScorableDecision {
  readonly id: string;
  readonly time: Date;
  readonly symbol: string;
  readonly analyst: string;
  readonly side: Side;
  readonly price: number;
  readonly confidence: number;
  readonly stopLossPct: number;
  readonly takeProfitPct: number;
}

export interface DecisionRepository {
  recordMany(records: readonly DecisionRecord[]): Promise<void>;
  /** Valid directional entry votes (with stop and target) cast before `before` and not scored yet, oldest first. */
  unscored(before: Date, limit: number): Promise<ScorableDecision[]>;
  /** Records votes' scores in one write; `hit` null when a vote could not be scored. */
  recordScores(scores: readonly { readonly id: string; readonly hit: boolean | null }[], at: Date): Promise<void>;
  /** Per analyst: directional votes, how many were scored, hits, and mean confidence when right and when wrong. */
  trackRecords(): Promise<ModelRecord[]>;
  /** AI spend (USD) for calls made in [from, to), answers taken over from a shadow strategy included. */
  costBetween(from: Date, to: Date): Promise<number>;
  /** What this account took over in [from, to) of the calls `shadow` paid for (see CallUsage.takenOverFrom). */
  costTakenOverFrom(shadow: string, from: Date, to: Date): Promise<number>;
  list(query: { from?: Date; to?: Date; limit?: number }): Promise<DecisionRecord[]>;
  /**
   * Retention: deletes up to `limit` decisions older than `before`, oldest first, and says how many went. Kept at any
   * age: entry votes on a position's symbol within TRADE_VOTES_KEPT of its opening (a trade's page shows them) and
   * scorable votes not scored yet. What the deleted entry votes added to their analyst's track record is carried
   * over, so `trackRecords` reads the same before and after.
   */
  pruneBefore(before: Date, limit: number): Promise<number>;
}

/**
 * The entry votes kept with a position whatever their age: cast on its symbol from `beforeMs` before it opened to
 * `afterMs` after. Wider than the trade page reads (10 minutes before to a second after), so a slow scan's votes stay.
 */
export const TRADE_VOTES_KEPT = { beforeMs: 30 * 60_000, afterMs: 60_000 } as const;

export interface BreakerEvent {
  readonly time: Date;
  readonly breaker: BreakerKind;
  readonly action: 'tripped' | 'cleared';
  readonly detail: string;
}

export interface BreakerEventRepository {
  record(event: BreakerEvent): Promise<void>;
  list(query?: { from?: Date; to?: Date }): Promise<BreakerEvent[]>;
  /** Deletes up to `limit` events older than `before`, oldest first; how many went (retention). */
  pruneBefore(before: Date, limit: number): Promise<number>;
}

/** An entry the risk manager refused, with the reasons a trader reads. */
export interface RiskRejection {
  readonly time: Date;
  readonly symbol: string;
  readonly side: Side;
  readonly price: number;
  readonly confidence: number;
  readonly opportunityScore: number;
  readonly reasons: readonly string[];
}

export interface RiskRejectionRepository {
  record(rejection: RiskRejection): Promise<void>;
  /** Oldest first within [from, to). */
  list(query?: { from?: Date; to?: Date }): Promise<RiskRejection[]>;
  /** Deletes up to `limit` refusals older than `before`, oldest first; how many went (retention). */
  pruneBefore(before: Date, limit: number): Promise<number>;
}

/** Small named documents of engine state (breakers, schedule marks), stored as JSON. */
export interface TradingStateRepository {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
}

export interface DailyPerformance {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly startCapital: number;
  readonly endCapital: number;
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly netPnl: number;
  readonly fees: number;
  readonly funding: number;
}

export interface DailyPerformanceRepository {
  /** Creates the day with its starting capital if it does not exist yet. */
  openDay(day: string, startCapital: number): Promise<DailyPerformance>;
  /** Adds a closed trade to its day (the day is opened with `capitalAfter - netPnl` if new). */
  addTrade(day: string, trade: Trade, capitalAfter: number): Promise<DailyPerformance>;
  /**
   * Money paid in (positive) or taken out during the day, outside any trade: the day's starting and ending capital
   * both move by it, so its result stays what its trades made. Nothing for a day not opened yet.
   */
  transfer(day: string, amount: number): Promise<void>;
  get(day: string): Promise<DailyPerformance | undefined>;
  /** Days with fromDay <= day <= toDay, oldest first. */
  range(fromDay: string, toDay: string): Promise<DailyPerformance[]>;
}

/** pino's levels, lowest first. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogEntry {
  readonly time: Date;
  readonly level: string;
  readonly module?: string;
  readonly message: string;
  readonly context?: Record<string, unknown>;
}

export interface LogRepository {
  append(entries: readonly LogEntry[]): Promise<void>;
  /** The newest `limit` entries at `minLevel` or above, newest first (entries of the same time: last appended first). */
  recent(limit: number, minLevel: LogLevel): Promise<LogEntry[]>;
  /** Retention: deletes up to `limit` entries older than `before`, oldest first, and says how many went. */
  pruneBefore(before: Date, limit: number): Promise<number>;
}

export interface OutboxMessage {
  readonly id: string;
  readonly createdAt: Date;
  readonly eventType: string;
  /** The rendered message (Telegram HTML). */
  readonly text: string;
  /** The event itself, for renderers that need more than text (charts). */
  readonly payload: unknown;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly deliveredAt?: Date;
  readonly lastError?: string;
}

export interface OutboxRepository {
  enqueue(message: { createdAt: Date; eventType: string; text: string; payload: unknown }): Promise<OutboxMessage>;
  /**
   * Undelivered messages due at `now`, oldest first, up to the first that is not due yet: a message waiting for its
   * retry holds back every later one, so they arrive in order, across a restart too.
   */
  due(now: Date, limit: number): Promise<OutboxMessage[]>;
  markDelivered(id: string, at: Date): Promise<void>;
  markFailed(id: string, error: string, nextAttemptAt: Date): Promise<void>;
  backlog(): Promise<number>;
  /**
   * Deletes up to `limit` delivered messages written before `before`, oldest first; how many went (retention). A
   * message not delivered yet stays, and so does every OUTBOX_KEPT_EVENT.
   */
  pruneBefore(before: Date, limit: number): Promise<number>;
}

/** Start-up messages outlive retention: the dashboard reads the mode changes (paper, live) from them. */
export const OUTBOX_KEPT_EVENT = 'started';

/** One entry of the paper account's history: a fill, a funding payment or a finished order. */
export interface PaperHistoryEntry {
  readonly kind: 'fill' | 'funding' | 'order';
  readonly entry: unknown;
}

export interface SavedPaperAccount {
  readonly balance: number;
  readonly state: unknown;
  /** Every history entry ever appended, oldest first. */
  readonly history: readonly PaperHistoryEntry[];
}

/**
 * The simulated account of the paper exchange, persisted across restarts: its balance and open state, replaced on
 * every save, and its history, appended to. A save's state and new entries land together or not at all.
 */
export interface PaperAccountRepository {
  load(): Promise<SavedPaperAccount | undefined>;
  save(balance: number, state: unknown, appended: readonly PaperHistoryEntry[]): Promise<void>;
}

export interface StoreRepositories {
  readonly positions: PositionRepository;
  readonly orders: OrderRepository;
  readonly trades: TradeRepository;
  readonly decisions: DecisionRepository;
  readonly breakers: BreakerEventRepository;
  readonly rejections: RiskRejectionRepository;
  readonly state: TradingStateRepository;
  readonly dailyPerformance: DailyPerformanceRepository;
  readonly logs: LogRepository;
  readonly outbox: OutboxRepository;
  readonly paperAccount: PaperAccountRepository;
}

export interface Store extends StoreRepositories {
  /** Runs `work` in one database transaction: all of its writes land, or none. */
  transaction<T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** Cheap round trip, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
