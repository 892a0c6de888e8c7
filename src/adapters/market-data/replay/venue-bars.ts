// The market as the simulated venue lives it over (from, to]: each candle's open at its open time, its range and
// close at its close, never earlier. The venue may match resting orders against a candle's whole range (it lives
// inside the candle), but the outcome exists only once the candle has closed, so the daemon cannot learn it sooner.
//
// The mark price (stops and liquidation trigger on it) comes from mark candles, usually hourly while the traded
// candles are 15-minute or 1-minute. Inside a mark candle only its open is known, so a traded bar's mark range is
// the bar shifted by the basis at the mark candle's open. A bar that closes together with its mark candle is clamped
// into that candle's range (then known), and at the mark candle's close its own range is matched once more, which
// catches a mark extreme the traded bars did not show.
import type { Candle, PriceBar, PriceRange } from '../../../domain/market.js';
import { TIMEFRAME_MS } from '../../../domain/market.js';
import { MINUTE_MS } from '../../../domain/time.js';
import { basisOf, markCandleAt, openTimeOf, upperBound } from './known-prices.js';
import type { MarketHistory, MarkSeries } from './replay-history.js';

const QUARTER_MS = TIMEFRAME_MS['15m'];
const MINUTES_PER_QUARTER = QUARTER_MS / MINUTE_MS;

/** Ordering of bars ending at one instant: what closed there, then the mark candle's check, then what opened there. */
const enum Order {
  Closed = 0,
  MarkClose = 1,
  Opened = 2,
}

interface Pending {
  readonly bar: PriceBar;
  readonly order: Order;
}

/** The venue's bars over (from, to], in the order the venue learns them (see MarketData.pricePath). */
export function venueBars(market: MarketHistory, from: number, to: number): PriceBar[] {
  const pending: Pending[] = [];
  const quarters = market.candles['15m'];
  for (let index = Math.max(0, upperBound(quarters, openTimeOf, from) - 1); index < quarters.length; index += 1) {
    const quarter = quarters[index] as Candle;
    if (quarter.openTime > to) break;
    if (quarter.openTime + QUARTER_MS <= from) continue;
    const minutes = minutesOf(market, quarter.openTime);
    const pieces = minutes ?? [quarter];
    const length = minutes ? MINUTE_MS : QUARTER_MS;
    for (const piece of pieces) {
      const end = piece.openTime + length;
      if (end > from && end <= to) pending.push({ bar: closedBar(market, piece, length), order: Order.Closed });
      else if (piece.openTime > from && piece.openTime <= to) pending.push({ bar: openingBar(market, piece), order: Order.Opened });
    }
  }
  if (market.mark !== undefined) pending.push(...markCloses(market, market.mark, from, to));
  pending.sort((a, b) => a.bar.end - b.bar.end || a.order - b.order);
  return pending.map((item) => item.bar);
}

/** The quarter's fifteen 1-minute candles when the data has all of them; otherwise the quarter stands alone. */
function minutesOf(market: MarketHistory, quarterOpen: number): readonly Candle[] | undefined {
  if (market.minutes.length === 0) return undefined;
  const first = upperBound(market.minutes, openTimeOf, quarterOpen - 1);
  const last = first + MINUTES_PER_QUARTER - 1;
  const ends = market.minutes[last];
  if (market.minutes[first]?.openTime !== quarterOpen || ends?.openTime !== quarterOpen + QUARTER_MS - MINUTE_MS) return undefined;
  return market.minutes.slice(first, last + 1);
}

function openingBar(market: MarketHistory, candle: Candle): PriceBar {
  const price = candle.open;
  const bar = { start: candle.openTime, end: candle.openTime, open: price, high: price, low: price, close: price };
  const markCandle = markCandleAt(market, candle.openTime);
  if (markCandle === undefined) return bar;
  const mark = markCandle.openTime === candle.openTime ? markCandle.open : price + basisOf(market, markCandle);
  return { ...bar, mark: { open: mark, high: mark, low: mark, close: mark } };
}

function closedBar(market: MarketHistory, candle: Candle, length: number): PriceBar {
  const { open, high, low, close } = candle;
  const bar = { start: candle.openTime, end: candle.openTime + length, open, high, low, close };
  const mark = markOver(market, bar);
  return mark === undefined ? bar : { ...bar, mark };
}

/** The mark over a closed traded bar: exact where mark candles tile it, else the basis estimate (see the top). */
function markOver(market: MarketHistory, bar: PriceBar): PriceRange | undefined {
  const series = market.mark;
  const first = markCandleAt(market, bar.start);
  if (series === undefined || first === undefined) return undefined;
  if (first.openTime === bar.start && series.intervalMs <= bar.end - bar.start) {
    const tiles = tilesOf(series, bar.start, bar.end);
    if (tiles !== undefined) return rangeOf(tiles);
  }
  const basis = basisOf(market, first);
  const estimate = {
    open: first.openTime === bar.start ? first.open : bar.open + basis,
    high: bar.high + basis,
    low: bar.low + basis,
    close: bar.close + basis,
  };
  return first.openTime + series.intervalMs === bar.end ? clampInto(estimate, first) : estimate;
}

/** The mark candles covering [start, end) exactly, or undefined when one is missing. */
function tilesOf(series: MarkSeries, start: number, end: number): readonly Candle[] | undefined {
  const first = upperBound(series.candles, openTimeOf, start - 1);
  const count = (end - start) / series.intervalMs;
  const tiles = series.candles.slice(first, first + count);
  return tiles.length === count && tiles.every((tile, index) => tile.openTime === start + index * series.intervalMs) ? tiles : undefined;
}

/** The estimate held inside the mark candle's range, which is known once the candle has closed. */
function clampInto(estimate: PriceRange, candle: Candle): PriceRange {
  const clamp = (price: number): number => Math.min(Math.max(price, candle.low), candle.high);
  return { open: estimate.open, high: clamp(estimate.high), low: clamp(estimate.low), close: candle.close };
}

/** At each mark candle's close, the whole candle against the traded range over its span, for the fill price. */
function markCloses(market: MarketHistory, series: MarkSeries, from: number, to: number): Pending[] {
  const result: Pending[] = [];
  const candles = series.candles;
  for (let index = upperBound(candles, openTimeOf, from - series.intervalMs); index < candles.length; index += 1) {
    const candle = candles[index] as Candle;
    const end = candle.openTime + series.intervalMs;
    if (end > to) break;
    if (end <= from || series.intervalMs <= pieceLengthEndingAt(market, end)) continue;
    const traded = tradedRange(market, candle.openTime, end);
    if (traded === undefined) continue;
    result.push({ bar: { start: candle.openTime, end, ...traded, mark: rangeOf([candle]) }, order: Order.MarkClose });
  }
  return result;
}

/** Length of the traded bar that closes at `time`: a minute where the quarter has its minutes, else the quarter. */
function pieceLengthEndingAt(market: MarketHistory, time: number): number {
  return minutesOf(market, Math.floor((time - 1) / QUARTER_MS) * QUARTER_MS) === undefined ? QUARTER_MS : MINUTE_MS;
}

/** The traded price's range over [start, end), from the quarters (or minutes) inside it. */
function tradedRange(market: MarketHistory, start: number, end: number): PriceRange | undefined {
  const source = end - start < QUARTER_MS && market.minutes.length > 0 ? market.minutes : market.candles['15m'];
  const first = upperBound(source, openTimeOf, start - 1);
  const last = upperBound(source, openTimeOf, end - 1);
  return last > first ? rangeOf(source.slice(first, last)) : undefined;
}

function rangeOf(candles: readonly Candle[]): PriceRange {
  const first = candles[0] as Candle;
  let high = first.high;
  let low = first.low;
  for (const candle of candles) {
    if (candle.high > high) high = candle.high;
    if (candle.low < low) low = candle.low;
  }
  return { open: first.open, high, low, close: (candles[candles.length - 1] as Candle).close };
}
