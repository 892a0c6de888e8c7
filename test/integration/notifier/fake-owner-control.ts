// An OwnerControl with fixed answers that remembers what it was asked to do.
import type { PeriodSummary } from '../../../src/domain/events.js';
import type { Trade } from '../../../src/domain/trading.js';
import type {
  ActiveBreaker,
  CalendarEntry,
  RiskOverview,
  AiCostOverview,
  BalanceOverview,
  CloseOutcome,
  DaemonStatus,
  EquityHistory,
  ModelRecord,
  OwnerControl,
  PerformanceReport,
  PnlOverview,
  PositionView,
  ReportPeriod,
  ShadowBoard,
  TradeStats,
  UniverseView,
  VersionInfo,
} from '../../../src/ports/control.js';
import type { LogEntry } from '../../../src/ports/store.js';
import { btcLong, btcTrade, daySummary, ethShortLoss, weekCurve } from '../../unit/adapters/notifier/support/sample-events.js';

const HOUR = 3_600_000;

export class FakeOwnerControl implements OwnerControl {
  /** Every method called, read-only ones included. */
  readonly calls: string[] = [];
  /** What it was told to do, and by whom. */
  readonly actions: string[] = [];
  readonly tradeLimits: number[] = [];
  /** The arguments the reports were asked with, in order. */
  readonly performanceDays: (number | undefined)[] = [];
  readonly logLimits: number[] = [];
  readonly chartDays: number[] = [];
  /** Trades closed in the chart's window; 0 leaves nothing to draw. */
  chartTrades = 3;
  views: PositionView[] = [{ position: btcLong(), price: 63_000, unrealizedPnl: 37.9, unrealizedPct: 0.0475 }];

  /** The account's balance `status` reports; the trading capital is 1069.49. */
  accountBalance = 1069.49;

  async status(): Promise<DaemonStatus> {
    this.calls.push('status');
    return {
      mode: 'paper',
      startedAt: new Date('2025-10-10T18:00:00Z'),
      now: new Date('2025-10-10T21:25:00Z'),
      capital: 1069.49,
      accountBalance: this.accountBalance,
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

  async summary(period: ReportPeriod): Promise<PeriodSummary> {
    this.calls.push('summary');
    if (period === 'day') return daySummary();
    return period === 'week'
      ? daySummary({ from: new Date('2025-10-06T00:00:00Z'), to: new Date('2025-10-13T00:00:00Z'), profitFactor: 1.5 })
      : daySummary({ from: new Date('2025-10-01T00:00:00Z'), to: new Date('2025-10-10T21:05:00Z'), profitFactor: 2.25 });
  }

  async recentTrades(limit: number): Promise<Trade[]> {
    this.calls.push('recentTrades');
    this.tradeLimits.push(limit);
    return [btcTrade(), ethShortLoss()].slice(0, limit);
  }

  /** What /cost answers; tests with shadow strategies set their spend. */
  aiSpend: AiCostOverview = { today: 0.42, monthToDate: 8.1, projectedMonth: 25.11, shadows: [] };

  async aiCost(): Promise<AiCostOverview> {
    this.calls.push('aiCost');
    return this.aiSpend;
  }

  async modelRecords(): Promise<ModelRecord[]> {
    this.calls.push('modelRecords');
    return [{ analyst: 'claude', votes: 120, scored: 80, hits: 50, hitRate: 0.625, avgConfidenceWhenRight: 0.81, avgConfidenceWhenWrong: 0.77 }];
  }

  async balance(): Promise<BalanceOverview> {
    this.calls.push('balance');
    return {
      currency: 'USDT',
      capital: 1069.49,
      accountBalance: 1069.49,
      availableMargin: 271.47,
      marginInUse: 798.02,
      openPositions: 1,
      unrealizedPnl: 41.89,
      unrealizedNetPnl: 37.9,
      equity: 1111.38,
    };
  }

  async performance(days?: number): Promise<PerformanceReport> {
    this.calls.push('performance');
    this.performanceDays.push(days);
    return {
      ...(days === undefined ? {} : { days, from: new Date('2025-09-11T00:00:00Z') }),
      to: new Date('2025-10-10T21:25:00Z'),
      symbols: [
        { symbol: 'BTC/USDT:USDT', trades: 12, wins: 8, netPnl: 120.5, feesAndFunding: 3.2 },
        { symbol: 'ETH/USDT:USDT', trades: 3, wins: 1, netPnl: -3.1, feesAndFunding: 4.43 },
      ],
    };
  }

  async tradeStats(): Promise<TradeStats> {
    this.calls.push('tradeStats');
    const times = (trades: number, hours: number) => ({ trades, averageMs: hours * HOUR, medianMs: hours * HOUR, longestMs: 2 * hours * HOUR });
    return {
      trades: 15,
      exits: [
        { reason: 'take_profit', trades: 9, wins: 9, netPnl: 140 },
        { reason: 'stop_loss_on_exchange', trades: 6, wins: 0, netPnl: -22.6 },
      ],
      holding: { all: times(15, 3), winners: times(9, 2), losers: times(6, 5) },
    };
  }

  async recentLogs(limit: number): Promise<LogEntry[]> {
    this.calls.push('recentLogs');
    this.logLimits.push(limit);
    return [
      { time: new Date('2025-10-10T21:20:00Z'), level: 'error', module: 'daemon', message: 'engine step failed', context: { step: 'scan', error: 'timeout <after> 10 s' } },
      { time: new Date('2025-10-10T21:05:00Z'), level: 'warn', module: 'monitor', message: 'price stream reconnected' },
    ].slice(0, limit);
  }

  async universe(): Promise<UniverseView> {
    this.calls.push('universe');
    return {
      mode: 'top_volume',
      symbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT'],
      selectedAt: new Date('2025-10-10T00:00:00Z'),
      verdicts: [
        { symbol: 'BTC/USDT:USDT', included: true, rank: 1, quoteVolume24h: 9e9, reason: 'rank 1 by 24h volume ($9000M)' },
        { symbol: 'ETH/USDT:USDT', included: true, rank: 2, quoteVolume24h: 5e9, reason: 'rank 2 by 24h volume ($5000M)' },
        { symbol: 'NEW/USDT:USDT', included: false, quoteVolume24h: 2e9, reason: 'listed 3 days ago, under the 30-day minimum' },
      ],
    };
  }

  async version(): Promise<VersionInfo> {
    this.calls.push('version');
    return {
      version: '0.1.0',
      commit: '0d844cb',
      runtime: 'Node.js 20.19.0',
      mode: 'paper',
      startedAt: new Date('2025-10-10T18:00:00Z'),
      now: new Date('2025-10-10T21:25:00Z'),
    };
  }

  async equityHistory(days: number): Promise<EquityHistory> {
    this.calls.push('equityHistory');
    this.chartDays.push(days);
    const points = this.chartTrades === 0 ? weekCurve().slice(0, 1) : weekCurve();
    return { days, from: new Date('2025-10-06T00:00:00Z'), to: new Date('2025-10-12T23:30:00Z'), points, trades: this.chartTrades };
  }

  /** Until it settles, the request waits, as the daemon's loop holds one while a scan asks the analysts. */
  loopStep: () => Promise<void> = async () => undefined;

  async pauseEntries(requestedBy: string): Promise<void> {
    this.calls.push('pauseEntries');
    await this.loopStep();
    this.actions.push(`pause by ${requestedBy}`);
  }

  /** What `resumeEntries` answers still holds entries back. */
  stillBlocking: ActiveBreaker[] = [];

  async resumeEntries(requestedBy: string): Promise<readonly ActiveBreaker[]> {
    this.calls.push('resumeEntries');
    this.actions.push(`resume by ${requestedBy}`);
    return this.stillBlocking;
  }

  async closePosition(positionId: string, requestedBy: string): Promise<CloseOutcome> {
    this.calls.push('closePosition');
    this.actions.push(`close ${positionId} by ${requestedBy}`);
    const open = this.views.some((view) => view.position.id === positionId);
    this.views = this.views.filter((view) => view.position.id !== positionId);
    return open ? { status: 'closed', trade: btcTrade({ reason: 'manual' }) } : { status: 'not_open' };
  }

  async riskOverview(): Promise<RiskOverview> {
    this.calls.push('riskOverview');
    return {
      now: new Date('2025-10-10T21:25:00Z'),
      blocking: [{ breaker: 'drawdown', detail: 'account drawdown reached 25.00% from the peak of $1400.00; /resume to trade again' }],
      manualPause: false,
      consecutiveLosses: 2,
      maxConsecutiveLosses: 3,
      realizedToday: -4.5,
      dailyLossLimit: 106.95,
      equity: 1050,
      peakEquity: 1400,
      drawdown: 0.25,
      maxDrawdownPct: 0.25,
      drawdownTripped: true,
      capital: 1069.49,
      openNotional: 1890,
      maxTotalExposure: 4,
      openPositions: 1,
      maxOpenPositions: 2,
      nextBlackout: this.events[0],
    };
  }

  readonly events: CalendarEntry[] = [
    {
      time: new Date('2025-10-29T18:00:00Z'),
      kind: 'FOMC',
      title: 'FOMC statement',
      blackoutFrom: new Date('2025-10-29T17:30:00Z'),
      blackoutUntil: new Date('2025-10-29T19:00:00Z'),
    },
  ];

  async calendar(limit: number): Promise<CalendarEntry[]> {
    this.calls.push('calendar');
    return this.events.slice(0, limit);
  }

  effectiveConfig(): Readonly<Record<string, string>> {
    this.calls.push('effectiveConfig');
    return { MODE: 'paper', RISK_MAX_LEVERAGE: '5' };
  }

  /** The leaderboard /shadows shows; none configured by default. */
  shadowBoard: ShadowBoard = { now: new Date('2026-03-02T10:00:00Z'), shadows: [], rule: { checkpoints: [20, 40, 80, 160, 320], errorRate: 0.05, resamples: 10_000 } };

  async shadows(): Promise<ShadowBoard> {
    this.calls.push('shadows');
    return this.shadowBoard;
  }
}
