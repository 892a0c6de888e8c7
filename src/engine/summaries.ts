// Period figures for the daily and weekly summaries and the owner's questions, from the trade history.
import type { EquityPoint, PeriodSummary } from '../domain/events.js';
import { DAY_MS, startOfUtcDay, startOfUtcWeek, utcDay } from '../domain/time.js';
import type { Trade } from '../domain/trading.js';
import type { EngineContext } from './engine-context.js';

const MARKS_KEY = 'summary-marks';

interface SummaryMarks {
  /** Start of the last day / week a summary was sent for (ISO). */
  readonly day: string;
  readonly week: string;
}

export function equityCurve(startCapital: number, start: Date, trades: readonly Trade[]): EquityPoint[] {
  const points: EquityPoint[] = [{ time: start, equity: startCapital }];
  let equity = startCapital;
  for (const trade of trades) {
    equity += trade.netPnl;
    points.push({ time: trade.closedAt, equity });
  }
  return points;
}

export function maxDrawdown(points: readonly EquityPoint[]): number {
  let peak = -Infinity;
  let worst = 0;
  for (const { equity } of points) {
    peak = Math.max(peak, equity);
    if (peak > 0) worst = Math.max(worst, (peak - equity) / peak);
  }
  return worst;
}

export function summarizeTrades(trades: readonly Trade[], from: Date, to: Date, startCapital: number, aiCostUsd: number): PeriodSummary {
  const sorted = [...trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
  const wins = sorted.filter((trade) => trade.netPnl > 0);
  const grossWin = wins.reduce((total, trade) => total + trade.netPnl, 0);
  const grossLoss = sorted.filter((trade) => trade.netPnl < 0).reduce((total, trade) => total - trade.netPnl, 0);
  const netPnl = sorted.reduce((total, trade) => total + trade.netPnl, 0);
  const byNet = [...sorted].sort((a, b) => b.netPnl - a.netPnl);
  return {
    from,
    to,
    trades: sorted.length,
    wins: wins.length,
    losses: sorted.length - wins.length,
    winRate: sorted.length > 0 ? wins.length / sorted.length : undefined,
    netPnl,
    fees: sorted.reduce((total, trade) => total + trade.entryFee + trade.exitFee, 0),
    funding: sorted.reduce((total, trade) => total + trade.funding, 0),
    startCapital,
    endCapital: startCapital + netPnl,
    best: byNet[0],
    worst: byNet[byNet.length - 1],
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : undefined,
    maxDrawdownPct: maxDrawdown(equityCurve(startCapital, from, sorted)),
    aiCostUsd,
  };
}

export class SummaryService {
  constructor(private readonly ctx: EngineContext) {}

  async summary(from: Date, to: Date): Promise<{ summary: PeriodSummary; curve: EquityPoint[] }> {
    const { store } = this.ctx;
    const [trades, days, aiCost] = await Promise.all([
      store.trades.list({ from, to }),
      store.dailyPerformance.range(utcDay(from), utcDay(new Date(to.getTime() - 1))),
      store.decisions.costBetween(from, to),
    ]);
    const netPnl = trades.reduce((total, trade) => total + trade.netPnl, 0);
    const lastDay = days[days.length - 1];
    const startCapital = days[0]?.startCapital ?? (lastDay ? lastDay.endCapital - netPnl : (await this.ctx.exchange.balance()).total - netPnl);
    const sorted = [...trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
    const summary = summarizeTrades(sorted, from, to, startCapital, aiCost);
    const cap = this.ctx.settings.capitalCap;
    // Live with a capped capital: the daemon's results are read against what it trades with, not the whole account.
    const tradingCapital = cap !== undefined && startCapital > cap ? cap : undefined;
    return { summary: tradingCapital === undefined ? summary : { ...summary, tradingCapital }, curve: equityCurve(startCapital, from, sorted) };
  }

  /** Sends the summary of every day (and week, on Mondays) that ended since the last one sent. */
  async sendDue(): Promise<void> {
    const { store, clock, notifier } = this.ctx;
    const now = clock.now();
    const today = startOfUtcDay(now);
    const thisWeek = startOfUtcWeek(now);
    const marks = (await store.state.get(MARKS_KEY)) as SummaryMarks | undefined;
    if (!marks) {
      await store.state.put(MARKS_KEY, { day: today.toISOString(), week: thisWeek.toISOString() } satisfies SummaryMarks);
      return;
    }
    if (new Date(marks.day) < today) {
      const from = new Date(today.getTime() - DAY_MS);
      const { summary } = await this.summary(from, today);
      await notifier.notify({ type: 'daily_summary', at: now, summary });
    }
    if (new Date(marks.week) < thisWeek) {
      const from = new Date(thisWeek.getTime() - 7 * DAY_MS);
      const { summary, curve } = await this.summary(from, thisWeek);
      await notifier.notify({ type: 'weekly_summary', at: now, summary, equityCurve: curve });
    }
    if (new Date(marks.day) < today || new Date(marks.week) < thisWeek) {
      await store.state.put(MARKS_KEY, { day: today.toISOString(), week: thisWeek.toISOString() } satisfies SummaryMarks);
    }
  }
}
