// On Hyperliquid a price carries at most 5 significant figures, and ccxt rounds every price it sends to that. A short
// opened just below a power of ten has its stop above it (ETH at 9,901.3, the stop 6% higher): the stop must rest at
// the price the daemon verifies, not half a unit away, or the new position is closed as unprotected.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess } from '../live-harness.js';
import { type VenueUnderTest, startVenueUnderTest } from './venues.js';

let venue: VenueUnderTest | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

describe('hyperliquid: a short whose stop lies above the next power of ten', () => {
  it('keeps the position open with a verified stop covering all of it', async () => {
    venue = await startVenueUnderTest('hyperliquid');
    // The price the market list is loaded at: ETH just below 10 000 (tick 0.1 there).
    venue.setEthPrice(9_901.3);
    const store = new InMemoryStore();
    proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.eth] });
    for (const analyst of proc.analysts) analyst.answer(() => ({ action: 'short' }));
    await proc.prepare();

    const outcome = await proc.enter();

    expect(outcome).toMatchObject({ status: 'opened' });
    const [position] = venue.book.openPositions();
    const held = Math.abs(position?.amount ?? 0);
    expect(held).toBeGreaterThan(0);
    const resting = venue.stops().filter((stop) => stop.status === 'NEW');
    expect(resting).toHaveLength(1);
    expect(resting[0]?.quantity).toBe(held);
  });
});
