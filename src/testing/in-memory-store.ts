// The Store port in memory, for engine tests. It keeps the database's observable rules: one active position per
// symbol (RejectedError naming the symbol), orders/trades/decisions must name a stored position, idempotent order
// and trade records, numbers rounded to 12 decimals, JSON fields round-tripped through JSON, outbox order, and
// transactions that run one at a time and leave nothing behind when they throw.
import { AsyncLocalStorage } from 'node:async_hooks';
import { RejectedError } from '../domain/errors.js';
import { ACTIVE_POSITION_STATUSES, type OrderRecord, type Position, type Trade } from '../domain/trading.js';
import type {
  BreakerEvent,
  BreakerEventRepository,
  DailyPerformance,
  DailyPerformanceRepository,
  DecisionRecord,
  DecisionRepository,
  LogEntry,
  LogRepository,
  NewOrder,
  NewPosition,
  OrderPatch,
  OrderRepository,
  OutboxMessage,
  OutboxRepository,
  PaperAccountRepository,
  PositionPatch,
  PositionRepository,
  RiskRejection,
  RiskRejectionRepository,
  ScorableDecision,
  Store,
  StoreRepositories,
  TradeQuery,
  TradeRepository,
  TradingStateRepository,
} from '../ports/store.js';
import type { ModelRecord } from '../ports/control.js';

interface Tables {
  positions: Map<string, Position>;
  orders: Map<string, OrderRecord>;
  trades: Map<string, Trade>;
  decisions: DecisionRecord[];
  /** Scores by decision id (the 1-based position in `decisions`, as an identity column would number them). */
  scores: Map<string, { hit: boolean | null; at: Date }>;
  breakers: BreakerEvent[];
  rejections: RiskRejection[];
  state: Map<string, string>;
  days: Map<string, DailyPerformance>;
  logs: LogEntry[];
  outbox: Map<string, OutboxMessage>;
  paper: { balance: number; state: string } | undefined;
  nextPositionId: number;
  nextOutboxId: number;
}

function emptyTables(): Tables {
  return {
    positions: new Map(),
    orders: new Map(),
    trades: new Map(),
    decisions: [],
    scores: new Map(),
    breakers: [],
    rejections: [],
    state: new Map(),
    days: new Map(),
    logs: [],
    outbox: new Map(),
    paper: undefined,
    nextPositionId: 1,
    nextOutboxId: 1,
  };
}

/** Records are replaced, never mutated, so copying the containers is a full snapshot. */
function snapshotOf(tables: Tables): Tables {
  return {
    ...tables,
    positions: new Map(tables.positions),
    orders: new Map(tables.orders),
    trades: new Map(tables.trades),
    decisions: [...tables.decisions],
    scores: new Map(tables.scores),
    breakers: [...tables.breakers],
    rejections: [...tables.rejections],
    state: new Map(tables.state),
    days: new Map(tables.days),
    logs: [...tables.logs],
    outbox: new Map(tables.outbox),
  };
}

// ---- value rules shared with the SQL store ----

function decimal(value: number): number {
  if (!Number.isFinite(value)) throw new TypeError(`cannot store ${value} as a number`);
  const rounded = Math.abs(value) < 1e21 ? Number(value.toFixed(12)) : value;
  return rounded === 0 ? 0 : rounded;
}

function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

/** Numbers rounded, dates copied, undefined keys dropped; `jsonKeys` round-trip through JSON (JSONB columns). */
function normalized<T extends object>(record: T, jsonKeys: readonly string[] = []): T {
  const entries = Object.entries(record)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      if (jsonKeys.includes(key)) return [key, json(value)];
      if (typeof value === 'number') return [key, decimal(value)];
      if (value instanceof Date) return [key, new Date(value.getTime())];
      return [key, value];
    });
  return Object.fromEntries(entries) as T;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: string, b: string): number => Number(a) - Number(b);
const byTime = (a: Date, b: Date): number => a.getTime() - b.getTime();

function inRange(time: Date, range: { from?: Date; to?: Date }): boolean {
  return (!range.from || time >= range.from) && (!range.to || time < range.to);
}

function checkDay(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`day must be YYYY-MM-DD, got ${day}`);
  return day;
}

const ACTIVE = new Set(ACTIVE_POSITION_STATUSES);

const POSITION_PATCH_KEYS = new Set<string>([
  'status', 'leverage', 'quantity', 'entryPrice', 'margin', 'stopPrice', 'stopLossPct', 'liquidationPrice',
  'takeProfitPrice', 'entryFee', 'funding', 'stopOrderId', 'bestPrice', 'lastUpdateAt', 'lastExitCheckAt', 'closedAt',
  'closeReason',
]);
const ORDER_PATCH_KEYS = new Set<string>([
  'side', 'type', 'quantity', 'triggerPrice', 'status', 'exchangeOrderId', 'filledQuantity', 'averagePrice', 'fee',
  'error', 'updatedAt',
]);

function checkPatch(patch: object, allowed: ReadonlySet<string>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined && !allowed.has(key)) throw new Error(`field ${key} cannot be updated`);
  }
}

/** Where a repository reads and writes, and what it waits for first. */
interface Access {
  tables(): Tables;
  ready(): Promise<void>;
}

class MemoryPositions implements PositionRepository {
  constructor(private readonly db: Access) {}

  async create(position: NewPosition): Promise<Position> {
    await this.db.ready();
    const tables = this.db.tables();
    this.refuseSecondActive(tables, position.symbol, undefined);
    const id = String(tables.nextPositionId++);
    const stored = normalized<Position>({ ...position, id, status: 'opening' }, ['rationale']);
    tables.positions.set(id, stored);
    return stored;
  }

  async update(id: string, patch: PositionPatch): Promise<Position> {
    await this.db.ready();
    checkPatch(patch, POSITION_PATCH_KEYS);
    const tables = this.db.tables();
    const current = tables.positions.get(id);
    if (!current) throw new Error(`position ${id} not found`);
    const next = normalized<Position>({ ...current, ...normalized(patch) });
    if (ACTIVE.has(next.status)) this.refuseSecondActive(tables, next.symbol, id);
    tables.positions.set(id, next);
    return next;
  }

  async get(id: string): Promise<Position | undefined> {
    await this.db.ready();
    return this.db.tables().positions.get(id);
  }

  async active(): Promise<Position[]> {
    await this.db.ready();
    return [...this.db.tables().positions.values()]
      .filter((position) => ACTIVE.has(position.status))
      .sort((a, b) => byTime(a.openedAt, b.openedAt) || byId(a.id, b.id));
  }

  private refuseSecondActive(tables: Tables, symbol: string, exceptId: string | undefined): void {
    for (const other of tables.positions.values()) {
      if (other.symbol === symbol && other.id !== exceptId && ACTIVE.has(other.status)) {
        throw new RejectedError(`${symbol} already has an active position`);
      }
    }
  }
}

function requirePosition(tables: Tables, positionId: string, what: string): void {
  if (!tables.positions.has(positionId)) throw new Error(`${what} names position ${positionId}, which does not exist`);
}

class MemoryOrders implements OrderRepository {
  constructor(private readonly db: Access) {}

  async record(order: NewOrder): Promise<OrderRecord> {
    await this.db.ready();
    const tables = this.db.tables();
    requirePosition(tables, order.positionId, `order ${order.clientOrderId}`);
    const existing = tables.orders.get(order.clientOrderId);
    if (existing) return existing;
    const stored = normalized<OrderRecord>({ ...order, status: 'intent', updatedAt: order.createdAt });
    tables.orders.set(order.clientOrderId, stored);
    return stored;
  }

  async update(clientOrderId: string, patch: OrderPatch): Promise<OrderRecord> {
    await this.db.ready();
    checkPatch(patch, ORDER_PATCH_KEYS);
    const tables = this.db.tables();
    const current = tables.orders.get(clientOrderId);
    if (!current) throw new Error(`order ${clientOrderId} not found`);
    const next = normalized<OrderRecord>({ ...current, ...normalized(patch) });
    tables.orders.set(clientOrderId, next);
    return next;
  }

  async get(clientOrderId: string): Promise<OrderRecord | undefined> {
    await this.db.ready();
    return this.db.tables().orders.get(clientOrderId);
  }

  async forPosition(positionId: string): Promise<OrderRecord[]> {
    await this.db.ready();
    return [...this.db.tables().orders.values()]
      .filter((order) => order.positionId === positionId)
      .sort((a, b) => byTime(a.createdAt, b.createdAt) || byText(a.clientOrderId, b.clientOrderId));
  }
}

class MemoryTrades implements TradeRepository {
  constructor(private readonly db: Access) {}

  async record(trade: Trade): Promise<void> {
    await this.db.ready();
    const tables = this.db.tables();
    requirePosition(tables, trade.positionId, 'trade');
    if (tables.trades.has(trade.positionId)) return;
    const fills = trade.fills.map((fill) => normalized(fill));
    tables.trades.set(trade.positionId, { ...normalized(trade, ['rationale']), fills });
  }

  async list(query: TradeQuery = {}): Promise<Trade[]> {
    await this.db.ready();
    const trades = [...this.db.tables().trades.values()]
      .filter((trade) => inRange(trade.closedAt, query))
      .sort((a, b) => byTime(a.closedAt, b.closedAt) || byId(a.positionId, b.positionId));
    return query.limit === undefined ? trades : trades.reverse().slice(0, Math.max(0, Math.floor(query.limit)));
  }

  async count(): Promise<number> {
    await this.db.ready();
    return this.db.tables().trades.size;
  }
}

class MemoryDecisions implements DecisionRepository {
  constructor(private readonly db: Access) {}

  async recordMany(records: readonly DecisionRecord[]): Promise<void> {
    await this.db.ready();
    const tables = this.db.tables();
    for (const record of records) {
      if (record.positionId !== undefined) requirePosition(tables, record.positionId, 'a decision');
    }
    tables.decisions.push(...records.map((record) => normalized({ ...record, usage: normalized(record.usage) })));
  }

  async costBetween(from: Date, to: Date): Promise<number> {
    await this.db.ready();
    const costs = this.db.tables().decisions.filter((record) => inRange(record.time, { from, to }));
    return decimal(costs.reduce((total, record) => total + record.usage.costUsd, 0));
  }

  async unscored(before: Date, limit: number): Promise<ScorableDecision[]> {
    await this.db.ready();
    const { decisions, scores } = this.db.tables();
    const pending: ScorableDecision[] = [];
    decisions.forEach((record, index) => {
      const id = String(index + 1);
      const { side, stopLossPct, takeProfitPct } = record;
      if (scores.has(id) || record.purpose !== 'entry' || record.outcome !== 'valid') return;
      if (side === undefined || stopLossPct === undefined || takeProfitPct === undefined || record.time >= before) return;
      pending.push({ id, time: record.time, symbol: record.symbol, analyst: record.analyst, side, price: record.price, confidence: record.confidence, stopLossPct, takeProfitPct });
    });
    return pending.sort((a, b) => byTime(a.time, b.time)).slice(0, Math.max(0, Math.floor(limit)));
  }

  async recordScores(scores: readonly { readonly id: string; readonly hit: boolean | null }[], at: Date): Promise<void> {
    await this.db.ready();
    const tables = this.db.tables();
    for (const { id, hit } of scores) if (tables.decisions[Number(id) - 1] !== undefined) tables.scores.set(id, { hit, at });
  }

  async trackRecords(): Promise<ModelRecord[]> {
    await this.db.ready();
    const { decisions, scores } = this.db.tables();
    const byAnalyst = new Map<string, { votes: number; scored: number; hits: number; right: number[]; wrong: number[] }>();
    decisions.forEach((record, index) => {
      if (record.purpose !== 'entry') return;
      const row = byAnalyst.get(record.analyst) ?? { votes: 0, scored: 0, hits: 0, right: [], wrong: [] };
      byAnalyst.set(record.analyst, row);
      if (record.outcome === 'valid' && record.side !== undefined) row.votes += 1;
      const score = scores.get(String(index + 1));
      if (score?.hit === true) row.right.push(record.confidence);
      if (score?.hit === false) row.wrong.push(record.confidence);
    });
    const mean = (values: number[]) => (values.length > 0 ? decimal(values.reduce((a, b) => a + b, 0) / values.length) : undefined);
    return [...byAnalyst.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([analyst, row]) => {
        const scored = row.right.length + row.wrong.length;
        const record: ModelRecord = { analyst, votes: row.votes, scored, hits: row.right.length };
        return normalized({ ...record, hitRate: scored > 0 ? row.right.length / scored : undefined, avgConfidenceWhenRight: mean(row.right), avgConfidenceWhenWrong: mean(row.wrong) });
      });
  }

  async list(query: { from?: Date; to?: Date; limit?: number }): Promise<DecisionRecord[]> {
    await this.db.ready();
    // A stable sort keeps insertion order among equal times, as the SQL store's identity column does.
    const records = this.db.tables().decisions.filter((record) => inRange(record.time, query));
    records.sort((a, b) => byTime(a.time, b.time));
    return query.limit === undefined ? records : records.reverse().slice(0, Math.max(0, Math.floor(query.limit)));
  }
}

class MemoryBreakers implements BreakerEventRepository {
  constructor(private readonly db: Access) {}

  async record(event: BreakerEvent): Promise<void> {
    await this.db.ready();
    this.db.tables().breakers.push(normalized(event));
  }

  async list(query: { from?: Date; to?: Date } = {}): Promise<BreakerEvent[]> {
    await this.db.ready();
    const events = this.db.tables().breakers.filter((event) => inRange(event.time, query));
    return events.sort((a, b) => byTime(a.time, b.time));
  }
}

class MemoryRejections implements RiskRejectionRepository {
  constructor(private readonly db: Access) {}

  async record(rejection: RiskRejection): Promise<void> {
    await this.db.ready();
    this.db.tables().rejections.push(normalized({ ...rejection, reasons: [...rejection.reasons] }));
  }

  async list(query: { from?: Date; to?: Date } = {}): Promise<RiskRejection[]> {
    await this.db.ready();
    return this.db.tables().rejections.filter((rejection) => inRange(rejection.time, query)).sort((a, b) => byTime(a.time, b.time));
  }
}

class MemoryState implements TradingStateRepository {
  constructor(private readonly db: Access) {}

  async get(key: string): Promise<unknown> {
    await this.db.ready();
    const text = this.db.tables().state.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.db.ready();
    this.db.tables().state.set(key, JSON.stringify(value ?? null));
  }
}

function emptyDay(day: string, startCapital: number): DailyPerformance {
  return { day, startCapital, endCapital: startCapital, trades: 0, wins: 0, losses: 0, netPnl: 0, fees: 0, funding: 0 };
}

class MemoryDailyPerformance implements DailyPerformanceRepository {
  constructor(private readonly db: Access) {}

  async openDay(day: string, startCapital: number): Promise<DailyPerformance> {
    await this.db.ready();
    const days = this.db.tables().days;
    const existing = days.get(checkDay(day));
    if (existing) return existing;
    const opened = emptyDay(day, decimal(startCapital));
    days.set(day, opened);
    return opened;
  }

  async addTrade(day: string, trade: Trade, capitalAfter: number): Promise<DailyPerformance> {
    await this.db.ready();
    const days = this.db.tables().days;
    const win = trade.netPnl > 0;
    const netPnl = decimal(trade.netPnl);
    const current = days.get(checkDay(day)) ?? emptyDay(day, decimal(decimal(capitalAfter) - netPnl));
    const next: DailyPerformance = {
      ...current,
      endCapital: decimal(capitalAfter),
      trades: current.trades + 1,
      wins: current.wins + (win ? 1 : 0),
      losses: current.losses + (win ? 0 : 1),
      netPnl: decimal(current.netPnl + netPnl),
      fees: decimal(current.fees + decimal(trade.entryFee + trade.exitFee)),
      funding: decimal(current.funding + decimal(trade.funding)),
    };
    days.set(day, next);
    return next;
  }

  async get(day: string): Promise<DailyPerformance | undefined> {
    await this.db.ready();
    return this.db.tables().days.get(checkDay(day));
  }

  async range(fromDay: string, toDay: string): Promise<DailyPerformance[]> {
    await this.db.ready();
    checkDay(fromDay);
    checkDay(toDay);
    return [...this.db.tables().days.values()]
      .filter((entry) => entry.day >= fromDay && entry.day <= toDay)
      .sort((a, b) => byText(a.day, b.day));
  }
}

class MemoryLogs implements LogRepository {
  constructor(private readonly db: Access) {}

  async append(entries: readonly LogEntry[]): Promise<void> {
    await this.db.ready();
    this.db.tables().logs.push(...entries.map((entry) => normalized(entry, ['context'])));
  }
}

class MemoryOutbox implements OutboxRepository {
  constructor(private readonly db: Access) {}

  async enqueue(message: { createdAt: Date; eventType: string; text: string; payload: unknown }): Promise<OutboxMessage> {
    await this.db.ready();
    const tables = this.db.tables();
    const id = String(tables.nextOutboxId++);
    const fresh = { ...message, id, attempts: 0, nextAttemptAt: message.createdAt };
    const stored = normalized<OutboxMessage>(fresh, ['payload']);
    tables.outbox.set(id, stored);
    return stored;
  }

  async due(now: Date, limit: number): Promise<OutboxMessage[]> {
    await this.db.ready();
    return [...this.db.tables().outbox.values()]
      .filter((message) => message.deliveredAt === undefined && message.nextAttemptAt <= now)
      .sort((a, b) => byTime(a.createdAt, b.createdAt) || byId(a.id, b.id))
      .slice(0, Math.max(0, Math.floor(limit)));
  }

  async markDelivered(id: string, at: Date): Promise<void> {
    await this.db.ready();
    const outbox = this.db.tables().outbox;
    const message = outbox.get(id);
    if (message) outbox.set(id, { ...message, deliveredAt: new Date(at.getTime()) });
  }

  async markFailed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db.ready();
    const outbox = this.db.tables().outbox;
    const message = outbox.get(id);
    if (!message || message.deliveredAt) return;
    const retry = { attempts: message.attempts + 1, lastError: error, nextAttemptAt: new Date(nextAttemptAt.getTime()) };
    outbox.set(id, { ...message, ...retry });
  }

  async backlog(): Promise<number> {
    await this.db.ready();
    return [...this.db.tables().outbox.values()].filter((message) => message.deliveredAt === undefined).length;
  }
}

class MemoryPaperAccount implements PaperAccountRepository {
  constructor(private readonly db: Access) {}

  async load(): Promise<{ balance: number; state: unknown } | undefined> {
    await this.db.ready();
    const paper = this.db.tables().paper;
    return paper ? { balance: paper.balance, state: JSON.parse(paper.state) } : undefined;
  }

  async save(balance: number, state: unknown): Promise<void> {
    await this.db.ready();
    this.db.tables().paper = { balance: decimal(balance), state: JSON.stringify(state ?? null) };
  }
}

function repositoriesOver(access: Access): StoreRepositories {
  return {
    positions: new MemoryPositions(access),
    orders: new MemoryOrders(access),
    trades: new MemoryTrades(access),
    decisions: new MemoryDecisions(access),
    breakers: new MemoryBreakers(access),
    rejections: new MemoryRejections(access),
    state: new MemoryState(access),
    dailyPerformance: new MemoryDailyPerformance(access),
    logs: new MemoryLogs(access),
    outbox: new MemoryOutbox(access),
    paperAccount: new MemoryPaperAccount(access),
  };
}

export class InMemoryStore implements Store {
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
  /** Set while a transaction runs; outside callers wait for it, as they would for PGlite's single connection. */
  private running: Promise<void> | undefined;
  private tables = emptyTables();
  private closed = false;
  private readonly scope = new AsyncLocalStorage<{ open: boolean }>();
  private readonly inside: StoreRepositories;

  constructor() {
    const root = repositoriesOver({ tables: () => this.tables, ready: () => this.outsideTransaction() });
    this.inside = repositoriesOver({ tables: () => this.tables, ready: async () => this.checkOpen() });
    this.positions = root.positions;
    this.orders = root.orders;
    this.trades = root.trades;
    this.decisions = root.decisions;
    this.breakers = root.breakers;
    this.rejections = root.rejections;
    this.state = root.state;
    this.dailyPerformance = root.dailyPerformance;
    this.logs = root.logs;
    this.outbox = root.outbox;
    this.paperAccount = root.paperAccount;
  }

  async transaction<T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    await this.outsideTransaction();
    const snapshot = snapshotOf(this.tables);
    const scope = { open: true };
    let finished!: () => void;
    this.running = new Promise((resolve) => (finished = resolve));
    try {
      return await this.scope.run(scope, () => work(this.inside));
    } catch (error) {
      this.tables = snapshot;
      throw error;
    } finally {
      scope.open = false;
      this.running = undefined;
      finished();
    }
  }

  async ping(): Promise<void> {
    this.checkOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private async outsideTransaction(): Promise<void> {
    this.checkOpen();
    if (this.scope.getStore()?.open) {
      throw new Error('store used directly inside store.transaction: use the repositories passed to the transaction');
    }
    while (this.running) await this.running;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }
}
