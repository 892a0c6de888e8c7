// The gap between a ladder step's fill and the stop's re-arm, on each venue whose stand-in closes a position with a
// reduce-only stop larger than it (Binance, Bybit: their documented rule; see the peers' OversizeReduceOnly). The
// daemon is held back from re-arming (no order stream, and the venue refuses the first re-arm); the mark then falls
// through the old full-size stop, which must close the whole rest, and the trade is booked once from the venue's fills.
// Hyperliquid is not here: its stand-in refuses such a stop, and the daemon refuses TAKE_PROFIT_LADDER there (config).
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess } from '../live-harness.js';
import { type VenueId, type VenueUnderTest, startVenueUnderTest } from './venues.js';

let venue: VenueUnderTest | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

const LADDER = { TAKE_PROFIT_LADDER: '0.5@1R', MIN_PROFIT_USD: '50', TAKE_PROFIT_ON_EXCHANGE: 'true' };
const CLOSING_VENUES: readonly VenueId[] = ['binanceusdm', 'bybit'];

describe.each(CLOSING_VENUES)('the take-profit ladder on %s between a step\u2019s fill and the re-arm (real ccxt, local stand-in)', (id) => {
  it('when the re-arm is held back and the mark falls through the old full-size stop, then that stop closes the whole rest and the trade is booked once with the venue\u2019s fills', async () => {
    venue = await startVenueUnderTest(id);
    const store = new InMemoryStore();
    proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc], env: LADDER });
    await proc.prepare();
    venue.setPrice(100_000);
    expect((await proc.enter()).status).toBe('opened');
    const [position] = await store.positions.active();
    const size = position?.quantity ?? NaN;
    expect(venue.book.oversizeReduceOnly).toBe('close');

    venue.advance(60_000);
    venue.setPrice(106_000);
    const rest = Math.abs(venue.book.openPositions()[0]?.amount ?? 0);
    expect(rest).toBeGreaterThan(0);
    expect(rest).toBeLessThan(size);
    venue.refuseNextStop();
    await proc.parts.monitor.check(await store.positions.active());

    // The re-arm was refused: the rest is held only by the stop for the original size, which this venue honours.
    const resting = venue.stops().filter((s) => s.status === 'NEW' && s.triggerPrice === 94_000);
    expect(resting).toEqual([expect.objectContaining({ clientId: 'ltd-1-stop', quantity: size, reduceOnly: true, onMark: true })]);

    venue.advance(60_000);
    venue.setPrice(93_900);
    expect(venue.book.openPositions()).toEqual([]);
    const fired = venue.book.algoOrders.find((a) => a.triggerPrice === 94_000 && a.algoStatus === 'FINISHED');
    const order = venue.book.orders.find((o) => o.orderId === fired?.actualOrderId);
    expect(order?.origQty).toBeCloseTo(size, 9);
    expect(order?.executedQty).toBeCloseTo(rest, 9);

    await proc.parts.monitor.check(await store.positions.active());
    await proc.parts.monitor.check(await store.positions.active());

    const venueSells = venue.book.trades.filter((t) => t.side === 'SELL').map((t) => t.qty);
    expect(await store.trades.count()).toBe(1);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ positionId: position!.id, quantity: size, reason: 'stop_loss_on_exchange' });
    expect(trade?.fills.filter((fill) => fill.side === 'sell').map((fill) => fill.quantity)).toEqual(venueSells);
    expect(venueSells.reduce((sum, qty) => sum + qty, 0)).toBeCloseTo(size, 9);
    // The net result is the venue's: realised P&L of every fill less every commission.
    const venueNet = venue.book.trades.reduce((sum, t) => sum + t.realizedPnl - t.commission, 0);
    expect(trade?.netPnl).toBeCloseTo(venueNet, 6);
    expect(await store.positions.active()).toEqual([]);
    expect(proc.notifier.ofType('position_closed')).toHaveLength(1);
    expect(venue.stops().filter((s) => s.status === 'NEW')).toEqual([]);
  });
});
