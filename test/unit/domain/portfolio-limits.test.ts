import { describe, expect, it } from 'vitest';
import {
  correlation,
  correlationProblems,
  DEFAULT_PORTFOLIO,
  entryCountProblems,
  exposureProblem,
  hourlyReturns,
  notionalRoom,
  openNotional,
} from '../../../src/domain/portfolio-limits.js';
import type { Candle } from '../../../src/domain/market.js';

const HOUR = 3_600_000;
const settings = { ...DEFAULT_PORTFOLIO, maxAssetExposure: 2, maxTotalExposure: 3, maxEntriesPerHour: 2, maxEntriesPerDay: 3 };
const at = (iso: string) => new Date(iso);

describe('exposure caps', () => {
  it('the room is the smaller of the per-asset cap and what the total cap leaves', () => {
    expect(notionalRoom(settings, 100, [])).toBe(200);
    expect(notionalRoom(settings, 100, [{ quantity: 1, entryPrice: 150 }])).toBe(150);
    expect(notionalRoom(settings, 100, [{ quantity: 1, entryPrice: 300 }])).toBe(0);
  });

  it('when the open notional reaches the total cap, the entry is refused', () => {
    expect(exposureProblem(settings, 100, [{ quantity: 1, entryPrice: 299.99 }])).toBeUndefined();
    expect(exposureProblem(settings, 100, [{ quantity: 1, entryPrice: 300 }])).toMatch(/total exposure cap/);
  });

  it('a $2000 short entered at 100 with the market at 110 takes $2200 of a 4x cap on $1000: the room is $1800, not $2000', () => {
    const caps = { ...DEFAULT_PORTFOLIO, maxAssetExposure: 4, maxTotalExposure: 4 };
    const short = { quantity: 20, entryPrice: 100, markPrice: 110 };

    const room = notionalRoom(caps, 1000, [short]);

    expect(room).toBeCloseTo(1800, 9);
    // After an entry filling that room, the total at the mark is the cap, not 4.2x.
    expect(room + 20 * 110).toBeLessThanOrEqual(4000 + 1e-9);
  });

  it('the open positions reach the total cap at the mark though not at their entry prices: the entry is refused', () => {
    expect(exposureProblem(settings, 100, [{ quantity: 1, entryPrice: 280, markPrice: 300 }])).toMatch(/3\.00x capital has reached the 3\.00x/);
  });

  it('a long under water still counts at its entry price, and a mark no venue could quote leaves the entry price', () => {
    expect(openNotional([{ quantity: 2, entryPrice: 100, markPrice: 90 }])).toBe(200);
    expect(openNotional([{ quantity: 2, entryPrice: 100, markPrice: Number.NaN }, { quantity: 1, entryPrice: 50, markPrice: 0 }])).toBe(250);
    expect(openNotional([{ quantity: 2, entryPrice: 100, markPrice: 120 }, { quantity: 1, entryPrice: 50 }])).toBe(290);
  });
});

describe('entry-count caps', () => {
  const now = at('2025-03-10T12:00:00Z');
  it('counts entries of the last 60 minutes, the one exactly an hour ago no longer', () => {
    expect(entryCountProblems(settings, [at('2025-03-10T11:00:00Z'), at('2025-03-10T11:30:00Z')], now)).toEqual([]);
    expect(entryCountProblems(settings, [at('2025-03-10T11:00:01Z'), at('2025-03-10T11:30:00Z')], now)[0]).toMatch(/last hour/);
  });

  it('counts entries of the UTC day, yesterday’s not', () => {
    const today = [at('2025-03-10T00:00:00Z'), at('2025-03-10T03:00:00Z'), at('2025-03-10T05:00:00Z')];
    expect(entryCountProblems(settings, today, now)[0]).toMatch(/today/);
    expect(entryCountProblems(settings, [at('2025-03-09T23:59:59Z'), ...today.slice(1)], now)).toEqual([]);
  });

  it('no cap when unset', () => {
    expect(entryCountProblems(DEFAULT_PORTFOLIO, Array(50).fill(now), now)).toEqual([]);
  });
});

describe('correlation guard', () => {
  const now = new Date(Date.UTC(2025, 2, 10, 12));
  const series = (closes: number[]): Candle[] =>
    closes.map((close, i) => ({ openTime: now.getTime() - (closes.length - i) * HOUR, open: close, high: close, low: close, close, volume: 1 }));
  const wave = Array.from({ length: 48 }, (_, i) => 100 + 5 * Math.sin(i / 3) + (i % 2));

  it('Pearson is 1 for series that move together and -1 for opposite ones', () => {
    expect(correlation([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(correlation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(correlation([1, 1, 1], [1, 2, 3])).toBeUndefined();
  });

  it('a second same-direction position on a symbol that moved with an open one is refused, the other direction is not', () => {
    const a = hourlyReturns(series(wave), now, 7);
    const b = hourlyReturns(series(wave.map((p) => p * 2)), now, 7);
    expect(correlationProblems(settings, { symbol: 'ETH', side: 'long', returns: a }, [{ symbol: 'BTC', side: 'long', returns: b }])[0]).toMatch(/correlated 1\.00/);
    expect(correlationProblems(settings, { symbol: 'ETH', side: 'long', returns: a }, [{ symbol: 'BTC', side: 'short', returns: b }])).toEqual([]);
  });

  it('a candle still forming at now is not used (its close is the future)', () => {
    const candles = series(wave);
    const forming: Candle = { openTime: now.getTime(), open: 1, high: 1, low: 1, close: 1, volume: 1 };
    expect([...hourlyReturns([...candles, forming], now, 7).keys()]).not.toContain(now.getTime());
    expect(hourlyReturns([...candles, forming], now, 7).size).toBe(candles.length - 1);
  });
});
