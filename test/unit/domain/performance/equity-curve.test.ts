import { describe, expect, it } from 'vitest';
import { calmarRatio, curveFigures, dailyInstants, drawdownSeries, equityAtMark, sampleEquity } from '../../../../src/domain/performance/equity-curve.js';
import { buyAndHoldCurve } from '../../../../src/domain/performance/benchmarks.js';
import { monthlyReturns } from '../../../../src/domain/performance/monthly-returns.js';
import { maxDrawdown, periodReturns, sharpeRatio } from '../../../../src/domain/performance/return-ratios.js';

const at = (iso: string): Date => new Date(iso);
const point = (iso: string, equity: number) => ({ time: at(iso), equity });

describe('an equity curve read at instants', () => {
  const curve = [point('2025-01-01T00:00:00Z', 100), point('2025-01-01T12:00:00Z', 110), point('2025-01-02T06:00:00Z', 90)];

  it('takes the last point at or before each instant, never a later one', () => {
    expect(sampleEquity(curve, [at('2024-12-31T00:00:00Z'), at('2025-01-01T11:59:59.999Z'), at('2025-01-01T12:00:00Z'), at('2025-01-03T00:00:00Z')])).toEqual([100, 100, 110, 90]);
  });

  it('refuses an empty curve', () => {
    expect(() => sampleEquity([], [at('2025-01-01T00:00:00Z')])).toThrow(/at least one point/);
  });

  it('reads a window at its start, every UTC midnight inside it, and its end', () => {
    expect(dailyInstants(at('2025-01-01T06:00:00Z'), at('2025-01-03T00:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2025-01-01T06:00:00.000Z',
      '2025-01-02T00:00:00.000Z',
      '2025-01-03T00:00:00.000Z',
    ]);
    expect(dailyInstants(at('2025-01-01T00:00:00Z'), at('2025-01-01T00:00:00Z'))).toHaveLength(1);
    expect(() => dailyInstants(at('2025-01-02T00:00:00Z'), at('2025-01-01T00:00:00Z'))).toThrow(/before it starts/);
  });

  it('measures return, drawdown and Sharpe on the daily readings with the shared ratios', () => {
    const figures = curveFigures(curve, at('2025-01-01T00:00:00Z'), at('2025-01-03T00:00:00Z'));
    const daily = [100, 110, 90];
    expect(figures.totalReturn).toBeCloseTo(-0.1, 12);
    expect(figures.maxDrawdown).toBeCloseTo(maxDrawdown(daily), 12);
    expect(figures.sharpe).toBeCloseTo(sharpeRatio(periodReturns(daily), 365), 12);
    expect(figures.calmar).toBeLessThan(0);
  });

  it('gives a flat curve zero ratios and no Calmar (it never fell)', () => {
    const figures = curveFigures([point('2025-01-01T00:00:00Z', 100)], at('2025-01-01T00:00:00Z'), at('2025-01-10T00:00:00Z'));
    expect(figures).toEqual({ totalReturn: 0, maxDrawdown: 0, sharpe: 0, sortino: 0, calmar: undefined });
  });

  it('annualises the Calmar ratio: +10% over a year with a 5% drawdown is 2', () => {
    expect(calmarRatio(0.1, 1, 0.05)).toBeCloseTo(2, 12);
    expect(calmarRatio(0.21, 2, 0.1)).toBeCloseTo(1, 12);
    expect(calmarRatio(-1.5, 1, 1)).toBe(-1);
    expect(calmarRatio(0.1, 1, 0)).toBeUndefined();
  });

  it('gives no Sharpe or Sortino for a window of one daily return, where a spread does not exist (not 0, the flat benchmark\'s)', () => {
    const points = [point('2025-01-01T00:00:00Z', 100), point('2025-01-01T12:00:00Z', 104), point('2025-01-02T00:00:00Z', 110)];
    const figures = curveFigures(points, at('2025-01-01T00:00:00Z'), at('2025-01-02T00:00:00Z'));
    expect(figures.totalReturn).toBeCloseTo(0.1, 12);
    expect([figures.sharpe, figures.sortino]).toEqual([undefined, undefined]);
  });

  it('gives no Calmar when annualising a window of hours overflows: +25% in two hours is 1.25 to the power 4,380', () => {
    const points = [point('2025-01-01T00:00:00Z', 100), point('2025-01-01T01:00:00Z', 95), point('2025-01-01T02:00:00Z', 125)];
    const figures = curveFigures(points, at('2025-01-01T00:00:00Z'), at('2025-01-01T02:00:00Z'));
    expect(figures.maxDrawdown).toBeCloseTo(0.05, 12);
    expect(figures.calmar).toBeUndefined();
  });

  it('draws the fall from the running peak, zero at each new high', () => {
    expect(drawdownSeries(curve).map((p) => p.equity)).toEqual([0, 0, (90 - 110) / 110]);
  });
});

describe('the monthly returns table', () => {
  it('splits at UTC month boundaries and marks the partial months at the ends', () => {
    const curve = [point('2025-01-15T00:00:00Z', 100), point('2025-01-31T23:00:00Z', 110), point('2025-02-10T00:00:00Z', 121), point('2025-03-01T00:00:00Z', 99)];
    const months = monthlyReturns(curve, at('2025-01-15T00:00:00Z'), at('2025-03-05T00:00:00Z'));
    expect(months.map((m) => m.month)).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(months[0]?.return).toBeCloseTo(0.1, 12);
    expect(months[1]?.return).toBeCloseTo(99 / 110 - 1, 12);
    expect(months[2]?.return).toBe(0);
    expect(months.map((m) => m.partial)).toEqual([true, false, true]);
  });

  it('has no rows for an empty window', () => {
    expect(monthlyReturns([point('2025-01-01T00:00:00Z', 100)], at('2025-01-01T00:00:00Z'), at('2025-01-01T00:00:00Z'))).toEqual([]);
  });
});

describe('the drawdown of a curve', () => {
  it('counts a fall recovered within the day, which daily readings alone would miss', () => {
    const curve = [point('2025-01-01T00:00:00Z', 100), point('2025-01-01T06:00:00Z', 80), point('2025-01-01T12:00:00Z', 100)];
    expect(curveFigures(curve, at('2025-01-01T00:00:00Z'), at('2025-01-03T00:00:00Z')).maxDrawdown).toBeCloseTo(0.2, 12);
  });
});

describe('the equity of an account holding positions', () => {
  it('counts them at the mark less the fee closing them would pay, as buy-and-hold is read', () => {
    // A long of 2 at 100 marked at 110 (+20), a short of 1 at 50 marked at 55 (-5), on a wallet of 1000, fee 0.05%.
    const held = [
      { quantity: 2, unrealizedPnl: 20, markPrice: 110 },
      { quantity: 1, unrealizedPnl: -5, markPrice: 55 },
    ];
    expect(equityAtMark(1_000, held, 0.0005)).toBeCloseTo(1_000 + 20 - 0.11 - 5 - 0.0275, 12);
    expect(equityAtMark(1_000, [], 0.0005)).toBe(1_000);
  });

  it('reads the same as buy-and-hold for the same holding', () => {
    const rate = 0.0005;
    const candle = (quarter: number, close: number) => ({ openTime: Date.UTC(2025, 0, 1, 0, 15 * quarter), open: close, high: close, low: close, close, volume: 1 });
    const history = { candles: [candle(0, 100), candle(1, 110)], intervalMs: 15 * 60_000 };
    const times = [new Date(Date.UTC(2025, 0, 1, 0, 15)), new Date(Date.UTC(2025, 0, 1, 0, 30))];
    const [, held] = buyAndHoldCurve(history, times, 1_000, rate);
    // The same units bought with the fee paid on the way in, marked at 110.
    const units = 1_000 / (1 + rate) / 100;
    const wallet = 1_000 - units * 100 * rate;
    expect(equityAtMark(wallet, [{ quantity: units, unrealizedPnl: units * 10, markPrice: 110 }], rate)).toBeCloseTo(held?.equity ?? Number.NaN, 9);
  });
});
