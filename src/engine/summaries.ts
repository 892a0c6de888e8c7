// Period figures for the daily and weekly summaries and the owner's questions, from the trade history.
import type { EquityPoint, PeriodSummary } from '../domain/events.js';
import { DAY_MS, nextUtcMidnight, startOfUtcDay, startOfUtcWeek, utcDay } from '../domain/time.js';
import { tradeResult, type Trade } from '../domain/trading.js';
import { roundUsd } from '../domain/money.js';
import type { CapitalFooting } from './capital-footing.js';
import { paperTransfersBetween } from './paper-funding.js';
import { accountSince } from './trading-mode-guard.js';
import type { EngineContext } from './engine-context.js';

const MARKS_KEY = 'summary-marks';
/** As far as a JavaScript date goes: every transfer made since a period began, up to now. */
const END_OF_TIME = new Date(8.64e15);
/** Bounds for reading every day's row before or after a day. */
const FIRST_DAY = '1970-01-01';
const LAST_DAY = '9999-12-31';
/** The end of a UTC day (`YYYY-MM-DD`): the next midnight, in ms. */
const dayEndMs = (day: string): number => Date.parse(`${day}T00:00:00Z`) + DAY_MS;
const sumOf = (flows: readonly { readonly amount: number }[]): number => roundUsd(flows.reduce((total, flow) => total + flow.amount, 0));
const WEEK_MS = 7 * DAY_MS;
/** How many missed daily and weekly summaries a restart sends at most (the latest ones). */
const MAX_MISSED_DAYS = 7;
export const MAX_MISSED_WEEKS = 4;

interface SummaryMarks {
  /** Start of the first day / week whose summary has not been sent yet (ISO): it had not ended at the last send. */
  readonly day: string;
  readonly week: string;
}

/** Money paid into the account (positive) or taken out, outside any trade, and when it counts from. */
export interface CashFlow {
  readonly time: Date;
  readonly amount: number;
}

/** The trades' results and the cash flows in time order, a flow first where they fall at the same instant. */
interface Step {
  readonly time: Date;
  readonly pnl?: number;
  readonly flow?: number;
}

function changes(trades: readonly Trade[], flows: readonly CashFlow[]): Step[] {
  const steps: Step[] = [...flows.map((flow) => ({ time: flow.time, flow: flow.amount })), ...trades.map((trade) => ({ time: trade.closedAt, pnl: trade.netPnl }))];
  // A stable sort: flows were listed first, so at one instant a flow comes before a trade.
  return steps.sort((a, b) => a.time.getTime() - b.time.getTime());
}

export function equityCurve(startCapital: number, start: Date, trades: readonly Trade[], flows: readonly CashFlow[] = []): EquityPoint[] {
  const points: EquityPoint[] = [{ time: start, equity: startCapital }];
  let equity = startCapital;
  for (const step of changes(trades, flows)) {
    equity += step.pnl ?? step.flow ?? 0;
    points.push({ time: step.time, equity });
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

/**
 * The largest fall from a peak, as a fraction of it, with cash flows scaling the peak as they scale the account: a
 * deposit is no recovery and a withdrawal no loss.
 */
function maxDrawdownWithFlows(startCapital: number, trades: readonly Trade[], flows: readonly CashFlow[]): number {
  let equity = startCapital;
  let peak = startCapital;
  let worst = 0;
  for (const step of changes(trades, flows)) {
    if (step.flow !== undefined) {
      const after = equity + step.flow;
      peak = equity > 0 ? (peak * after) / equity : after;
      equity = after;
      continue;
    }
    equity += step.pnl ?? 0;
    peak = Math.max(peak, equity);
    if (peak > 0) worst = Math.max(worst, (peak - equity) / peak);
  }
  return worst;
}

export function summarizeTrades(trades: readonly Trade[], from: Date, to: Date, startCapital: number, aiCostUsd: number, flows: readonly CashFlow[] = []): PeriodSummary {
  const sorted = [...trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
  const wins = sorted.filter((trade) => tradeResult(trade.netPnl) === 'win');
  const losses = sorted.filter((trade) => tradeResult(trade.netPnl) === 'loss');
  const grossWin = wins.reduce((total, trade) => total + trade.netPnl, 0);
  const grossLoss = losses.reduce((total, trade) => total - trade.netPnl, 0);
  const netPnl = sorted.reduce((total, trade) => total + trade.netPnl, 0);
  const byNet = [...sorted].sort((a, b) => b.netPnl - a.netPnl);
  const transfers = sumOf(flows);
  return {
    from,
    to,
    trades: sorted.length,
    wins: wins.length,
    losses: losses.length,
    winRate: sorted.length > 0 ? wins.length / sorted.length : undefined,
    netPnl,
    fees: sorted.reduce((total, trade) => total + trade.entryFee + trade.exitFee, 0),
    funding: sorted.reduce((total, trade) => total + trade.funding, 0),
    startCapital,
    endCapital: startCapital + netPnl + transfers,
    ...(flows.length > 0 ? { transfers } : {}),
    best: byNet[0],
    worst: byNet[byNet.length - 1],
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : undefined,
    maxDrawdownPct: maxDrawdownWithFlows(startCapital, sorted, flows),
    aiCostUsd,
  };
}

export class SummaryService {
  constructor(
    private readonly ctx: EngineContext,
    private readonly capital: CapitalFooting,
  ) {}

  async summary(from: Date, to: Date): Promise<{ summary: PeriodSummary; curve: EquityPoint[] }> {
    const { store } = this.ctx;
    const [trades, days, aiCost, transfers] = await Promise.all([
      store.trades.list({ from, to }),
      store.dailyPerformance.range(utcDay(from), utcDay(new Date(to.getTime() - 1))),
      store.decisions.costBetween(from, to),
      // A store that went live after a paper run still holds the paper account's transfers: they are not the live account's.
      this.ctx.settings.mode === 'paper' ? paperTransfersBetween(store.state, from, END_OF_TIME) : [],
    ]);
    const netPnl = trades.reduce((total, trade) => total + trade.netPnl, 0);
    const sorted = [...trades].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
    // Money paid in or taken out (a paper account given another INITIAL_CAPITAL) counts when it was made. A day's row
    // moves with it, so the first row's starting capital holds every transfer made before that day ended; without a
    // row, the balance now holds every transfer since the period began.
    const flows = transfers.filter((transfer) => transfer.at < to).map((transfer) => ({ time: transfer.at, amount: transfer.amount }));
    const firstDay = days[0];
    const firstDayEnd = firstDay === undefined ? undefined : dayEndMs(firstDay.day);
    const startCapital =
      firstDay !== undefined && firstDayEnd !== undefined
        ? firstDay.startCapital - sumOf(flows.filter((flow) => flow.time.getTime() < firstDayEnd))
        : await this.startWithoutDays(from, to, netPnl, transfers);
    const summary = summarizeTrades(sorted, from, to, startCapital, aiCost, flows);
    const cap = this.ctx.settings.capitalCap;
    // Live with a capped capital: the daemon's results are read against what it traded with, not the whole account:
    // its share at the period's start (the cap less what it had lost since the cap was set).
    const tradingCapital = cap !== undefined && startCapital > cap ? await this.capital.shareAt(from) : undefined;
    return { summary: tradingCapital === undefined ? summary : { ...summary, tradingCapital }, curve: equityCurve(startCapital, from, sorted, flows) };
  }

  /**
   * The capital at `from` of a period no day's row covers (no trade was booked in it). Read from the rows around it,
   * not from the balance now, which holds every trade booked since (a summary sent after an outage, or at 00:00:30 after
   * a stop booked at 00:00:10): the row before ends with it, plus what was paid in or taken out since; else the row
   * after starts with it, less the transfers up to that row's day's end (its figures move with them). Only an account
   * with no row at all reads the balance.
   */
  private async startWithoutDays(from: Date, to: Date, netPnl: number, transfers: readonly { readonly at: Date; readonly amount: number }[]): Promise<number> {
    const { store } = this.ctx;
    const paper = this.ctx.settings.mode === 'paper';
    // A store switched from another account (paper to live) keeps that account's rows: they are not this one's capital,
    // nor is the row of the switch's day, which the old account opened.
    const since = await accountSince(store.state);
    const firstOwnDay = since === undefined ? FIRST_DAY : utcDay(nextUtcMidnight(since));
    const earlier = (await store.dailyPerformance.range(firstOwnDay, utcDay(new Date(from.getTime() - 1)))).at(-1);
    if (earlier !== undefined) {
      const earlierEnd = new Date(dayEndMs(earlier.day));
      return earlier.endCapital + (paper ? sumOf(await paperTransfersBetween(store.state, earlierEnd, from)) : 0);
    }
    const later = (await store.dailyPerformance.range(utcDay(to) > firstOwnDay ? utcDay(to) : firstOwnDay, LAST_DAY))[0];
    if (later !== undefined) {
      const laterEnd = dayEndMs(later.day);
      return later.startCapital - sumOf(transfers.filter((transfer) => transfer.at.getTime() < laterEnd));
    }
    return (await this.ctx.exchange.balance()).total - netPnl - sumOf(transfers);
  }

  /**
   * Sends the summary of every day (and week, on Mondays) that ended since the last one sent, oldest first: after an
   * outage the owner gets each missed day (its stops booked on the restart included), up to the last
   * `MAX_MISSED_DAYS` days and `MAX_MISSED_WEEKS` weeks. The mark moves after each message, so a crash part-way
   * resends at most the one it was sending.
   */
  async sendDue(): Promise<void> {
    const { store, clock, notifier } = this.ctx;
    const now = clock.now();
    const today = startOfUtcDay(now);
    const thisWeek = startOfUtcWeek(now);
    const saved = (await store.state.get(MARKS_KEY)) as SummaryMarks | undefined;
    let marks: SummaryMarks = saved ?? { day: today.toISOString(), week: thisWeek.toISOString() };
    if (!saved) {
      await store.state.put(MARKS_KEY, marks);
      return;
    }
    for (const from of missedPeriods(new Date(marks.day), today, DAY_MS, MAX_MISSED_DAYS)) {
      const { summary } = await this.summary(from, new Date(from.getTime() + DAY_MS));
      await notifier.notify({ type: 'daily_summary', at: now, summary });
      marks = { ...marks, day: new Date(from.getTime() + DAY_MS).toISOString() };
      await store.state.put(MARKS_KEY, marks);
    }
    for (const from of missedPeriods(new Date(marks.week), thisWeek, WEEK_MS, MAX_MISSED_WEEKS)) {
      const { summary, curve } = await this.summary(from, new Date(from.getTime() + WEEK_MS));
      await notifier.notify({ type: 'weekly_summary', at: now, summary, equityCurve: curve });
      marks = { ...marks, week: new Date(from.getTime() + WEEK_MS).toISOString() };
      await store.state.put(MARKS_KEY, marks);
    }
  }
}

/**
 * The starts of the periods of `length` from `unsent` up to `current` (which has not ended), at most the last
 * `limit`: a daemon back after a month sends a week of daily summaries, not thirty messages.
 */
function missedPeriods(unsent: Date, current: Date, length: number, limit: number): Date[] {
  const first = Math.max(unsent.getTime(), current.getTime() - limit * length);
  const starts: Date[] = [];
  for (let at = first; at + length <= current.getTime(); at += length) starts.push(new Date(at));
  return starts;
}
