// The Store port over any SqlDatabase. Guards against the one mistake the type system cannot catch: using the
// store's own repositories inside `store.transaction` (the write would escape the transaction on pg and wait
// forever on PGlite's single connection).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DashboardReads } from '../../ports/dashboard.js';
import type { Store, StoreRepositories } from '../../ports/store.js';
import { SqlDashboardReads } from './dashboard-reads.js';
import type { SqlDatabase, SqlExecutor, SqlSession } from './sql.js';
import { createRepositories } from './repositories/index.js';
import { SqlSweepTrialRepository } from './repositories/sweep-trials.js';

interface TransactionScope {
  open: boolean;
}

export class SqlStore implements Store {
  readonly positions;
  readonly orders;
  readonly trades;
  readonly decisions;
  readonly breakers;
  readonly rejections;
  readonly state;
  readonly dailyPerformance;
  readonly logs;
  readonly outbox;
  readonly paperAccount;
  /** The dashboard's read-only queries, outside any transaction. */
  readonly dashboard: DashboardReads;
  /** Parameter sweeps' finished trials (not the trading engine's: outside the Store port). */
  readonly sweepTrials: SqlSweepTrialRepository;
  private readonly scope = new AsyncLocalStorage<TransactionScope>();
  /** Transactions in flight: the async context is switched off whenever there are none. */
  private transactionsInFlight = 0;

  constructor(
    private readonly database: SqlDatabase,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    const root: SqlSession = {
      query: (text, params) => {
        this.refuseInsideTransaction();
        return this.database.executor.query(text, params);
      },
      atomically: (work) => this.runTransaction(work),
    };
    const repositories = createRepositories(root);
    this.positions = repositories.positions;
    this.orders = repositories.orders;
    this.trades = repositories.trades;
    this.decisions = repositories.decisions;
    this.breakers = repositories.breakers;
    this.rejections = repositories.rejections;
    this.state = repositories.state;
    this.dailyPerformance = repositories.dailyPerformance;
    this.logs = repositories.logs;
    this.outbox = repositories.outbox;
    this.paperAccount = repositories.paperAccount;
    this.dashboard = new SqlDashboardReads(root);
    this.sweepTrials = new SqlSweepTrialRepository(root);
  }

  transaction<T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    return this.runTransaction((tx) => {
      const session: SqlSession = { query: (text, params) => tx.query(text, params), atomically: (inner) => inner(tx) };
      return work(createRepositories(session));
    });
  }

  async ping(): Promise<void> {
    await this.database.ping();
  }

  async close(): Promise<void> {
    try {
      await this.database.close();
    } finally {
      await this.onClose();
    }
  }

  private async runTransaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.refuseInsideTransaction();
    const scope: TransactionScope = { open: true };
    this.transactionsInFlight += 1;
    try {
      return await this.scope.run(scope, () => this.database.transaction(work));
    } finally {
      scope.open = false;
      this.transactionsInFlight -= 1;
      // While an AsyncLocalStorage is enabled, Node 20 tracks every promise of the process (about 5% of a replay's
      // time); the guard needs it only while a transaction is open, and `run` enables it again.
      if (this.transactionsInFlight === 0) this.scope.disable();
    }
  }

  private refuseInsideTransaction(): void {
    if (this.scope.getStore()?.open) {
      throw new Error('store used directly inside store.transaction: use the repositories passed to the transaction');
    }
  }
}
