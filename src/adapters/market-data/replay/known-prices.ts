// What the daemon can know of a market at an instant of a replay: the latest price printed by then, and the mark
// price. A candle's open is known from its open time, its high, low and close only once it has closed; so inside a
// candle the price is its open (with 1-minute data, the open of the current minute), never a point on a guessed path.
import { TIMEFRAME_MS } from '../../../domain/market.js';
import { MINUTE_MS } from '../../../domain/time.js';
import type { CandleSeries } from './candle-series.js';
import type { MarketHistory } from './replay-history.js';

const QUARTER_MS = TIMEFRAME_MS['15m'];
const MINUTES_PER_QUARTER = QUARTER_MS / MINUTE_MS;

/** Index of the first item whose key is greater than `value` (items sorted by key). */
export function upperBound<T>(items: readonly T[], key: (item: T) => number, value: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (key(items[middle] as T) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the candle whose [open, close) holds `time`, or -1 when the series has none. */
export function candleAt(series: CandleSeries, intervalMs: number, time: number): number {
  const index = series.upperBound(time) - 1;
  return index >= 0 && time < series.openTime(index) + intervalMs ? index : -1;
}

/**
 * Index of the quarter's first 1-minute candle when the data has the quarter and all fifteen of its minutes; otherwise
 * -1. The venue walks the quarters the data has, minute by minute only then (else the quarter stands alone, known at
 * its close), and the daemon's price follows the same pieces: a minute the venue has not met cannot be a price the
 * daemon acts on, and minutes whose quarter is missing are never met.
 */
export function quarterMinutes(market: MarketHistory, quarterOpen: number): number {
  const minutes = market.minutes;
  if (minutes.length === 0) return -1;
  const quarters = market.candles['15m'];
  const quarter = quarters.upperBound(quarterOpen) - 1;
  if (quarter < 0 || quarters.openTime(quarter) !== quarterOpen) return -1;
  const first = minutes.upperBound(quarterOpen - 1);
  const last = first + MINUTES_PER_QUARTER - 1;
  if (last >= minutes.length || minutes.openTime(first) !== quarterOpen || minutes.openTime(last) !== quarterOpen + QUARTER_MS - MINUTE_MS) return -1;
  return first;
}

/**
 * The latest traded price known at `time`, or undefined before the data starts: the open of the candle holding it,
 * else the last close before it; of the 15m and the 1m series the later print, an open beating a close at the same
 * instant and the minute beating the quarter. Minutes count only in a quarter the data has, with all fifteen
 * (`quarterMinutes`).
 */
export function knownPrice(market: MarketHistory, time: number): number | undefined {
  const quarters = market.candles['15m'];
  const quarter = quarters.upperBound(time) - 1;
  if (quarter < 0) return undefined;
  const quarterOpenTime = quarters.openTime(quarter);
  const quarterOpens = time < quarterOpenTime + QUARTER_MS;
  const quarterTime = quarterOpens ? quarterOpenTime : quarterOpenTime + QUARTER_MS;
  const quarterPrice = quarterOpens ? quarters.open(quarter) : quarters.close(quarter);
  const minutes = market.minutes;
  const minute = minutes.length > 0 ? minutes.upperBound(time) - 1 : -1;
  if (minute < 0) return quarterPrice;
  const minuteOpenTime = minutes.openTime(minute);
  if (quarterMinutes(market, minuteOpenTime - (minuteOpenTime % QUARTER_MS)) < 0) return quarterPrice;
  const minuteOpens = time < minuteOpenTime + MINUTE_MS;
  const minuteTime = minuteOpens ? minuteOpenTime : minuteOpenTime + MINUTE_MS;
  const minuteWins = minuteTime > quarterTime || (minuteTime === quarterTime && (minuteOpens || !quarterOpens));
  return minuteWins ? (minuteOpens ? minutes.open(minute) : minutes.close(minute)) : quarterPrice;
}

/** The close of the market's last 15m candle, its last known instant; undefined when it has none. */
export function dataEnd(market: MarketHistory): number | undefined {
  const series = market.candles['15m'];
  return series.length === 0 ? undefined : series.openTime(series.length - 1) + QUARTER_MS;
}

/** The last traded price at `time`; an error before the first candle or after the data ends. */
export function priceAt(market: MarketHistory, time: number): number {
  const price = knownPrice(market, time);
  const end = dataEnd(market);
  if (price === undefined || end === undefined) {
    throw new RangeError(`${market.spec.symbol}: no replay data at ${new Date(time).toISOString()} (before the first candle)`);
  }
  if (time > end) {
    throw new RangeError(`${market.spec.symbol}: no replay data at ${new Date(time).toISOString()} (data ends ${new Date(end).toISOString()})`);
  }
  return price;
}

/**
 * The mark candle's open minus the traded price at that instant: how far the mark stood from the last price when
 * the candle opened. Inside a mark candle only this is known, so the mark is taken as the price plus this basis.
 */
export function basisOf(market: MarketHistory, marks: CandleSeries, index: number): number {
  const price = knownPrice(market, marks.openTime(index));
  return price === undefined ? 0 : marks.open(index) - price;
}

/** Index of the mark candle holding `time` in `market.mark`, or -1 when the data has none. */
export function markCandleAt(market: MarketHistory, time: number): number {
  return market.mark === undefined ? -1 : candleAt(market.mark.candles, market.mark.intervalMs, time);
}

/**
 * The mark price at `time`: a mark candle's open at its open time, the traded price plus the candle's opening basis
 * inside it, and the traded price itself where no mark candle covers the instant.
 */
export function markAt(market: MarketHistory, time: number): number {
  const price = priceAt(market, time);
  const index = markCandleAt(market, time);
  if (market.mark === undefined || index < 0) return price;
  const marks = market.mark.candles;
  return marks.openTime(index) === time ? marks.open(index) : price + basisOf(market, marks, index);
}
