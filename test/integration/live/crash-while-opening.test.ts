// A crash while the opener places the final target and the ladder steps (several venue round trips), before the owner
// was told: the position is still opening, so the restart places what is missing (each order found by its client id,
// none sent twice) and tells the owner once.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, startVenue, waitFor } from './live-harness.js';

let venue: FakeBinance | undefined;
const procs: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of procs.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

// Two steps, both worth the $20 minimum: 0.009 at 106,000 and 0.009 at 112,000 (of 0.023 at 100,000).
const LADDER = { TAKE_PROFIT_LADDER: '0.4@1R,0.4@2R', MIN_PROFIT_USD: '20', TAKE_PROFIT_ON_EXCHANGE: 'true' };

const resting = (v: FakeBinance): string[] =>
  v.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => `${a.clientAlgoId} x${a.quantity}`).sort();

describe('a crash while the opener arms the target and the ladder', () => {
  it('when the process dies as the final target goes out, then the restart places both steps and announces the position once', async () => {
    venue = await startVenue();
    const store = new InMemoryStore();
    const first = new LiveProcess(venue, store, { env: LADDER });
    procs.push(first);
    await first.prepare();
    venue.setPrice('BTCUSDT', 100_000);
    // The process dies while the final target's order is on its way: that call never comes back.
    const place = first.exchange.placeTakeProfit.bind(first.exchange);
    let reached = false;
    (first.exchange as { placeTakeProfit: typeof place }).placeTakeProfit = (order) => {
      if (order.clientOrderId === 'ltd-1-tp') {
        reached = true;
        return new Promise(() => undefined);
      }
      return place(order);
    };
    void first.enter();
    await waitFor(() => reached, 'the final target to be sent');
    expect((await store.positions.get('1'))?.status).toBe('opening');
    await first.close();

    const second = new LiveProcess(venue, store, { env: LADDER });
    procs.push(second);
    await second.daemon.start();
    await second.parts.reconciler.reconcile();

    // The stop and the final target are there...
    expect(resting(venue)).toContain('ltd-1-stop x0.023');
    expect(resting(venue).some((o) => o.startsWith('ltd-1-tp '))).toBe(true);
    // ...the owner hears of the position once, and both steps rest.
    const opened = [...first.notifier.ofType('position_opened'), ...second.notifier.ofType('position_opened')];
    expect(opened, 'position_opened messages across both runs').toHaveLength(1);
    expect(resting(venue).filter((o) => /^ltd-1-tp\d/.test(o)), 'ladder steps resting').toHaveLength(2);
    expect((await store.positions.get('1'))?.status).toBe('open');
    expect(second.notifier.ofType('alert').map((a) => a.message), 'no alert about a missing stop').toEqual([]);
  });

  it('without the crash, the same entry is announced once and both steps rest', async () => {
    venue = await startVenue();
    const store = new InMemoryStore();
    const proc = new LiveProcess(venue, store, { env: LADDER });
    procs.push(proc);
    await proc.prepare();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    expect(proc.notifier.ofType('position_opened')).toHaveLength(1);
    expect(resting(venue).filter((o) => /^ltd-1-tp\d/.test(o))).toHaveLength(2);
  });
});
