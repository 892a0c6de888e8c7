// The behaviour every Store must have, written once and run against the in-memory store, PGlite and Postgres.
// One store serves a whole file, so each case keeps to its own symbols, days and time window ("era") and never
// depends on what other cases wrote.
import { afterAll, beforeAll, describe } from 'vitest';
import type { Store } from '../../../src/ports/store.js';
import { bookkeepingCases } from './contract-bookkeeping.js';
import { ledgerCases } from './contract-ledger.js';
import { positionAndOrderCases } from './contract-positions.js';
import { retentionCases } from './contract-retention.js';

export { newPosition, tradeFor } from './contract-fixtures.js';

export interface StoreHarness {
  open(): Promise<Store>;
  close?(store: Store): Promise<void>;
}

export function registerStoreContract(name: string, harness: StoreHarness): void {
  describe(`${name} store contract`, () => {
    let store: Store | undefined;
    const current = (): Store => {
      if (!store) throw new Error('the store did not open');
      return store;
    };
    beforeAll(async () => {
      store = await harness.open();
    });
    afterAll(async () => {
      if (store) await (harness.close ? harness.close(store) : store.close());
    });

    positionAndOrderCases(current);
    ledgerCases(current);
    bookkeepingCases(current);
    retentionCases(current);
  });
}
