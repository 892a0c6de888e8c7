// The venue's leverage brackets on Bybit (its risk limits, `/v5/market/risk-limit`, through ccxt's
// fetchLeverageTiers) and Hyperliquid (its margin tables in `meta`, where the maintenance margin is half the initial
// margin at the tier's maximum leverage) reach the engine's contract specs, and the risk manager sizes within them.
// Binance's bracket table has its own test (test/integration/live/leverage-brackets.test.ts).
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

async function boot(id: 'bybit' | 'hyperliquid'): Promise<{ venue: VenueUnderTest; proc: LiveProcess }> {
  venue = await startVenueUnderTest(id);
  proc = new LiveProcess(venue.target, new InMemoryStore(), { target: venue.target, symbols: [venue.btc] });
  return { venue, proc };
}

describe("the venue's leverage brackets on Bybit: its risk limits (real ccxt, local stand-in)", () => {
  it('when the engine asks for a contract, then its spec carries the risk-limit ladder, read once', async () => {
    const { venue, proc } = await boot('bybit');

    const spec = await proc.marketData.market(venue.btc);
    await proc.marketData.market(venue.btc);

    const brackets = spec.brackets ?? [];
    expect(brackets.map((b) => [b.notionalFloor, b.notionalCap, b.maxLeverage])).toEqual([
      [0, 2_000_000, 100],
      [2_000_000, 4_000_000, 66.66],
      [4_000_000, 6_000_000, 50],
      [6_000_000, 8_000_000, 40],
      [8_000_000, 10_000_000, 33.33],
    ]);
    expect(brackets.map((b) => b.maintenanceMarginRate)).toEqual([0.005, 0.01, 0.015, 0.02, 0.025]);
    // The maintenance amounts keep the margin continuous at each floor, as the venue's deduction does.
    expect(brackets[2]?.maintenanceAmount).toBeCloseTo(2_000_000 * 0.005 + 4_000_000 * 0.005, 6);
    expect(venue.tierReads()).toBe(1);
  });
});

describe("the venue's leverage brackets on Hyperliquid: its margin tables (real ccxt, local stand-in)", () => {
  it('when the engine asks for a contract, then its spec carries one tier at the asset\u2019s maximum leverage, maintenance half its initial margin', async () => {
    const { venue, proc } = await boot('hyperliquid');

    const spec = await proc.marketData.market(venue.btc);
    await proc.marketData.market(venue.btc);

    expect(spec.brackets).toEqual([
      { notionalFloor: 0, notionalCap: Number.POSITIVE_INFINITY, maintenanceMarginRate: 0.0125, maintenanceAmount: 0, maxLeverage: 40 },
    ]);
    expect(venue.tierReads()).toBe(1);
  });
});

describe.each(['bybit', 'hyperliquid'] as const)('sizing within the leverage brackets on %s (real ccxt, local stand-in)', (id) => {
  it('when the venue allows 3x only on positions below 1 500, then a 3x entry that wanted 2 400 is sized to stay below 1 500', async () => {
    const { venue, proc } = await boot(id);
    venue.setLeverageTiers([
      { from: 0, maxLeverage: 5 },
      { from: 1_500, maxLeverage: 2 },
    ]);
    venue.setPrice(100_000);
    await proc.prepare();

    const outcome = await proc.enter();

    expect(outcome.status).toBe('opened');
    const notional = (venue.book.openPositions()[0]?.amount ?? NaN) * 100_000;
    expect(notional).toBeLessThan(1_500);
    // As large as fits: one lot below the bracket's floor, give or take the entry's price bound.
    expect(notional).toBeGreaterThan(1_350);
    expect(venue.book.leverage.get('BTCUSDT')).toBe(3);
  });

  it('when the table allows less than 3x from the first dollar, then the entry is refused and nothing reaches the venue', async () => {
    const { venue, proc } = await boot(id);
    venue.setLeverageTiers([{ from: 0, maxLeverage: 2 }]);
    venue.setPrice(100_000);
    await proc.prepare();

    const outcome = await proc.enter();

    expect(outcome.status).not.toBe('opened');
    expect(venue.book.openPositions()).toEqual([]);
    expect(venue.orderRequests()).toBe(0);
  });
});
