// The figures behind /performance and /stats, worked out by hand from a few trades.
import { describe, expect, it } from 'vitest';
import type { CloseReason, Trade } from '../../../src/domain/trading.js';
import { exitReasonStats, holdingTimes, performanceBySymbol, tradeStats } from '../../../src/engine/trade-statistics.js';
import { btcTrade } from '../adapters/notifier/support/sample-events.js';

const OPENED = Date.parse('2025-10-01T00:00:00Z');
const HOUR = 3_600_000;

let ids = 0;
function trade(symbol: string, netPnl: number, hoursHeld: number, reason: CloseReason, costs: { fees?: number; funding?: number } = {}): Trade {
  ids += 1;
  const fees = costs.fees ?? 1;
  return btcTrade({
    positionId: `t-${ids}`,
    symbol,
    netPnl,
    reason,
    entryFee: fees / 2,
    exitFee: fees / 2,
    funding: costs.funding ?? 0,
    openedAt: new Date(OPENED),
    closedAt: new Date(OPENED + hoursHeld * HOUR),
  });
}

describe('performance per symbol', () => {
  it('when several symbols traded, then each has its trades, wins, net and fees+funding, best net first', () => {
    const trades = [
      trade('ETH/USDT:USDT', -5, 1, 'stop_loss', { fees: 2, funding: -0.5 }),
      trade('BTC/USDT:USDT', 10, 2, 'take_profit', { fees: 1.5, funding: 0.25 }),
      trade('ETH/USDT:USDT', 3, 1, 'take_profit', { fees: 1 }),
      trade('BTC/USDT:USDT', -1, 3, 'ai_exit', { fees: 1 }),
      trade('SOL/USDT:USDT', 0, 1, 'manual', { fees: 1 }),
    ];

    expect(performanceBySymbol(trades)).toEqual([
      // Funding received (+0.25) lowers the cost; paid (-0.5) raises it.
      { symbol: 'BTC/USDT:USDT', trades: 2, wins: 1, netPnl: 9, feesAndFunding: 2.25 },
      { symbol: 'SOL/USDT:USDT', trades: 1, wins: 0, netPnl: 0, feesAndFunding: 1 },
      { symbol: 'ETH/USDT:USDT', trades: 2, wins: 1, netPnl: -2, feesAndFunding: 3.5 },
    ]);
  });

  it('when two symbols made the same, then they are in name order; without trades the list is empty', () => {
    const trades = [trade('XRP/USDT:USDT', 2, 1, 'take_profit'), trade('ADA/USDT:USDT', 2, 1, 'take_profit')];
    expect(performanceBySymbol(trades).map((row) => row.symbol)).toEqual(['ADA/USDT:USDT', 'XRP/USDT:USDT']);
    expect(performanceBySymbol([])).toEqual([]);
  });
});

describe('exit reasons and holding times', () => {
  const trades = [
    trade('BTC/USDT:USDT', 10, 2, 'take_profit'),
    trade('BTC/USDT:USDT', -4, 6, 'stop_loss_on_exchange'),
    trade('ETH/USDT:USDT', 6, 1, 'take_profit'),
    trade('ETH/USDT:USDT', -3, 10, 'stop_loss_on_exchange'),
    trade('ETH/USDT:USDT', 2, 3, 'ai_exit'),
    trade('SOL/USDT:USDT', 0, 4, 'manual'),
  ];

  it('when trades closed for several reasons, then each reason has its count, wins and net, the most frequent first, then the best', () => {
    expect(exitReasonStats(trades)).toEqual([
      { reason: 'take_profit', trades: 2, wins: 2, netPnl: 16 },
      { reason: 'stop_loss_on_exchange', trades: 2, wins: 0, netPnl: -7 },
      { reason: 'ai_exit', trades: 1, wins: 1, netPnl: 2 },
      { reason: 'manual', trades: 1, wins: 0, netPnl: 0 },
    ]);
  });

  it('then holding times give the average, the median (between the two middle ones for an even count) and the longest, winners apart from losers', () => {
    const stats = tradeStats(trades);

    expect(stats.trades).toBe(6);
    // All: 1, 2, 3, 4, 6, 10 h → average 26/6 h, median (3 + 4) / 2 h.
    expect(stats.holding.all).toEqual({ trades: 6, averageMs: (26 * HOUR) / 6, medianMs: 3.5 * HOUR, longestMs: 10 * HOUR });
    // Winners: 1, 2, 3 h. Losers: 6, 10 h; the trade closed at exactly zero (4 h) is neither.
    expect(stats.holding.winners).toEqual({ trades: 3, averageMs: 2 * HOUR, medianMs: 2 * HOUR, longestMs: 3 * HOUR });
    expect(stats.holding.losers).toEqual({ trades: 2, averageMs: 8 * HOUR, medianMs: 8 * HOUR, longestMs: 10 * HOUR });
  });

  it('when there are no trades, then there are no holding times', () => {
    expect(holdingTimes([])).toBeUndefined();
    expect(tradeStats([])).toEqual({ trades: 0, exits: [], holding: { all: undefined, winners: undefined, losers: undefined } });
  });
});
