// The two building blocks the fused computation and the regime share with the textbook definitions.

/** The largest of high - low, |high - previous close| and |low - previous close|. */
export function trueRange(high: number, low: number, previousClose: number): number {
  return Math.max(high - low, Math.abs(high - previousClose), Math.abs(low - previousClose));
}

/** RSI from Wilder averages of gains and losses; NaN while they are not yet defined. */
export function rsiFrom(averageGain: number, averageLoss: number): number {
  if (Number.isNaN(averageGain)) return Number.NaN;
  // A market that did not move at all is neither overbought nor oversold.
  if (averageLoss === 0) return averageGain === 0 ? 50 : 100;
  return 100 - 100 / (1 + averageGain / averageLoss);
}
