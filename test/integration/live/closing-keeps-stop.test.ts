// A position whose close the venue keeps refusing is still held: its stop must keep resting on the venue, through a
// restart too, and the owner's alert says whether it does.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

const resting = (v: FakeBinance) => v.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => a.clientAlgoId);

/** A long of 0.023 BTC whose owner's /close the venue refuses (market orders fail its price filter; stops still go). */
async function refusedClose(refusals = 1_000): Promise<{ venue: FakeBinance; store: InMemoryStore; first: LiveProcess }> {
  const started = await startVenue();
  venue = started;
  started.setPrice('BTCUSDT', 100_000);
  const store = new InMemoryStore();
  const first = new LiveProcess(started, store);
  processes.push(first);
  await first.prepare();
  expect((await first.enter()).status).toBe('opened');
  started.failNext({
    path: '/fapi/v1/order',
    method: 'POST',
    status: 400,
    body: { code: -4131, msg: "The counterparty's best price does not meet the PERCENT_PRICE filter limit." },
    count: refusals,
  });
  const [position] = await store.positions.active();
  await first.parts.closer.close({ position: position!, reason: 'manual' });
  expect((await store.positions.get('1'))?.status).toBe('closing');
  expect(resting(started)).toEqual(['ltd-1-stop']);
  return { venue: started, store, first };
}

describe('a position whose close is refused', () => {
  it('when its stop vanishes while the daemon is down, then the first checks after the restart place it again and keep retrying the close', async () => {
    const { venue, store, first } = await refusedClose();
    await first.close();
    venue.dropStops('BTCUSDT', 'EXPIRED');
    expect(resting(venue)).toEqual([]);

    const second = new LiveProcess(venue, store);
    processes.push(second);
    await second.prepare();
    await second.daemon.start();
    venue.advance(60_000);
    await second.parts.monitor.check(await store.positions.active());

    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.023]);
    // Under a new version of its client id: the venue has seen the first one.
    expect(resting(venue)).toEqual(['ltd-1-stop.1']);
    const position = await store.positions.get('1');
    expect(position).toMatchObject({ status: 'closing', closeReason: 'manual' });
    expect(second.notifier.ofType('alert').some((alert) => alert.incident === 'reprotected:1')).toBe(true);
    const closeAlerts = second.notifier.ofType('alert').filter((alert) => alert.incident === 'close:1').map((alert) => alert.message);
    expect(closeAlerts.at(-1)).toMatch(/the exchange-side stop stays in place/);
  }, 60_000);

  it('when the stop vanishes and cannot be placed again either, then the close alert says it has NO stop', async () => {
    const { venue, store, first } = await refusedClose();
    venue.dropStops('BTCUSDT', 'EXPIRED');
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2010, msg: 'Order would immediately trigger.' }, count: 1_000 });
    venue.advance(60_000);
    await first.parts.monitor.check(await store.positions.active());

    expect(resting(venue)).toEqual([]);
    expect((await store.positions.get('1'))?.status).toBe('closing');
    expect(first.notifier.ofType('alert').some((alert) => alert.incident === 'unprotected:1' && /retried at every check/.test(alert.message))).toBe(true);
    const closeAlerts = first.notifier.ofType('alert').filter((alert) => alert.incident === 'close:1').map((alert) => alert.message);
    expect(closeAlerts.at(-1)).toMatch(/this position has NO stop on the exchange/);
  }, 60_000);

  it('when the venue cannot tell whether the stop rests, then the close is retried all the same', async () => {
    const { venue, store, first } = await refusedClose(1);
    venue.failNext({ path: '/fapi/v1/openAlgoOrders', method: 'GET', status: 503, count: 10 });
    venue.advance(60_000);
    await first.parts.monitor.check(await store.positions.active());

    expect(venue.book.openPositions()).toEqual([]);
    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['manual']);
  }, 60_000);
});
