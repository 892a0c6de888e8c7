// The daemon's market universe: the configured SYMBOLS, or the busiest markets picked once a day from the venue's
// listing, with the last good pick kept (and the owner told once) when the listing cannot be read.
import { describe, expect, it } from 'vitest';
import type { MarketListing } from '../../../src/domain/universe.js';
import { IncidentTracker } from '../../../src/engine/incidents.js';
import { MarketUniverse, STATIC_UNIVERSE, type UniverseSettings } from '../../../src/engine/universe.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-10-01T00:00:00Z');
const HOUR = 3_600_000;
const TOP_TWO: UniverseSettings = {
  mode: 'top_volume',
  rules: { size: 2, minQuoteVolume: 1e6, minListingAgeDays: 0, maxAbsFundingRate: 0.001, exclude: [] },
  askTop: 3,
};

const listing = (symbol: string, volume: number): MarketListing => ({ symbol, quoteVolume24h: volume, fundingRate: 0.0001 });

async function universeWith(settings: UniverseSettings, answer: () => Promise<MarketListing[]>) {
  const fixture = await engineFixture({ start: START, analysts: [] });
  let asked = 0;
  const listings = async (): Promise<MarketListing[]> => {
    asked += 1;
    return answer();
  };
  const ctx = { ...fixture.ctx, marketData: Object.assign(Object.create(fixture.marketData) as typeof fixture.marketData, { listings }) };
  const incidents = new IncidentTracker(fixture.clock, fixture.notifier, fixture.logger, fixture.store.state);
  return { universe: new MarketUniverse(ctx, settings, incidents), fixture, asked: () => asked };
}

describe('the market universe', () => {
  it('when static, then it is the configured SYMBOLS and the venue is never asked', async () => {
    const { universe, fixture, asked } = await universeWith(STATIC_UNIVERSE, async () => []);
    expect(await universe.symbols()).toEqual(fixture.ctx.settings.symbols);
    expect(asked()).toBe(0);
    expect(universe.view()).toMatchObject({ mode: 'static', verdicts: [] });
  });

  it('when picking by volume, then the busiest are kept for a day and picked again after it', async () => {
    let volumes = { 'BTC/USDT:USDT': 9e9, 'ETH/USDT:USDT': 5e9, 'SOL/USDT:USDT': 1e9 };
    const { universe, fixture, asked } = await universeWith(TOP_TWO, async () => Object.entries(volumes).map(([symbol, volume]) => listing(symbol, volume)));

    expect(await universe.symbols()).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    volumes = { ...volumes, 'SOL/USDT:USDT': 7e9 };
    fixture.clock.advanceBy(24 * HOUR - 1);
    expect(await universe.symbols()).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    expect(asked()).toBe(1);

    fixture.clock.advanceBy(1);
    expect(await universe.symbols()).toEqual(['BTC/USDT:USDT', 'SOL/USDT:USDT']);
    expect(universe.view()).toMatchObject({ mode: 'top_volume', selectedAt: fixture.clock.now(), symbols: ['BTC/USDT:USDT', 'SOL/USDT:USDT'] });
    expect(universe.view().verdicts.find((v) => v.symbol === 'ETH/USDT:USDT')?.reason).toBe('rank 3 by 24h volume, beyond the top 2');
  });

  it('when the listing cannot be read, then SYMBOLS are scanned, the owner is told once, the venue is asked again an hour later, and the all-clear follows', async () => {
    let failing = true;
    const { universe, fixture, asked } = await universeWith(TOP_TWO, async () => {
      if (failing) throw new Error('venue maintenance');
      return [listing('BTC/USDT:USDT', 9e9)];
    });

    expect(await universe.symbols()).toEqual(fixture.ctx.settings.symbols);
    fixture.clock.advanceBy(HOUR - 1);
    await universe.symbols();
    expect(asked()).toBe(1);
    fixture.clock.advanceBy(1);
    await universe.symbols();
    expect(asked()).toBe(2);
    const alerts = fixture.notifier.ofType('alert');
    expect(alerts.filter((alert) => !alert.cleared)).toHaveLength(1);
    expect(alerts[0]?.message).toContain('scanning the configured SYMBOLS');
    expect(universe.view().problem).toContain('venue maintenance');

    failing = false;
    fixture.clock.advanceBy(HOUR);
    expect(await universe.symbols()).toEqual(['BTC/USDT:USDT']);
    expect(universe.view().problem).toBeUndefined();
    expect(fixture.notifier.ofType('alert').filter((alert) => alert.cleared)).toHaveLength(1);
  });

  it('when a later pick fails, then the last good selection stays', async () => {
    let failing = false;
    const { universe, fixture } = await universeWith(TOP_TWO, async () => {
      if (failing) throw new Error('timeout');
      return [listing('ETH/USDT:USDT', 5e9)];
    });
    expect(await universe.symbols()).toEqual(['ETH/USDT:USDT']);
    failing = true;
    fixture.clock.advanceBy(24 * HOUR);
    expect(await universe.symbols()).toEqual(['ETH/USDT:USDT']);
    expect(fixture.notifier.ofType('alert')[0]?.message).toContain('scanning the last selection');
  });

  it('when no market passes the filters, then it is a failed pick with the reason, not an empty scan', async () => {
    const { universe, fixture } = await universeWith(TOP_TWO, async () => [listing('THIN/USDT:USDT', 10)]);
    expect(await universe.symbols()).toEqual(fixture.ctx.settings.symbols);
    expect(universe.view().problem).toContain('no market passed the filters');
    expect(universe.view().problem).not.toContain('could not be read');
    expect(universe.view().verdicts).toEqual([expect.objectContaining({ symbol: 'THIN/USDT:USDT', included: false, reason: expect.stringContaining('below the $1.0M minimum') })]);
  });

  it('when the venue dates none of its markets (Hyperliquid), then the minimum age is not applied, and /universe says so', async () => {
    const undated: UniverseSettings = { ...TOP_TWO, rules: { ...TOP_TWO.rules, minListingAgeDays: 30, settle: 'USDC' } };
    const { universe } = await universeWith(undated, async () => [listing('BTC/USDC:USDC', 3e9), listing('ETH/USDC:USDC', 1e9), listing('HYPE/USDC:USDC', 5e8)]);

    expect(await universe.symbols()).toEqual(['BTC/USDC:USDC', 'ETH/USDC:USDC']);
    expect(universe.view().problem).toBe('the venue dates none of its markets, so the 30-day minimum age (UNIVERSE_MIN_LISTING_DAYS) is not applied');
  });

  it('when the venue dates its markets but not one of them, then that one stays out on its unknown age', async () => {
    const aged: UniverseSettings = { ...TOP_TWO, rules: { ...TOP_TWO.rules, minListingAgeDays: 30 } };
    const old = new Date(START.getTime() - 400 * 24 * HOUR);
    const { universe } = await universeWith(aged, async () => [{ ...listing('NEW/USDT:USDT', 9e9) }, { ...listing('BTC/USDT:USDT', 5e9), listedAt: old }]);

    expect(await universe.symbols()).toEqual(['BTC/USDT:USDT']);
    expect(universe.view().verdicts.find((verdict) => verdict.symbol === 'NEW/USDT:USDT')?.reason).toBe('listing date unknown, so its age cannot be checked');
  });
});
