// The break-even stop after the first ladder step (TAKE_PROFIT_BREAK_EVEN), through the engine, real ccxt and the fake
// Binance venue: the stop for the rest holds the whole trade at no loss, so funding the position paid before the step
// filled is covered too, not the fees alone.
import { afterEach, describe, expect, it } from 'vitest';
import { valuePosition } from '../../../src/domain/exit-rules.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
const procs: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of procs.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

// As in take-profit-ladder.test.ts: long 0.023 BTC at 100,000, step 1 closes 0.011 at 106,000 (about $65 net), and
// the $50 minimum keeps the daemon's own take-profit from closing the rest there.
const ENV = { TAKE_PROFIT_LADDER: '0.5@1R,0.1@1.2R', MIN_PROFIT_USD: '50', TAKE_PROFIT_ON_EXCHANGE: 'true', TAKE_PROFIT_BREAK_EVEN: 'true' };
const TICK = 0.1;

describe('the break-even stop after the first take-profit step', () => {
  it('when the position paid funding before step 1 filled, then the stop for the rest covers that funding too: the rest books no loss at it, a tick lower it would', async () => {
    venue = await startVenue();
    const store = new InMemoryStore();
    const proc = new LiveProcess(venue, store, { env: ENV });
    procs.push(proc);
    await proc.prepare();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');

    venue.advance(60_000);
    // A long pays 0.1% of its $2,300 notional.
    venue.settleFunding('BTCUSDT', 0.001);
    await proc.parts.monitor.check(await store.positions.active());
    expect((await store.positions.active())[0]?.funding).toBeCloseTo(-2.3, 9);

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);
    await proc.parts.monitor.check(await store.positions.active());

    const stop = venue.book.algoOrders.find((a) => a.algoStatus === 'NEW' && a.orderType === 'STOP_MARKET');
    expect(stop).toMatchObject({ clientAlgoId: 'ltd-1-stop.1', quantity: 0.012 });
    const [rest] = await store.positions.active();
    expect(rest).toMatchObject({ quantity: 0.012, stopPrice: stop?.triggerPrice, funding: expect.closeTo(-2.3, 9) });
    const trigger = stop?.triggerPrice ?? 0;
    // Fees alone put it near 100,150; the $2.30 paid moves it some $190 farther.
    expect(trigger).toBe(100_342);
    const costs = proc.settings.costs;
    expect(valuePosition(rest!, trigger, costs).netPnl).toBeGreaterThanOrEqual(0);
    expect(valuePosition(rest!, trigger - TICK, costs).netPnl).toBeLessThan(0);
  });
});
