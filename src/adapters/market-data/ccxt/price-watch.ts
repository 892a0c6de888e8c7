// A live price stream that survives its transport: when the websocket fails or goes quiet, prices keep coming
// from REST polls while the stream is retried with exponential backoff, each retry on a fresh connection.
import { TemporaryError, describeError } from '../../../domain/errors.js';
import type { Clock } from '../../../ports/clock.js';
import type { Logger } from '../../../ports/logger.js';
import type { PriceTick } from '../../../ports/market-data.js';

export interface PriceWatchSettings {
  /** Poll interval while the stream is down. */
  readonly pollIntervalMs: number;
  /** First stream retry delay; doubles per consecutive failure up to `maxBackoffMs`. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** A stream silent for this long counts as failed. */
  readonly staleAfterMs: number;
}

export const DEFAULT_PRICE_WATCH: PriceWatchSettings = {
  pollIntervalMs: 3_000,
  initialBackoffMs: 2_000,
  maxBackoffMs: 60_000,
  staleAfterMs: 60_000,
};

export interface PriceSources {
  readonly symbol: string;
  /** Resolves with the next streamed price. */
  streamed(): Promise<PriceTick>;
  /** One REST read of the current price. */
  polled(): Promise<PriceTick>;
  /**
   * Drops the stream's connection, so the next `streamed()` dials a new one and subscribes again. Asking a silent
   * but open socket again sends nothing (the subscription is already there), so a stalled stream never recovers.
   */
  reopen(): Promise<void>;
}

const ABORTED = Symbol('aborted');

/** Resolves with the promise's value, or ABORTED as soon as `signal` aborts; the loser's rejection is swallowed. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The next streamed tick, or a TemporaryError when none arrives within `staleAfterMs` of the clock. */
async function nextWithin(
  sources: PriceSources,
  clock: Clock,
  staleAfterMs: number,
  signal: AbortSignal,
): Promise<PriceTick | typeof ABORTED> {
  const timer = new AbortController();
  const onAbort = (): void => timer.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const stale = clock.sleep(staleAfterMs, timer.signal).then((): typeof ABORTED => {
    if (timer.signal.aborted) return ABORTED;
    throw new TemporaryError(`no streamed price for ${sources.symbol} in ${staleAfterMs} ms`);
  });
  try {
    return await untilAborted(Promise.race([sources.streamed(), stale]), signal);
  } finally {
    timer.abort();
    signal.removeEventListener('abort', onAbort);
  }
}

type StreamOutcome = { readonly tick: PriceTick } | { readonly error: unknown } | typeof ABORTED;

/** One stream attempt, settled rather than thrown, so that it can run alongside the REST polls. */
async function streamAttempt(
  sources: PriceSources,
  clock: Clock,
  staleAfterMs: number,
  signal: AbortSignal,
  reopen: boolean,
): Promise<StreamOutcome> {
  try {
    if (reopen) await sources.reopen();
    const tick = await nextWithin(sources, clock, staleAfterMs, signal);
    return tick === ABORTED ? ABORTED : { tick };
  } catch (error) {
    return { error };
  }
}

export async function* watchWithFallback(
  sources: PriceSources,
  signal: AbortSignal,
  clock: Clock,
  logger: Logger,
  settings: PriceWatchSettings = DEFAULT_PRICE_WATCH,
): AsyncGenerator<PriceTick> {
  const symbol = sources.symbol;
  let failures = 0;
  let streamRetryInMs = 0;
  /** While the stream is down: the attempt to bring it back, which runs alongside the REST polls. */
  let retry: Promise<StreamOutcome> | undefined;
  const streamFailed = (error: unknown): void => {
    failures += 1;
    streamRetryInMs = Math.min(settings.initialBackoffMs * 2 ** (failures - 1), settings.maxBackoffMs);
    logger.warn(
      { symbol, error: describeError(error), failures, retryStreamInMs: streamRetryInMs, pollIntervalMs: settings.pollIntervalMs },
      `price stream for ${symbol} failed; polling the REST ticker every ${settings.pollIntervalMs} ms and retrying the stream in ${streamRetryInMs} ms`,
    );
  };
  while (!signal.aborted) {
    if (failures === 0) {
      // The stream is up: its next price, or the failure (an error, or silence for staleAfterMs).
      const outcome = await streamAttempt(sources, clock, settings.staleAfterMs, signal, false);
      if (outcome === ABORTED) return;
      if ('tick' in outcome) {
        yield outcome.tick;
        continue;
      }
      streamFailed(outcome.error);
    }
    // The stream is down: a REST price every poll interval, also while a retry waits (up to staleAfterMs) for the
    // stream's first price, so the price alarms never go longer than a poll interval without a price.
    let polled: PriceTick | typeof ABORTED | undefined;
    try {
      polled = await untilAborted(sources.polled(), signal);
    } catch (error) {
      logger.warn({ symbol, error: describeError(error) }, `REST price poll for ${symbol} failed`);
    }
    if (polled === ABORTED) return;
    if (polled !== undefined) yield polled;
    const paced = clock.sleep(settings.pollIntervalMs, signal).then((): undefined => undefined);
    const settled = await Promise.race([paced, retry ?? paced]);
    if (settled === ABORTED) return;
    if (settled !== undefined) {
      retry = undefined;
      if ('tick' in settled) {
        logger.info({ symbol, failures }, `price stream for ${symbol} restored`);
        failures = 0;
        yield settled.tick;
        continue;
      }
      streamFailed(settled.error);
      await paced;
    }
    if (retry !== undefined || signal.aborted) continue;
    streamRetryInMs -= settings.pollIntervalMs;
    if (streamRetryInMs <= 0) {
      logger.info({ symbol, attempt: failures + 1 }, `retrying the price stream for ${symbol}`);
      retry = streamAttempt(sources, clock, settings.staleAfterMs, signal, true);
    }
  }
}
