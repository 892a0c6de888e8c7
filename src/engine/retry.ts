// Retrying only what is safe to retry: temporary errors (network, rate limit, venue briefly down), with
// exponential backoff on the injected clock. Rejections and operational errors surface at once.
import { TemporaryError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';

export interface RetryOptions {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs?: number;
  readonly signal?: AbortSignal;
  /** Called before each wait, e.g. to log. */
  readonly onRetry?: (error: TemporaryError, attempt: number, delayMs: number) => void;
}

export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs = 60_000): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

export async function retryTemporary<T>(clock: Clock, work: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof TemporaryError) || attempt >= options.attempts || options.signal?.aborted) throw error;
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
