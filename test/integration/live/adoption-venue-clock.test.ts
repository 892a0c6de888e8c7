// An adopted position's trade starts where the venue's own history says it was adopted, not at the daemon's clock: a
// VPS clock a few seconds off the venue's must neither count the owner's entry fill a second time nor drop size the
// owner added just after the adoption, and funding counts from the adoption on.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, LiveProcess, startVenue, type ProcessOptions } from './live-harness.js';

const SECOND = 1_000;
const HOUR = 60 * 60_000;
let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

async function boot(store: InMemoryStore, options: ProcessOptions = {}): Promise<LiveProcess> {
  const proc = new LiveProcess(venue as FakeBinance, store, { orphanPolicy: 'adopt', ...options });
  processes.push(proc);
  await proc.prepare();
  return proc;
}

/** The owner's long of 0.01 at 100 000, opened by hand in the venue's app with the daemon's account. */
async function ownerOpensLong(store: InMemoryStore): Promise<{ v: FakeBinance; owner: LiveProcess }> {
  const v = await startVenue();
  venue = v;
  v.setPrice('BTCUSDT', 100_000);
  const owner = await boot(store);
  await owner.exchange.setLeverage(BTC, 3, 'isolated');
  await owner.exchange.placeEntry({ clientOrderId: 'by-hand-1', symbol: BTC, side: 'long', quantity: 0.01 });
  return { v, owner };
}

describe("an adopted position on the venue's timeline (real ccxt, fake venue)", () => {
  it("when the daemon's clock runs 5 s behind the venue's, then the owner's entry fill counts once, funding counts from the adoption on, and the trade books once", async () => {
    const store = new InMemoryStore();
    const { v } = await ownerOpensLong(store);
    // Paid on the owner's holding before the daemon knew it.
    v.advance(SECOND);
    const beforeAdoption = v.settleFunding(BTC, 0.001);
    expect(beforeAdoption?.income).toBeCloseTo(-1, 8);
    v.advance(SECOND);

    // Two seconds after the owner's fill on the venue's clock, three before it on the daemon's.
    const daemon = await boot(store, { clockSkewMs: -5 * SECOND });
    expect(await daemon.parts.reconciler.reconcile()).toMatchObject({ adopted: 1 });
    const [adopted] = await store.positions.active();
    expect(adopted).toMatchObject({ quantity: 0.01, entryPrice: 100_000, stopPrice: 90_000 });

    v.advance(8 * HOUR);
    const afterAdoption = v.settleFunding(BTC, 0.0002);
    expect(afterAdoption?.income).toBeCloseTo(-0.2, 8);
    v.advance(HOUR);
    v.setPrice('BTCUSDT', 89_000);
    expect(v.book.openPositions()).toEqual([]);
    await daemon.parts.reconciler.reconcile();
    await daemon.parts.reconciler.reconcile();

    expect(await store.positions.active()).toEqual([]);
    const trades = await store.trades.list();
    expect(trades.map((t) => [t.quantity, t.entryPrice, t.exitPrice, t.entryFee, t.exitFee, t.funding, t.grossPnl, t.netPnl])).toEqual([
      // Gross (89 000 - 100 000) x 0.01; the stop's fee 0.05% of 890; only the funding paid after the adoption.
      [0.01, 100_000, 89_000, 0, 0.445, -0.2, -110, -110.645],
    ]);
    expect(daemon.notifier.ofType('position_closed')).toHaveLength(1);
    expect(daemon.notifier.ofType('alert').filter((a) => a.incident.startsWith('unbooked:'))).toEqual([]);
  });

  it("when the daemon's clock runs 5 s ahead of the venue's and the owner adds by hand just after the adoption, then the added size is part of the trade", async () => {
    const store = new InMemoryStore();
    const { v, owner } = await ownerOpensLong(store);
    v.advance(2 * SECOND);

    const daemon = await boot(store, { clockSkewMs: 5 * SECOND });
    expect(await daemon.parts.reconciler.reconcile()).toMatchObject({ adopted: 1 });
    // One second after the adoption on the venue's clock: four seconds before it on the daemon's.
    v.advance(SECOND);
    await owner.exchange.placeEntry({ clientOrderId: 'by-hand-2', symbol: BTC, side: 'long', quantity: 0.01 });
    await daemon.parts.monitor.check(await store.positions.active());
    const [followed] = await store.positions.active();
    expect(followed).toMatchObject({ quantity: 0.02, entryPrice: 100_000, stopPrice: 90_000 });

    v.advance(HOUR);
    v.setPrice('BTCUSDT', 89_000);
    await daemon.parts.reconciler.reconcile();

    expect(await store.positions.active()).toEqual([]);
    const trades = await store.trades.list();
    expect(trades.map((t) => [t.quantity, t.entryPrice, t.exitPrice, t.entryFee, t.exitFee, t.grossPnl, t.netPnl])).toEqual([
      // The add's fee (0.05% of 1 000) is the trade's; the owner's first fill's was paid before the adoption.
      [0.02, 100_000, 89_000, 0.5, 0.89, -220, -221.39],
    ]);
    expect(daemon.notifier.ofType('position_closed')).toHaveLength(1);
  });

  it("when the venue's trade history is slow, then the adopted position's stop goes out before the history is asked for", async () => {
    const store = new InMemoryStore();
    const { v } = await ownerOpensLong(store);
    v.advance(2 * SECOND);
    v.delayNext({ path: '/fapi/v1/userTrades', ms: 2 * SECOND });
    v.clearRequests();

    const daemon = await boot(store, { clockSkewMs: -5 * SECOND });
    expect(await daemon.parts.reconciler.reconcile()).toMatchObject({ adopted: 1 });

    const paths = v.requests.map((request) => `${request.method} ${request.path}`);
    const stop = paths.indexOf('POST /fapi/v1/algoOrder');
    const history = paths.indexOf('GET /fapi/v1/userTrades');
    expect(stop).toBeGreaterThanOrEqual(0);
    expect(history).toBeGreaterThan(stop);
    // And the trade still starts on the venue's timeline: after the owner's fill, not 3 s before it.
    const [adopted] = await store.positions.active();
    const ownerFill = v.book.trades[0];
    expect(adopted?.openedAt.getTime()).toBeGreaterThan(ownerFill?.time ?? Number.POSITIVE_INFINITY);
  });

  it("when the venue refuses the adopted position's stop and the daemon's clock runs behind, then it is closed at market and booked once from the venue's start", async () => {
    const store = new InMemoryStore();
    const { v } = await ownerOpensLong(store);
    v.advance(2 * SECOND);
    v.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2010, msg: 'Order would immediately trigger.' }, count: 1_000 });

    const daemon = await boot(store, { clockSkewMs: -5 * SECOND });
    await daemon.parts.reconciler.reconcile();
    expect(v.book.openPositions()).toEqual([]);
    // The booking the close could not make (the start was still our clock's) is made at the next look.
    await daemon.parts.reconciler.reconcile();

    expect(await store.positions.active()).toEqual([]);
    const trades = await store.trades.list();
    expect(trades.map((t) => [t.quantity, t.entryPrice, t.entryFee])).toEqual([[0.01, 100_000, 0]]);
    expect(daemon.notifier.ofType('position_closed')).toHaveLength(1);
  });

  it("when the adopted position is already past its stop and the daemon's clock runs behind, then it is closed at once and booked once from the venue's start", async () => {
    const store = new InMemoryStore();
    const { v } = await ownerOpensLong(store);
    v.advance(2 * SECOND);
    v.setPrice('BTCUSDT', 89_000);

    const daemon = await boot(store, { clockSkewMs: -5 * SECOND });
    await daemon.parts.reconciler.reconcile();
    expect(v.book.openPositions()).toEqual([]);
    await daemon.parts.reconciler.reconcile();

    expect(await store.positions.active()).toEqual([]);
    expect((await store.trades.list()).map((t) => [t.quantity, t.entryPrice, t.exitPrice])).toEqual([[0.01, 100_000, 89_000]]);
  });

  it("when the venue refuses the adopted position's stop and the close books at once, then the position keeps the start its trade was booked from", async () => {
    const store = new InMemoryStore();
    const { v } = await ownerOpensLong(store);
    v.advance(2 * SECOND);
    v.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2010, msg: 'Order would immediately trigger.' }, count: 1_000 });

    const daemon = await boot(store, { clockSkewMs: 5 * SECOND });
    await daemon.parts.reconciler.reconcile();

    const [trade] = await store.trades.list();
    expect(trade?.quantity).toBe(0.01);
    expect((await store.positions.get(trade?.positionId ?? ''))?.openedAt).toEqual(trade?.openedAt);
  });
});
