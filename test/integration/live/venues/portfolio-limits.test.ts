// Portfolio limits and the drawdown kill switch on every venue: a refused entry sends nothing to the exchange.
// The exposure cap's sizing of a second entry into what is left stays on Binance's stand-in
// (../portfolio-limits.test.ts): what is left depends on each venue's lot and minimum (Hyperliquid's finer BTC lot
// would leave about $1 of the cap, under its $10 minimum).
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess, type ProcessOptions } from '../live-harness.js';
import { VENUES, type VenueId, type VenueUnderTest, startVenueUnderTest } from './venues.js';

let venue: VenueUnderTest | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

async function boot(venue: VenueUnderTest, store: InMemoryStore, options: ProcessOptions): Promise<LiveProcess> {
  const proc = new LiveProcess(venue.target, store, { target: venue.target, ...options });
  processes.push(proc);
  await proc.prepare();
  return proc;
}

describe.each(VENUES)('portfolio limits on %s (real ccxt, local stand-in)', (id: VenueId) => {
  it('when the open notional has reached the cap, an entry is refused before any order reaches the venue', async () => {
    venue = await startVenueUnderTest(id);
    const store = new InMemoryStore();
    const first = await boot(venue, store, { symbols: [venue.btc], env: { MAX_OPEN_POSITIONS: '2', MAX_TOTAL_EXPOSURE: '1.5' } });
    venue.setPrice(100_000);
    venue.setEthPrice(4_000);
    expect((await first.enter()).status).toBe('opened');
    // About 1.4x capital is open; the owner lowers the cap to 1.2x and restarts.
    const second = await boot(venue, store, { symbols: [venue.eth], env: { MAX_OPEN_POSITIONS: '2', MAX_TOTAL_EXPOSURE: '1.2' } });
    const ordersBefore = venue.orderRequests();

    const outcome = await second.enter();

    expect(outcome.status).toBe('rejected');
    expect(outcome.status === 'rejected' ? outcome.reasons.join(' ') : '').toMatch(/open notional 1\.\d\dx capital has reached the 1\.20x total exposure cap/);
    expect(venue.orderRequests()).toBe(ordersBefore);
    expect(venue.book.openPositions().map((p) => p.symbol)).toEqual(['BTCUSDT']);
  });

  it('when a previous run tripped the drawdown kill switch, then after the restart an entry is refused and nothing reaches the venue', async () => {
    venue = await startVenueUnderTest(id);
    const store = new InMemoryStore();
    await store.state.put('drawdown', { peakEquity: 1_400, peakAt: '2025-10-01T00:00:00.000Z', warned: [0.05, 0.1], tripped: true });
    const proc = await boot(venue, store, { symbols: [venue.btc] });
    await proc.parts.drawdown.load(1_000);
    venue.setPrice(100_000);

    const outcome = await proc.enter();

    expect(outcome.status).toBe('rejected');
    expect(outcome.status === 'rejected' ? outcome.reasons[0] : '').toMatch(/account drawdown reached 25\.0% from the peak of \$1400\.00; \/resume to trade again/);
    expect(venue.orderRequests()).toBe(0);
    expect(venue.book.openPositions()).toEqual([]);
  });
});
