import { describe, expect, it } from 'vitest';
import { exposureShare, tradeStatistics, type TradeOutcome } from '../../../../src/domain/performance/trade-statistics.js';

const at = (iso: string): Date => new Date(iso);
const trade = (opened: string, closed: string, netPnl: number, funding = 0): TradeOutcome => ({
  openedAt: at(opened),
  closedAt: at(closed),
  netPnl,
  entryFee: 0.1,
  exitFee: 0.2,
  funding,
});
const FROM = at('2025-01-01T00:00:00Z');
const TO = at('2025-01-02T00:00:00Z');

describe('trade statistics', () => {
  it('averages wins and losses apart and divides gross profit by gross loss', () => {
    const stats = tradeStatistics([trade('2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z', 6), trade('2025-01-01T02:00:00Z', '2025-01-01T03:00:00Z', -2), trade('2025-01-01T04:00:00Z', '2025-01-01T05:00:00Z', 2, -0.5)], FROM, TO);
    expect(stats).toMatchObject({ trades: 3, wins: 2, losses: 1, averageWin: 4, averageLoss: -2, profitFactor: 4 });
    expect(stats.winRate).toBeCloseTo(2 / 3, 12);
    expect(stats.feesPaid).toBeCloseTo(0.9, 12);
    expect(stats.fundingPaid).toBeCloseTo(0.5, 12);
  });

  it('counts a trade closed at exactly zero as even: not a loss, and not in the average loss', () => {
    const stats = tradeStatistics([trade('2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z', 3), trade('2025-01-01T02:00:00Z', '2025-01-01T03:00:00Z', 0), trade('2025-01-01T04:00:00Z', '2025-01-01T05:00:00Z', -1)], FROM, TO);
    expect(stats).toMatchObject({ trades: 3, wins: 1, losses: 1, even: 1, averageWin: 3, averageLoss: -1, profitFactor: 3 });
  });

  it('has no rates or averages without trades, and no profit factor without a loss', () => {
    expect(tradeStatistics([], FROM, TO)).toMatchObject({ winRate: undefined, profitFactor: undefined, averageWin: undefined, averageLoss: undefined, exposure: 0 });
    expect(tradeStatistics([trade('2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z', 1)], FROM, TO).profitFactor).toBeUndefined();
  });

  it('counts overlapping positions once, clips them to the window, and runs a still-open one to the end', () => {
    const intervals = [
      { from: at('2024-12-31T18:00:00Z'), to: at('2025-01-01T06:00:00Z') },
      { from: at('2025-01-01T03:00:00Z'), to: at('2025-01-01T09:00:00Z') },
      { from: at('2025-01-01T04:00:00Z'), to: at('2025-01-01T05:00:00Z') },
    ];
    expect(exposureShare(intervals, FROM, TO)).toBeCloseTo(9 / 24, 12);
    expect(tradeStatistics([], FROM, TO, [at('2025-01-01T18:00:00Z')]).exposure).toBeCloseTo(0.25, 12);
    expect(exposureShare(intervals, TO, FROM)).toBe(0);
  });
});
