import { describe, expect, it } from 'vitest';
import { selectUniverse, type MarketListing, type UniverseRules } from '../../../src/domain/universe.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * 86_400_000);
const rules: UniverseRules = { size: 2, minQuoteVolume: 50e6, minListingAgeDays: 30, maxAbsFundingRate: 0.001, exclude: [] };
const listing = (symbol: string, volumeMillions: number, overrides: Partial<MarketListing> = {}): MarketListing => ({
  symbol,
  quoteVolume24h: volumeMillions * 1e6,
  listedAt: daysAgo(400),
  fundingRate: 0.0001,
  ...overrides,
});

describe('selecting the universe by volume', () => {
  it('keeps the busiest markets that pass every filter, and says why each other one is out', () => {
    const selection = selectUniverse(
      [
        listing('SOL/USDT:USDT', 900),
        listing('BTC/USDT:USDT', 9_000),
        listing('NEW/USDT:USDT', 2_000, { listedAt: daysAgo(29.5) }),
        listing('THIN/USDT:USDT', 49.9),
        listing('HOT/USDT:USDT', 800, { fundingRate: -0.0011 }),
        listing('ETH/USDT:USDT', 5_000),
        listing('DOGE/USDT:USDT', 700),
      ],
      { ...rules, exclude: ['ETH/USDT:USDT'] },
      NOW,
    );

    expect(selection.symbols).toEqual(['BTC/USDT:USDT', 'SOL/USDT:USDT']);
    expect(Object.fromEntries(selection.verdicts.map((v) => [v.symbol, v.reason]))).toEqual({
      'BTC/USDT:USDT': 'rank 1 by 24h volume ($9000M)',
      'SOL/USDT:USDT': 'rank 2 by 24h volume ($900M)',
      'ETH/USDT:USDT': 'excluded by SYMBOLS_EXCLUDE',
      'NEW/USDT:USDT': 'listed 29 days ago, under the 30-day minimum',
      'HOT/USDT:USDT': 'funding -0.110% per 8 h is beyond ±0.100% per 8 h',
      'DOGE/USDT:USDT': 'rank 3 by 24h volume, beyond the top 2',
      'THIN/USDT:USDT': '24h volume $49.9M is below the $50.0M minimum',
    });
  });

  it('when a market settles every hour, then its funding counts eight times over 8 hours: 0.02% an hour is beyond a 0.10% limit that 0.02% every 8 h is within', () => {
    const selection = selectUniverse(
      [
        listing('HOURLY/USDT:USDT', 900, { fundingRate: 0.0002, fundingIntervalHours: 1 }),
        listing('EIGHT/USDT:USDT', 800, { fundingRate: 0.0002, fundingIntervalHours: 8 }),
        listing('FOUR/USDT:USDT', 700, { fundingRate: -0.0006, fundingIntervalHours: 4 }),
      ],
      { ...rules, size: 5 },
      NOW,
    );

    expect(selection.symbols).toEqual(['EIGHT/USDT:USDT']);
    expect(selection.verdicts.find((v) => v.symbol === 'HOURLY/USDT:USDT')?.reason).toBe('funding 0.160% per 8 h (0.020% every 1 h) is beyond ±0.100% per 8 h');
    expect(selection.verdicts.find((v) => v.symbol === 'FOUR/USDT:USDT')?.reason).toBe('funding -0.120% per 8 h (-0.060% every 4 h) is beyond ±0.100% per 8 h');
  });

  it('when an hourly rate is exactly the limit over 8 hours, then the market stays in', () => {
    const selection = selectUniverse([listing('A/USDT:USDT', 100, { fundingRate: 0.000125, fundingIntervalHours: 1 })], rules, NOW);
    expect(selection.symbols).toEqual(['A/USDT:USDT']);
  });

  it('accepts the exact minimums', () => {
    const selection = selectUniverse([listing('A/USDT:USDT', 50, { listedAt: daysAgo(30), fundingRate: 0.001 })], rules, NOW);
    expect(selection.symbols).toEqual(['A/USDT:USDT']);
  });

  it('when the listing age is required and unknown among dated markets, then the market is left out with that reason', () => {
    const selection = selectUniverse([listing('A/USDT:USDT', 100, { listedAt: undefined }), listing('B/USDT:USDT', 90)], rules, NOW);
    expect(selection.symbols).toEqual(['B/USDT:USDT']);
    expect(selection.verdicts.find((verdict) => verdict.symbol === 'A/USDT:USDT')?.reason).toBe('listing date unknown, so its age cannot be checked');
    expect(selectUniverse([listing('A/USDT:USDT', 100, { listedAt: undefined })], { ...rules, minListingAgeDays: 0 }, NOW).symbols).toEqual(['A/USDT:USDT']);
  });

  it('when the venue dates none of its markets, then the age cannot be checked for any, and the pick says it did not apply it', () => {
    const selection = selectUniverse([listing('A/USDT:USDT', 100, { listedAt: undefined }), listing('B/USDT:USDT', 90, { listedAt: undefined })], rules, NOW);
    expect(selection.symbols).toEqual(['A/USDT:USDT', 'B/USDT:USDT']);
    expect(selection.note).toBe('the venue dates none of its markets, so the 30-day minimum age (UNIVERSE_MIN_LISTING_DAYS) is not applied');
  });

  it('breaks equal volumes by name, whatever order the venue listed them in', () => {
    const a = listing('A/USDT:USDT', 100);
    const b = listing('B/USDT:USDT', 100);
    const c = listing('C/USDT:USDT', 100);
    expect(selectUniverse([c, b, a], rules, NOW).symbols).toEqual(['A/USDT:USDT', 'B/USDT:USDT']);
    expect(selectUniverse([b, a, c], rules, NOW).symbols).toEqual(['A/USDT:USDT', 'B/USDT:USDT']);
  });

  it('leaves out markets that settle in another asset than the account', () => {
    const selection = selectUniverse([listing('BTC/USDC:USDC', 900), listing('BTC/USDT:USDT', 800)], { ...rules, settle: 'USDT' }, NOW);
    expect(selection.symbols).toEqual(['BTC/USDT:USDT']);
    expect(selection.verdicts.find((v) => v.symbol === 'BTC/USDC:USDC')?.reason).toBe('settles in USDC, and the account trades in USDT');
  });

  it('treats an unreadable volume as too thin', () => {
    expect(selectUniverse([listing('A/USDT:USDT', Number.NaN)], rules, NOW).symbols).toEqual([]);
  });
});
