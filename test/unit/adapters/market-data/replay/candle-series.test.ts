import { describe, expect, it } from 'vitest';
import { CandleSeries, CandleSeriesBuilder } from '../../../../../src/adapters/market-data/replay/candle-series.js';
import type { Candle } from '../../../../../src/domain/market.js';

const M15 = 15 * 60_000;
const T0 = Date.UTC(2025, 9, 10);

function candles(count: number): Candle[] {
  return Array.from({ length: count }, (_, index) => ({
    openTime: T0 + index * M15,
    open: 100 + index + 0.1,
    high: 102 + index + 0.25,
    low: 99 + index + 0.125,
    close: 101 + index + 0.3,
    volume: 1000 + index / 7,
  }));
}

describe('CandleSeries', () => {
  it('when candles are stored and read back, then every field is the same number, in order', () => {
    const original = candles(5);

    const series = CandleSeries.from(original);

    expect(series).toHaveLength(5);
    expect(series.slice()).toEqual(original);
    expect([...series]).toEqual(original);
    expect(series.close(3)).toBe(original[3]?.close);
    expect(series.openTime(4)).toBe(original[4]?.openTime);
  });

  it('when a position is outside the series, then at() gives undefined, and a negative one counts from the end', () => {
    const series = CandleSeries.from(candles(3));

    expect(series.at(3)).toBeUndefined();
    expect(series.at(-4)).toBeUndefined();
    expect(series.at(-1)?.openTime).toBe(T0 + 2 * M15);
  });

  it('when sliced with negative or oversized bounds, then it agrees with an array slice', () => {
    const original = candles(6);
    const series = CandleSeries.from(original);

    for (const [start, end] of [[0, 6], [2, 4], [-3, undefined], [4, 100], [5, 2], [-100, 1]] as const) {
      expect(series.slice(start, end)).toEqual(original.slice(start, end));
    }
  });

  it('when searched by time, then upperBound counts the candles opened at or before it', () => {
    const series = CandleSeries.from(candles(4));

    expect(series.upperBound(T0 - 1)).toBe(0);
    expect(series.upperBound(T0)).toBe(1);
    expect(series.upperBound(T0 + M15 + 1)).toBe(2);
    expect(series.upperBound(T0 + 10 * M15)).toBe(4);
  });

  it('when a stretch is taken, then it reads the same candles; a copy is the same candles in memory of its own', () => {
    const original = candles(6);
    const series = CandleSeries.from(original);

    expect(series.subseries(2, 5).slice()).toEqual(original.slice(2, 5));
    expect(series.copy().slice()).toEqual(original);
    expect(series.copy()).not.toBe(series);
  });

  it('when a builder gets more candles than its capacity, then it refuses; fewer, then the series holds only those', () => {
    const builder = new CandleSeriesBuilder(2);
    builder.push(T0, 1, 2, 0.5, 1.5, 10);

    expect(builder.build().slice()).toEqual([{ openTime: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }]);
    builder.push(T0 + M15, 1, 2, 0.5, 1.5, 10);
    expect(() => builder.push(T0 + 2 * M15, 1, 2, 0.5, 1.5, 10)).toThrow(RangeError);
  });
});
