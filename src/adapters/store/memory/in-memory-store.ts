// The Store port in memory, for backtests (nothing to start, nothing kept on disk) and engine tests. It keeps the
// database's observable rules: one active position per symbol (RejectedError naming the symbol), orders/trades/decisions
// must name a stored position, idempotent order and trade records, numbers rounded to 12 decimals, JSON fields
// round-tripped through JSON, outbox order, and transactions that run one at a time and leave nothing behind when they throw.
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  BreakerEventRepository,
  DailyPerformanceRepository,
  DecisionRepository,
  LogRepository,
  OrderRepository,
  OutboxRepository,
  PaperAccountRepository,
  PositionRepository,
  RiskRejectionRepository,
  Store,
  StoreRepositories,
  TradeRepository,
  TradingStateRepository,
} from '../../../ports/store.js';
import { checkpointOf, emptyTables, type Access } from './memory-tables.js';
import {
  MemoryDecisions,
  MemoryBreakers,
  MemoryRejections,
  MemoryState,
  MemoryDailyPerformance,
  MemoryLogs,
  MemoryOutbox,
  MemoryPaperAccount,
} from './memory-record-repositories.js';
import { MemoryPositions, MemoryOrders, MemoryTrades } from './memory-trading-repositories.js';

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
  /**
   * Settles when the last transaction begun so far has finished. Each transaction waits for the one before it, as
   * PGlite's single connection makes them, so a rollback can only undo its own writes.
   */
  private tail: Promise<void> = Promise.resolve();
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
    // Refused before queueing: a transaction begun inside another would wait for it forever.
    this.checkOutside();
    const previous = this.tail;
    let finished!: () => void;
    this.tail = new Promise((resolve) => (finished = resolve));
    try {
      await previous;
      this.checkOpen();
      const rollback = checkpointOf(this.tables);
      const scope = { open: true };
      try {
        return await this.scope.run(scope, () => work(this.inside));
      } catch (error) {
        this.tables = rollback();
        throw error;
      } finally {
        scope.open = false;
        // While an AsyncLocalStorage is enabled, Node 20 tracks every promise of the process (about 5% of a backtest);
        // the guard needs it only while a transaction is open (one at a time here), and `run` enables it again.
        this.scope.disable();
      }
    } finally {
      finished();
    }
  }

  async ping(): Promise<void> {
    this.checkOpen();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /**
   * Not async on purpose: the caller awaits the queue's own promise, so a call made while transactions wait runs
   * before any transaction queued after it. An async wrapper would add a turn, in which that later transaction could
   * take its checkpoint first and then roll this call's write back with its own.
   */
  private outsideTransaction(): Promise<void> {
    this.checkOutside();
    return this.tail;
  }

  private checkOutside(): void {
    this.checkOpen();
    if (this.scope.getStore()?.open) {
      throw new Error('store used directly inside store.transaction: use the repositories passed to the transaction');
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('store is closed');
  }
}
