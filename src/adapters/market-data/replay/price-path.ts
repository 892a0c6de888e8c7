// The assumed traded-price path inside a 15-minute candle. A candle only tells us four prices, so we assume the
// usual pessimistic order: open → first extreme → second extreme → close, in three equal 5-minute legs, with the low
// first on a rising candle (C >= O) and the high first on a falling one. Stops and liquidations are tested against
// this path, so the assumption errs towards a stop being hit rather than missed.
import type { Candle, PriceBar } from '../../../domain/market.js';

const LEGS = 3;

/** The path's four vertices: open, first extreme, second extreme, close. */
export function pathVertices(candle: Candle): readonly [number, number, number, number] {
  return candle.close >= candle.open
    ? [candle.open, candle.low, candle.high, candle.close]
    : [candle.open, candle.high, candle.low, candle.close];
}

/** Price on the path at `time`, for openTime <= time <= openTime + length. */
export function priceInCandle(candle: Candle, length: number, time: number): number {
  const vertices = pathVertices(candle);
  const legLength = length / LEGS;
  const offset = Math.min(Math.max(time - candle.openTime, 0), length);
  const leg = Math.min(Math.floor(offset / legLength), LEGS - 1);
  const from = vertices[leg] as number;
  const to = vertices[leg + 1] as number;
  const fraction = (offset - leg * legLength) / legLength;
  return fraction === 0 ? from : fraction === 1 ? to : from + (to - from) * fraction;
}

/**
 * The part of the candle's path over [start, end] as one bar. Its high and low are the exact extremes there: the
 * path is piecewise linear, so they are among the two end points and the vertices strictly inside.
 */
export function candleBar(candle: Candle, length: number, start: number, end: number): PriceBar {
  const open = priceInCandle(candle, length, start);
  const close = priceInCandle(candle, length, end);
  let high = Math.max(open, close);
  let low = Math.min(open, close);
  const vertices = pathVertices(candle);
  const legLength = length / LEGS;
  for (let leg = 1; leg < LEGS; leg += 1) {
    const at = candle.openTime + leg * legLength;
    if (at <= start || at >= end) continue;
    const price = vertices[leg] as number;
    if (price > high) high = price;
    if (price < low) low = price;
  }
  return { start, end, open, high, low, close };
}
