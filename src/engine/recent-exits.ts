// The last close of each symbol, so that a scan leaves out the symbols still waiting for a fresh 15m candle.
// Every close is booked by `PositionCloser.settle`, which reports it here; at start-up the trades of the last candle
// are read back, so a restart right after a close does not re-enter on the same data.
import { REENTRY_LOOKBACK_MS, reentryAllowedAt } from '../domain/reentry.js';
import type { TradeRepository } from '../ports/store.js';

export interface WaitingSymbol {
  readonly symbol: string;
  readonly until: Date;
}

export class RecentExits {
  private readonly allowedAt = new Map<string, Date>();

  async load(trades: TradeRepository, now: Date): Promise<void> {
    for (const trade of await trades.list({ from: new Date(now.getTime() - REENTRY_LOOKBACK_MS) })) this.record(trade.symbol, trade.closedAt);
  }

  record(symbol: string, closedAt: Date): void {
    const allowed = reentryAllowedAt(closedAt);
    const known = this.allowedAt.get(symbol);
    if (!known || allowed > known) this.allowedAt.set(symbol, allowed);
  }

  /** The symbols of `symbols` that may not be entered at `now`, with the time each may be again. */
  waiting(symbols: readonly string[], now: Date): WaitingSymbol[] {
    const waiting: WaitingSymbol[] = [];
    for (const symbol of symbols) {
      const until = this.allowedAt.get(symbol);
      if (until && until > now) waiting.push({ symbol, until });
    }
    return waiting;
  }
}
