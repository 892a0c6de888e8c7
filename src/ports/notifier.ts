import type { TradingEvent } from '../domain/events.js';
import type { StoreRepositories } from './store.js';

/**
 * A notification that belongs to a store transaction (a trade's booking): it must go out if and only if the
 * transaction commits. `committed` settles once the transaction has committed, and rejects if it rolled back.
 */
export interface TransactionScope {
  readonly transaction: StoreRepositories;
  readonly committed: Promise<void>;
}

export interface Notifier {
  /**
   * Records the event for delivery and returns; delivery (and its failures) is the adapter's job. With `within`, the
   * record is written in that transaction, and a failure to write it fails the transaction.
   */
  notify(event: TradingEvent, within?: TransactionScope): Promise<void>;
}
