// An OwnerControl with fixed answers that remembers what it was asked to do.
import type { PeriodSummary } from '../../../src/domain/events.js';
import type { Trade } from '../../../src/domain/trading.js';
import type { AiCostOverview, CloseOutcome, DaemonStatus, ModelRecord, OwnerControl, PnlOverview, PositionView } from '../../../src/ports/control.js';
import { btcLong, btcTrade, daySummary, ethShortLoss } from '../../unit/adapters/notifier/support/sample-events.js';

export class FakeOwnerControl implements OwnerControl {
  /** Every method called, read-only ones included. */
  readonly calls: string[] = [];
  /** What it was told to do, and by whom. */
  readonly actions: string[] = [];
  readonly tradeLimits: number[] = [];
  views: PositionView[] = [{ position: btcLong(), price: 63_000, unrealizedPnl: 37.9, unrealizedPct: 0.0475 }];

  async status(): Promise<DaemonStatus> {
    this.calls.push('status');
    return {
      mode: 'paper',
      startedAt: new Date('2025-10-10T18:00:00Z'),
      now: new Date('2025-10-10T21:25:00Z'),
      capital: 1069.49,
      accountBalance: 1069.49,
      analysts: ['claude', 'deepseek', 'trend'],
      breakers: [],
      openPositions: this.views,
    };
  }

  async openPositions(): Promise<PositionView[]> {
    this.calls.push('openPositions');
    return this.views;
  }

  async pnl(): Promise<PnlOverview> {
    this.calls.push('pnl');
    return { today: 12.3, week: -3.1, allTime: 120, tradesAllTime: 42 };
  }

  async summary(period: 'day' | 'week'): Promise<PeriodSummary> {
    this.calls.push('summary');
    return period === 'day'
      ? daySummary()
      : daySummary({ from: new Date('2025-10-06T00:00:00Z'), to: new Date('2025-10-13T00:00:00Z'), profitFactor: 1.5 });
  }

  async recentTrades(limit: number): Promise<Trade[]> {
    this.calls.push('recentTrades');
    this.tradeLimits.push(limit);
    return [btcTrade(), ethShortLoss()].slice(0, limit);
  }

  async aiCost(): Promise<AiCostOverview> {
    this.calls.push('aiCost');
    return { today: 0.42, monthToDate: 8.1, projectedMonth: 25.11 };
  }

  async modelRecords(): Promise<ModelRecord[]> {
    this.calls.push('modelRecords');
    return [{ analyst: 'claude', votes: 120, scored: 80, hits: 50, hitRate: 0.625, avgConfidenceWhenRight: 0.81, avgConfidenceWhenWrong: 0.77 }];
  }

  async pauseEntries(requestedBy: string): Promise<void> {
    this.calls.push('pauseEntries');
    this.actions.push(`pause by ${requestedBy}`);
  }

  async resumeEntries(requestedBy: string): Promise<void> {
    this.calls.push('resumeEntries');
    this.actions.push(`resume by ${requestedBy}`);
  }

  async closePosition(positionId: string, requestedBy: string): Promise<CloseOutcome> {
    this.calls.push('closePosition');
    this.actions.push(`close ${positionId} by ${requestedBy}`);
    const open = this.views.some((view) => view.position.id === positionId);
    this.views = this.views.filter((view) => view.position.id !== positionId);
    return open ? { status: 'closed', trade: btcTrade({ reason: 'manual' }) } : { status: 'not_open' };
  }

  effectiveConfig(): Readonly<Record<string, string>> {
    this.calls.push('effectiveConfig');
    return { MODE: 'paper', RISK_MAX_LEVERAGE: '5' };
  }
}
