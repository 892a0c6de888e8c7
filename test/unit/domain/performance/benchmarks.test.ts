import { describe, expect, it } from 'vitest';
import { buyAndHoldCurve, closeAt, equalWeightCurve, flatCurve } from '../../../../src/domain/performance/benchmarks.js';

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
    const withFees = buyAndHoldCurve(btc, [at(1)], 1000, 0.001);
    expect(withFees[0]?.equity).toBeCloseTo((1000 / 1.001) * 0.999, 9);
  });

  it('refuses an instant before any candle has closed, naming the market', () => {
    expect(() => buyAndHoldCurve(btc, [at(0)], 1000, 0, 'BTC')).toThrow(/BTC: no candle had closed/);
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
