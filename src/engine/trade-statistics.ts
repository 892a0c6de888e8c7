// Figures over the trade history for the owner's /performance and /stats: per symbol, per exit reason, and how long
// positions were held. A win is a trade that made money net of fees and funding, as in the summaries.
import { tradeResult, type CloseReason, type Trade } from '../domain/trading.js';
import type { ExitReasonStats, HoldingTimes, SymbolPerformance, TradeStats } from '../ports/control.js';

const isWin = (trade: Trade): boolean => tradeResult(trade.netPnl) === 'win';
const isLoss = (trade: Trade): boolean => tradeResult(trade.netPnl) === 'loss';
const feesAndFunding = (trade: Trade): number => trade.entryFee + trade.exitFee - trade.funding;
const heldMs = (trade: Trade): number => Math.max(0, trade.closedAt.getTime() - trade.openedAt.getTime());

/** Net P&L per symbol, best first (ties by name, so the order never depends on the store's). */
export function performanceBySymbol(trades: readonly Trade[]): SymbolPerformance[] {
  const bySymbol = new Map<string, { trades: number; wins: number; netPnl: number; feesAndFunding: number }>();
  for (const trade of trades) {
    const row = bySymbol.get(trade.symbol) ?? { trades: 0, wins: 0, netPnl: 0, feesAndFunding: 0 };
    row.trades += 1;
    row.wins += isWin(trade) ? 1 : 0;
    row.netPnl += trade.netPnl;
    row.feesAndFunding += feesAndFunding(trade);
    bySymbol.set(trade.symbol, row);
  }
  return [...bySymbol.entries()]
    .map(([symbol, row]) => ({ symbol, ...row }))
    .sort((a, b) => b.netPnl - a.netPnl || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

/** Per exit reason: how often, how many won, and what it made; the most frequent first, then the best. */
export function exitReasonStats(trades: readonly Trade[]): ExitReasonStats[] {
  const byReason = new Map<CloseReason, { trades: number; wins: number; netPnl: number }>();
  for (const trade of trades) {
    const row = byReason.get(trade.reason) ?? { trades: 0, wins: 0, netPnl: 0 };
    row.trades += 1;
    row.wins += isWin(trade) ? 1 : 0;
    row.netPnl += trade.netPnl;
    byReason.set(trade.reason, row);
  }
  return [...byReason.entries()]
    .map(([reason, row]) => ({ reason, ...row }))
    .sort((a, b) => b.trades - a.trades || b.netPnl - a.netPnl);
}

/** Average, median and longest holding time; undefined without trades. */
export function holdingTimes(trades: readonly Trade[]): HoldingTimes | undefined {
  if (trades.length === 0) return undefined;
  const durations = trades.map(heldMs).sort((a, b) => a - b);
  const middle = Math.floor(durations.length / 2);
  const median = durations.length % 2 === 1 ? (durations[middle] ?? 0) : ((durations[middle - 1] ?? 0) + (durations[middle] ?? 0)) / 2;
  return {
    trades: durations.length,
    averageMs: durations.reduce((total, ms) => total + ms, 0) / durations.length,
    medianMs: median,
    longestMs: durations[durations.length - 1] ?? 0,
  };
}

export function tradeStats(trades: readonly Trade[]): TradeStats {
  return {
    trades: trades.length,
    exits: exitReasonStats(trades),
    holding: {
      all: holdingTimes(trades),
      winners: holdingTimes(trades.filter(isWin)),
      losers: holdingTimes(trades.filter(isLoss)),
    },
  };
}
