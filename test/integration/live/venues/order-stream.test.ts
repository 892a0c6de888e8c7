// The venue's private order stream on every venue: Binance's user-data stream, Bybit's `order` topic after its
// websocket login, Hyperliquid's `orderUpdates` by address, each consumed by ccxt's own `watchOrders`. A stop that
// fills on the venue is booked at once, not at the next position check; a stream that drops is opened again.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess, waitFor } from '../live-harness.js';
import { VENUES, type VenueId, type VenueUnderTest, startVenueUnderTest } from './venues.js';

const HOUR = 3_600_000;
let venue: VenueUnderTest | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

/**
 * A long at 100 000 (stop 94 000), position checks an hour apart on a venue clock that stands still, and no price
 * stream: the only thing that can wake the daemon before the hour is the order stream.
 */
async function openLong(id: VenueId): Promise<{ venue: VenueUnderTest; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenueUnderTest(id);
  const store = new InMemoryStore();
  proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc], positionCheckMs: HOUR });
  venue.setPrice(100_000);
  venue.refuseMarketStreams();
  await proc.prepare();
  expect((await proc.enter()).status).toBe('opened');
  proc.startLoop();
  const current = venue;
  await waitFor(() => current.orderStreamListeners() === 1, 'the daemon to open the order stream');
  return { venue, proc, store };
}

const wokenByStream = (proc: LiveProcess): boolean => proc.logger.lines.some((line) => line.message === 'order stream: an order ended, checking now');

describe.each(VENUES)('the order stream on %s (real ccxt watchOrders, local stand-in)', (id) => {
  it('when the mark price crosses the stop and the venue fills it, then the stream wakes the daemon, which books the trade and tells the owner', async () => {
    const { venue, proc, store } = await openLong(id);

    // Only the mark moves: a watch on the last price would see nothing, and the next check is an hour away.
    venue.setMarkPrice(93_500);

    await waitFor(async () => (await store.trades.list()).length === 1, 'the stop fill to be booked');
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_loss_on_exchange' });
    expect(proc.notifier.ofType('position_closed').map((e) => e.trade.reason)).toEqual(['stop_loss_on_exchange']);
    expect(wokenByStream(proc)).toBe(true);
    expect(venue.stops().map((s) => s.status)).toEqual(['FINISHED']);
    expect(venue.orderStreamEvents().length).toBeGreaterThan(0);
  });

  it('when the stream drops, then an alert says fills wait for the checks, the stream is opened again, and a fill on it is booked', async () => {
    const { venue, proc, store } = await openLong(id);

    venue.dropOrderStreams();
    await waitFor(() => proc.notifier.ofType('alert').some((a) => a.incident === 'order-stream' && !a.cleared), 'the alert');
    await waitFor(() => venue.orderStreamListeners() === 1, 'the stream to be opened again');
    venue.setMarkPrice(93_500);

    await waitFor(async () => (await store.trades.list()).length === 1, 'the stop fill to be booked');
    expect(wokenByStream(proc)).toBe(true);
    expect(proc.notifier.ofType('alert').find((a) => a.incident === 'order-stream')?.message).toContain('noticed at the position checks');
  });
});
