// The venue's private order stream: a stop filled on the exchange is booked at once, not at the next position check;
// a stream that drops falls back to the checks with one alert, and comes back. Real ccxt (its websocket client, the
// listen key and ORDER_TRADE_UPDATE events) against the local Binance USDⓈ-M venue.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, startVenue, waitFor } from './live-harness.js';

const HOUR = 3_600_000;
let venue: FakeBinance | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = venue = undefined;
});

/** A long at 100 000 (stop 94 000) with position checks an hour apart and no price stream: only the order stream can wake the daemon. */
async function openLong(): Promise<{ venue: FakeBinance; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  proc = new LiveProcess(venue, store, { positionCheckMs: HOUR });
  venue.setPrice('BTCUSDT', 100_000);
  venue.refuseWebSockets(true);
  await proc.prepare();
  expect((await proc.enter()).status).toBe('opened');
  proc.startLoop();
  await waitFor(() => venue?.openUserDataStreams === 1, 'the daemon to open the order stream');
  return { venue, proc, store };
}

describe('the order stream (real ccxt, fake venue)', () => {
  it('when the exchange-side stop fills, then the trade is booked and the owner told without waiting for the next check', async () => {
    const { venue, proc, store } = await openLong();

    venue.setPrice('BTCUSDT', 93_500);

    await waitFor(async () => (await store.trades.list()).length === 1, 'the stop fill to be booked');
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_loss_on_exchange' });
    expect(proc.notifier.ofType('position_closed')).toHaveLength(1);
    expect(venue.userDataEvents.some((event) => (event['o'] as Record<string, unknown>)['X'] === 'FILLED')).toBe(true);
  });

  it('when the venue cancels the stop, then its ALGO_UPDATE wakes the daemon, which places the stop again and verifies it without waiting for the next check', async () => {
    const { venue, proc, store } = await openLong();

    venue.dropStops('BTCUSDT', 'CANCELED');

    await waitFor(() => venue.book.algoOrders.some((a) => a.clientAlgoId === 'ltd-1-stop.1' && a.algoStatus === 'NEW'), 'the stop to be placed again');
    await waitFor(() => proc.notifier.ofType('alert').some((a) => a.incident === 'reprotected:1'), 'the alert');
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([
      ['ltd-1-stop', 'CANCELED'],
      ['ltd-1-stop.1', 'NEW'],
    ]);
    expect(venue.userDataEvents.filter((e) => e['e'] === 'ALGO_UPDATE').map((e) => (e['o'] as Record<string, unknown>)['X'])).toEqual(['NEW', 'CANCELED', 'NEW']);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', stopOrderId: String(venue.book.algoOrders[1]?.algoId) });
  });

  it('when the stream drops, then one alert says fills wait for the checks, the stream is opened again, and a fill on it books the trade and clears the alert', async () => {
    const { venue, proc, store } = await openLong();

    venue.disconnectUserData();
    await waitFor(() => proc.notifier.ofType('alert').some((alert) => alert.incident === 'order-stream' && !alert.cleared), 'the alert');
    await waitFor(() => venue.openUserDataStreams === 1, 'the stream to be opened again');
    venue.advance(5 * 60_000); // past the quiet period a flapping fault must stay away for its all-clear
    venue.setPrice('BTCUSDT', 93_500);

    await waitFor(async () => (await store.trades.list()).length === 1, 'the stop fill to be booked');
    await waitFor(() => proc.notifier.ofType('alert').some((alert) => alert.incident === 'order-stream' && alert.cleared), 'the all-clear');
    const alerts = proc.notifier.ofType('alert').filter((alert) => alert.incident === 'order-stream');
    expect(alerts.map((alert) => alert.cleared)).toEqual([false, true]);
    expect(alerts[0]?.message).toContain('noticed at the position checks');
  });
});

describe('the order stream at shutdown (real ccxt, fake venue)', () => {
  it('when the process stops while the venue is slow to answer, then closing the connections leaves no failure behind', async () => {
    venue = await startVenue();
    proc = new LiveProcess(venue, new InMemoryStore(), { positionCheckMs: HOUR });
    venue.setPrice('BTCUSDT', 100_000);
    venue.refuseWebSockets(true);
    await proc.prepare();
    expect((await proc.enter()).status).toBe('opened');
    // Whatever the client reads in the background while the stream opens stays unanswered until the shutdown.
    venue.delayNext({ path: '/fapi/v3/positionRisk', ms: 60_000, count: 5 });
    venue.delayNext({ path: '/fapi/v2/positionRisk', ms: 60_000, count: 5 });
    proc.startLoop();
    await waitFor(() => venue?.openUserDataStreams === 1, 'the daemon to open the order stream');

    await proc.close();
    proc = undefined;

    // An unhandled rejection from the closed connection would fail this file; reaching here with the venue intact is the rest.
    expect(venue.openUserDataStreams).toBe(0);
  });
});
