// The account's history read in full on every venue, however it pages it: Binance (1000 rows a page, oldest first),
// Bybit (7 days a request, the window's newest 50 or 100 rows) and Hyperliquid (the account's oldest 500 funding rows
// from a start). A position held for weeks must book every funding payment it made, not the first page's.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../../src/testing/in-memory-store.js';
import { LiveProcess } from '../live-harness.js';
import { VENUES, type VenueUnderTest, startVenueUnderTest } from './venues.js';

let venue: VenueUnderTest | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

const HOUR = 60 * 60_000;

describe.each(VENUES)('the funding history on %s (real ccxt, local stand-in)', (id) => {
  it('when a position pays funding for 25 days, then every payment is read, past any one page or window', async () => {
    venue = await startVenueUnderTest(id);
    const store = new InMemoryStore();
    proc = new LiveProcess(venue.target, store, { target: venue.target, symbols: [venue.btc] });
    await proc.prepare();
    venue.setPrice(100_000);
    const openedAt = new Date(venue.target.now());
    expect((await proc.enter()).status).toBe('opened');

    // Hourly on Hyperliquid (600 rows, above its 500), every 8 h elsewhere (75 rows, across four 7-day windows).
    const interval = (id === 'hyperliquid' ? 1 : 8) * HOUR;
    const settlements = (25 * 24 * HOUR) / interval;
    for (let n = 0; n < settlements; n += 1) {
      venue.advance(interval);
      venue.book.settleFunding('BTCUSDT', 0.0001, venue.target.now());
    }
    venue.advance(60_000);

    const payments = await proc.exchange.fundingPayments(venue.btc, openedAt);

    expect(payments).toHaveLength(settlements);
    const times = payments.map((payment) => payment.time.getTime());
    expect(new Set(times).size).toBe(settlements);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const paid = venue.book.income.filter((record) => record.incomeType === 'FUNDING_FEE').reduce((sum, record) => sum + record.income, 0);
    expect(payments.reduce((sum, payment) => sum + payment.amount, 0)).toBeCloseTo(paid, 8);
  }, 60_000);
});
