// Start-up reconciliation that repairs the venue: unknown positions adopted or closed, missing stops placed again,
// stray stops of ours cancelled, and an entry a crash interrupted finished.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, ETH, LiveProcess, describeChanges, startVenue, storeInterruptedEntry, type ProcessOptions } from './live-harness.js';

let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

async function world(price: number): Promise<{ venue: FakeBinance; store: InMemoryStore }> {
  venue = await startVenue();
  venue.setPrice('BTCUSDT', price);
  return { venue, store: new InMemoryStore() };
}

async function boot(venue: FakeBinance, store: InMemoryStore, options: ProcessOptions = {}): Promise<LiveProcess> {
  const proc = new LiveProcess(venue, store, options);
  processes.push(proc);
  await proc.prepare();
  return proc;
}

/** What the opener had stored when the process died: a long ETH position `opening` at 4 120 and its entry's intent. */
function storeOpeningEntry(store: InMemoryStore, quantity: number, openedAt: Date): Promise<void> {
  return storeInterruptedEntry(store, { symbol: ETH, quantity, entryPrice: 4_120, stopPrice: 3_872.8, stopLossPct: 0.06, openedAt });
}

describe('start-up reconciliation that repairs the venue (real ccxt, fake venue)', () => {
  it('when the venue holds a position the store does not know and the policy is adopt, then it is adopted with a stop and an alert', async () => {
    const { venue, store } = await world(100_000);
    const proc = await boot(venue, store, { orphanPolicy: 'adopt' });
    // Opened by hand in the venue's app, with the same account.
    await proc.exchange.setLeverage(BTC, 3, 'isolated');
    await proc.exchange.placeEntry({ clientOrderId: 'by-hand-1', symbol: BTC, side: 'long', quantity: 0.01 });

    const report = await proc.parts.reconciler.reconcile();

    expect(report).toMatchObject({ adopted: 1, closedOrphans: 0 });
    // Adopted with the widest allowed stop, 10% under its entry.
    const [adopted] = await store.positions.active();
    expect(adopted).toMatchObject({ symbol: BTC, side: 'long', status: 'open', quantity: 0.01, entryPrice: 100_000, leverage: 3, stopPrice: 90_000 });
    const stop = venue.book.algoOrders.find((a) => a.clientAlgoId === `ltd-${adopted?.id}-stop`);
    expect(stop).toMatchObject({ orderType: 'STOP_MARKET', side: 'SELL', triggerPrice: 90_000, quantity: 0.01, reduceOnly: true, algoStatus: 'NEW' });
    expect(adopted?.stopOrderId).toBe(String(stop?.algoId));
    const orphanAlert = proc.notifier.ofType('alert').find((a) => a.incident === `orphan:${BTC}`);
    expect(orphanAlert).toMatchObject({ severity: 'warning', cleared: false, message: expect.stringMatching(/unknown LONG .* adopted it with a stop 10\.0%/) });
  });

  it('when an adopted position\'s stop fills, then its trade is booked from the adoption, though its entry fills are older than the look-up window', async () => {
    const { venue, store } = await world(100_000);
    const proc = await boot(venue, store, { orphanPolicy: 'adopt' });
    await proc.exchange.setLeverage(BTC, 3, 'isolated');
    await proc.exchange.placeEntry({ clientOrderId: 'by-hand-4', symbol: BTC, side: 'long', quantity: 0.01 });
    // The daemon finds it an hour later (a restart after the owner's manual entry).
    venue.advance(60 * 60_000);
    await proc.parts.reconciler.reconcile();
    const [adopted] = await store.positions.active();
    expect(adopted?.stopPrice).toBe(90_000);

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 89_000);
    await proc.parts.reconciler.reconcile();

    expect(await store.positions.active()).toEqual([]);
    const [trade] = await store.trades.list();
    // From the adoption: the venue's entry price and the stop's fill; the entry's fee was paid before the daemon knew it.
    expect(trade).toMatchObject({ symbol: BTC, side: 'long', quantity: 0.01, entryPrice: 100_000, reason: 'stop_loss_on_exchange', entryFee: 0 });
    expect(trade?.exitPrice).toBeLessThanOrEqual(90_000);
    expect(trade?.netPnl).toBeLessThan(-100);
    expect(proc.notifier.ofType('position_closed')).toHaveLength(1);
  });

  it('when the venue holds a position the store does not know and the policy is close, then it is closed reduce-only with an alert', async () => {
    const { venue, store } = await world(100_000);
    const proc = await boot(venue, store, { orphanPolicy: 'close' });
    await proc.exchange.placeEntry({ clientOrderId: 'by-hand-2', symbol: BTC, side: 'long', quantity: 0.01 });

    const report = await proc.parts.reconciler.reconcile();

    expect(report).toMatchObject({ adopted: 0, closedOrphans: 1 });
    expect(venue.book.openPositions()).toEqual([]);
    const close = venue.requestsTo('/fapi/v1/order', 'POST')[1];
    expect(close?.params).toMatchObject({ side: 'SELL', type: 'MARKET', reduceOnly: 'true' });
    expect(Number(close?.params['quantity'])).toBe(0.01);
    expect(close?.params['newClientOrderId']).toMatch(/^ltd-orphan-\d+$/);
    expect(await store.positions.active()).toEqual([]);
    const alert = proc.notifier.ofType('alert').find((a) => a.incident === `orphan:${BTC}`);
    expect(alert).toMatchObject({ severity: 'warning', message: expect.stringMatching(/Closed an unknown LONG .*ORPHAN_POSITION_POLICY=close/) });
  });

  it('when closing an unknown position failed before, then the close that succeeds is the all-clear of that alert', async () => {
    const { venue, store } = await world(100_000);
    const proc = await boot(venue, store, { orphanPolicy: 'close' });
    await proc.exchange.placeEntry({ clientOrderId: 'by-hand-3', symbol: BTC, side: 'long', quantity: 0.01 });
    venue.failNext({ path: '/fapi/v1/order', method: 'POST', status: 400, body: { code: -2010, msg: 'Account has insufficient balance for requested action.' } });

    await proc.parts.reconciler.reconcile();
    await proc.parts.reconciler.reconcile();

    expect(venue.book.openPositions()).toEqual([]);
    const alerts = proc.notifier.ofType('alert').filter((a) => a.incident === `orphan:${BTC}`);
    expect(alerts.map((a) => [a.severity, a.cleared])).toEqual([
      ['critical', false],
      ['critical', true],
    ]);
    expect(alerts[1]?.message).toMatch(/Closed an unknown LONG/);
  });

  it('when the stop of a stored position is missing on the venue, then a stop is placed again and verified', async () => {
    const { venue, store } = await world(100_000);
    const first = await boot(venue, store);
    expect((await first.enter()).status).toBe('opened');
    // The owner cancels the stop in the venue's app while the daemon is down.
    const cancelledId = (await store.positions.get('1'))?.stopOrderId ?? '';
    await first.exchange.cancelOrder(cancelledId, BTC);
    await first.close();

    const second = await boot(venue, store);
    const report = await second.parts.reconciler.reconcile();

    expect(report.reprotected).toBe(1);
    const stops = venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus, a.triggerPrice]);
    // Under a new version of its client id: the venue has seen the first one.
    expect(stops).toEqual([
      ['ltd-1-stop', 'CANCELED', 94_000],
      ['ltd-1-stop.1', 'NEW', 94_000],
    ]);
    const replaced = venue.book.algoOrders[1];
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', stopOrderId: String(replaced?.algoId), stopClientOrderId: 'ltd-1-stop.1' });
    // Verified: the open conditional orders were read after the new stop was placed.
    const placedAt = venue.requests.findLastIndex((r) => r.path === '/fapi/v1/algoOrder' && r.method === 'POST');
    expect(venue.requests.findLastIndex((r) => r.path === '/fapi/v1/openAlgoOrders')).toBeGreaterThan(placedAt);
    expect(second.notifier.ofType('alert').find((a) => a.incident === 'reprotected:1')?.severity).toBe('warning');
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.023]);
  });

  it('when the venue never takes a client id twice (as Bybit) and the owner cancelled the stop, then the new stop goes out under a new id and the position stays open', async () => {
    venue = await startVenue({ clientIdScope: 'ever' });
    venue.setPrice('BTCUSDT', 100_000);
    const store = new InMemoryStore();
    const first = await boot(venue, store);
    expect((await first.enter()).status).toBe('opened');
    await first.exchange.cancelOrder((await store.positions.get('1'))?.stopOrderId ?? '', BTC);
    await first.close();

    const second = await boot(venue, store);
    const report = await second.parts.reconciler.reconcile();
    // Then the position check finds it protected under that id, and places nothing more.
    await second.parts.reconciler.reconcile();

    expect(report.reprotected).toBe(1);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([
      ['ltd-1-stop', 'CANCELED'],
      ['ltd-1-stop.1', 'NEW'],
    ]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', stopClientOrderId: 'ltd-1-stop.1' });
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.023]);
    expect(second.notifier.ofType('alert').filter((a) => a.incident === 'unprotected:1')).toEqual([]);
  });

  it('when a stop of ours rests on the venue with no active position, then it is cancelled and the owner\'s own stop is left alone', async () => {
    const { venue, store } = await world(100_000);
    const first = await boot(venue, store);
    expect((await first.enter()).status).toBe('opened');
    await first.exchange.placeProtectiveStop({ clientOrderId: 'owner-stop-1', symbol: BTC, positionSide: 'long', quantity: 0.001, triggerPrice: 50_000 });
    // The close goes through, but cancelling the stop fails and the process ends before reconciling.
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'DELETE', status: 503 });
    await first.parts.closer.close({ position: (await store.positions.active())[0] ?? expect.fail('no position'), reason: 'manual' });
    expect((await store.positions.get('1'))?.status).toBe('closed');
    await first.close();

    const second = await boot(venue, store);
    const report = await second.parts.reconciler.reconcile();

    expect(report.cancelledStrays).toBe(1);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([
      ['ltd-1-stop', 'CANCELED'],
      ['owner-stop-1', 'NEW'],
    ]);
    expect(describeChanges(venue).filter((c) => c.startsWith('DELETE'))).toHaveLength(2); // the failed one, then this one
  });

  it('when a crash left a position opening and the look-up of its entry fails, then it stays opening and is settled at the next pass, not marked failed', async () => {
    venue = await startVenue();
    const store = new InMemoryStore();
    const first = new LiveProcess(venue, store, { symbols: [ETH] });
    processes.push(first);
    venue.setPrice('ETHUSDT', 4_120);
    await storeOpeningEntry(store, 0.5, new Date(venue.now()));
    await first.exchange.setLeverage(ETH, 3, 'isolated');
    await first.exchange.placeEntry({ clientOrderId: 'ltd-1-entry', symbol: ETH, side: 'long', quantity: 0.5 });
    // While the daemon was down the position was closed (its first stop, or the owner's hand): filled, and gone.
    venue.advance(60_000);
    venue.setPrice('ETHUSDT', 3_800);
    await first.exchange.closePosition({ clientOrderId: 'by-hand-close', symbol: ETH, positionSide: 'long', quantity: 0.5 });
    await first.close();
    const second = await boot(venue, store, { symbols: [ETH] });
    venue.failNext({ path: '/fapi/v1/order', method: 'GET', status: 503 });

    await second.parts.reconciler.reconcile();

    expect((await store.positions.get('1'))?.status).toBe('opening');
    expect(await store.trades.list()).toEqual([]);

    const report = await second.parts.reconciler.reconcile();

    expect(report.settled).toBe(1);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed' });
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ entryPrice: 4_120, exitPrice: 3_800, quantity: 0.5 });
  });

  it('when a crash came after a close was decided but before it was sent, and the venue stop then closed the position, then the trade is the stop\'s', async () => {
    const { venue, store } = await world(100_000);
    const first = await boot(venue, store);
    expect((await first.enter()).status).toBe('opened');
    const [position] = await store.positions.active();
    // The monitor had written its decision (an AI exit) and the process died before the close order went out.
    await store.positions.update(position!.id, { status: 'closing', closeReason: 'ai_exit' });
    await first.close();
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 90_000);

    const second = await boot(venue, store);
    await second.parts.reconciler.reconcile();

    const [trade] = await store.trades.list();
    expect(trade?.reason).toBe('stop_loss_on_exchange');
    expect(venue.requestsTo('/fapi/v1/order', 'POST').map((request) => request.params['newClientOrderId'])).not.toContain(`ltd-${position!.id}-close`);
  });

  // exposes: resuming an interrupted entry neither rounds the stop to the tick (so it never verifies) nor records the entry's fill and fee
  it('when a crash left a position opening (entry filled, no stop), then the entry is recorded from the venue and the stop placed', async () => {
    venue = await startVenue();
    const store = new InMemoryStore();
    const first = new LiveProcess(venue, store, { symbols: [ETH] });
    processes.push(first);
    venue.setPrice('ETHUSDT', 4_120);
    // What the opener had done when the process died: position and entry intent stored, leverage set, entry sent,
    // and the market moved to 4 123.45 before it filled.
    const openedAt = new Date(venue.now());
    await storeOpeningEntry(store, 0.582, openedAt);
    await store.orders.update('ltd-1-entry', { status: 'sent', updatedAt: openedAt });
    await first.exchange.setLeverage(ETH, 3, 'isolated');
    venue.setPrice('ETHUSDT', 4_123.45);
    await first.exchange.placeEntry({ clientOrderId: 'ltd-1-entry', symbol: ETH, side: 'long', quantity: 0.582 });
    await first.close();

    const second = await boot(venue, store, { symbols: [ETH] });
    const report = await second.parts.reconciler.reconcile();

    const [fill] = venue.book.trades;
    expect(report.settled).toBe(0);
    // 6% under the 4 123.45 fill is 3 876.043: 3 876.05 on ETH's 0.01 tick, rounded towards the entry (5.9998% away).
    const resumed = await store.positions.get('1');
    expect(resumed).toMatchObject({ status: 'open', entryPrice: 4_123.45, quantity: 0.582, stopPrice: 3_876.05 });
    expect(resumed?.entryFee).toBeCloseTo(fill?.commission ?? NaN, 10);
    expect(await store.orders.get('ltd-1-entry')).toMatchObject({ status: 'filled', exchangeOrderId: String(fill?.orderId), averagePrice: 4_123.45, filledQuantity: 0.582 });
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus, a.triggerPrice])).toEqual([['ltd-1-stop', 'NEW', 3_876.05]]);
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.582]);
    expect(second.notifier.ofType('alert').filter((a) => a.severity === 'critical')).toEqual([]);
    // The owner may never have heard of it: it is announced, with the venue's entry and the new stop.
    expect(second.notifier.ofType('position_opened').map((e) => [e.position.id, e.position.entryPrice, e.position.stopPrice])).toEqual([['1', 4_123.45, 3_876.05]]);
    expect(second.notifier.ofType('alert').map((a) => a.message)).toEqual([expect.stringMatching(/entry filled as the daemon stopped, before the stop went out; the stop is now placed at 3876\.05/)]);
  });

  it('when the opener\'s stop had landed before the crash, then the resumed entry is announced once, with no "stop was missing" alert and no stop sent', async () => {
    venue = await startVenue();
    const store = new InMemoryStore();
    const first = new LiveProcess(venue, store);
    processes.push(first);
    venue.setPrice('BTCUSDT', 100_000);
    const openedAt = new Date(venue.now());
    await storeInterruptedEntry(store, { symbol: BTC, quantity: 0.023, entryPrice: 100_000, stopPrice: 94_000, stopLossPct: 0.06, openedAt });
    await store.orders.update('ltd-1-entry', { status: 'sent', updatedAt: openedAt });
    await first.exchange.setLeverage(BTC, 3, 'isolated');
    await first.exchange.placeEntry({ clientOrderId: 'ltd-1-entry', symbol: BTC, side: 'long', quantity: 0.023 });
    // The opener's stop landed and was verified; the process died before anything else was written.
    await first.exchange.placeProtectiveStop({ clientOrderId: 'ltd-1-stop', symbol: BTC, positionSide: 'long', quantity: 0.023, triggerPrice: 94_000 });
    await first.close();

    const second = await boot(venue, store);
    venue.clearRequests();
    await second.parts.reconciler.reconcile();

    expect((await store.positions.get('1'))?.status).toBe('open');
    expect(venue.requests.filter((r) => r.method === 'POST' && r.path === '/fapi/v1/algoOrder'), 'no stop sent').toEqual([]);
    expect(second.notifier.ofType('position_opened')).toHaveLength(1);
    expect(second.notifier.ofType('alert').map((a) => a.message), 'no other message about this position').toEqual([]);
  });
});

describe('a crash left a position opening, and the owner traded the same market by hand while the daemon was down', () => {
  /**
   * The opener's record of a long of 0.005 BTC at 100 000 (its entry checked for up to $510 of notional), the process
   * that wrote it, with the leverage set, and, with `sent`, the entry recorded as sent.
   */
  async function crashedWhileOpening(options: { sent?: boolean } = {}) {
    const { venue, store } = await world(100_000);
    const first = new LiveProcess(venue, store);
    processes.push(first);
    const openedAt = new Date(venue.now());
    await storeInterruptedEntry(store, { symbol: BTC, quantity: 0.005, entryPrice: 100_000, limitPrice: 100_050, checkedNotional: 510, stopPrice: 94_000, stopLossPct: 0.06, openedAt });
    if (options.sent) await store.orders.update('ltd-1-entry', { status: 'sent', updatedAt: openedAt });
    await first.exchange.setLeverage(BTC, 3, 'isolated');
    return { venue, store, first };
  }

  /** The process died before our entry was sent; the owner then bought 0.02 in the venue's app. */
  async function ownerBoughtInstead() {
    const crashed = await crashedWhileOpening();
    await crashed.first.exchange.placeEntry({ clientOrderId: 'by-hand-1', symbol: BTC, side: 'long', quantity: 0.02 });
    await crashed.first.close();
    return crashed;
  }

  it('when our entry never went out, then the owner\'s position is not cut back or taken as ours: it is an unknown position, adopted whole', async () => {
    const { venue, store } = await ownerBoughtInstead();

    const second = await boot(venue, store, { orphanPolicy: 'adopt' });
    const report = await second.parts.reconciler.reconcile({ startUp: true });

    expect((await store.positions.get('1'))?.status).toBe('failed');
    expect(report).toMatchObject({ settled: 1, adopted: 1 });
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.02]);
    expect(venue.requestsTo('/fapi/v1/order', 'POST').map((r) => r.params['newClientOrderId'])).toEqual(['by-hand-1']);
    const [adopted] = await store.positions.active();
    expect(adopted).toMatchObject({ symbol: BTC, quantity: 0.02, status: 'open' });
    expect(second.notifier.ofType('position_opened')).toEqual([]);
  });

  it('when our entry filled and its stop fired while we were away, and the owner then bought again, then our trade is booked as the stop\'s and the owner\'s position is unknown', async () => {
    const { venue, store, first } = await crashedWhileOpening({ sent: true });
    await first.exchange.placeEntry({ clientOrderId: 'ltd-1-entry', symbol: BTC, side: 'long', quantity: 0.005 });
    await first.exchange.placeProtectiveStop({ clientOrderId: 'ltd-1-stop', symbol: BTC, positionSide: 'long', quantity: 0.005, triggerPrice: 94_000 });
    await first.close();
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 93_900);
    expect(venue.book.openPositions()).toEqual([]);
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 93_000);
    await first.exchange.placeEntry({ clientOrderId: 'by-hand-2', symbol: BTC, side: 'long', quantity: 0.01 });

    const second = await boot(venue, store, { orphanPolicy: 'adopt' });
    await second.parts.reconciler.reconcile({ startUp: true });

    expect((await store.trades.list()).map((t) => [t.positionId, t.reason, t.quantity])).toEqual([['1', 'stop_loss_on_exchange', 0.005]]);
    expect(second.notifier.ofType('position_closed')).toHaveLength(1);
    expect(second.notifier.ofType('position_opened')).toEqual([]);
    const [adopted] = await store.positions.active();
    expect(adopted).toMatchObject({ symbol: BTC, quantity: 0.01, entryPrice: 93_000, status: 'open' });
    expect(adopted?.id).not.toBe('1');
  });

  it('when our entry still rests unfilled beside the owner\'s holding at the start, then it is cancelled and the holding goes to the orphan policy in that pass', async () => {
    const { venue, store } = await ownerBoughtInstead();
    // Our entry rests on the book with nothing filled (the fake venue keeps no resting orders of its own: it is put there).
    const now = venue.now();
    venue.book.orders.push({
      orderId: 1, symbol: 'BTCUSDT', clientOrderId: 'ltd-1-entry', side: 'BUY', type: 'LIMIT', origType: 'LIMIT', status: 'NEW', price: 90_000, timeInForce: 'GTC',
      origQty: 0.005, executedQty: 0, avgPrice: 0, reduceOnly: false, stopPrice: 0, workingType: 'CONTRACT_PRICE', time: now, updateTime: now,
    });

    const second = await boot(venue, store, { orphanPolicy: 'adopt' });
    const report = await second.parts.reconciler.reconcile({ startUp: true });

    expect(venue.book.orders.find((o) => o.clientOrderId === 'ltd-1-entry')?.status).toBe('CANCELED');
    expect((await store.positions.get('1'))?.status).toBe('failed');
    expect(report).toMatchObject({ adopted: 1 });
    expect(second.notifier.ofType('position_opened')).toEqual([]);
  });

  it('when a later pass than the start-up one meets such a holding, then it is kept under our stop: only the start-up pass hands it to the orphan policy', async () => {
    const { venue, store } = await ownerBoughtInstead();

    const second = await boot(venue, store, { orphanPolicy: 'close' });
    await second.parts.reconciler.reconcile();

    expect((await store.positions.get('1'))?.status).not.toBe('failed');
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.02]);
  });

  it('when the position check (no orphan pass after it) meets such a holding, then it is kept under our stop until the start-up pass can tell whose it is', async () => {
    const { venue, store } = await ownerBoughtInstead();

    const second = await boot(venue, store, { orphanPolicy: 'adopt' });
    await second.parts.monitor.check(await store.positions.active());

    expect((await store.positions.get('1'))?.status).not.toBe('failed');
    const held = venue.book.openPositions().reduce((sum, p) => sum + p.amount, 0);
    expect(venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').reduce((sum, a) => sum + a.quantity, 0)).toBeCloseTo(held, 9);
  });

  it('when our entry filled and the owner added to it, then all of it is kept under the stop, not cut back as an over-filled entry', async () => {
    const { venue, store, first } = await crashedWhileOpening({ sent: true });
    await first.exchange.placeEntry({ clientOrderId: 'ltd-1-entry', symbol: BTC, side: 'long', quantity: 0.005 });
    await first.exchange.placeEntry({ clientOrderId: 'by-hand-3', symbol: BTC, side: 'long', quantity: 0.015 });
    await first.close();

    const second = await boot(venue, store, { orphanPolicy: 'adopt' });
    await second.parts.reconciler.reconcile({ startUp: true });

    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.02 });
    expect(venue.requestsTo('/fapi/v1/order', 'POST').map((r) => r.params['newClientOrderId'])).not.toContain('ltd-1-trim');
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.02]);
    expect(venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => a.quantity)).toEqual([0.02]);
    expect(second.notifier.ofType('position_opened').map((e) => e.position.quantity)).toEqual([0.02]);
  });
});
