// A check works on the positions it read at its start; an earlier step of the same check (the order stream's repair,
// a hand close found by reconciliation) may have booked one of them since. Closing that stale copy must not book the
// trade a second time: the week-long venue-behaviour soak counted one such trade twice in a day's figures.
import { afterEach, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
const procs: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of procs.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

it('when a stale copy of a position booked a moment ago is closed again, then nothing is booked or counted twice', async () => {
  venue = await startVenue();
  const store = new InMemoryStore();
  const proc = new LiveProcess(venue, store);
  procs.push(proc);
  await proc.prepare();
  venue.setPrice('BTCUSDT', 100_000);
  expect((await proc.enter()).status).toBe('opened');
  const [stale] = await store.positions.active();
  const held = venue.book.position('BTCUSDT')!;
  venue.book.placeMarketOrder({ symbol: 'BTCUSDT', side: held.amount > 0 ? 'SELL' : 'BUY', quantity: Math.abs(held.amount), reduceOnly: true, clientOrderId: 'web_hand_close' }, venue.now());

  const first = await proc.parts.closer.close({ position: stale!, reason: 'stop_loss' });
  const second = await proc.parts.closer.close({ position: stale!, reason: 'stop_loss' });

  expect(first).toBeDefined();
  expect(second).toBeUndefined();
  expect(await store.trades.list()).toHaveLength(1);
  expect(await store.positions.get(stale!.id)).toMatchObject({ status: 'closed' });
  const day = await store.dailyPerformance.get(first!.closedAt.toISOString().slice(0, 10));
  expect(day?.trades).toBe(1);
});
