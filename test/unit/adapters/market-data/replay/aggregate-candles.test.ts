import { describe, expect, it } from 'vitest';
import { aggregateCandles } from '../../../../../src/adapters/market-data/replay/aggregate-candles.js';
import type { Candle } from '../../../../../src/domain/market.js';

const M15 = 15 * 60_000;
const H1 = 4 * M15;
const H4 = 16 * M15;
const DAY = Date.UTC(2025, 9, 10);

function candle(openTime: number, open: number, high: number, low: number, close: number, volume = 1): Candle {
  return { openTime, open, high, low, close, volume };
}

describe('aggregateCandles', () => {
  it('when four 15m candles fill an hour, then the hour has the first open, highest high, lowest low, last close, summed volume', () => {
    const quarters = [
      candle(DAY, 10, 12, 9, 11, 1),
      candle(DAY + M15, 11, 15, 10, 14, 2),
      candle(DAY + 2 * M15, 14, 14, 7, 8, 3),
      candle(DAY + 3 * M15, 8, 9, 8, 9, 4),
    ];

    expect(aggregateCandles(quarters, M15, H1)).toEqual([candle(DAY, 10, 15, 7, 9, 10)]);
  });

  it('when an hour is missing one quarter, then that hour is left out rather than guessed', () => {
    const quarters = [0, 1, 2, 3, 4, 5, 7].map((index) => candle(DAY + index * M15, 10, 11, 9, 10));

    const hours = aggregateCandles(quarters, M15, H1);

    expect(hours.map((hour) => hour.openTime)).toEqual([DAY]);
  });

  it('when the data starts at a quarter past, then the first partial hour is left out and buckets stay on the UTC hour', () => {
    const quarters = [1, 2, 3, 4, 5, 6, 7].map((index) => candle(DAY + index * M15, 10, 11, 9, 10));

    const hours = aggregateCandles(quarters, M15, H1);

    expect(hours.map((hour) => hour.openTime)).toEqual([DAY + H1]);
  });

  it('when a day is aggregated to 4h, then buckets open at 00:00, 04:00, 08:00 … UTC', () => {
    const quarters = Array.from({ length: 96 }, (_, index) => candle(DAY + index * M15, 10, 11, 9, 10));

    const bars = aggregateCandles(quarters, M15, H4);

    expect(bars.map((bar) => new Date(bar.openTime).toISOString().slice(11, 16))).toEqual([
      '00:00',
      '04:00',
      '08:00',
      '12:00',
      '16:00',
      '20:00',
    ]);
  });
});
