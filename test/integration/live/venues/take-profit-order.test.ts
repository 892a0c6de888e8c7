// The take-profit order on the venue (TAKE_PROFIT_ON_EXCHANGE) on every venue the daemon trades on, through the engine,
// the real ccxt client of the venue and its local stand-in: placed after the verified stop in the venue's own terms,
// both verified among the open orders, the target met on the MARK price (the last price stays short of it, so a target
// on the last price would not fire), the position closed once, the other order cancelled, the trade booked once.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess } from '../live-harness.js';
import { VENUES, type VenueId, type VenueUnderTest, startVenueUnderTest } from './venues.js';

let venue: VenueUnderTest | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

async function boot(id: VenueId): Promise<{ venue: VenueUnderTest; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenueUnderTest(id);
  const store = new InMemoryStore();
  proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc], env: { TAKE_PROFIT_ON_EXCHANGE: 'true' } });
  await proc.prepare();
  return { venue, proc, store };
}

async function openLong(id: VenueId): Promise<{ venue: VenueUnderTest; proc: LiveProcess; store: InMemoryStore; quantity: number; target: number; stop: number }> {
  const booted = await boot(id);
  booted.venue.setPrice(100_000);
  expect((await booted.proc.enter()).status).toBe('opened');
  const [position] = await booted.store.positions.active();
  expect(position?.takeProfitPrice).toEqual(expect.any(Number));
  return { ...booted, quantity: position?.quantity ?? NaN, target: position?.takeProfitPrice ?? NaN, stop: position?.stopPrice ?? NaN };
}

describe.each(VENUES)('the take-profit order on %s (real ccxt, local stand-in)', (id) => {
  it('when a long opens, then after the stop a reduce-only target on the mark price rests at the take-profit level, and both are verified among the open orders', async () => {
    const { venue, proc, store, quantity, target } = await openLong(id);

    expect(venue.orderLog().filter((entry) => entry.startsWith('stop:'))).toEqual(['stop:ltd-1-stop', 'stop:ltd-1-tp']);
    const resting = venue.stops().filter((s) => s.status === 'NEW');
    expect(resting).toEqual([
      expect.objectContaining({ clientId: 'ltd-1-stop', quantity, onMark: true, reduceOnly: true }),
      expect.objectContaining({ clientId: 'ltd-1-tp', quantity, onMark: true, reduceOnly: true }),
    ]);
    // On the venue's tick, never nearer the entry than the planned target.
    const tp = resting[1]?.triggerPrice ?? NaN;
    expect(tp).toBeGreaterThanOrEqual(target);
    expect(tp - target).toBeLessThan(venue.tick);
    const open = await proc.exchange.openOrders(venue.btc);
    expect(open.map((order) => order.clientOrderId).sort()).toEqual(['ltd-1-stop', 'ltd-1-tp']);
    expect(open.find((order) => order.clientOrderId === 'ltd-1-tp')).toMatchObject({ type: 'take_profit_market', status: 'open', reduceOnly: true, side: 'sell', quantity });
    expect(open.find((order) => order.clientOrderId === 'ltd-1-stop')).toMatchObject({ type: 'stop_market', status: 'open', reduceOnly: true, side: 'sell', quantity });
    expect(await store.orders.get('ltd-1-tp')).toMatchObject({ purpose: 'tp', status: 'open', exchangeOrderId: expect.any(String) });
  });

  it('when the mark reaches the target while the last price stays below it, then the venue closes the position, the stop is cancelled and the trade is booked once as the target', async () => {
    const { venue, proc, store, quantity, target } = await openLong(id);

    venue.advance(60_000);
    // Only the mark moves: a target watching the last price (100 000) would rest on.
    venue.setMarkPrice(Math.ceil(target / venue.tick) * venue.tick + 10 * venue.tick);
    expect(venue.book.openPositions()).toEqual([]);
    expect(venue.stops().find((s) => s.clientId === 'ltd-1-tp')?.status).toBe('FINISHED');

    const first = await proc.parts.monitor.check(await store.positions.active());
    await proc.parts.monitor.check(await store.positions.active());

    expect(first.closed).toBe(1);
    expect(await store.positions.active()).toEqual([]);
    expect(await store.trades.count()).toBe(1);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ positionId: '1', reason: 'take_profit_on_exchange', quantity });
    // The triggered order fills at market (the last price), so the result is the venue's: every fill less its fee.
    const venueNet = venue.book.trades.reduce((sum, t) => sum + t.realizedPnl - t.commission, 0);
    expect(trade?.netPnl).toBeCloseTo(venueNet, 6);
    expect(venue.stops().find((s) => s.clientId === 'ltd-1-stop')?.status).toBe('CANCELED');
    expect(venue.stops().filter((s) => s.status === 'NEW')).toEqual([]);
    expect(proc.notifier.ofType('position_closed').map((event) => event.trade.reason)).toEqual(['take_profit_on_exchange']);
  });

  it('when the stop fills first, then the target is cancelled and the trade is booked once as the stop', async () => {
    const { venue, proc, store, quantity, stop } = await openLong(id);

    venue.advance(60_000);
    venue.setMarkPrice(stop - 10 * venue.tick);
    expect(venue.book.openPositions()).toEqual([]);

    await proc.parts.monitor.check(await store.positions.active());
    await proc.parts.monitor.check(await store.positions.active());

    expect(await store.trades.count()).toBe(1);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ positionId: '1', reason: 'stop_loss_on_exchange', quantity });
    expect(venue.stops().find((s) => s.clientId === 'ltd-1-tp')?.status).toBe('CANCELED');
    expect(venue.stops().filter((s) => s.status === 'NEW')).toEqual([]);
    expect(proc.notifier.ofType('position_closed')).toHaveLength(1);
  });

  it('when a short holds, then its target rests below the price on the mark, the venue’s answer is read as an open order of ours, and it fires when only the mark falls to it', async () => {
    const { venue, proc } = await boot(id);
    venue.setPrice(100_000);
    await proc.exchange.placeEntry({ clientOrderId: 'ltd-9-entry', symbol: venue.btc, side: 'short', quantity: 0.002 });

    const placed = await proc.exchange.placeTakeProfit({ clientOrderId: 'ltd-9-tp', symbol: venue.btc, positionSide: 'short', quantity: 0.002, triggerPrice: 95_000 });

    expect(placed).toMatchObject({ status: 'open', clientOrderId: 'ltd-9-tp', side: 'buy', quantity: 0.002, reduceOnly: true });
    expect(venue.stops()).toEqual([{ clientId: 'ltd-9-tp', status: 'NEW', triggerPrice: 95_000, quantity: 0.002, onMark: true, reduceOnly: true }]);
    venue.setMarkPrice(95_000 + venue.tick);
    expect(venue.book.openPositions()).toHaveLength(1);
    venue.setMarkPrice(95_000 - venue.tick);
    expect(venue.book.openPositions()).toEqual([]);
    expect(venue.stops().map((s) => s.status)).toEqual(['FINISHED']);
  });
});
