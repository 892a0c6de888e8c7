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

it('when the owner adds by hand as the daemon closes what it knows of, then the added size is closed at the next try and the trade booked from every fill', async () => {
  venue = await startVenue();
  const store = new InMemoryStore();
  const proc = new LiveProcess(venue, store);
  procs.push(proc);
  await proc.prepare();
  venue.setPrice('BTCUSDT', 100_000);
  expect((await proc.enter()).status).toBe('opened');
  const [position] = await store.positions.active();
  const [seen] = await proc.exchange.positions();
  const held = venue.book.position('BTCUSDT')!;
  venue.book.placeMarketOrder({ symbol: 'BTCUSDT', side: held.amount > 0 ? 'BUY' : 'SELL', quantity: 0.001, reduceOnly: false, clientOrderId: 'web_hand_add' }, venue.now());

  const first = await proc.parts.closer.close({ position: position!, reason: 'take_profit', seen: seen! });
  expect(first).toBeUndefined();
  expect(venue.book.position('BTCUSDT')).toBeDefined();
  const second = await proc.parts.closer.close({ position: (await store.positions.get(position!.id))!, reason: 'take_profit' });

  // Flat: the stand-in keeps sizes as binary fractions, so a position closed in parts may keep a remainder near 1e-18.
  expect(Math.abs(venue.book.position('BTCUSDT')?.amount ?? 0)).toBeLessThan(1e-9);
  expect(second).toMatchObject({ positionId: position!.id, reason: 'take_profit' });
  expect(second!.fills.length).toBe(4);
  expect(await store.trades.list()).toHaveLength(1);
});
