// The market as the simulated venue lives it over (from, to]: each candle's open at its open time, its range and
// close at its close, never earlier. The venue may match resting orders against a candle's whole range (it lives
// inside the candle), but the outcome exists only once the candle has closed, so the daemon cannot learn it sooner.
//
// The mark price (stops and liquidation trigger on it) comes from mark candles, usually hourly while the traded
// candles are 15-minute or 1-minute. Inside a mark candle only its open is known, so a traded bar's mark range is
// the bar shifted by the basis at the mark candle's open. A bar that closes together with its mark candle is clamped
// into that candle's range (then known), and at the mark candle's close its own range is matched once more, which
// catches a mark extreme the traded bars did not show.
import type { PriceBar, PriceRange } from '../../../domain/market.js';
import { TIMEFRAME_MS } from '../../../domain/market.js';
import { MINUTE_MS } from '../../../domain/time.js';
import type { CandleSeries } from './candle-series.js';
import { basisOf, markCandleAt, quarterMinutes } from './known-prices.js';
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
  for (let index = Math.max(0, quarters.upperBound(from) - 1); index < quarters.length; index += 1) {
    const quarterOpen = quarters.openTime(index);
    if (quarterOpen > to) break;
    if (quarterOpen + QUARTER_MS <= from) continue;
    const firstMinute = quarterMinutes(market, quarterOpen);
    // The quarter's pieces: its fifteen minutes where the data has all of them, else the quarter alone.
    const [series, first, count, length] =
      firstMinute < 0 ? [quarters, index, 1, QUARTER_MS] : [market.minutes, firstMinute, MINUTES_PER_QUARTER, MINUTE_MS];
    for (let piece = first; piece < first + count; piece += 1) {
      const openTime = series.openTime(piece);
      const end = openTime + length;
      if (end > from && end <= to) pending.push({ bar: closedBar(market, series, piece, length), order: Order.Closed });
      else if (openTime > from && openTime <= to) pending.push({ bar: openingBar(market, series, piece), order: Order.Opened });
    }
  }
  if (market.mark !== undefined) pending.push(...markCloses(market, market.mark, from, to));
  pending.sort((a, b) => a.bar.end - b.bar.end || a.order - b.order);
  return pending.map((item) => item.bar);
}

/** The mark price the venue last met by `time` (the traded price where the data has no mark); undefined before the data. */
export function markMetBy(market: MarketHistory, time: number): number | undefined {
  const last = venueBars(market, time - QUARTER_MS, time).at(-1);
  return last === undefined ? undefined : (last.mark ?? last).close;
}

function openingBar(market: MarketHistory, series: CandleSeries, index: number): PriceBar {
  const price = series.open(index);
  const openTime = series.openTime(index);
  const bar = { start: openTime, end: openTime, open: price, high: price, low: price, close: price };
  const markIndex = markCandleAt(market, openTime);
  if (market.mark === undefined || markIndex < 0) return bar;
  const marks = market.mark.candles;
  const mark = marks.openTime(markIndex) === openTime ? marks.open(markIndex) : price + basisOf(market, marks, markIndex);
  return { ...bar, mark: { open: mark, high: mark, low: mark, close: mark } };
}

function closedBar(market: MarketHistory, series: CandleSeries, index: number, length: number): PriceBar {
  const start = series.openTime(index);
  const bar = { start, end: start + length, open: series.open(index), high: series.high(index), low: series.low(index), close: series.close(index) };
  const mark = markOver(market, bar);
  return mark === undefined ? bar : { ...bar, mark };
}

/** The mark over a closed traded bar: exact where mark candles tile it, else the basis estimate (see the top). */
function markOver(market: MarketHistory, bar: PriceBar): PriceRange | undefined {
  const series = market.mark;
  const first = markCandleAt(market, bar.start);
  if (series === undefined || first < 0) return undefined;
  const marks = series.candles;
  const firstOpen = marks.openTime(first);
  if (firstOpen === bar.start && series.intervalMs <= bar.end - bar.start) {
    const tiles = tilesOf(series, bar.start, bar.end);
    if (tiles !== undefined) return rangeOf(marks, tiles, tiles + (bar.end - bar.start) / series.intervalMs);
  }
  const basis = basisOf(market, marks, first);
  const estimate = {
    open: firstOpen === bar.start ? marks.open(first) : bar.open + basis,
    high: bar.high + basis,
    low: bar.low + basis,
    close: bar.close + basis,
  };
  return firstOpen + series.intervalMs === bar.end ? clampInto(estimate, marks, first) : estimate;
}

/** Index of the first of the mark candles covering [start, end) exactly, or undefined when one is missing. */
function tilesOf(series: MarkSeries, start: number, end: number): number | undefined {
  const candles = series.candles;
  const first = candles.upperBound(start - 1);
  const count = (end - start) / series.intervalMs;
  if (!Number.isInteger(count) || first + count > candles.length) return undefined;
  for (let tile = 0; tile < count; tile += 1) {
    if (candles.openTime(first + tile) !== start + tile * series.intervalMs) return undefined;
  }
  return first;
}

/** The estimate held inside the mark candle's range, which is known once the candle has closed. */
function clampInto(estimate: PriceRange, marks: CandleSeries, index: number): PriceRange {
  const clamp = (price: number): number => Math.min(Math.max(price, marks.low(index)), marks.high(index));
  return { open: estimate.open, high: clamp(estimate.high), low: clamp(estimate.low), close: marks.close(index) };
}

/** At each mark candle's close, the whole candle against the traded range over its span, for the fill price. */
function markCloses(market: MarketHistory, series: MarkSeries, from: number, to: number): Pending[] {
  const result: Pending[] = [];
  const candles = series.candles;
  for (let index = candles.upperBound(from - series.intervalMs); index < candles.length; index += 1) {
    const openTime = candles.openTime(index);
    const end = openTime + series.intervalMs;
    if (end > to) break;
    if (end <= from || series.intervalMs <= pieceLengthEndingAt(market, end)) continue;
    const traded = tradedRange(market, openTime, end);
    if (traded === undefined) continue;
    result.push({ bar: { start: openTime, end, ...traded, mark: rangeOf(candles, index, index + 1) }, order: Order.MarkClose });
  }
  return result;
}

/** Length of the traded bar that closes at `time`: a minute where the quarter has its minutes, else the quarter. */
function pieceLengthEndingAt(market: MarketHistory, time: number): number {
  return quarterMinutes(market, Math.floor((time - 1) / QUARTER_MS) * QUARTER_MS) < 0 ? QUARTER_MS : MINUTE_MS;
}

/** The traded price's range over [start, end), from the quarters (or minutes) inside it. */
function tradedRange(market: MarketHistory, start: number, end: number): PriceRange | undefined {
  const source = end - start < QUARTER_MS && market.minutes.length > 0 ? market.minutes : market.candles['15m'];
  const first = source.upperBound(start - 1);
  const last = source.upperBound(end - 1);
  return last > first ? rangeOf(source, first, last) : undefined;
}

/** The range of candles [first, last) of a series (at least one). */
function rangeOf(series: CandleSeries, first: number, last: number): PriceRange {
  let high = series.high(first);
  let low = series.low(first);
  for (let index = first; index < last; index += 1) {
    if (series.high(index) > high) high = series.high(index);
    if (series.low(index) < low) low = series.low(index);
  }
  return { open: series.open(first), high, low, close: series.close(last - 1) };
}
