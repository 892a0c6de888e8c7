// Turns 1-minute candles into the price path over (from, to]: closed minutes as they are, and the minute still
// forming completed with the current price, so a stop crossed seconds ago is not missed.
import type { Candle, PriceBar } from '../../../domain/market.js';
import { MINUTE_MS } from '../../../domain/time.js';

export async function buildPricePath(
  minutes: readonly Candle[],
  from: number,
  to: number,
  now: number,
  currentPrice: () => Promise<number>,
): Promise<PriceBar[]> {
  const bars: PriceBar[] = [];
  let coveredUntil = from;
  let forming: Candle | undefined;
  for (const candle of minutes) {
    const end = candle.openTime + MINUTE_MS;
    if (end <= from || candle.openTime >= to) continue;
    if (end > now) {
      forming = candle;
      break;
    }
    bars.push({
      start: Math.max(candle.openTime, from),
      end: Math.min(end, to),
      open: candle.open,
      high: candle.high,
      low: candle.low,
      close: candle.close,
    });
    coveredUntil = Math.min(end, to);
  }
  // Only the live edge is completed with the current price; a gap deep in the past is left as a gap.
  const reachesLiveEdge = to > now - MINUTE_MS;
  if (coveredUntil < to && reachesLiveEdge) {
    const price = await currentPrice();
    const open = forming?.open ?? price;
    bars.push({
      start: forming ? Math.max(forming.openTime, coveredUntil) : coveredUntil,
      end: to,
      open,
      high: Math.max(forming?.high ?? price, price),
      low: Math.min(forming?.low ?? price, price),
      close: price,
    });
  }
  return bars;
}
