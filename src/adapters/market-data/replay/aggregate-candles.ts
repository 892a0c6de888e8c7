// Derives longer candles from 15-minute ones, the way an exchange would print them: aligned to UTC multiples of the
// timeframe, and only for buckets the source covers completely (a bucket with a missing candle would lie about its
// range, so it is left out rather than guessed).
import type { Candle } from '../../../domain/market.js';
import { CandleSeries, CandleSeriesBuilder } from './candle-series.js';

/**
 * `source` must be strictly increasing, with every open time on a multiple of `sourceMs`.
 * Returns the complete `targetMs` buckets, oldest first.
 */
export function aggregateCandles(source: readonly Candle[], sourceMs: number, targetMs: number): Candle[] {
  return aggregateSeries(CandleSeries.from(source), sourceMs, targetMs).slice();
}

/** As `aggregateCandles`, from and to the replay's compact form. */
export function aggregateSeries(source: CandleSeries, sourceMs: number, targetMs: number): CandleSeries {
  if (targetMs % sourceMs !== 0) throw new RangeError(`${targetMs} ms is not a multiple of ${sourceMs} ms`);
  const perBucket = targetMs / sourceMs;
  const result = new CandleSeriesBuilder(Math.ceil(source.length / perBucket));
  let index = 0;
  while (index < source.length) {
    const firstOpen = source.openTime(index);
    const bucketStart = Math.floor(firstOpen / targetMs) * targetMs;
    const bucketEnd = bucketStart + targetMs;
    let last = index;
    while (last + 1 < source.length && source.openTime(last + 1) < bucketEnd) last += 1;
    const count = last - index + 1;
    if (count === perBucket && firstOpen === bucketStart) merge(source, index, last, bucketStart, result);
    index = last + 1;
  }
  return result.build();
}

function merge(source: CandleSeries, from: number, to: number, openTime: number, into: CandleSeriesBuilder): void {
  let high = source.high(from);
  let low = source.low(from);
  let volume = 0;
  for (let index = from; index <= to; index += 1) {
    if (source.high(index) > high) high = source.high(index);
    if (source.low(index) < low) low = source.low(index);
    volume += source.volume(index);
  }
  into.push(openTime, source.open(from), high, low, source.close(to), volume);
}
