// The balance the daemon sizes with excludes open P&L (src/ports/exchange.ts). Hyperliquid's unified total is its
// account value, wallet plus open P&L, and its free is that less the margin in use: with a winning position open, a
// second entry must still be sized on the wallet and on what the venue really lets it post.
import { afterEach, describe, expect, it } from 'vitest';
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

describe('the capital read from hyperliquid with a position in profit', () => {
  it('when a long is 10% up, then the capital is the wallet and a second entry posts at most POSITION_SIZE_PERCENT of what is really available', async () => {
    venue = await startVenueUnderTest('hyperliquid');
    const store = new InMemoryStore();
    const env = { MAX_OPEN_POSITIONS: '2', POSITION_SIZE_PERCENT: '0.5', MAX_TOTAL_EXPOSURE: '25', MAX_ASSET_EXPOSURE: '25', CORRELATION_THRESHOLD: '1', INITIAL_CAPITAL: '100000' };
    const first = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc], env });
    procs.push(first);
    await first.prepare();
    venue.setPrice(100_000);
    venue.setEthPrice(4_000);
    expect((await first.enter()).status).toBe('opened');

    // BTC rises 10%: the long is in profit, nothing is realised.
    venue.setPrice(110_000);
    const balance = await first.exchange.balance();
    expect(balance.total).toBeCloseTo(venue.book.wallet, 6);
    const realAvailable = venue.book.available();
    expect(balance.available).toBeLessThanOrEqual(realAvailable + 1e-6);

    const second = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.eth], env });
    procs.push(second);
    await second.prepare();
    const outcome = await second.enter();
    expect(outcome.status).toBe('opened');
    const eth = venue.book.openPositions().find((p) => p.symbol === 'ETHUSDT');
    expect((eth?.isolatedWallet ?? 0) / realAvailable).toBeLessThanOrEqual(0.5 + 1e-9);
  });
});
