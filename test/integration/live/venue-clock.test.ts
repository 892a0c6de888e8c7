// Booking a position the venue closed when its closing fills stay out of sight: on the Binance stand-in only, whose
// answers a test can rewrite (an empty trade history), and an adopted position booked with the daemon's clock ahead of
// the venue's. The other clock-skew cases run on every venue in venues/venue-clock.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { UNBOOKED_ALERT_MS } from '../../../src/engine/trade-booker.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, LiveProcess, startVenue, type ProcessOptions } from './live-harness.js';

const MINUTE = 60_000;
let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

function start(store: InMemoryStore, options: ProcessOptions = {}): LiveProcess {
  const proc = new LiveProcess(venue as FakeBinance, store, options);
  processes.push(proc);
  return proc;
}

/** A long opened at 100 000 (stop 94 000) by a daemon whose clock runs `skewMs` off the venue's; then its stop fills. */
async function stoppedOut(skewMs: number): Promise<{ venue: FakeBinance; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  const first = start(store, { clockSkewMs: skewMs });
  venue.setPrice('BTCUSDT', 100_000);
  await first.prepare();
  expect((await first.enter()).status).toBe('opened');
  await first.close();
  venue.advance(30 * MINUTE);
  venue.setPrice('BTCUSDT', 93_500);
  expect(venue.book.openPositions()).toEqual([]);
  return { venue, store };
}

describe("booking a position whose closing fills stay out of sight (real ccxt, fake venue)", () => {
  it('when the closing fills of a vanished position cannot be found, then after a bounded wait one critical alert names the position, and the trade is booked once they appear', async () => {
    const { venue, store } = await stoppedOut(0);
    // The venue's trade history answers, but empty: the position is gone and nothing shows how.
    venue.rewriteNext({ path: '/fapi/v1/userTrades', method: 'GET', count: 1_000, rewrite: () => [] });
    const second = start(store);
    await second.daemon.start();
    const unbooked = () => second.notifier.ofType('alert').filter((a) => a.incident === 'unbooked:1');
    expect(await store.positions.get('1')).toMatchObject({ status: 'open' });
    expect(unbooked()).toEqual([]);

    venue.advance(UNBOOKED_ALERT_MS - MINUTE);
    await second.parts.reconciler.reconcile();
    expect(unbooked()).toEqual([]);
    venue.advance(MINUTE);
    await second.parts.reconciler.reconcile();
    venue.advance(MINUTE);
    await second.parts.reconciler.reconcile();

    expect(unbooked().map((a) => [a.severity, a.cleared])).toEqual([['critical', false]]);
    expect(unbooked()[0]?.message).toMatch(/BTC\/USDT:USDT LONG \(position 1\) is no longer on the exchange.*not booked yet/);
    expect(await store.trades.list()).toEqual([]);

    venue.clearFaults();
    await second.parts.reconciler.reconcile();
    expect(await store.trades.count()).toBe(1);
    expect(unbooked().map((a) => [a.severity, a.cleared])).toEqual([
      ['critical', false],
      ['critical', true],
    ]);
  });

  it("when the daemon's clock runs 10 minutes ahead and it adopts a position already past its stop, then the close it sends at once is booked", async () => {
    venue = await startVenue();
    venue.setPrice('BTCUSDT', 100_000);
    const store = new InMemoryStore();
    // The owner's long, opened by hand while the daemon was down.
    const owner = start(store);
    await owner.exchange.setLeverage(BTC, 3, 'isolated');
    await owner.exchange.placeEntry({ clientOrderId: 'by-hand-1', symbol: BTC, side: 'long', quantity: 0.01 });
    venue.advance(30 * MINUTE);
    // 11% under its entry: the 10% stop adoption gives it would trigger at once, so adoption closes it at market.
    venue.setPrice('BTCUSDT', 89_000);
    await owner.close();

    const daemon = start(store, { orphanPolicy: 'adopt', clockSkewMs: 10 * MINUTE });
    await daemon.daemon.start();
    await daemon.parts.monitor.check(await store.positions.active());

    expect(venue.book.openPositions()).toEqual([]);
    expect(await store.positions.active()).toEqual([]);
    expect((await store.trades.list()).map((t) => [t.quantity, t.entryPrice, t.exitPrice])).toEqual([[0.01, 100_000, 89_000]]);
    expect(daemon.notifier.ofType('position_closed')).toHaveLength(1);
  });
});
