// Derives longer candles from 15-minute ones, the way an exchange would print them: aligned to UTC multiples of the
// timeframe, and only for buckets the source covers completely (a bucket with a missing candle would lie about its
// range, so it is left out rather than guessed).
import type { Candle } from '../../../domain/market.js';

/**
 * `source` must be strictly increasing, with every open time on a multiple of `sourceMs`.
 * Returns the complete `targetMs` buckets, oldest first.
 */
export function aggregateCandles(source: readonly Candle[], sourceMs: number, targetMs: number): Candle[] {
  if (targetMs % sourceMs !== 0) throw new RangeError(`${targetMs} ms is not a multiple of ${sourceMs} ms`);
  const perBucket = targetMs / sourceMs;
  const result: Candle[] = [];
  let index = 0;
  while (index < source.length) {
    const first = source[index] as Candle;
    const bucketStart = Math.floor(first.openTime / targetMs) * targetMs;
    const bucketEnd = bucketStart + targetMs;
    let last = index;
    while (last + 1 < source.length && (source[last + 1] as Candle).openTime < bucketEnd) last += 1;
    const count = last - index + 1;
    if (count === perBucket && first.openTime === bucketStart) result.push(merge(source, index, last, bucketStart));
    index = last + 1;
  }
  return result;
}

function merge(source: readonly Candle[], from: number, to: number, openTime: number): Candle {
  const first = source[from] as Candle;
  const last = source[to] as Candle;
  let high = first.high;
  let low = first.low;
  let volume = 0;
  for (let index = from; index <= to; index += 1) {
    const candle = source[index] as Candle;
    if (candle.high > high) high = candle.high;
    if (candle.low < low) low = candle.low;
    volume += candle.volume;
  }
  return { openTime, open: first.open, high, low, close: last.close, volume };
}
