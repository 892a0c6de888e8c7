// One database transaction together with the promise of its commit, for work whose side effects (messages, state in
// memory) must happen once, with the rows they belong to.
import type { TransactionScope } from '../ports/notifier.js';
import type { Store } from '../ports/store.js';

/**
 * Runs `work` in one transaction whose notifications go out if and only if it commits. The scope's `committed` settles
 * after the commit, so adapters that act on it (waking the delivery of messages) see the rows.
 */
export async function inTransaction<T>(store: Store, work: (scope: TransactionScope) => Promise<T>): Promise<T> {
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const committed = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody need be listening when a transaction rolls back.
  committed.catch(() => undefined);
  try {
    const result = await store.transaction((transaction) => work({ transaction, committed }));
    settle.resolve();
    return result;
  } catch (error) {
    settle.reject(error);
    throw error;
  }
}
