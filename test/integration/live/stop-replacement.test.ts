// Replacing a position's venue stop through the engine, real ccxt and the fake Binance venue: the new stop goes out
// under a new client id and is verified before the old one is cancelled; a refused replacement leaves the old one
// resting; a restart at either point between the steps leaves exactly the current stop. A request-by-request audit
// of the venue's book proves the position is never without a stop covering all of it.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, startVenue } from './live-harness.js';
import { auditProtection } from './protection-audit.js';

let venue: FakeBinance | undefined;
const procs: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of procs.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

async function opened(): Promise<{ venue: FakeBinance; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  const proc = new LiveProcess(venue, store);
  procs.push(proc);
  await proc.prepare();
  venue.setPrice('BTCUSDT', 100_000);
  expect((await proc.enter()).status).toBe('opened');
  return { venue, proc, store };
}

const resting = (venue: FakeBinance): string[] =>
  venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => `${a.clientAlgoId}@${a.triggerPrice}x${a.quantity}`);

describe('replacing the venue stop', () => {
  it('when the stop is moved, then the new one is placed and verified among the open orders before the old one is cancelled', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);
    venue.clearRequests();

    const outcome = await proc.parts.stopMover.replace(position!, { triggerPrice: 96_000, why: 'test move' });

    expect(outcome).toMatchObject({ replaced: true, clientOrderId: 'ltd-1-stop.1' });
    const steps = venue.requests
      .filter((r) => r.path === '/fapi/v1/algoOrder' || r.path === '/fapi/v1/openAlgoOrders')
      .map((r) => `${r.method} ${r.path} ${r.params['clientAlgoId'] ?? r.params['algoId'] ?? ''}`.trim());
    const placedAt = steps.findIndex((s) => s.startsWith('POST') && s.endsWith('ltd-1-stop.1'));
    const verifiedAt = steps.findIndex((s, i) => i > placedAt && s.startsWith('GET /fapi/v1/openAlgoOrders'));
    const cancelledAt = steps.findIndex((s) => s.startsWith('DELETE'));
    expect(placedAt).toBeGreaterThanOrEqual(0);
    expect(verifiedAt).toBeGreaterThan(placedAt);
    expect(cancelledAt).toBeGreaterThan(verifiedAt);
    expect(resting(venue)).toEqual([`ltd-1-stop.1@96000x${position!.quantity}`]);
    expect(await store.positions.get(position!.id)).toMatchObject({ stopPrice: 96_000, stopClientOrderId: 'ltd-1-stop.1' });
    expect(await store.orders.get('ltd-1-stop')).toMatchObject({ status: 'cancelled' });
    expect(await store.orders.get('ltd-1-stop.1')).toMatchObject({ status: 'open', triggerPrice: 96_000 });
    audit.stop();
    expect(audit.checks()).toBeGreaterThan(3);
    expect(audit.moments).toEqual([]);
  });

  it('when the venue refuses the new stop, then the old one keeps resting, the owner is told once, and a later try succeeds under a fresh id', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);
    const before = resting(venue);

    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } });
    const first = await proc.parts.stopMover.replace(position!, { triggerPrice: 96_000, why: 'test move' });
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } });
    const second = await proc.parts.stopMover.replace((await store.positions.get(position!.id))!, { triggerPrice: 96_000, why: 'test move' });

    expect(first.replaced).toBe(false);
    expect(second.replaced).toBe(false);
    expect(resting(venue)).toEqual(before);
    expect(await store.positions.get(position!.id)).toMatchObject({ stopPrice: position!.stopPrice });
    const alerts = proc.notifier.ofType('alert').filter((a) => a.incident === `stop-replace:${position!.id}`);
    expect(alerts.map((a) => a.cleared)).toEqual([false]);

    const third = await proc.parts.stopMover.replace((await store.positions.get(position!.id))!, { triggerPrice: 96_000, why: 'test move' });

    expect(third).toMatchObject({ replaced: true, clientOrderId: 'ltd-1-stop.3' });
    expect(resting(venue)).toEqual([`ltd-1-stop.3@96000x${position!.quantity}`]);
    expect(proc.notifier.ofType('alert').filter((a) => a.incident === `stop-replace:${position!.id}`).map((a) => a.cleared)).toEqual([false, true]);
    audit.stop();
    expect(audit.moments).toEqual([]);
  });

  it('when the old stop\'s cancel meets a temporary failure, then it is tried again at once and only the new stop rests', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);

    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'DELETE', status: 503, body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' } });
    expect(await proc.parts.stopMover.replace(position!, { triggerPrice: 96_000, why: 'test move' })).toMatchObject({ replaced: true });

    expect(venue.requestsTo('/fapi/v1/algoOrder', 'DELETE')).toHaveLength(2);
    expect(resting(venue)).toEqual([`ltd-1-stop.1@96000x${position!.quantity}`]);
    expect(await store.orders.get('ltd-1-stop')).toMatchObject({ status: 'cancelled' });
    audit.stop();
    expect(audit.moments).toEqual([]);
  });

  it('when the old stop cannot be cancelled and the daemon restarts, then the new process keeps the current stop and cancels the superseded one', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);

    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'DELETE', status: 400, body: { code: -1000, msg: 'An unknown error occurred.' } });
    expect(await proc.parts.stopMover.replace(position!, { triggerPrice: 96_000, why: 'test move' })).toMatchObject({ replaced: true });
    expect(resting(venue).sort()).toEqual([`ltd-1-stop.1@96000x${position!.quantity}`, `ltd-1-stop@${position!.stopPrice}x${position!.quantity}`].sort());
    await proc.close();

    const next = new LiveProcess(venue, store);
    procs.push(next);
    await next.prepare();
    const report = await next.parts.reconciler.reconcile();

    expect(report.cancelledStrays).toBe(1);
    expect(resting(venue)).toEqual([`ltd-1-stop.1@96000x${position!.quantity}`]);
    audit.stop();
    expect(audit.moments).toEqual([]);
  });

  it('when the daemon stops after the new stop is verified but before the store names it, then the restart keeps the old stop and takes the unrecorded one back', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);
    const update = store.positions.update.bind(store.positions);
    store.positions.update = async () => {
      throw new Error('the process ended here');
    };

    await expect(proc.parts.stopMover.replace(position!, { triggerPrice: 96_000, why: 'test move' })).rejects.toThrow('the process ended here');
    store.positions.update = update;
    await proc.close();
    const next = new LiveProcess(venue, store);
    procs.push(next);
    await next.prepare();
    await next.parts.reconciler.reconcile();

    expect(resting(venue)).toEqual([`ltd-1-stop@${position!.stopPrice}x${position!.quantity}`]);
    expect(await store.positions.get(position!.id)).toMatchObject({ stopPrice: position!.stopPrice });
    expect((await store.positions.get(position!.id))?.stopClientOrderId).toBeUndefined();
    // The next move takes a version the venue has not seen.
    const again = await next.parts.stopMover.replace((await store.positions.get(position!.id))!, { triggerPrice: 96_000, why: 'test move' });
    expect(again).toMatchObject({ replaced: true, clientOrderId: 'ltd-1-stop.2' });
    audit.stop();
    expect(audit.moments).toEqual([]);
  });
});
