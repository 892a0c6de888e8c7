// The limits a replay's trades must have kept at their fills, counted: stops nearer than MIN_STOP_LOSS_PERCENT or
// farther than MAX_STOP_LOSS_PERCENT from the entry fill, and margins above POSITION_SIZE_PERCENT of the capital at
// entry. Used by the end-to-end replay test and by `bench/limits-at-fill.ts` on a year of history.
import { adverseDistance } from '../../src/domain/money.js';
import type { RiskSettings } from '../../src/domain/settings.js';
import type { Trade } from '../../src/domain/trading.js';

/** A billionth of a dollar: float noise in margin = price × quantity / leverage, nothing a venue would see. */
const MONEY_NOISE = 1e-9;

export interface LimitBreaches {
  readonly trades: number;
  readonly stopsUnderMin: number;
  readonly stopsOverMax: number;
  readonly marginsOverCap: number;
  readonly closestStop: number;
  readonly farthestStop: number;
  /** Largest margin as a share of the capital at its entry. */
  readonly largestMarginShare: number;
}

/**
 * The capital at each entry is the starting capital plus the net P&L of every trade closed by then: with one position
 * at a time (MAX_OPEN_POSITIONS=1, the default) that is the whole wallet, and all of it is available.
 */
export function limitBreaches(trades: readonly Trade[], initialCapital: number, risk: RiskSettings): LimitBreaches {
  const byClose = [...trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
  const capitalAt = (time: Date): number =>
    initialCapital + byClose.filter((trade) => trade.closedAt <= time).reduce((total, trade) => total + trade.netPnl, 0);
  const distances = trades.map((trade) => adverseDistance(trade.side, trade.entryPrice, trade.stopPrice));
  const marginShares = trades.map((trade) => ({ trade, capital: capitalAt(trade.openedAt) }));
  return {
    trades: trades.length,
    stopsUnderMin: distances.filter((distance) => distance < risk.minStopLossPct).length,
    stopsOverMax: distances.filter((distance) => distance > risk.maxStopLossPct).length,
    marginsOverCap: marginShares.filter(({ trade, capital }) => trade.margin > risk.positionSizePct * capital + MONEY_NOISE).length,
    closestStop: Math.min(...distances),
    farthestStop: Math.max(...distances),
    largestMarginShare: Math.max(...marginShares.map(({ trade, capital }) => trade.margin / capital)),
  };
}
