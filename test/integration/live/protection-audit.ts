// Watches the fake venue at every request it receives (the only moments its book can change, besides the test's own
// price moves): whenever a position is open, a resting reduce-only stop must cover its whole quantity on the far side
// of the mark, by the venue's own rule for a stop larger than the position. Records each moment that is not so, with
// the request that found it.
import type { AccountBook } from '../../peers/binance-usdm/account-book.js';

/** Any of the stand-ins: Binance's, or Bybit's and Hyperliquid's over the same book. */
export interface AuditedVenue {
  readonly book: AccountBook;
  onRequest(listener: (request: { readonly method: string; readonly path: string }) => void): () => void;
}

export interface UnprotectedMoment {
  readonly path: string;
  readonly method: string;
  readonly symbol: string;
  readonly quantity: number;
  readonly covered: number;
}

/**
 * A stop larger than the position counts only where the venue closes the position with it (`oversizeReduceOnly`
 * `close`, Binance's documented rule); where the venue refuses it, only a stop of at most the position's size counts,
 * so after a partial close an old full-size stop protects nothing until it is re-armed.
 */
export function auditProtection(venue: AuditedVenue): { readonly moments: UnprotectedMoment[]; readonly checks: () => number; readonly stop: () => void } {
  const moments: UnprotectedMoment[] = [];
  let checks = 0;
  const check = (method: string, path: string): void => {
    checks += 1;
    for (const position of venue.book.openPositions()) {
      const quantity = Math.abs(position.amount);
      const exitSide = position.amount > 0 ? 'SELL' : 'BUY';
      const stops = venue.book.algoOrders.filter(
        (a) => a.symbol === position.symbol && a.algoStatus === 'NEW' && a.orderType === 'STOP_MARKET' && a.reduceOnly && a.side === exitSide,
      );
      // One stop must cover it all: two partial stops would each close only their part.
      const sized = venue.book.oversizeReduceOnly === 'close' ? stops : stops.filter((s) => s.quantity <= quantity + 1e-12);
      const covered = Math.max(0, ...sized.map((s) => s.quantity));
      if (covered + 1e-12 < quantity) moments.push({ method, path, symbol: position.symbol, quantity, covered });
    }
  };
  const remove = venue.onRequest((request) => check(request.method, request.path));
  return { moments, checks: () => checks, stop: remove };
}
