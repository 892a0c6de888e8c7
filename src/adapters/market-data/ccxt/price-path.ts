// Turns 1-minute candles into the price path over (from, to]: closed minutes as they are, and the minute still
// forming completed with the current price, so a stop crossed seconds ago is not missed. The venue's mark-price
// minutes ride along on each bar: stops and liquidation trigger on them, as on the venue.
import type { Candle, PriceBar, PriceRange } from '../../../domain/market.js';
import { MINUTE_MS } from '../../../domain/time.js';

/** The venue's current prices, asked only when the path reaches the live edge. */
export interface CurrentPrices {
  readonly last: () => Promise<number>;
  /** Absent where the venue publishes no mark price: the traded price stands in. */
  readonly mark?: () => Promise<number>;
}

export async function buildPricePath(
  minutes: readonly Candle[],
  markMinutes: readonly Candle[],
  from: number,
  to: number,
  now: number,
  current: CurrentPrices,
): Promise<PriceBar[]> {
  const marks = new Map(markMinutes.map((candle) => [candle.openTime, candle]));
  const bars: PriceBar[] = [];
  let coveredUntil = from;
  let forming: Candle | undefined;
  let opening: Candle | undefined;
  for (const candle of minutes) {
    const end = candle.openTime + MINUTE_MS;
    if (candle.openTime === to && to > from) opening = candle;
    if (end <= from || candle.openTime >= to) continue;
    if (end > now) {
      forming = candle;
      break;
    }
    const mark = marks.get(candle.openTime);
    // A bar keeps its real start even where the path begins inside it: an order placed inside the minute must not be
    // matched as if the minute's extremes came after it (the simulator takes a target only from the next bar).
    const bar = { start: candle.openTime, end: Math.min(end, to), open: candle.open, high: candle.high, low: candle.low, close: candle.close };
    bars.push(mark === undefined ? bar : { ...bar, mark: rangeOf(mark) });
    coveredUntil = Math.min(end, to);
  }
  // Only the live edge is completed with the current price; a gap deep in the past is left as a gap.
  const reachesLiveEdge = to > now - MINUTE_MS;
  if (coveredUntil < to && reachesLiveEdge) {
    const start = forming ? forming.openTime : coveredUntil;
    const bar = { start, end: to, ...completed(forming, await current.last()) };
    const formingMark = forming === undefined ? undefined : marks.get(forming.openTime);
    // Without a mark candle for the minute (none yet, or a venue that publishes none), the mark's minute so far is the
    // traded one's: a mark that opened at the current price would read as a gap through every level the minute crossed.
    bars.push(current.mark === undefined ? bar : { ...bar, mark: completed(formingMark ?? forming, await current.mark()) });
  } else if (opening !== undefined) {
    // A minute opening exactly at `to`: its first trade is known now, and the daemon will act on it, so the venue
    // meets it now as well (an opening instant, as the replay's venue does).
    const mark = marks.get(opening.openTime);
    const bar = { start: to, end: to, ...point(opening.open) };
    bars.push(mark === undefined ? bar : { ...bar, mark: point(mark.open) });
  }
  return bars;
}

function point(price: number): PriceRange {
  return { open: price, high: price, low: price, close: price };
}

/** The forming minute (if the venue sent it) as it stands now, at `price`. */
function completed(forming: Candle | undefined, price: number): PriceRange {
  return {
    open: forming?.open ?? price,
    high: Math.max(forming?.high ?? price, price),
    low: Math.min(forming?.low ?? price, price),
    close: price,
  };
}

function rangeOf(candle: Candle): PriceRange {
  return { open: candle.open, high: candle.high, low: candle.low, close: candle.close };
}
