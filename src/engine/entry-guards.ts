// The checks an entry meets beyond the risk manager's own: the calendar blackout (a block on every entry), and, per
// proposal, the entry-count caps and the correlation guard; and the open positions' marks the risk manager's exposure
// caps value them at. The rules are the domain's; this gathers their inputs (the clock, the trade record, closed 1h
// candles, mark prices) and never looks past the clock's now.
import { activeBlackout, DEFAULT_BLACKOUT, upcomingEvents, type Blackout, type CalendarEvent } from '../domain/calendar.js';
import type { EntryBlock } from '../domain/circuit-breakers.js';
import type { Side } from '../domain/market.js';
import { correlationProblems, DEFAULT_PORTFOLIO, entryCountProblems, hourlyReturns, type HeldPosition } from '../domain/portfolio-limits.js';
import { HOUR_MS, startOfUtcDay, utcMinute } from '../domain/time.js';
import type { Position } from '../domain/trading.js';
import type { EngineContext } from './engine-context.js';

/** An active position with its mark now: the risk manager's exposure caps value it at the larger of mark and entry. */
export type PositionAtMark = Position & HeldPosition & { readonly markPrice: number };

export class EntryGuards {
  constructor(private readonly ctx: EngineContext) {}

  private get blackoutSettings() {
    return this.ctx.settings.blackout ?? DEFAULT_BLACKOUT;
  }

  private get portfolio() {
    return this.ctx.settings.portfolio ?? DEFAULT_PORTFOLIO;
  }

  private get events(): readonly CalendarEvent[] {
    return this.ctx.settings.calendar ?? [];
  }

  blackout(now = this.ctx.clock.now()): Blackout | undefined {
    return activeBlackout(this.events, now, this.blackoutSettings);
  }

  upcoming(limit: number): CalendarEvent[] {
    return upcomingEvents(this.events, this.ctx.clock.now(), this.blackoutSettings, limit);
  }

  blocks(): EntryBlock[] {
    const blackout = this.blackout();
    if (!blackout) return [];
    const { event, until } = blackout;
    return [{ breaker: 'calendar_blackout', reason: `${event.kind} (${event.title}) at ${utcMinute(event.time)}: no entries until ${utcMinute(until)}`, until }];
  }

  /** Entry-count caps and the correlation guard for an entry on `symbol` in direction `side`. */
  async problems(symbol: string, side: Side, active: readonly Position[]): Promise<string[]> {
    const now = this.ctx.clock.now();
    const settings = this.portfolio;
    const problems: string[] = [];
    if (settings.maxEntriesPerHour !== undefined || settings.maxEntriesPerDay !== undefined) {
      const from = new Date(Math.min(startOfUtcDay(now).getTime(), now.getTime() - HOUR_MS));
      const trades = await this.ctx.store.trades.list({ from });
      const openedAt = [...trades.map((t) => t.openedAt), ...active.map((p) => p.openedAt)].filter((t) => t >= from);
      problems.push(...entryCountProblems(settings, openedAt, now));
    }
    const sameSide = active.filter((p) => p.side === side && p.symbol !== symbol);
    if (sameSide.length === 0) return problems;
    const limit = settings.correlationDays * 24 + 2;
    const returnsOf = async (s: string) => hourlyReturns(await this.ctx.marketData.candles(s, '1h', limit), now, settings.correlationDays);
    const entry = { symbol, side, returns: await returnsOf(symbol) };
    const open = await Promise.all(sameSide.map(async (p) => ({ symbol: p.symbol, side: p.side, returns: await returnsOf(p.symbol) })));
    problems.push(...correlationProblems(settings, entry, open));
    return problems;
  }

  /**
   * The open positions with their marks now, for the exposure caps. A mark that cannot be read fails the entry: the
   * entry prices alone would let a short the market has run against leave room it does not have.
   */
  async atMark(active: readonly Position[]): Promise<PositionAtMark[]> {
    return Promise.all(active.map(async (position) => ({ ...position, markPrice: await this.ctx.marketData.markPrice(position.symbol) })));
  }
}
