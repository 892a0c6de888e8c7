// A vote's track record entry: after the vote, did price reach its take-profit before its stop within the horizon?
// Read on 15m candles; a candle that spans both levels counts as the stop first, since the order inside it is unknown.
// The candle in which a vote was cast mid-way is left out: its range holds prices from before the vote (a target
// touched ten minutes earlier is no win), and which part came after is unknown. Scoring starts at the next candle.
import { stopPriceFor, takeProfitPriceFor } from './money.js';
import { TIMEFRAME_MS, type Candle, type Side } from './market.js';

export const SCORING_HORIZON_MS = 24 * 60 * 60_000;

export interface ScorableVote {
  readonly time: Date;
  readonly side: Side;
  /** Price when the vote was cast. */
  readonly price: number;
  readonly stopLossPct: number;
  readonly takeProfitPct: number;
}

/** true: target first; false: stop first or neither within the horizon; undefined: the candles do not cover it. */
export function scoreVote(vote: ScorableVote, candles15m: readonly Candle[], horizonMs = SCORING_HORIZON_MS): boolean | undefined {
  const step = TIMEFRAME_MS['15m'];
  const start = vote.time.getTime();
  const end = start + horizonMs;
  // A level counts as reached when price touches it; the tolerance absorbs float noise (100 x 1.1 = 110.00000000000001).
  const touch = vote.price * 1e-9;
  const stop = stopPriceFor(vote.side, vote.price, vote.stopLossPct);
  const target = takeProfitPriceFor(vote.side, vote.price, vote.takeProfitPct);
  let coveredUntil = -Infinity;
  let first = true;
  for (const candle of candles15m) {
    if (candle.openTime < start || candle.openTime >= end) continue;
    // The first candle that opened at or after the vote must be present, or the beginning of the horizon is unknown.
    if (first && candle.openTime >= start + step) return undefined;
    first = false;
    const stopHit = vote.side === 'long' ? candle.low <= stop + touch : candle.high >= stop - touch;
    if (stopHit) return false;
    const targetHit = vote.side === 'long' ? candle.high >= target - touch : candle.low <= target + touch;
    if (targetHit) return true;
    coveredUntil = candle.openTime + step;
  }
  return coveredUntil >= end ? false : undefined;
}
