import { describe, expect, it } from 'vitest';
import { buyAndHoldCurve, closeAt, equalWeightCurve, firstCloseAt, flatCurve } from '../../../../src/domain/performance/benchmarks.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const candle = (hour: number, close: number) => ({ openTime: T0 + hour * HOUR, open: close, high: close, low: close, close, volume: 1 });
const btc = { candles: [candle(0, 100), candle(1, 110), candle(2, 121)], intervalMs: HOUR };
const eth = { candles: [candle(0, 10), candle(1, 9), candle(2, 8)], intervalMs: HOUR };
const at = (hours: number): Date => new Date(T0 + hours * HOUR);

describe('benchmarks from candle closes', () => {
  it('knows a close only once its candle has finished', () => {
    expect(closeAt(btc, at(0.99))).toBeUndefined();
    expect(closeAt(btc, at(1))).toBe(100);
    expect(closeAt(btc, at(2.5))).toBe(110);
    expect(closeAt(btc, at(99))).toBe(121);
  });

  it('holds one market from the first known close, paying the fee in and, at each point, the fee out', () => {
    const curve = buyAndHoldCurve(btc, [at(1), at(2), at(3)], 1000, 0);
    expect(curve.map((p) => p.equity)).toEqual([1000, 1100, 1210]);
    // The first point is the money put in, so an unchanged price shows the round trip's fees as a loss.
    const withFees = buyAndHoldCurve(btc, [at(1), at(1.5)], 1000, 0.001);
    expect(withFees[0]?.equity).toBe(1000);
    expect(withFees[1]?.equity).toBeCloseTo((1000 / 1.001) * 0.999, 9);
  });

  it('holds cash until a market listed inside the window first closes, then buys at that close', () => {
    const curve = buyAndHoldCurve(btc, [at(0), at(0.5), at(2), at(3)], 1000, 0);
    // No close yet at hours 0 and 0.5; bought at 110, the close known at hour 2, and worth 121/110 of it at hour 3.
    expect(curve.slice(0, 2).map((p) => p.equity)).toEqual([1000, 1000]);
    expect(curve[2]?.equity).toBeCloseTo(1000, 9);
    expect(curve[3]?.equity).toBeCloseTo(1100, 9);
    expect(firstCloseAt(btc)).toEqual(at(1));
    expect(buyAndHoldCurve({ candles: [], intervalMs: HOUR }, [at(0), at(5)], 1000, 0.001).map((p) => p.equity)).toEqual([1000, 1000]);
    expect(firstCloseAt({ candles: [], intervalMs: HOUR })).toBeUndefined();
  });

  it('refuses a close that is not a price, naming the market', () => {
    const broken = { candles: [candle(0, 0)], intervalMs: HOUR };
    expect(() => buyAndHoldCurve(broken, [at(1)], 1000, 0, 'BTC')).toThrow(/BTC: the close known at .* is 0/);
  });

  it('splits the basket equally at the start and lets the parts drift', () => {
    const curve = equalWeightCurve([btc, eth], [at(1), at(3)], 1000, 0);
    expect(curve[0]?.equity).toBeCloseTo(1000, 9);
    expect(curve[1]?.equity).toBeCloseTo(500 * 1.21 + 500 * 0.8, 9);
    expect(() => equalWeightCurve([], [at(1)], 1000, 0)).toThrow(/at least one market/);
  });

  it('stays flat', () => {
    expect(flatCurve([at(1), at(2)], 250).map((p) => p.equity)).toEqual([250, 250]);
  });
});
