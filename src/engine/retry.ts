// Retrying only what is safe to retry: temporary errors (network, rate limit, venue briefly down), with
// exponential backoff on the injected clock. Rejections and operational errors surface at once.
import { TemporaryError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';

export interface RetryOptions {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs?: number;
  /**
   * The longest pause a venue may ask for (Retry-After) and still be waited out; a longer one surfaces the error at
   * once. A Binance IP ban (418) asks for minutes to days, and a caller sleeping through that holds the whole loop:
   * no alert, no monitoring. Defaults to `maxDelayMs`.
   */
  readonly maxWaitMs?: number;
  readonly signal?: AbortSignal;
  /** Called before each wait, e.g. to log. */
  readonly onRetry?: (error: TemporaryError, attempt: number, delayMs: number) => void;
}

const DEFAULT_MAX_DELAY_MS = 60_000;

export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs = DEFAULT_MAX_DELAY_MS): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

export async function retryTemporary<T>(clock: Clock, work: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof TemporaryError) || attempt >= options.attempts || options.signal?.aborted) throw error;
      if ((error.retryAfterMs ?? 0) > (options.maxWaitMs ?? options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS)) throw error;
      const delay = Math.max(error.retryAfterMs ?? 0, backoffDelay(attempt, options.baseDelayMs, options.maxDelayMs));
      options.onRetry?.(error, attempt, delay);
      await clock.sleep(delay, options.signal);
    }
  }
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the input order in the results. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * For the orders that protect a position: the stop of a fresh fill, and the close of a position without one. A rate
 * limit's pause of a few seconds is waited out (retrying into it earns an IP ban, and then nothing can be sent);
 * a longer one means the venue will not take orders soon, so the caller moves on at once: the position is closed,
 * or the owner is alerted and every check tries again.
 */
export const PROTECTIVE_ORDER_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 500, maxWaitMs: 10_000 };

/**
 * The reads a position's check needs (prices, funding): one that fails for a moment (a dropped connection, a 5xx) is
 * read again a quarter of a second later, so a single bad answer does not cost the position its check (its exit
 * rules, its trailing stop) until the next pass. A venue asking for a longer pause than a few seconds is not waited
 * out here.
 */
export const POSITION_READ_RETRY: RetryOptions = { attempts: 2, baseDelayMs: 250, maxWaitMs: 5_000 };
