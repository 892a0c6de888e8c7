// An entry whose answer comes late is found by its client id. On Hyperliquid an order found that way carries no average
// price: the adapter takes it from the order's fills, so the stop and the cut back to the limits are measured from the
// price really filled, not from the planned one.
import { afterEach, describe, expect, it } from 'vitest';
import { adverseDistance } from '../../../../src/domain/money.js';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess } from '../live-harness.js';
import { type VenueUnderTest, startVenueUnderTest } from './venues.js';

let venue: VenueUnderTest | undefined;
const procs: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of procs.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

describe('a late entry answer on hyperliquid', () => {
  it('when the price jumps while the entry is on its way and the answer is late, then the stop and the limits are measured from the real fill', async () => {
    venue = await startVenueUnderTest('hyperliquid');
    const store = new InMemoryStore();
    const proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc], env: { POSITION_SIZE_PERCENT: '0.77' } });
    procs.push(proc);
    await proc.prepare();
    for (const analyst of proc.analysts) analyst.answer(() => ({ action: 'short' }));
    venue.setPrice(100_000);
    const world = venue;
    // The price jumps while the entry is on its way (as in entry-cut.test.ts) and the venue's answer is late.
    world.onRequest((request) => {
      if (world.orderEntries(request).includes('order:ltd-1-entry')) world.setPrice(101_000);
    });
    venue.delayNextEntry(2_000);

    const outcome = await proc.enter();

    expect(outcome.status).toBe('opened');
    const fill = venue.book.trades[0];
    expect(fill?.price).toBe(101_000);
    const position = await store.positions.get('1');
    // Planned at 100 000 with a 6% stop (106 000): from the real fill of 101 000 that stop is only 4.95% away.
    const [stop] = venue.stops();
    expect(adverseDistance('short', fill?.price ?? NaN, stop?.triggerPrice ?? NaN)).toBeGreaterThanOrEqual(0.05);
    expect(position?.entryPrice).toBe(101_000);
    // Sized for a sell up to 100 050; at 101 000 the limits allow less (entry-cut.test.ts: 0.02287 of 0.02308).
    expect(venue.book.openPositions()[0]?.amount ?? 0).toBeGreaterThanOrEqual(-0.02287);
  });
});
