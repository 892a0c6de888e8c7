// Replacing a position's venue stop on every venue the daemon trades on, through the engine, the real ccxt client of
// the venue and its local stand-in: the new stop goes out under a new client id and is verified among the open orders
// before the old one is cancelled; a refused replacement leaves the old one resting; a cancel that keeps failing
// leaves both, and a restart keeps the current one and cancels the superseded one; a restart between the venue's
// verified stop and the store's record takes the unrecorded one back. An audit of the book at every
// request the venue receives proves the position is never without a stop covering all of it.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess } from '../live-harness.js';
import { auditProtection } from '../protection-audit.js';
import { VENUES, type VenueId, type VenueUnderTest, startVenueUnderTest } from './venues.js';

let venue: VenueUnderTest | undefined;
const procs: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of procs.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

const MOVED_TO = 96_000;

async function opened(id: VenueId): Promise<{ venue: VenueUnderTest; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenueUnderTest(id);
  const store = new InMemoryStore();
  const proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc] });
  procs.push(proc);
  await proc.prepare();
  venue.setPrice(100_000);
  expect((await proc.enter()).status).toBe('opened');
  return { venue, proc, store };
}

const resting = (venue: VenueUnderTest): string[] =>
  venue
    .stops()
    .filter((stop) => stop.status === 'NEW')
    .map((stop) => `${stop.clientId}@${stop.triggerPrice}x${stop.quantity}`)
    .sort();

describe.each(VENUES)('replacing the venue stop on %s (real ccxt, local stand-in)', (id) => {
  it('when the stop is moved, then the new one is placed and verified among the open orders before the old one is cancelled', async () => {
    const { venue, proc, store } = await opened(id);
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);
    // Each request as it reaches the venue: a read of the open orders, or the orders it places and cancels.
    const steps: string[] = [];
    venue.onRequest((request) => void steps.push(...(venue.readsOpenOrders(request) ? ['verify'] : venue.orderEntries(request))));

    const outcome = await proc.parts.stopMover.replace(position!, { triggerPrice: MOVED_TO, why: 'test move' });

    expect(outcome).toMatchObject({ replaced: true, clientOrderId: 'ltd-1-stop.1' });
    const placedAt = steps.indexOf('stop:ltd-1-stop.1');
    const verifiedAt = steps.indexOf('verify', placedAt);
    const cancelledAt = steps.indexOf('cancel');
    expect(placedAt).toBeGreaterThanOrEqual(0);
    expect(verifiedAt).toBeGreaterThan(placedAt);
    expect(cancelledAt).toBeGreaterThan(verifiedAt);
    expect(resting(venue)).toEqual([`ltd-1-stop.1@${MOVED_TO}x${position!.quantity}`]);
    expect(await store.positions.get(position!.id)).toMatchObject({ stopPrice: MOVED_TO, stopClientOrderId: 'ltd-1-stop.1' });
    expect(await store.orders.get('ltd-1-stop')).toMatchObject({ status: 'cancelled' });
    expect(await store.orders.get('ltd-1-stop.1')).toMatchObject({ status: 'open', triggerPrice: MOVED_TO });
    audit.stop();
    expect(audit.checks()).toBeGreaterThan(3);
    expect(audit.moments).toEqual([]);
  });

  it('when the venue refuses the new stop, then the old one keeps resting, the owner is told once, and a later try succeeds under a fresh id', async () => {
    const { venue, proc, store } = await opened(id);
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);
    const before = resting(venue);

    venue.refuseNextStop();
    const first = await proc.parts.stopMover.replace(position!, { triggerPrice: MOVED_TO, why: 'test move' });
    venue.refuseNextStop();
    const second = await proc.parts.stopMover.replace((await store.positions.get(position!.id))!, { triggerPrice: MOVED_TO, why: 'test move' });

    expect(first.replaced).toBe(false);
    expect(second.replaced).toBe(false);
    expect(resting(venue)).toEqual(before);
    expect(await store.positions.get(position!.id)).toMatchObject({ stopPrice: position!.stopPrice });
    const incident = `stop-replace:${position!.id}`;
    expect(proc.notifier.ofType('alert').filter((alert) => alert.incident === incident).map((alert) => alert.cleared)).toEqual([false]);

    const third = await proc.parts.stopMover.replace((await store.positions.get(position!.id))!, { triggerPrice: MOVED_TO, why: 'test move' });

    expect(third).toMatchObject({ replaced: true, clientOrderId: 'ltd-1-stop.3' });
    expect(resting(venue)).toEqual([`ltd-1-stop.3@${MOVED_TO}x${position!.quantity}`]);
    expect(proc.notifier.ofType('alert').filter((alert) => alert.incident === incident).map((alert) => alert.cleared)).toEqual([false, true]);
    audit.stop();
    expect(audit.moments).toEqual([]);
  });

  it('when the old stop\'s cancel meets a temporary failure, then it is tried again and only the new stop rests', async () => {
    const { venue, proc, store } = await opened(id);
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);
    const cancelsBefore = venue.orderLog().filter((entry) => entry === 'cancel').length;

    venue.failNextStopCancel();
    expect(await proc.parts.stopMover.replace(position!, { triggerPrice: MOVED_TO, why: 'test move' })).toMatchObject({ replaced: true });

    expect(venue.orderLog().filter((entry) => entry === 'cancel').length - cancelsBefore).toBe(2);
    expect(resting(venue)).toEqual([`ltd-1-stop.1@${MOVED_TO}x${position!.quantity}`]);
    expect(await store.orders.get('ltd-1-stop')).toMatchObject({ status: 'cancelled' });
    audit.stop();
    expect(audit.moments).toEqual([]);
  });

  it('when every try of the old stop\'s cancel fails, then a later try cancels it without waiting for a reconciliation (the loop tries at each pass)', async () => {
    const { venue, proc, store } = await opened(id);
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);

    for (let attempt = 0; attempt < 3; attempt += 1) venue.failNextStopCancel();
    expect(await proc.parts.stopMover.replace(position!, { triggerPrice: MOVED_TO, why: 'test move' })).toMatchObject({ replaced: true });
    expect(proc.parts.stopMover.supersededWaiting).toBe(1);
    // The venue still fails the next cancel: the old stop keeps waiting, and protecting.
    venue.failNextStopCancel();
    await proc.parts.stopMover.cancelSuperseded();
    expect(proc.parts.stopMover.supersededWaiting).toBe(1);
    expect(resting(venue)).toHaveLength(2);

    await proc.parts.stopMover.cancelSuperseded();

    expect(proc.parts.stopMover.supersededWaiting).toBe(0);
    expect(resting(venue)).toEqual([`ltd-1-stop.1@${MOVED_TO}x${position!.quantity}`]);
    expect(await store.orders.get('ltd-1-stop')).toMatchObject({ status: 'cancelled' });
    audit.stop();
    expect(audit.moments).toEqual([]);
  });

  it('when the old stop cannot be cancelled and the daemon restarts, then the new process keeps the current stop and cancels the superseded one', async () => {
    const { venue, proc, store } = await opened(id);
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);

    // Every try of the cancel fails (the daemon tries three times).
    for (let attempt = 0; attempt < 3; attempt += 1) venue.failNextStopCancel();
    expect(await proc.parts.stopMover.replace(position!, { triggerPrice: MOVED_TO, why: 'test move' })).toMatchObject({ replaced: true });
    expect(resting(venue)).toEqual([`ltd-1-stop.1@${MOVED_TO}x${position!.quantity}`, `ltd-1-stop@${position!.stopPrice}x${position!.quantity}`].sort());
    await proc.close();

    const next = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc] });
    procs.push(next);
    await next.prepare();
    const report = await next.parts.reconciler.reconcile();

    expect(report.cancelledStrays).toBe(1);
    expect(resting(venue)).toEqual([`ltd-1-stop.1@${MOVED_TO}x${position!.quantity}`]);
    audit.stop();
    expect(audit.moments).toEqual([]);
  });

  it('when the daemon stops after the new stop is verified but before the store names it, then the restart keeps the old stop and takes the unrecorded one back', async () => {
    const { venue, proc, store } = await opened(id);
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);
    const update = store.positions.update.bind(store.positions);
    store.positions.update = async () => {
      throw new Error('the process ended here');
    };

    await expect(proc.parts.stopMover.replace(position!, { triggerPrice: MOVED_TO, why: 'test move' })).rejects.toThrow('the process ended here');
    store.positions.update = update;
    await proc.close();
    const next = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc] });
    procs.push(next);
    await next.prepare();
    await next.parts.reconciler.reconcile();

    expect(resting(venue)).toEqual([`ltd-1-stop@${position!.stopPrice}x${position!.quantity}`]);
    expect(await store.positions.get(position!.id)).toMatchObject({ stopPrice: position!.stopPrice });
    expect((await store.positions.get(position!.id))?.stopClientOrderId).toBeUndefined();
    // The next move takes a version the venue has not seen.
    const again = await next.parts.stopMover.replace((await store.positions.get(position!.id))!, { triggerPrice: MOVED_TO, why: 'test move' });
    expect(again).toMatchObject({ replaced: true, clientOrderId: 'ltd-1-stop.2' });
    audit.stop();
    expect(audit.moments).toEqual([]);
  });
});
