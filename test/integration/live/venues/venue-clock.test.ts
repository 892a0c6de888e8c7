// Booking on the venue's clock on every venue: when the daemon's clock and the venue's disagree (by minutes, or by
// the few seconds a drifting VPS clock is off), a position the venue's stop closed is still found in the venue's fills,
// the daemon's own close, filled "in its future", is booked at once, and a position adopted "before" the owner's fill
// on our clock counts that fill once.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess, type ProcessOptions } from '../live-harness.js';
import { VENUES, type VenueId, type VenueUnderTest, startVenueUnderTest } from './venues.js';

const MINUTE = 60_000;
let venue: VenueUnderTest | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

function start(venue: VenueUnderTest, store: InMemoryStore, options: ProcessOptions = {}): LiveProcess {
  const proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc], ...options });
  processes.push(proc);
  return proc;
}

describe.each(VENUES)("booking on the venue's clock on %s (real ccxt, local stand-in)", (id: VenueId) => {
  it("when the daemon's clock runs 10 minutes ahead of the venue's, then a position the stop closed is still found in the venue's fills and booked", async () => {
    venue = await startVenueUnderTest(id);
    const store = new InMemoryStore();
    const first = start(venue, store, { clockSkewMs: 10 * MINUTE });
    venue.setPrice(100_000);
    await first.prepare();
    expect((await first.enter()).status).toBe('opened');
    await first.close();
    venue.advance(30 * MINUTE);
    venue.setPrice(93_500);
    expect(venue.book.openPositions()).toEqual([]);

    const second = start(venue, store, { clockSkewMs: 10 * MINUTE });
    await second.daemon.start();

    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_loss_on_exchange' });
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ entryPrice: 100_000, exitPrice: 93_500, quantity: venue.book.trades[0]?.qty });
    expect(trade?.closedAt.getTime()).toBe(venue.book.trades[1]?.time);
    expect(second.notifier.ofType('alert').filter((a) => a.incident.startsWith('unbooked:'))).toEqual([]);
  });

  it("when the daemon's clock runs 10 minutes behind the venue's, then its own close, filled 'in its future', is booked at once", async () => {
    venue = await startVenueUnderTest(id);
    const store = new InMemoryStore();
    const proc = start(venue, store, { clockSkewMs: -10 * MINUTE });
    venue.setPrice(100_000);
    await proc.prepare();
    expect((await proc.enter()).status).toBe('opened');
    venue.setPrice(101_000);

    const position = (await store.positions.active())[0] ?? expect.fail('no position');
    const trade = await proc.parts.closer.close({ position, reason: 'manual' });

    expect(trade).toMatchObject({ reason: 'manual', exitPrice: 101_000 });
    expect(await store.positions.get(position.id)).toMatchObject({ status: 'closed' });
  });

  it("when the daemon's clock runs 5 s behind the venue's and it adopts the owner's position, then the owner's entry fill counts once and the stop's fill books the trade", async () => {
    venue = await startVenueUnderTest(id);
    const store = new InMemoryStore();
    venue.setPrice(100_000);
    const owner = start(venue, store);
    await owner.exchange.setLeverage(venue.btc, 3, 'isolated');
    await owner.exchange.placeEntry({ clientOrderId: 'ltd-90-entry', symbol: venue.btc, side: 'long', quantity: 0.01 });
    // Found two seconds after the owner's fill on the venue's clock: three seconds before it on the daemon's.
    venue.advance(2_000);
    const daemon = start(venue, store, { orphanPolicy: 'adopt', clockSkewMs: -5_000 });
    await daemon.prepare();
    expect(await daemon.parts.reconciler.reconcile()).toMatchObject({ adopted: 1 });

    venue.advance(MINUTE);
    venue.setPrice(89_000);
    expect(venue.book.openPositions()).toEqual([]);
    await daemon.parts.reconciler.reconcile();

    expect(await store.positions.active()).toEqual([]);
    const trades = await store.trades.list();
    expect(trades.map((t) => [t.quantity, t.entryPrice, t.exitPrice, t.entryFee, t.reason])).toEqual([[0.01, 100_000, 89_000, 0, 'stop_loss_on_exchange']]);
    expect(daemon.notifier.ofType('position_closed')).toHaveLength(1);
  });
});
