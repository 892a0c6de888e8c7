// Translates ccxt failures into the domain's error tree. The venue's own error code wins when present (it is exact);
// otherwise ccxt's error class decides. Messages are redacted: no key, secret, signature or query string survives.
import { MarketClosedError, OperationalError, RejectedError, TemporaryError, TradingError } from '../../../domain/errors.js';
import { ccxtErrors as ccxt } from './ccxt-library.js';
import { redact } from './redact.js';
import { keepResponse, parseVenueBody, venueResponseOf } from './venue-response.js';

export interface ErrorContext {
  /** What we were doing, e.g. `placeEntry`. */
  readonly operation: string;
  readonly symbol?: string;
  /** Values that must never appear in the message (API key, secret). */
  readonly secrets?: readonly (string | undefined)[];
}

type Kind = 'temporary' | 'rejected' | 'operational';

/** Binance USDⓈ-M and Bybit codes we meet in practice, with a sentence a trader can act on. */
const VENUE_CODES: Readonly<Record<number, { kind: Kind; reason: string }>> = {
  [-1001]: { kind: 'temporary', reason: 'the venue had an internal error' },
  [-1003]: { kind: 'temporary', reason: 'rate limit reached' },
  [-1007]: { kind: 'temporary', reason: 'the venue timed out; the outcome is unknown' },
  [-1008]: { kind: 'temporary', reason: 'the venue is overloaded' },
  [-1021]: { kind: 'temporary', reason: 'request timestamp outside the receive window (clock drift)' },
  [-1022]: { kind: 'operational', reason: 'the request signature was refused (check the API secret)' },
  [-2014]: { kind: 'operational', reason: 'the API key format is invalid' },
  [-2015]: { kind: 'operational', reason: 'the API key was refused (wrong key, IP not whitelisted, or missing futures permission)' },
  [-1102]: { kind: 'rejected', reason: 'a required order parameter was missing or malformed' },
  [-1111]: { kind: 'rejected', reason: 'quantity or price has more decimals than the market allows' },
  [-1116]: { kind: 'rejected', reason: 'order type not accepted' },
  [-1121]: { kind: 'rejected', reason: 'the venue does not know this symbol' },
  [-2011]: { kind: 'rejected', reason: 'unknown order (already filled, cancelled, or never placed)' },
  [-2013]: { kind: 'rejected', reason: 'unknown order (already filled, cancelled, or never placed)' },
  [-2019]: { kind: 'rejected', reason: 'insufficient margin' },
  [-2021]: { kind: 'rejected', reason: 'the stop would trigger immediately (price already beyond it)' },
  [-2022]: { kind: 'rejected', reason: 'reduce-only order rejected (no position left to reduce)' },
  [-2027]: { kind: 'rejected', reason: 'position would exceed the maximum allowed at this leverage' },
  [-2028]: { kind: 'rejected', reason: 'leverage too high for the margin balance' },
  [-4003]: { kind: 'rejected', reason: 'quantity too small' },
  [-4028]: { kind: 'rejected', reason: 'leverage not valid for this market' },
  [-4048]: { kind: 'rejected', reason: 'margin mode cannot change while a position or order is open' },
  [-4116]: { kind: 'rejected', reason: 'duplicate client order id' },
  [-4120]: { kind: 'rejected', reason: 'order type must go through the conditional-order endpoint' },
  [-4140]: { kind: 'rejected', reason: 'the symbol takes reduce-only orders only (delisting or settlement)' },
  [-4164]: { kind: 'rejected', reason: 'order value below the minimum notional' },
  // Bybit v5 (`retCode`; positive, so they never meet Binance's negative codes)
  [10001]: { kind: 'rejected', reason: 'a request parameter was refused' },
  [10002]: { kind: 'temporary', reason: 'request timestamp outside the receive window (clock drift)' },
  [10003]: { kind: 'operational', reason: 'the API key was refused (wrong key or testnet/mainnet mix-up)' },
  [10004]: { kind: 'operational', reason: 'the request signature was refused (check the API secret)' },
  [10005]: { kind: 'operational', reason: 'the API key lacks the permission for this request' },
  [10006]: { kind: 'temporary', reason: 'rate limit reached' },
  [10010]: { kind: 'operational', reason: "the request came from an IP address the API key is not bound to" },
  [10016]: { kind: 'temporary', reason: 'the venue had an internal error' },
  [110001]: { kind: 'rejected', reason: 'unknown order (already filled, cancelled, or never placed)' },
  [110007]: { kind: 'rejected', reason: 'insufficient margin' },
  [110017]: { kind: 'rejected', reason: 'reduce-only order rejected (no position left to reduce)' },
  [110072]: { kind: 'rejected', reason: 'duplicate client order id' },
  [110092]: { kind: 'rejected', reason: 'the stop would trigger immediately (price already beyond it)' },
  [110093]: { kind: 'rejected', reason: 'the stop would trigger immediately (price already beyond it)' },
  [110094]: { kind: 'rejected', reason: 'order value below the minimum notional' },
};

/** Codes that mean "the venue has no such order": callers looking an order up treat these as absence. */
export const UNKNOWN_ORDER_CODES: readonly number[] = [-2011, -2013, 110001];

export function venueCodeOf(error: unknown): number | undefined {
  const remembered = venueResponseOf(error)?.code;
  if (remembered !== undefined) return remembered;
  return error instanceof Error ? parseVenueBody(error.message).code : undefined;
}

export function isUnknownOrder(error: unknown): boolean {
  const code = venueCodeOf(error);
  if (code !== undefined) return UNKNOWN_ORDER_CODES.includes(code);
  return error instanceof ccxt.OrderNotFound;
}

function kindOfCcxtError(error: unknown, status: number | undefined): Kind {
  if (error instanceof ccxt.OnMaintenance) return 'operational';
  if (error instanceof ccxt.NetworkError) return 'temporary'; // includes rate limits, timeouts, venue unavailable
  if (error instanceof ccxt.BadResponse) return 'temporary';
  if (error instanceof ccxt.AuthenticationError) return 'operational'; // includes permission and account problems
  if (error instanceof ccxt.AccountSuspended || error instanceof ccxt.NotSupported) return 'operational';
  if (error instanceof ccxt.ArgumentsRequired) return 'operational';
  if (
    error instanceof ccxt.InsufficientFunds ||
    error instanceof ccxt.InvalidOrder ||
    error instanceof ccxt.BadRequest ||
    error instanceof ccxt.OperationRejected
  ) {
    return 'rejected';
  }
  if (status !== undefined && status >= 500) return 'temporary';
  if (status !== undefined && status >= 400) return 'rejected';
  if (error instanceof ccxt.ExchangeError) return 'rejected';
  return 'operational';
}

/** Venue codes for "this market opens no new positions" (Binance -4140: the symbol's status is not TRADING). */
const MARKET_CLOSED_CODES: readonly number[] = [-4140];

function build(kind: Kind, message: string, retryAfterMs: number | undefined, code?: number): TradingError {
  if (kind === 'temporary') return new TemporaryError(message, retryAfterMs);
  if (code !== undefined && MARKET_CLOSED_CODES.includes(code)) return new MarketClosedError(message);
  if (kind === 'rejected') return new RejectedError(message);
  return new OperationalError(message);
}

/**
 * The domain error for a failed ccxt call. The ccxt error is deliberately not attached as `cause`: its message
 * holds the signed URL.
 */
export function translateCcxtError(error: unknown, context: ErrorContext): TradingError {
  if (error instanceof TradingError) return error;
  const secrets = context.secrets ?? [];
  const where = `${context.operation}${context.symbol ? ` ${context.symbol}` : ''}`;
  const response = venueResponseOf(error);
  const rawMessage = error instanceof Error ? error.message : String(error);
  const venue = response?.code !== undefined ? response : parseVenueBody(rawMessage);
  const known = venue.code === undefined ? undefined : VENUE_CODES[venue.code];
  const className = error instanceof Error ? error.constructor.name : 'Error';
  const rateLimited = error instanceof ccxt.DDoSProtection || response?.status === 429 || response?.status === 418;
  const retryAfterMs = response?.retryAfterMs;

  if (known && !rateLimited) {
    const detail = venue.message ? ` (venue ${venue.code}: ${redact(venue.message, secrets)})` : ` (venue ${venue.code})`;
    return keepResponse(build(known.kind, `${where} failed: ${known.reason}${detail}`, retryAfterMs, venue.code), { ...response, ...venue });
  }
  const kind = rateLimited ? 'temporary' : kindOfCcxtError(error, response?.status);
  const prefix = rateLimited ? 'rate limited by the venue; ' : '';
  const wait = rateLimited && retryAfterMs !== undefined ? ` Retry after ${Math.ceil(retryAfterMs / 1000)} s.` : '';
  return build(kind, `${where} failed: ${prefix}${className}: ${redact(rawMessage, secrets)}${wait}`, retryAfterMs);
}

/** Runs a ccxt call, translating whatever it throws. */
export async function guarded<T>(context: ErrorContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateCcxtError(error, context);
  }
}
