import { describe, expect, it } from 'vitest';
import { bootstrapTrades, MIN_BOOTSTRAP_TRADES, quantile } from '../../../../src/domain/performance/bootstrap.js';
import { seededRandom } from '../../../../src/domain/seeded-random.js';

const FROM = new Date('2025-01-01T00:00:00Z');
const TO = new Date('2025-01-11T00:00:00Z');
const trade = (day: number, netPnl: number) => ({ closedAt: new Date(FROM.getTime() + day * 86_400_000 + 3_600_000), netPnl });
// Twelve trades of +5 in all on 100: +5%.
const mixed = [5, -3, 4, -1, 2, -2, 3, -4, 1, 2, -1, -1].map((pnl, index) => trade(Math.floor((index * 10) / 12), pnl));

describe('the seeded bootstrap of trades', () => {
  it('gives the same interval for the same seed, and another for another seed', () => {
    const first = bootstrapTrades(mixed, 100, FROM, TO, { samples: 500, seed: 7 });
    expect(bootstrapTrades(mixed, 100, FROM, TO, { samples: 500, seed: 7 })).toEqual(first);
    expect(bootstrapTrades(mixed, 100, FROM, TO, { samples: 500, seed: 8 })?.totalReturn).not.toEqual(first?.totalReturn);
  });

  it('brackets the observed return, and the interval contains its median', () => {
    const result = bootstrapTrades(mixed, 100, FROM, TO, { samples: 2000, seed: 1 });
    expect(result?.observed.totalReturn).toBeCloseTo(0.05, 12);
    expect(result?.totalReturn.low).toBeLessThan(0.05);
    expect(result?.totalReturn.high).toBeGreaterThan(0.05);
    expect(result?.sharpe.low).toBeLessThanOrEqual(result?.sharpe.median ?? NaN);
    expect(result?.sharpe.median).toBeLessThanOrEqual(result?.sharpe.high ?? NaN);
  });

  it('has no spread when every trade made the same return on its equity: the interval is a point', () => {
    const same = Array.from({ length: 10 }, (_, day) => trade(day, 2 * 1.02 ** day));
    const result = bootstrapTrades(same, 100, FROM, TO, { samples: 100 });
    for (const bound of ['low', 'median', 'high'] as const) expect(result?.totalReturn[bound]).toBeCloseTo(1.02 ** 10 - 1, 12);
  });

  it('draws returns on equity, not dollars: a large loss drawn again on a smaller account never takes it below nothing', () => {
    // From 1000: +1000 (to 2000), -1200 (60% of 2000), +200, and seven trades that made nothing: 0% in all.
    const swings = [trade(1, 1_000), trade(3, -1_200), trade(5, 200), ...Array.from({ length: 7 }, (_, day) => trade(6 + (day % 4), 0))];
    const result = bootstrapTrades(swings, 1_000, FROM, TO, { samples: 2000, seed: 1 });
    expect(result?.observed.totalReturn).toBeCloseTo(0, 12);
    expect(result?.totalReturn.low).toBeGreaterThanOrEqual(-1);
    // Drawing -60% every time is the worst a resample can do: 0.4¹⁰ − 1.
    expect(result?.totalReturn.low).toBeGreaterThanOrEqual(0.4 ** 10 - 1 - 1e-12);
  });

  it('gives no interval with fewer than ten trades: one trade would give an interval of no width, as if the result were certain', () => {
    expect(MIN_BOOTSTRAP_TRADES).toBe(10);
    expect(bootstrapTrades([trade(1, 500)], 10_000, FROM, TO)).toBeUndefined();
    expect(bootstrapTrades(mixed.slice(0, 9), 100, FROM, TO)).toBeUndefined();
    expect(bootstrapTrades(mixed.slice(0, 10), 100, FROM, TO)?.trades).toBe(10);
  });

  it('has nothing to resample without trades, and refuses bad settings', () => {
    expect(bootstrapTrades([], 100, FROM, TO)).toBeUndefined();
    expect(() => bootstrapTrades(mixed, 100, FROM, TO, { samples: 0 })).toThrow(/samples/);
    expect(() => bootstrapTrades(mixed, 100, FROM, TO, { confidence: 1 })).toThrow(/confidence/);
    expect(() => bootstrapTrades(mixed, 0, FROM, TO)).toThrow(/capital/);
  });
});

describe('quantiles and the seeded generator', () => {
  it('interpolates between neighbours', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(() => quantile([], 0.5)).toThrow();
  });

  it('repeats its numbers for a seed and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const draws = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(draws);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });
});
