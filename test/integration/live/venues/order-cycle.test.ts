// The live order cycle on every venue the daemon trades on: the engine composed as in production, the real ccxt
// client for the venue, and the venue's local stand-in. The same scenarios, the same expectations, per venue.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess, type ProcessOptions } from '../live-harness.js';
import { VENUES, type VenueId, type VenueUnderTest, startVenueUnderTest } from './venues.js';

let venue: VenueUnderTest | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

async function boot(id: VenueId, options: ProcessOptions = {}): Promise<{ venue: VenueUnderTest; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenueUnderTest(id);
  const store = new InMemoryStore();
  proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc], ...options });
  await proc.prepare();
  return { venue, proc, store };
}

describe.each(VENUES)('a live trade on %s (real ccxt, local stand-in)', (id) => {
  it('when the consensus says long, then isolated leverage, entry, a reduce-only mark-price stop, its verification, the close, the cancel and the booking happen on the venue', async () => {
    const { venue, proc, store } = await boot(id);
    venue.setPrice(100_000);

    const outcome = await proc.enter();

    expect(outcome.status).toBe('opened');
    const [position] = venue.book.openPositions();
    const quantity = position?.amount ?? NaN;
    // 80% of 1 000 at 3x is 2 400: the venue's lot decides how much of it fits.
    expect(quantity * 100_000).toBeGreaterThanOrEqual(2_300);
    expect(quantity * 100_000).toBeLessThanOrEqual(2_400);
    expect(position?.isolatedWallet).toBeGreaterThan(0);
    expect(venue.book.leverage.get('BTCUSDT')).toBe(3);
    const [open] = await store.positions.active();
    expect(open).toMatchObject({ id: '1', status: 'open', side: 'long', quantity, entryPrice: 100_000, stopPrice: 94_000 });
    expect(venue.stops()).toEqual([{ clientId: 'ltd-1-stop', status: 'NEW', triggerPrice: 94_000, quantity, onMark: true, reduceOnly: true }]);
    expect(open?.stopOrderId).toEqual(expect.any(String));
    expect((await proc.exchange.balance()).currency).toBe(venue.settle);

    venue.advance(10 * 60_000);
    venue.setPrice(101_000);
    const result = await proc.parts.monitor.check(await store.positions.active());

    expect(result.closed).toBe(1);
    expect(venue.book.openPositions()).toEqual([]);
    expect(venue.stops().map((s) => s.status)).toEqual(['CANCELED']);
    const [trade] = await store.trades.list();
    const [entryFill, exitFill] = venue.book.trades;
    expect(trade).toMatchObject({ positionId: '1', reason: 'take_profit', entryPrice: 100_000, exitPrice: 101_000, quantity });
    expect(trade?.entryFee).toBeCloseTo(entryFill?.commission ?? NaN, 10);
    expect(trade?.exitFee).toBeCloseTo(exitFill?.commission ?? NaN, 10);
    // P&L from the fills, fees included, equals what the venue's wallet gained.
    expect(trade?.netPnl).toBeCloseTo(1_000 * quantity - 0.0005 * (100_000 + 101_000) * quantity, 8);
    expect(trade?.netPnl).toBeCloseTo(venue.book.wallet - 1_000, 8);
    expect(proc.notifier.ofType('position_closed')).toHaveLength(1);
  });

  it('when the venue refuses the stop, then the position is closed at market at once and a critical alert is raised', async () => {
    const { venue, proc, store } = await boot(id);
    venue.setPrice(100_000);
    venue.refuseNextStop();

    const outcome = await proc.enter();

    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/refused the stop/) });
    expect(venue.book.openPositions()).toEqual([]);
    expect(venue.stops()).toEqual([]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_not_protected' });
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ reason: 'stop_not_protected', entryPrice: 100_000, exitPrice: 100_000 });
    const alert = proc.notifier.ofType('alert').find((a) => a.incident === 'unprotected:1' && !a.cleared);
    expect(alert).toMatchObject({ severity: 'critical', message: expect.stringMatching(/Closing the position at market/) });
    expect(proc.notifier.ofType('position_opened')).toEqual([]);
  });

  it('when the entry is accepted but its answer times out, then the engine finds it by client id: one entry, and a stop', async () => {
    const { venue, proc, store } = await boot(id, { timeoutMs: 500 });
    venue.setPrice(100_000);
    venue.delayNextEntry(2_000);

    const outcome = await proc.enter();

    expect(outcome.status).toBe('opened');
    expect(venue.book.orders.filter((o) => !o.clientOrderId.startsWith('triggered-'))).toHaveLength(1);
    const quantity = venue.book.openPositions()[0]?.amount ?? NaN;
    expect(quantity).toBeGreaterThan(0);
    expect(venue.stops().map((s) => [s.clientId, s.status, s.quantity])).toEqual([['ltd-1-stop', 'NEW', quantity]]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity, entryPrice: 100_000 });
    expect(await store.orders.get('ltd-1-entry')).toMatchObject({ status: 'filled', filledQuantity: quantity });
  });

  it('when the venue settles funding on the open position (hourly on Hyperliquid), then the trade carries it and its P&L still equals the wallet\u2019s change', async () => {
    const { venue, proc, store } = await boot(id);
    venue.setPrice(100_000);
    expect((await proc.enter()).status).toBe('opened');
    const quantity = venue.book.openPositions()[0]?.amount ?? NaN;

    // Two settlements on the venue's schedule while the position is open: the long pays 0.01% of its value each.
    const interval = (id === 'hyperliquid' ? 1 : 8) * 60 * 60_000;
    venue.advance(interval);
    venue.book.settleFunding('BTCUSDT', 0.0001, venue.target.now());
    venue.advance(interval);
    venue.book.settleFunding('BTCUSDT', 0.0001, venue.target.now());
    venue.advance(60_000);
    venue.setPrice(101_000);
    await proc.parts.monitor.check(await store.positions.active());

    const [trade] = await store.trades.list();
    expect(trade?.funding).toBeCloseTo(-2 * 0.0001 * quantity * 100_000, 8);
    expect(trade?.netPnl).toBeCloseTo(venue.book.wallet - 1_000, 8);
  });

  it('when the mark price crosses the stop, then the venue closes the position and the daemon books it as the exchange stop\u2019s', async () => {
    const { venue, proc, store } = await boot(id);
    venue.setPrice(100_000);
    expect((await proc.enter()).status).toBe('opened');
    const quantity = venue.book.openPositions()[0]?.amount ?? NaN;

    venue.advance(30 * 60_000);
    venue.setPrice(93_500);
    expect(venue.book.openPositions()).toEqual([]);
    await proc.parts.monitor.check(await store.positions.active());

    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_loss_on_exchange' });
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ reason: 'stop_loss_on_exchange', entryPrice: 100_000, exitPrice: 93_500, quantity });
    expect(trade?.netPnl).toBeCloseTo(venue.book.wallet - 1_000, 8);
    expect(proc.notifier.ofType('position_closed').map((e) => e.trade.reason)).toEqual(['stop_loss_on_exchange']);
  });
});
