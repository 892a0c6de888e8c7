// What the daemon can know of a market at an instant of a replay: the latest price printed by then, and the mark
// price. A candle's open is known from its open time, its high, low and close only once it has closed; so inside a
// candle the price is its open (with 1-minute data, the open of the current minute), never a point on a guessed path.
import type { Candle } from '../../../domain/market.js';
import { TIMEFRAME_MS } from '../../../domain/market.js';
import { MINUTE_MS } from '../../../domain/time.js';
import type { MarketHistory } from './replay-history.js';

const QUARTER_MS = TIMEFRAME_MS['15m'];

/** Index of the first item whose key is greater than `value` (items sorted by key). */
export function upperBound<T>(items: readonly T[], key: (item: T) => number, value: number): number {
  // Nearly every search is by open time: a loop that reads the field itself, which the JIT can inline (a replay
  // searches millions of times, and a call through `key` costs more than the comparison).
  if ((key as unknown) === openTimeOf) return openTimeBound(items as unknown as readonly Candle[], value);
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (key(items[middle] as T) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export const openTimeOf = (candle: Candle): number => candle.openTime;

function openTimeBound(candles: readonly Candle[], value: number): number {
  let low = 0;
  let high = candles.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((candles[middle] as Candle).openTime <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The candle whose [open, close) holds `time`, if the series has one. */
export function candleAt(series: readonly Candle[], intervalMs: number, time: number): Candle | undefined {
  const candle = series[upperBound(series, openTimeOf, time) - 1];
  return candle !== undefined && time < candle.openTime + intervalMs ? candle : undefined;
}

/**
 * The latest traded price known at `time`, or undefined before the data starts: the open of the candle holding it,
 * else the last close before it; of the 15m and the 1m series the later print, an open beating a close at the same
 * instant and the minute beating the quarter.
 */
export function knownPrice(market: MarketHistory, time: number): number | undefined {
  const quarters = market.candles['15m'];
  const quarter = quarters[upperBound(quarters, openTimeOf, time) - 1];
  if (quarter === undefined) return undefined;
  const quarterOpens = time < quarter.openTime + QUARTER_MS;
  const quarterTime = quarterOpens ? quarter.openTime : quarter.openTime + QUARTER_MS;
  const quarterPrice = quarterOpens ? quarter.open : quarter.close;
  const minute = market.minutes.length > 0 ? market.minutes[upperBound(market.minutes, openTimeOf, time) - 1] : undefined;
  if (minute === undefined) return quarterPrice;
  const minuteOpens = time < minute.openTime + MINUTE_MS;
  const minuteTime = minuteOpens ? minute.openTime : minute.openTime + MINUTE_MS;
  const minuteWins = minuteTime > quarterTime || (minuteTime === quarterTime && (minuteOpens || !quarterOpens));
  return minuteWins ? (minuteOpens ? minute.open : minute.close) : quarterPrice;
}

/** The last traded price at `time`; an error before the first candle or after the data ends. */
export function priceAt(market: MarketHistory, time: number): number {
  const series = market.candles['15m'];
  const last = series[series.length - 1];
  const price = knownPrice(market, time);
  if (price === undefined || last === undefined) {
    throw new RangeError(`${market.spec.symbol}: no replay data at ${new Date(time).toISOString()} (before the first candle)`);
  }
  const end = last.openTime + QUARTER_MS;
  if (time > end) {
    throw new RangeError(`${market.spec.symbol}: no replay data at ${new Date(time).toISOString()} (data ends ${new Date(end).toISOString()})`);
  }
  return price;
}

/**
 * The mark candle's open minus the traded price at that instant: how far the mark stood from the last price when
 * the candle opened. Inside a mark candle only this is known, so the mark is taken as the price plus this basis.
 */
export function basisOf(market: MarketHistory, markCandle: Candle): number {
  const price = knownPrice(market, markCandle.openTime);
  return price === undefined ? 0 : markCandle.open - price;
}

/** The mark candle holding `time`, if the data has one. */
export function markCandleAt(market: MarketHistory, time: number): Candle | undefined {
  return market.mark === undefined ? undefined : candleAt(market.mark.candles, market.mark.intervalMs, time);
}

/**
 * The mark price at `time`: a mark candle's open at its open time, the traded price plus the candle's opening basis
 * inside it, and the traded price itself where no mark candle covers the instant.
 */
export function markAt(market: MarketHistory, time: number): number {
  const price = priceAt(market, time);
  const candle = markCandleAt(market, time);
  if (candle === undefined) return price;
  return candle.openTime === time ? candle.open : price + basisOf(market, candle);
}
