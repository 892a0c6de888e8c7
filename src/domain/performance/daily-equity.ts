// The equity curve a replay's trades imply, sampled at each UTC midnight: the input of every daily ratio.
import { DAY_MS } from '../time.js';

interface ClosedTrade {
  readonly closedAt: Date;
  readonly netPnl: number;
}

/**
 * Equity at `from` and at the end of each whole or partial day up to `to`: the capital plus the net P&L of the
 * trades closed by then (realised only: a position still open at `to` counts when it closes, not before).
 */
export function dailyEquity(initialCapital: number, trades: readonly ClosedTrade[], from: Date, to: Date): number[] {
  const closes = [...trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
  const samples = [initialCapital];
  let equity = initialCapital;
  let next = 0;
  const firstMidnight = Math.floor(from.getTime() / DAY_MS) * DAY_MS + DAY_MS;
  for (let cut = firstMidnight; ; cut += DAY_MS) {
    const at = Math.min(cut, to.getTime());
    while (next < closes.length && (closes[next]?.closedAt.getTime() ?? Infinity) <= at) equity += closes[next++]?.netPnl ?? 0;
    samples.push(equity);
    if (at >= to.getTime()) break;
  }
  return samples;
}
