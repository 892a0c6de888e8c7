// Answers the owner's commands (Telegram) from the running engine and its store.
import type { BreakerState } from '../domain/circuit-breakers.js';
import { DaemonStartingError } from '../domain/errors.js';
import type { PeriodSummary } from '../domain/events.js';
import { valuePosition } from '../domain/exit-rules.js';
import { grossPnl, sum } from '../domain/money.js';
import { DAY_MS, startOfNextUtcMonth, startOfUtcDay, startOfUtcMonth, startOfUtcWeek } from '../domain/time.js';
import type { Trade } from '../domain/trading.js';
import type {
  ActiveBreaker,
  AiCostOverview,
  BalanceOverview,
  BuildInfo,
  CalendarEntry,
  CloseOutcome,
  DaemonStatus,
  EquityHistory,
  ModelRecord,
  OwnerControl,
  PerformanceReport,
  PnlOverview,
  PositionView,
  ReportPeriod,
  RiskOverview,
  ShadowBoard,
  TradeStats,
  UniverseView,
  VersionInfo,
} from '../ports/control.js';
import type { LogEntry } from '../ports/store.js';
import type { TradingDaemon } from './daemon.js';
import type { EngineContext } from './engine-context.js';
import type { ModelScorer } from './model-scoring.js';
import type { OwnerCommandQueue } from './owner-commands.js';
import { aiSpendOf, shadowAiSpendOf } from './ai-spend.js';
import { ShadowLeaderboard } from './shadow-leaderboard.js';
import { performanceBySymbol, tradeStats } from './trade-statistics.js';
import { blackoutOf, DEFAULT_BLACKOUT, type CalendarEvent } from '../domain/calendar.js';
import { DEFAULT_DRAWDOWN } from '../domain/drawdown.js';
import { DEFAULT_PORTFOLIO, openNotional } from '../domain/portfolio-limits.js';

const sumNet = (trades: readonly Trade[]): number => trades.reduce((total, trade) => total + trade.netPnl, 0);

/** The last `days` UTC days, today included: whole days, so a window starts where a day's figures start. */
function lastDays(now: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`a number of days must be a whole number from 1, got ${days}`);
  return new Date(startOfUtcDay(now).getTime() - (days - 1) * DAY_MS);
}

export class EngineOwnerControl implements OwnerControl {
  constructor(
    private readonly ctx: EngineContext,
    private readonly daemon: TradingDaemon,
    private readonly scorer: ModelScorer,
    private readonly commands: OwnerCommandQueue,
    private readonly settingsView: Readonly<Record<string, string>>,
    private readonly build: BuildInfo,
    private readonly leaderboard: ShadowLeaderboard = new ShadowLeaderboard(ctx, []),
  ) {}

  shadows(): Promise<ShadowBoard> {
    return this.leaderboard.board();
  }

  async status(): Promise<DaemonStatus> {
    const { clock, exchange, settings, analysts } = this.ctx;
    const [balance, openPositions] = await Promise.all([exchange.balance(), this.openPositions()]);
    const account = await this.daemon.parts.capital.entryAccount(openPositions.map((view) => view.position));
    const breakers = this.activeBreakers();
    // While entries are blocked the daemon skips its scans: a time for the next one would promise one that never runs.
    const scanning = breakers.length === 0 && openPositions.length < settings.risk.maxOpenPositions;
    return {
      mode: settings.mode,
      startedAt: this.daemon.startedAt,
      now: clock.now(),
      capital: account.capital,
      accountBalance: balance.total,
      analysts: analysts.map((analyst) => analyst.name),
      breakers,
      openPositions,
      nextScanAt: scanning ? this.scheduledScan() : undefined,
      lastTickAt: this.daemon.lastTickAt,
    };
  }

  /**
   * Undefined until this process has scheduled a scan: the daemon's schedule starts at 0 (1970), and the dashboard and
   * Telegram answer while `start` still runs (a reconcile can take minutes), before the first step sets it.
   */
  private scheduledScan(): Date | undefined {
    const next = this.daemon.nextScan;
    return next.getTime() >= this.daemon.startedAt.getTime() ? next : undefined;
  }

  async riskOverview(): Promise<RiskOverview> {
    const { settings, clock, store } = this.ctx;
    const { drawdown, guards } = this.daemon.parts;
    const state = this.breakerState();
    const active = await store.positions.active();
    const account = await this.daemon.parts.capital.entryAccount(active);
    const reading = drawdown.lastReading();
    const saved = drawdown.current();
    const next = guards.upcoming(1)[0];
    // As the exposure cap counts them, so /risk never reads below a cap that refuses entries; at entry prices where a
    // mark cannot be read now, as an answer with every other figure beats none.
    const held = await guards.atMark(active).catch(() => active);
    return {
      now: clock.now(),
      blocking: this.activeBreakers(),
      manualPause: state.manualPause,
      consecutiveLosses: state.consecutiveLosses,
      maxConsecutiveLosses: settings.risk.maxConsecutiveLosses,
      realizedToday: state.realizedToday,
      dailyLossLimit: settings.risk.dailyLossLimitPct * state.dayStartCapital,
      equity: reading?.equity,
      peakEquity: saved?.peakEquity,
      drawdown: reading?.drawdown,
      maxDrawdownPct: (settings.drawdown ?? DEFAULT_DRAWDOWN).maxDrawdownPct,
      drawdownTripped: saved?.tripped ?? false,
      capital: account.capital,
      openNotional: openNotional(held),
      maxTotalExposure: (settings.portfolio ?? DEFAULT_PORTFOLIO).maxTotalExposure,
      openPositions: active.length,
      maxOpenPositions: settings.risk.maxOpenPositions,
      nextBlackout: next && this.entry(next),
    };
  }

  async calendar(limit: number): Promise<CalendarEntry[]> {
    return this.daemon.parts.guards.upcoming(limit).map((event) => this.entry(event));
  }

  private entry(event: CalendarEvent): CalendarEntry {
    const { from, until } = blackoutOf(event, this.ctx.settings.blackout ?? DEFAULT_BLACKOUT);
    return { time: event.time, kind: event.kind, title: event.title, blackoutFrom: from, blackoutUntil: until };
  }

  async openPositions(): Promise<PositionView[]> {
    const active = await this.ctx.store.positions.active();
    return Promise.all(
      active.map(async (position) => {
        try {
          const { marketData } = this.ctx;
          const [ticker, mark] = await Promise.all([marketData.ticker(position.symbol), marketData.markPrice(position.symbol).catch(() => undefined)]);
          const price = ticker.last;
          const value = valuePosition(position, price, this.ctx.settings.costs);
          return { position, price, markPrice: mark ?? price, unrealizedPnl: value.netPnl, unrealizedPct: value.netPct };
        } catch {
          return { position };
        }
      }),
    );
  }

  async pnl(): Promise<PnlOverview> {
    const now = this.ctx.clock.now();
    const all = await this.ctx.store.trades.list();
    const since = (start: Date) => all.filter((trade) => trade.closedAt >= start);
    return { today: sumNet(since(startOfUtcDay(now))), week: sumNet(since(startOfUtcWeek(now))), allTime: sumNet(all), tradesAllTime: all.length };
  }

  async summary(period: ReportPeriod): Promise<PeriodSummary> {
    const now = this.ctx.clock.now();
    const from = period === 'day' ? startOfUtcDay(now) : period === 'week' ? startOfUtcWeek(now) : startOfUtcMonth(now);
    return (await this.daemon.parts.summaries.summary(from, now)).summary;
  }

  recentTrades(limit: number): Promise<Trade[]> {
    return this.ctx.store.trades.list({ limit });
  }

  async aiCost(): Promise<AiCostOverview> {
    const now = this.ctx.clock.now();
    const [main, shadows] = await Promise.all([
      aiSpendOf(this.ctx.store, now),
      Promise.all(this.leaderboard.accounts.map(async (shadow) => ({ name: shadow.name, ...(await shadowAiSpendOf(shadow, this.ctx.store, now)) }))),
    ]);
    const limitUsd = this.ctx.settings.aiMonthlyBudgetUsd ?? 0;
    if (limitUsd <= 0) return { ...main, shadows };
    // Held against every account together, as the analysts' budget is: shadows are billed to the same keys.
    const spentUsd = shadows.reduce((total, shadow) => total + shadow.monthToDate, main.monthToDate);
    return { ...main, shadows, budget: { limitUsd, spentUsd, reached: spentUsd >= limitUsd, resumesAt: startOfNextUtcMonth(now) } };
  }

  modelRecords(): Promise<ModelRecord[]> {
    return this.scorer.records();
  }

  async balance(): Promise<BalanceOverview> {
    const [balance, views] = await Promise.all([this.ctx.exchange.balance(), this.openPositions()]);
    const account = await this.daemon.parts.capital.entryAccount(views.map((view) => view.position));
    const overview: BalanceOverview = {
      currency: balance.currency,
      capital: account.capital,
      accountBalance: balance.total,
      availableMargin: account.available,
      marginInUse: sum(views.map((view) => view.position.margin)),
      openPositions: views.length,
    };
    // One position without a price leaves the open P&L unknown: a partial sum would pass for the whole.
    if (views.some((view) => view.price === undefined || view.unrealizedPnl === undefined)) return overview;
    const gross = sum(views.map(({ position, price }) => grossPnl(position.side, position.entryPrice, price ?? position.entryPrice, position.quantity)));
    return { ...overview, unrealizedPnl: gross, unrealizedNetPnl: sum(views.map((view) => view.unrealizedPnl ?? 0)), equity: balance.total + gross };
  }

  async performance(days?: number): Promise<PerformanceReport> {
    const now = this.ctx.clock.now();
    const from = days === undefined ? undefined : lastDays(now, days);
    const trades = await this.ctx.store.trades.list(from === undefined ? {} : { from });
    return { ...(days === undefined ? {} : { days, from }), to: now, symbols: performanceBySymbol(trades) };
  }

  async tradeStats(): Promise<TradeStats> {
    return tradeStats(await this.ctx.store.trades.list());
  }

  recentLogs(limit: number): Promise<LogEntry[]> {
    return this.ctx.store.logs.recent(limit, 'warn');
  }

  async version(): Promise<VersionInfo> {
    return { ...this.build, mode: this.ctx.settings.mode, startedAt: this.daemon.startedAt, now: this.ctx.clock.now() };
  }

  async universe(): Promise<UniverseView> {
    return this.daemon.parts.universe.view();
  }

  async equityHistory(days: number): Promise<EquityHistory> {
    const now = this.ctx.clock.now();
    const from = lastDays(now, days);
    const { summary, curve } = await this.daemon.parts.summaries.summary(from, now);
    return { days, from, to: now, points: curve, trades: summary.trades };
  }

  pauseEntries(requestedBy: string): Promise<void> {
    return this.commands.submit({ kind: 'pause', requestedBy });
  }

  async resumeEntries(requestedBy: string, sentAt: Date = this.ctx.clock.now()): Promise<readonly ActiveBreaker[]> {
    await this.commands.submit({ kind: 'resume', requestedBy, sentAt: sentAt.toISOString() });
    return this.activeBreakers();
  }

  /**
   * The breakers are read from the store as the daemon starts, and the dashboard and Telegram answer before that: until
   * then the owner is told it is starting, which is no fault (the breakers say so only in a plain error).
   */
  private breakerState(): BreakerState {
    try {
      return this.daemon.parts.breakers.current();
    } catch {
      throw new DaemonStartingError();
    }
  }

  private activeBreakers(): ActiveBreaker[] {
    // Before `blocks()`, whose plain error while the daemon starts would read as a fault.
    this.breakerState();
    return this.daemon.parts.breakers.blocks().map((block) => ({ breaker: block.breaker, detail: block.reason, until: block.until }));
  }

  closePosition(positionId: string, requestedBy: string): Promise<CloseOutcome> {
    this.ctx.logger.info({ positionId, requestedBy }, 'manual close requested');
    return this.commands.submit({ kind: 'close', positionId, requestedBy });
  }

  effectiveConfig(): Readonly<Record<string, string>> {
    return this.settingsView;
  }
}
