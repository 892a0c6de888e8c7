// Restart reconciliation on every venue: positions adopted, stops re-placed, strays cancelled, positions that ended
// while the daemon was down booked from the venue's fills, an interrupted entry finished. Same scenarios per venue.
import { afterEach, describe, expect, it } from 'vitest';
import { liquidationPrice } from '../../../../src/domain/money.js';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess, type ProcessOptions } from '../live-harness.js';
import { VENUES, type VenueId, type VenueUnderTest, startVenueUnderTest } from './venues.js';

let venue: VenueUnderTest | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

async function world(id: VenueId, price: number): Promise<{ venue: VenueUnderTest; store: InMemoryStore }> {
  venue = await startVenueUnderTest(id);
  venue.setPrice(price);
  return { venue, store: new InMemoryStore() };
}

async function boot(venue: VenueUnderTest, store: InMemoryStore, options: ProcessOptions = {}): Promise<LiveProcess> {
  const proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc], ...options });
  processes.push(proc);
  await proc.prepare();
  return proc;
}

/** A long opened at 100 000 by a first process, then stopped out at 93 500 on the venue while no process runs. */
async function stoppedOutWhileDown(id: VenueId): Promise<{ venue: VenueUnderTest; store: InMemoryStore; quantity: number }> {
  const { venue, store } = await world(id, 100_000);
  const first = await boot(venue, store);
  expect((await first.enter()).status).toBe('opened');
  const quantity = venue.book.openPositions()[0]?.amount ?? NaN;
  await first.close();
  venue.advance(2 * 60 * 60_000);
  venue.setPrice(93_500);
  expect(venue.book.openPositions()).toEqual([]);
  return { venue, store, quantity };
}

describe.each(VENUES)('restart reconciliation on %s (real ccxt, local stand-in)', (id) => {
  it('when the venue\'s liquidation engine closed the position while the daemon was down, then it is booked from the venue\'s fills', async () => {
    const { venue, store } = await world(id, 100_000);
    const first = await boot(venue, store);
    expect((await first.enter()).status).toBe('opened');
    await first.close();
    venue.advance(2 * 60 * 60_000);
    const held = venue.book.openPositions()[0];
    if (!held) throw new Error('the first process left no position');
    const quantity = held.amount;
    // Bybit lists this fill as a BustTrade, not a Trade; Hyperliquid marks it with a `liquidation` object.
    expect(venue.book.liquidate(held.symbol, venue.target.now())).toBeDefined();

    const second = await boot(venue, store);
    const report = await second.parts.reconciler.reconcile();

    expect(report).toMatchObject({ settled: 1 });
    const [trade] = await store.trades.list();
    // The reason comes from the venue's mark on the fill: Binance's autoclose- id, Bybit's BustTrade, Hyperliquid's
    // `liquidation` object.
    expect(trade).toMatchObject({ positionId: '1', reason: 'liquidation' });
    expect(trade?.fills.filter((fill) => fill.side === 'sell').reduce((total, fill) => total + fill.quantity, 0)).toBeCloseTo(quantity, 9);
    expect(second.notifier.ofType('alert').filter((alert) => /not booked|unbooked/i.test(alert.message))).toEqual([]);
  });

  it('when the venue holds a position the store does not know and the policy is adopt, then it is adopted with a stop and an alert', async () => {
    const { venue, store } = await world(id, 100_000);
    const proc = await boot(venue, store, { orphanPolicy: 'adopt' });
    // Opened by hand in the venue's app, with the same account.
    await proc.exchange.setLeverage(venue.btc, 3, 'isolated');
    await proc.exchange.placeEntry({ clientOrderId: 'ltd-90-entry', symbol: venue.btc, side: 'long', quantity: 0.01 });

    const report = await proc.parts.reconciler.reconcile();

    expect(report).toMatchObject({ adopted: 1, closedOrphans: 0 });
    const [adopted] = await store.positions.active();
    expect(adopted).toMatchObject({ symbol: venue.btc, side: 'long', status: 'open', quantity: 0.01, entryPrice: 100_000, leverage: 3, stopPrice: 90_000 });
    expect(venue.stops()).toEqual([{ clientId: `ltd-${adopted?.id}-stop`, status: 'NEW', triggerPrice: 90_000, quantity: 0.01, onMark: true, reduceOnly: true }]);
    expect(proc.notifier.ofType('alert').find((a) => a.incident === `orphan:${venue.btc}`)).toMatchObject({ severity: 'warning', cleared: false });
  });

  it('when the venue holds a position the store does not know and the policy is close, then it is closed reduce-only with an alert', async () => {
    const { venue, store } = await world(id, 100_000);
    const proc = await boot(venue, store, { orphanPolicy: 'close' });
    await proc.exchange.placeEntry({ clientOrderId: 'ltd-91-entry', symbol: venue.btc, side: 'long', quantity: 0.01 });

    const report = await proc.parts.reconciler.reconcile();

    expect(report).toMatchObject({ adopted: 0, closedOrphans: 1 });
    expect(venue.book.openPositions()).toEqual([]);
    const close = venue.book.orders[1];
    expect(close).toMatchObject({ side: 'SELL', reduceOnly: true, origQty: 0.01, status: 'FILLED' });
    expect(await store.positions.active()).toEqual([]);
    const alert = proc.notifier.ofType('alert').find((a) => a.incident === `orphan:${venue.btc}`);
    expect(alert).toMatchObject({ severity: 'warning', message: expect.stringMatching(/Closed an unknown LONG .*ORPHAN_POSITION_POLICY=close/) });
  });

  it('when the stop of a stored position is missing on the venue, then a stop is placed again and verified', async () => {
    const { venue, store } = await world(id, 100_000);
    const first = await boot(venue, store);
    expect((await first.enter()).status).toBe('opened');
    const quantity = venue.book.openPositions()[0]?.amount ?? NaN;
    // The owner cancels the stop in the venue's app while the daemon is down.
    await first.exchange.cancelOrder((await store.positions.get('1'))?.stopOrderId ?? '', venue.btc);
    await first.close();

    const second = await boot(venue, store);
    const report = await second.parts.reconciler.reconcile();

    expect(report.reprotected).toBe(1);
    expect(venue.stops().map((s) => [s.clientId, s.status, s.triggerPrice, s.quantity])).toEqual([
      ['ltd-1-stop', 'CANCELED', 94_000, quantity],
      ['ltd-1-stop.1', 'NEW', 94_000, quantity],
    ]);
    const open = await second.exchange.openOrders(venue.btc);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', stopOrderId: open[0]?.id });
    expect(second.notifier.ofType('alert').find((a) => a.incident === 'reprotected:1')?.severity).toBe('warning');
  });

  it('when a stop of ours rests on the venue with no active position, then it is cancelled and the owner\u2019s own stop is left alone', async () => {
    const { venue, store } = await world(id, 100_000);
    const first = await boot(venue, store);
    expect((await first.enter()).status).toBe('opened');
    // The owner's own order: a client id that is not the daemon's (Hyperliquid takes hex ids only).
    const ownerId = id === 'hyperliquid' ? 'own-7-stop' : 'owner-stop-1';
    await first.exchange.placeProtectiveStop({ clientOrderId: ownerId, symbol: venue.btc, positionSide: 'long', quantity: 0.001, triggerPrice: 50_000 });
    // The close goes through, but cancelling the stop fails and the process ends before reconciling.
    venue.failNextStopCancel();
    await first.parts.closer.close({ position: (await store.positions.active())[0] ?? expect.fail('no position'), reason: 'manual' });
    expect((await store.positions.get('1'))?.status).toBe('closed');
    await first.close();

    const second = await boot(venue, store);
    const report = await second.parts.reconciler.reconcile();

    expect(report.cancelledStrays).toBe(1);
    expect(venue.stops().map((s) => [s.clientId, s.status])).toEqual([
      ['ltd-1-stop', 'CANCELED'],
      [ownerId, 'NEW'],
    ]);
  });

  it('when the exchange stop fired while the daemon was down, then the restart books the position closed from the fills as stop_loss_on_exchange', async () => {
    const { venue, store, quantity } = await stoppedOutWhileDown(id);
    const ordersBefore = venue.orderRequests();

    const second = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc] });
    processes.push(second);
    await second.daemon.start();

    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_loss_on_exchange' });
    const [trade] = await store.trades.list();
    const [entryFill, stopFill] = venue.book.trades;
    expect(trade).toMatchObject({ reason: 'stop_loss_on_exchange', entryPrice: 100_000, exitPrice: 93_500, quantity });
    expect(trade?.closedAt.getTime()).toBe(stopFill?.time);
    expect(trade?.entryFee).toBeCloseTo(entryFill?.commission ?? NaN, 10);
    expect(trade?.exitFee).toBeCloseTo(stopFill?.commission ?? NaN, 10);
    expect(trade?.netPnl).toBeCloseTo(venue.book.wallet - 1_000, 8);
    expect(second.notifier.ofType('position_closed').map((e) => e.trade.reason)).toEqual(['stop_loss_on_exchange']);
    // Nothing was sent to the venue: the position was already gone.
    expect(venue.orderRequests()).toBe(ordersBefore);
  });

  it('when the exchange stop fired while the daemon was down and the owner has opened the same side since, then ours is booked and theirs adopted in the same pass with its own stop', async () => {
    const { venue, store, quantity } = await stoppedOutWhileDown(id);
    const second = await boot(venue, store, { orphanPolicy: 'adopt' });
    // The owner buys 0.01 BTC by hand in the venue's app before the daemon comes back.
    venue.advance(60_000);
    await second.exchange.placeEntry({ clientOrderId: 'web_owner_1', symbol: venue.btc, side: 'long', quantity: 0.01 });

    const report = await second.parts.reconciler.reconcile();

    expect(report).toMatchObject({ settled: 1, reprotected: 0, adopted: 1 });
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_loss_on_exchange' });
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ positionId: '1', reason: 'stop_loss_on_exchange', entryPrice: 100_000, exitPrice: 93_500, quantity });
    // Once ours is booked, the venue is read afresh: the owner's position is unknown, and adopted.
    const [adopted] = await store.positions.active();
    expect(adopted).toMatchObject({ id: '2', side: 'long', quantity: 0.01, entryPrice: 93_500 });
    // One working stop, the adopted position's, for its own size: none for the closed position's size.
    expect(venue.stops().filter((s) => s.status === 'NEW').map((s) => [s.clientId, s.quantity])).toEqual([['ltd-2-stop', 0.01]]);
    expect(await second.parts.reconciler.reconcile()).toMatchObject({ settled: 0, adopted: 0 });
  });

  it('when the daemon died after its close filled but before it cancelled the stop, then the restart cancels that stop and the next position on the symbol has one stop', async () => {
    const { venue, store } = await world(id, 100_000);
    const first = await boot(venue, store);
    expect((await first.enter()).status).toBe('opened');
    const quantity = venue.book.openPositions()[0]?.amount ?? NaN;
    // What the crashed process got done: the position marked closing and the close order filled, nothing more.
    await store.positions.update('1', { status: 'closing', closeReason: 'take_profit' });
    venue.setPrice(103_000);
    await first.exchange.closePosition({ clientOrderId: 'ltd-1-close', symbol: venue.btc, positionSide: 'long', quantity });
    await first.close();
    expect(venue.stops().map((s) => [s.clientId, s.status])).toEqual([['ltd-1-stop', 'NEW']]);

    const second = await boot(venue, store);
    await second.daemon.start();

    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'take_profit' });
    expect(venue.stops().map((s) => [s.clientId, s.status])).toEqual([['ltd-1-stop', 'CANCELED']]);
    expect((await second.enter()).status).toBe('opened');
    expect(venue.stops().filter((s) => s.status === 'NEW').map((s) => s.clientId)).toEqual(['ltd-2-stop']);
  });

  it('when a stop of an earlier position is still working at the next entry, then it is cancelled before the entry is sent', async () => {
    const { venue, store } = await world(id, 100_000);
    const first = await boot(venue, store);
    expect((await first.enter()).status).toBe('opened');
    const quantity = venue.book.openPositions()[0]?.amount ?? NaN;
    // The first position was booked closed, but its stop survived (its cancel was lost).
    await first.exchange.closePosition({ clientOrderId: 'ltd-1-close', symbol: venue.btc, positionSide: 'long', quantity });
    await store.positions.update('1', { status: 'closed', closedAt: new Date(venue.target.now()), closeReason: 'manual' });
    await first.close();
    const next = await boot(venue, store);

    expect((await next.enter()).status).toBe('opened');

    expect(venue.stops().map((s) => [s.clientId, s.status])).toEqual([
      ['ltd-1-stop', 'CANCELED'],
      ['ltd-2-stop', 'NEW'],
    ]);
    const log = venue.orderLog();
    expect(log.slice(log.indexOf('order:ltd-1-close'))).toEqual(['order:ltd-1-close', 'cancel', 'order:ltd-2-entry', 'stop:ltd-2-stop']);
  });

  it('when a crash left a position opening (entry filled, no stop), then the entry is recorded from the venue and the stop placed', async () => {
    const { venue, store } = await world(id, 100_000);
    const first = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc] });
    processes.push(first);
    // What the opener had done when the process died: position and entry intent stored, leverage set, entry sent,
    // and the market moved to 100 200 before it filled.
    const openedAt = new Date(venue.target.now());
    const plan = { quantity: 0.02, entryPrice: 100_000, margin: (0.02 * 100_000) / 3 };
    await store.positions.create({
      symbol: venue.btc,
      side: 'long',
      leverage: 3,
      ...plan,
      stopPrice: 94_000,
      stopLossPct: 0.06,
      liquidationPrice: liquidationPrice({ side: 'long', ...plan, maintenanceMarginRate: 0.005, maintenanceAmount: 0 }),
      entryFee: 0,
      funding: 0,
      openedAt,
      rationale: { confidence: 0.8, opportunityScore: 80, agreeing: ['trend', 'momentum'], dissenting: [] },
    });
    await store.orders.record({ clientOrderId: 'ltd-1-entry', positionId: '1', symbol: venue.btc, purpose: 'entry', side: 'buy', type: 'market', quantity: 0.02, createdAt: openedAt });
    await store.orders.update('ltd-1-entry', { status: 'sent', updatedAt: openedAt });
    await first.exchange.setLeverage(venue.btc, 3, 'isolated');
    venue.setPrice(100_200);
    await first.exchange.placeEntry({ clientOrderId: 'ltd-1-entry', symbol: venue.btc, side: 'long', quantity: 0.02 });
    await first.close();

    const second = await boot(venue, store);
    const report = await second.parts.reconciler.reconcile();

    const [fill] = venue.book.trades;
    expect(report.settled).toBe(0);
    // 6% under the 100 200 fill is 94 188, on every venue's tick.
    const resumed = await store.positions.get('1');
    expect(resumed).toMatchObject({ status: 'open', entryPrice: 100_200, quantity: 0.02, stopPrice: 94_188 });
    expect(resumed?.entryFee).toBeCloseTo(fill?.commission ?? NaN, 10);
    expect(venue.stops().map((s) => [s.clientId, s.status, s.triggerPrice])).toEqual([['ltd-1-stop', 'NEW', 94_188]]);
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.02]);
    expect(second.notifier.ofType('alert').filter((a) => a.severity === 'critical')).toEqual([]);
  });
});
