// Markets the venue has closed to new positions (delisting, settlement): a refused entry there would be refused again
// at every scan, each time after asking the analysts. The venue's refusal is taken as the news; the market list the
// scans read is refreshed daily and would show it only then. A market is left out of the scans for a day, after which
// the refreshed list decides (a market still closed is refused before anything is sent).
import { DAY_MS } from '../domain/time.js';

export interface ClosedMarket {
  readonly symbol: string;
  readonly until: Date;
}

export class ClosedMarkets {
  private readonly closedUntil = new Map<string, Date>();

  close(symbol: string, now: Date): ClosedMarket {
    const until = new Date(now.getTime() + DAY_MS);
    this.closedUntil.set(symbol, until);
    return { symbol, until };
  }

  /** The symbols of `symbols` closed to new positions at `now`. */
  closed(symbols: readonly string[], now: Date): ClosedMarket[] {
    const closed: ClosedMarket[] = [];
    for (const symbol of symbols) {
      const until = this.closedUntil.get(symbol);
      if (until && until > now) closed.push({ symbol, until });
    }
    return closed;
  }
}
