// Answers the owner's commands (Telegram) from the running engine and its store.
import type { PeriodSummary } from '../domain/events.js';
import { valuePosition } from '../domain/exit-rules.js';
import { DAY_MS, daysInUtcMonth, startOfUtcDay, startOfUtcMonth, startOfUtcWeek } from '../domain/time.js';
import type { Trade } from '../domain/trading.js';
import type { AiCostOverview, CloseOutcome, DaemonStatus, ModelRecord, OwnerControl, PnlOverview, PositionView } from '../ports/control.js';
import type { TradingDaemon } from './daemon.js';
import type { EngineContext } from './engine-context.js';
import type { ModelScorer } from './model-scoring.js';
import type { OwnerCommandQueue } from './owner-commands.js';
import { capped } from './trading-account.js';

const sumNet = (trades: readonly Trade[]): number => trades.reduce((total, trade) => total + trade.netPnl, 0);

export class EngineOwnerControl implements OwnerControl {
  constructor(
    private readonly ctx: EngineContext,
    private readonly daemon: TradingDaemon,
    private readonly scorer: ModelScorer,
    private readonly commands: OwnerCommandQueue,
    private readonly settingsView: Readonly<Record<string, string>>,
  ) {}

  async status(): Promise<DaemonStatus> {
    const { clock, exchange, settings, analysts } = this.ctx;
    const [balance, openPositions] = await Promise.all([exchange.balance(), this.openPositions()]);
    return {
      mode: settings.mode,
      startedAt: this.daemon.startedAt,
      now: clock.now(),
      capital: capped(balance, settings.capitalCap).capital,
      accountBalance: balance.total,
      analysts: analysts.map((analyst) => analyst.name),
      breakers: this.daemon.parts.breakers.blocks().map((block) => ({ breaker: block.breaker, detail: block.reason, until: block.until })),
      openPositions,
      nextScanAt: openPositions.length < settings.risk.maxOpenPositions ? this.daemon.nextScan : undefined,
      lastTickAt: this.daemon.lastTickAt,
    };
  }

  async openPositions(): Promise<PositionView[]> {
    const active = await this.ctx.store.positions.active();
    return Promise.all(
      active.map(async (position) => {
        try {
          const price = (await this.ctx.marketData.ticker(position.symbol)).last;
          const value = valuePosition(position, price, this.ctx.settings.costs);
          return { position, price, unrealizedPnl: value.netPnl, unrealizedPct: value.netPct };
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

  async summary(period: 'day' | 'week'): Promise<PeriodSummary> {
    const now = this.ctx.clock.now();
    const from = period === 'day' ? startOfUtcDay(now) : startOfUtcWeek(now);
    return (await this.daemon.parts.summaries.summary(from, now)).summary;
  }

  recentTrades(limit: number): Promise<Trade[]> {
    return this.ctx.store.trades.list({ limit });
  }

  async aiCost(): Promise<AiCostOverview> {
    const now = this.ctx.clock.now();
    const monthStart = startOfUtcMonth(now);
    const [today, monthToDate] = await Promise.all([
      this.ctx.store.decisions.costBetween(startOfUtcDay(now), now),
      this.ctx.store.decisions.costBetween(monthStart, now),
    ]);
    const elapsedDays = Math.max((now.getTime() - monthStart.getTime()) / DAY_MS, 1 / 24);
    return { today, monthToDate, projectedMonth: (monthToDate / elapsedDays) * daysInUtcMonth(now) };
  }

  modelRecords(): Promise<ModelRecord[]> {
    return this.scorer.records();
  }

  pauseEntries(requestedBy: string): Promise<void> {
    return this.commands.submit({ kind: 'pause', requestedBy });
  }

  resumeEntries(requestedBy: string): Promise<void> {
    return this.commands.submit({ kind: 'resume', requestedBy });
  }

  closePosition(positionId: string, requestedBy: string): Promise<CloseOutcome> {
    this.ctx.logger.info({ positionId, requestedBy }, 'manual close requested');
    return this.commands.submit({ kind: 'close', positionId, requestedBy });
  }

  effectiveConfig(): Readonly<Record<string, string>> {
    return this.settingsView;
  }
}
