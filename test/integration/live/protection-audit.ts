// Watches the fake venue at every request it receives (the only moments its book can change, besides the test's own
// price moves): whenever a position is open, a resting reduce-only stop must cover its whole quantity on the far side
// of the mark. Records each moment that is not so, with the request that found it.
import type { FakeBinance } from '../../peers/binance-usdm/index.js';

export interface UnprotectedMoment {
  readonly path: string;
  readonly method: string;
  readonly symbol: string;
  readonly quantity: number;
  readonly covered: number;
}

/**
 * `exact`: only a stop of exactly the position's size counts. The venue expires a reduce-only stop larger than the
 * position when it triggers, so after a partial close an old full-size stop protects nothing until it is re-armed.
 */
export function auditProtection(venue: FakeBinance, options: { exact?: boolean } = {}): { readonly moments: UnprotectedMoment[]; readonly checks: () => number; readonly stop: () => void } {
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
      const sized = options.exact ? stops.filter((s) => s.quantity <= quantity + 1e-12) : stops;
      const covered = Math.max(0, ...sized.map((s) => s.quantity));
      if (covered + 1e-12 < quantity) moments.push({ method, path, symbol: position.symbol, quantity, covered });
    }
  };
  const remove = venue.onRequest((request) => check(request.method, request.path));
  return { moments, checks: () => checks, stop: remove };
}
