import { describe, expect, it } from 'vitest';
import { accountFigures, compareVariant, datedReturns, DEFAULT_COMPARISON_RULE, equityByTrade, tailBounds, type Comparison, type DatedReturn } from '../../../../src/domain/performance/variant-comparison.js';
import { seededRandom } from '../../../../src/domain/seeded-random.js';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
/** Returns spread around `centre` with a fixed, repeatable pattern (no randomness in the test either). */
const around = (centre: number, count: number, spread = 0.02) => Array.from({ length: count }, (_, i) => centre + spread * Math.sin(i * 1.7));

describe('account figures from closed trades', () => {
  it('builds the equity curve in closing order, whatever order the trades come in', () => {
    const record = { startEquity: 100, trades: [{ closedAt: day(2), netPnl: -20 }, { closedAt: day(1), netPnl: 10 }] };
    expect(equityByTrade(record)).toEqual([100, 110, 90]);
  });

  it('gives P&L, return, drawdown from the running peak, win rate and per-trade returns', () => {
    const figures = accountFigures({ startEquity: 100, trades: [{ closedAt: day(1), netPnl: 10 }, { closedAt: day(2), netPnl: -22 }] });
    expect(figures.netPnl).toBeCloseTo(-12, 10);
    expect(figures.returnPct).toBeCloseTo(-0.12, 10);
    expect(figures.maxDrawdownPct).toBeCloseTo(0.2, 10);
    expect(figures.winRate).toBe(0.5);
    expect(figures.perTradeReturns.map((r) => +r.toFixed(6))).toEqual([0.1, -0.2]);
  });

  it('measures a capped account\'s trades on the capital each was sized from, not on the curve from its capped start', () => {
    // Cap 100 out of a wallet of 500: every trade was sized from 100, whatever the account had made or lost.
    const figures = accountFigures({ startEquity: 100, trades: [{ closedAt: day(1), netPnl: 10 }, { closedAt: day(2), netPnl: -10 }], capped: { cap: 100, walletAtStart: 500 } });
    expect(figures.perTradeReturns).toEqual([0.1, -0.1]);
    expect(figures.returnPct).toBe(0);
    // Below the cap, the wallet is the capital.
    const below = accountFigures({ startEquity: 80, trades: [{ closedAt: day(1), netPnl: 8 }, { closedAt: day(2), netPnl: 8.8 }], capped: { cap: 100, walletAtStart: 80 } });
    expect(below.perTradeReturns.map((r) => +r.toFixed(12))).toEqual([0.1, 0.1]);
  });

  it('dates each trade\'s return by its close, oldest first, for the day bootstrap', () => {
    const record = { startEquity: 100, trades: [{ closedAt: day(2), netPnl: -22 }, { closedAt: day(1), netPnl: 10 }] };
    expect(datedReturns(record).map(({ closedAt, value }) => [closedAt, +value.toFixed(6)])).toEqual([[day(1), 0.1], [day(2), -0.2]]);
  });

  it('has no trades and no drawdown before the first close', () => {
    expect(accountFigures({ startEquity: 100, trades: [] })).toMatchObject({ trades: 0, netPnl: 0, maxDrawdownPct: 0, winRate: 0 });
  });
});

/** Returns closing `perDay` a day (an hour apart), from 1 January 2026 on: the dates the day bootstrap groups by. */
const dated = (values: readonly number[], perDay = 1): DatedReturn[] =>
  values.map((value, i) => ({ closedAt: new Date(Date.UTC(2026, 0, 1 + Math.floor(i / perDay), i % perDay)), value }));

describe('is the variant better than the main account?', () => {
  it('says nothing before both sides have closed a trade', () => {
    expect(compareVariant([], dated([0.01])).verdict).toBe('not enough evidence');
    expect(compareVariant(dated([0.01]), []).explanation).toBe('no closed trades yet on the variant; first check at 20 trades on each side');
  });

  it('when the variant clearly earns more per trade over enough trades, then it is better, as judged at the checkpoint reached', () => {
    const result = compareVariant(dated(around(-0.005, 40)), dated(around(0.02, 40)));
    expect(result.verdict).toBe('better');
    expect(result).toMatchObject({ checkpoint: 40, nextCheckpoint: 80 });
    expect(result.lowerBound).toBeGreaterThan(0);
    expect(result.meanDifference).toBeCloseTo(0.025, 2);
    expect(result.explanation).toMatch(/^the 40 trades of each closed by 2026-02-09 00:00 UTC: mean difference per trade 2\.\d\d%, one-sided 99% bounds .*; next check at 80 trades$/);
  });

  it('when the variant clearly earns less, then it is worse', () => {
    expect(compareVariant(dated(around(0.02, 40)), dated(around(-0.005, 40))).verdict).toBe('worse');
  });

  it('when the same clear gap rests on too few trades, then there is not enough evidence until the first checkpoint', () => {
    const result = compareVariant(dated(around(-0.005, 40)), dated(around(0.02, 19)));
    expect(result.verdict).toBe('not enough evidence');
    expect(result.lowerBound).toBeUndefined();
    expect(result.explanation).toContain('19 trades on the smaller side; first check at 20 on each (checks at 20, 40, 80, 160 and 320 trades)');
  });

  it('when the returns overlap (noise larger than the gap), then there is not enough evidence', () => {
    const result = compareVariant(dated(around(0.0, 30, 0.05)), dated(around(0.002, 30, 0.05)));
    expect(result.verdict).toBe('not enough evidence');
    expect(result.lowerBound).toBeLessThan(0);
    expect(result.upperBound).toBeGreaterThan(0);
  });

  it('when all the trades judged closed on one UTC day, then one day of the market is not evidence, however clear the gap', () => {
    const result = compareVariant(dated(around(-0.005, 20), 20), dated(around(0.02, 20), 20));
    expect(result.verdict).toBe('not enough evidence');
    expect(result.explanation).toContain('closed on one UTC day');
  });

  it('when the trades judged span only two days, then two draws of the market bound nothing and even a clear gap is no verdict', () => {
    const result = compareVariant(dated(around(-0.005, 20), 10), dated(around(0.02, 20), 10));
    expect(result.verdict).toBe('not enough evidence');
    // Some resamples draw one day twice on both sides: a difference with no spread, so no upper bound at all.
    expect(result.upperBound).toBeUndefined();
    expect(result.explanation).toMatch(/^the difference could be zero \(the 20 trades of each closed by 2026-01-02 09:00 UTC: .* to \+∞\); next check at 40 trades$/);
  });

  it('gives the same bounds for the same trades and seed, and other bounds for another seed', () => {
    const main = dated(around(0, 25, 0.03));
    const variant = dated(around(0.01, 25, 0.03));
    expect(compareVariant(main, variant)).toEqual(compareVariant(main, variant));
    const other = compareVariant(main, variant, { ...DEFAULT_COMPARISON_RULE, seed: 7 });
    expect(other.lowerBound).not.toBe(compareVariant(main, variant).lowerBound);
  });

  it('when the variant trades less often, then both sides are judged over the same stretch of time, not over their first trades', () => {
    // Both earn only the market's return, -1% a trade for ten days and +1% for the next ten. The main account's first
    // 20 trades (four a day) all fall in the bad days; the variant's first 20 (one a day) span both halves.
    const noise = seededRandom(1);
    const market = (perDay: number): DatedReturn[] =>
      Array.from({ length: 20 * perDay }, (_, i) => {
        const day = Math.floor(i / perDay);
        return { closedAt: new Date(Date.UTC(2026, 0, 1 + day, (24 / perDay) * (i % perDay))), value: (day < 10 ? -0.01 : 0.01) + 0.002 * (noise() - 0.5) };
      });
    const main = market(4);
    const variant = market(1);

    const result = compareVariant(main, variant);

    expect(result.verdict).toBe('not enough evidence');
    expect(result.checkpoint).toBe(20);
    expect(Math.abs(result.meanDifference ?? 1)).toBeLessThan(0.002);
    expect(result.explanation).toMatch(/^the difference could be zero \(the variant's 20 trades and the main account's 77 closed by 2026-01-20 00:00 UTC: /);
  });

  it('when more trades close between two checkpoints, on either side, then the verdict and its figures stay as judged at the last one', () => {
    // A variant slightly ahead, trading a third as often: its verdict is not settled, so a test recomputing it at each
    // look, or moving the cut as the faster side closes more, would move it.
    const main = dated(around(0, 180, 0.03), 3);
    const variant = dated(around(0.006, 60, 0.03).map((value, i) => value + 0.01 * Math.cos(i)), 1);
    const rule = { ...DEFAULT_COMPARISON_RULE, resamples: 999 };
    const looks = [...new Set([...main, ...variant].map(({ closedAt }) => closedAt.getTime()))].sort((a, b) => a - b);
    const judged = new Map<number, Comparison>();
    for (const look of looks) {
      const closedBy = (trades: readonly DatedReturn[]) => trades.filter(({ closedAt }) => closedAt.getTime() <= look);
      const result = compareVariant(closedBy(main), closedBy(variant), rule);
      if (result.checkpoint === undefined) continue;
      if (!judged.has(result.checkpoint)) judged.set(result.checkpoint, result);
      expect(result, new Date(look).toISOString()).toEqual(judged.get(result.checkpoint));
    }
    expect([...judged.keys()]).toEqual([20, 40]);
  });
});

describe('the bounds of the bootstrap', () => {
  it('leave as many resamples beyond the lower bound as beyond the upper one, at the nearest rank of the tail', () => {
    const twenty = Float64Array.from([-10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // 1 - 0.95 is 0.050000000000000044 in floating point; its rank over 20 is still the 1st from each end.
    expect(tailBounds(twenty, 1 - 0.95)).toEqual([-10, 10]);
    const many = Float64Array.from({ length: 10_000 }, (_, i) => i);
    const [lower, upper] = tailBounds(many, 1 - 0.95);
    expect([lower, upper]).toEqual([499, 9500]);
    expect(many.filter((value) => value < lower).length).toBe(many.filter((value) => value > upper).length);
  });
});
