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

  it('when two transactions start in the same tick, then the second begins only after the first has ended', async () => {
    const store = new InMemoryStore();
    const order: string[] = [];
    const first = store.transaction(async (tx) => {
      order.push('first begins');
      await tx.state.put('first', true);
      await tx.state.get('first');
      order.push('first throws');
      throw new Error('boom');
    });
    const second = store.transaction(async (tx) => {
      order.push('second begins');
      await tx.state.put('second', true);
      order.push('second commits');
    });

    await expect(first).rejects.toThrow('boom');
    await second;

    expect(order).toEqual(['first begins', 'first throws', 'second begins', 'second commits']);
    expect([await store.state.get('first'), await store.state.get('second')]).toEqual([undefined, true]);
  });

  it('when a write from outside waits behind a transaction, then it lands before a transaction queued after it, which cannot roll it back', async () => {
    const store = new InMemoryStore();
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const running = store.transaction(async (tx) => {
      await tx.state.put('k', 0);
      entered();
      await gate;
    });
    await inside;
    const outside = store.state.put('k', 1);
    let seen: unknown;
    const queued = store.transaction(async (tx) => {
      seen = await tx.state.get('k');
      await tx.state.put('k', 2);
      throw new Error('boom');
    });
    release();

    await Promise.all([running, outside]);
    await expect(queued).rejects.toThrow('boom');

    expect(seen).toBe(1);
    expect(await store.state.get('k')).toBe(1);
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
