// What a list of closed trades says apart from the equity curve: how often and by how much it won and lost, how long
// money was at risk, and what the venue took in fees and funding.
import { tradeResult, type Trade } from '../trading.js';

export type TradeOutcome = Pick<Trade, 'openedAt' | 'closedAt' | 'netPnl' | 'entryFee' | 'exitFee' | 'funding'>;

export interface TradeStatistics {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  /** Trades that closed at exactly zero net: neither won nor lost (`tradeResult`). */
  readonly even: number;
  /** 0..1; undefined without trades. */
  readonly winRate: number | undefined;
  /** Gross profit over gross loss; undefined without a losing trade. */
  readonly profitFactor: number | undefined;
  /** Mean net P&L of the winning trades (positive) and of the losing ones (negative); undefined when there are none. */
  readonly averageWin: number | undefined;
  readonly averageLoss: number | undefined;
  /** Share of the period with at least one position open, 0..1. */
  readonly exposure: number;
  /** Fees paid, and funding paid (negative when funding was received on balance). */
  readonly feesPaid: number;
  readonly fundingPaid: number;
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/**
 * Share of `from`..`to` covered by at least one interval; an interval still open at the end runs to `to`.
 * Overlapping positions on several symbols count once: exposure is time with money at risk, not position-hours.
 */
export function exposureShare(intervals: readonly { readonly from: Date; readonly to: Date }[], from: Date, to: Date): number {
  const span = to.getTime() - from.getTime();
  if (span <= 0) return 0;
  const clipped = intervals
    .map((interval) => [Math.max(interval.from.getTime(), from.getTime()), Math.min(interval.to.getTime(), to.getTime())] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const [start, end] of clipped) {
    if (end <= reach) continue;
    covered += end - Math.max(start, reach);
    reach = end;
  }
  return covered / span;
}

/** Statistics of `trades` over `from`..`to`; `openSince` are the opening times of positions still open at `to`. */
export function tradeStatistics(trades: readonly TradeOutcome[], from: Date, to: Date, openSince: readonly Date[] = []): TradeStatistics {
  const wins = trades.filter((trade) => tradeResult(trade.netPnl) === 'win').map((trade) => trade.netPnl);
  const losses = trades.filter((trade) => tradeResult(trade.netPnl) === 'loss').map((trade) => trade.netPnl);
  const grossLoss = -sum(losses);
  return {
    trades: trades.length,
    wins: wins.length,
    losses: losses.length,
    even: trades.length - wins.length - losses.length,
    winRate: trades.length > 0 ? wins.length / trades.length : undefined,
    profitFactor: grossLoss > 0 ? sum(wins) / grossLoss : undefined,
    averageWin: wins.length > 0 ? sum(wins) / wins.length : undefined,
    averageLoss: losses.length > 0 ? sum(losses) / losses.length : undefined,
    exposure: exposureShare(
      [...trades.map((trade) => ({ from: trade.openedAt, to: trade.closedAt })), ...openSince.map((opened) => ({ from: opened, to }))],
      from,
      to,
    ),
    feesPaid: sum(trades.map((trade) => trade.entryFee + trade.exitFee)),
    fundingPaid: -sum(trades.map((trade) => trade.funding)),
  };
}
