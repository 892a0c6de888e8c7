// The small error tree the engine reacts to. Adapters translate library errors into these at their boundary.

export type ErrorKind = 'temporary' | 'rejected' | 'operational';

export abstract class TradingError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Worth retrying with backoff: network blips, rate limits, a server briefly down. */
export class TemporaryError extends TradingError {
  readonly kind = 'temporary' as const;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The venue said no (invalid order, insufficient margin): retrying the same thing will not help. */
export class RejectedError extends TradingError {
  readonly kind = 'rejected' as const;
}

/**
 * The venue opens no new positions in this market (delisting, settlement, suspension): an entry is refused however
 * often it is sent, until the venue lists the market as trading again.
 */
export class MarketClosedError extends RejectedError {}

/** Something is wrong with the set-up or the account (bad key, exchange down for maintenance): alert, stop entries. */
export class OperationalError extends TradingError {
  readonly kind = 'operational' as const;
}

export function errorKind(error: unknown): ErrorKind | undefined {
  return error instanceof TradingError ? error.kind : undefined;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The venue already holds an order under this client id: an earlier attempt landed although its answer was lost. */
export function isDuplicateClientId(error: unknown): boolean {
  return error instanceof RejectedError && /duplicate/i.test(error.message);
}

/** Thrown to a requester whose command the daemon did not get to before it stopped. */
export class DaemonStoppedError extends Error {
  constructor() {
    super('the daemon is shutting down; the command was not carried out');
    this.name = 'DaemonStoppedError';
  }
}

/**
 * Thrown to a requester while the daemon starts: what it asked about (the breakers) is not loaded from the store yet.
 * Not a fault: the answer comes in a few seconds.
 */
export class DaemonStartingError extends Error {
  constructor() {
    super('the daemon is still starting; try again in a few seconds');
    this.name = 'DaemonStartingError';
  }
}
