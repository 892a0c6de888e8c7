// Adoption writes the position and its entry record (what the venue held) together. A crash between the two would
// leave a row a restart resumes as an entry of ours, whose trade could never be booked: the owner's entry fills are
// older than any look-up window. A crash after both leaves the row opening: the restart finishes it as an adoption.
import { afterEach, expect, it } from 'vitest';
import type { StoreRepositories } from '../../../src/ports/store.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

/** The store as a process dying mid-transaction leaves it: the entry record's write fails, and so the whole transaction. */
function failingEntryRecord(store: InMemoryStore): () => void {
  const transaction = store.transaction.bind(store);
  store.transaction = <T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T> =>
    transaction((tx) => {
      const orders = new Proxy(tx.orders, {
        get: (target, key, receiver) =>
          key === 'record' ? async () => Promise.reject(new Error('the process died here')) : Reflect.get(target, key, receiver),
      });
      return work({ ...tx, orders } as StoreRepositories);
    });
  return () => {
    store.transaction = transaction;
  };
}

it('when adoption dies before its entry record is written, then no half-written position is left, and the next start adopts and books it', async () => {
  venue = await startVenue();
  venue.setPrice('BTCUSDT', 100_000);
  const store = new InMemoryStore();
  const first = new LiveProcess(venue, store, { orphanPolicy: 'adopt' });
  processes.push(first);
  await first.prepare();
  // The owner's position, opened by hand an hour before the daemon looks.
  await first.exchange.setLeverage(BTC, 3, 'isolated');
  await first.exchange.placeEntry({ clientOrderId: 'by-hand-1', symbol: BTC, side: 'long', quantity: 0.01 });
  venue.advance(60 * 60_000);

  const restore = failingEntryRecord(store);
  await expect(first.parts.reconciler.reconcile()).rejects.toThrow();
  restore();
  await first.close();
  expect(await store.positions.active()).toEqual([]);

  const second = new LiveProcess(venue, store, { orphanPolicy: 'adopt' });
  processes.push(second);
  await second.prepare();
  await second.parts.reconciler.reconcile();
  const [adopted] = await store.positions.active();
  expect(adopted).toMatchObject({ status: 'open', quantity: 0.01 });
  expect(venue.book.algoOrders.filter((order) => order.algoStatus === 'NEW').map((order) => order.triggerPrice)).toEqual([90_000]);

  venue.advance(60_000);
  venue.setPrice('BTCUSDT', 89_000);
  expect(venue.book.openPositions()).toEqual([]);
  await second.parts.monitor.check(await store.positions.active());

  expect(await store.positions.active()).toEqual([]);
  expect((await store.trades.list()).map((trade) => [trade.quantity, trade.exitPrice])).toEqual([[0.01, 89_000]]);
}, 60_000);

it('when the process dies after the adoption is written, before its stop, then the next start finishes it as an adoption, not as an entry of ours', async () => {
  venue = await startVenue();
  venue.setPrice('BTCUSDT', 100_000);
  const store = new InMemoryStore();
  // Our clock 5 s behind the venue's: the adoption's start is moved onto the venue's timeline only once it is protected.
  const first = new LiveProcess(venue, store, { orphanPolicy: 'adopt', clockSkewMs: -5_000 });
  processes.push(first);
  await first.prepare();
  await first.exchange.setLeverage(BTC, 3, 'isolated');
  const byHand = await first.exchange.placeEntry({ clientOrderId: 'by-hand-1', symbol: BTC, side: 'long', quantity: 0.01 });
  venue.advance(2_000);

  const record = store.orders.record.bind(store.orders);
  store.orders.record = async (order) => (order.purpose === 'stop' ? Promise.reject(new Error('the process died here')) : record(order));
  await expect(first.parts.reconciler.reconcile()).rejects.toThrow();
  store.orders.record = record;
  await first.close();
  expect((await store.positions.active()).map((position) => position.status)).toEqual(['opening']);

  const second = new LiveProcess(venue, store, { orphanPolicy: 'adopt', clockSkewMs: -5_000 });
  processes.push(second);
  await second.prepare();
  await second.parts.reconciler.reconcile();

  const [adopted] = await store.positions.active();
  expect(adopted).toMatchObject({ status: 'open', quantity: 0.01, stopPrice: 90_000 });
  expect(adopted?.openedAt).toEqual(new Date(byHand.time.getTime() + 1));
  expect(venue.book.algoOrders.filter((order) => order.algoStatus === 'NEW').map((order) => order.triggerPrice)).toEqual([90_000]);
  const alerts = second.notifier.ofType('alert').map((alert) => alert.message);
  expect(alerts).toContain('Found an unknown LONG BTC/USDT:USDT position on the exchange; adopted it with a stop 10.0% from its entry.');
  expect(alerts.filter((message) => message.includes('entry filled'))).toEqual([]);
  expect(second.notifier.ofType('position_opened')).toEqual([]);
}, 60_000);

it('when the process dies after the adoption is written and the owner closes the position by hand meanwhile, then the next start books its trade', async () => {
  venue = await startVenue();
  venue.setPrice('BTCUSDT', 100_000);
  const store = new InMemoryStore();
  const first = new LiveProcess(venue, store, { orphanPolicy: 'adopt' });
  processes.push(first);
  await first.prepare();
  await first.exchange.setLeverage(BTC, 3, 'isolated');
  await first.exchange.placeEntry({ clientOrderId: 'by-hand-1', symbol: BTC, side: 'long', quantity: 0.01 });
  venue.advance(60 * 60_000);

  const record = store.orders.record.bind(store.orders);
  store.orders.record = async (order) => (order.purpose === 'stop' ? Promise.reject(new Error('the process died here')) : record(order));
  await expect(first.parts.reconciler.reconcile()).rejects.toThrow();
  store.orders.record = record;
  await first.close();
  venue.advance(60_000);
  venue.setPrice('BTCUSDT', 105_000);
  await first.exchange.closePosition({ clientOrderId: 'by-hand-2', symbol: BTC, positionSide: 'long', quantity: 0.01 });
  venue.advance(60_000);

  const second = new LiveProcess(venue, store, { orphanPolicy: 'adopt' });
  processes.push(second);
  await second.prepare();
  await second.parts.reconciler.reconcile();

  expect(await store.positions.active()).toEqual([]);
  expect((await store.trades.list()).map((trade) => [trade.quantity, trade.entryPrice, trade.exitPrice])).toEqual([[0.01, 100_000, 105_000]]);
}, 60_000);
