import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { newPosition, registerStoreContract } from './store-contract.js';

registerStoreContract('in-memory', { open: async () => new InMemoryStore() });

describe('in-memory store, like a single database connection', () => {
  it('when a transaction is running, then a write from outside waits for it to finish', async () => {
    const store = new InMemoryStore();
    const order: string[] = [];
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const transaction = store.transaction(async (tx) => {
      await tx.positions.create(newPosition());
      entered();
      await gate;
      order.push('transaction');
    });
    await inside;
    const outside = store.state.put('k', 1).then(() => order.push('outside'));
    release();
    await Promise.all([transaction, outside]);
    expect(order).toEqual(['transaction', 'outside']);
  });

  it('when a transaction rolls back, then a write made outside it after it ended survives', async () => {
    const store = new InMemoryStore();
    await expect(
      store.transaction(async (tx) => {
        await tx.state.put('inside', true);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await store.state.put('outside', true);
    expect([await store.state.get('inside'), await store.state.get('outside')]).toEqual([undefined, true]);
  });

  it('when closed, then it refuses further use', async () => {
    const store = new InMemoryStore();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
  });
});
