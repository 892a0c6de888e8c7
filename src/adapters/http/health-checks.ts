// The three questions that decide whether the daemon is alive: is the loop turning, does the store answer, and has
// the venue (or, in paper mode, the market data feed) answered lately. Each is a callback, so this file knows
// nothing about the engine or the adapters behind them.
import type { Clock } from '../../ports/clock.js';
import type { HealthCheckResult, HealthReport, HealthSource } from './http-server.js';

export interface LoopCheck {
  lastTickAt(): Date | undefined;
  /** Longest gap since the last finished tick before the loop counts as stuck. */
  readonly maxAgeMs: number;
}

export interface StoreCheck {
  ping(): Promise<void>;
  readonly timeoutMs: number;
}

export interface ExchangeCheck {
  lastExchangeSuccessAt(): Date | undefined;
  readonly maxAgeMs: number;
  /** Names the peer in the detail text: `exchange` in live mode, `market data` in paper mode. */
  readonly label?: string;
}

export interface HealthChecksOptions {
  readonly clock: Clock;
  readonly loop: LoopCheck;
  readonly store: StoreCheck;
  readonly exchange: ExchangeCheck;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/**
 * Judges an age against its limit. Before the first event the age counts from construction, so a daemon that is
 * still starting up is healthy until it has had as long as a running one would get.
 */
function freshness(what: string, last: Date | undefined, startedAt: Date, now: Date, maxAgeMs: number): HealthCheckResult {
  const limit = `limit ${seconds(maxAgeMs)}`;
  if (!last) {
    const waited = now.getTime() - startedAt.getTime();
    return waited <= maxAgeMs
      ? { ok: true, detail: `no ${what} yet; started ${seconds(waited)} ago (${limit})` }
      : { ok: false, detail: `no ${what} since start ${seconds(waited)} ago (${limit})` };
  }
  const age = Math.max(0, now.getTime() - last.getTime());
  return { ok: age <= maxAgeMs, detail: `last ${what} ${seconds(age)} ago (${limit})` };
}

async function pingWithin(ping: () => Promise<void>, timeoutMs: number): Promise<HealthCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  // The deadline is wall-clock on purpose: it bounds real I/O, which a simulated clock cannot speed up.
  const deadline = new Promise<HealthCheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const answer = Promise.resolve()
    .then(ping)
    .then(
      (): HealthCheckResult => ({ ok: true, detail: 'answered' }),
      (error: unknown): HealthCheckResult => ({ ok: false, detail: `failed: ${(error as Error)?.message ?? String(error)}` }),
    );
  try {
    return await Promise.race([answer, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export class HealthChecks implements HealthSource {
  private readonly startedAt: Date;

  constructor(private readonly options: HealthChecksOptions) {
    this.startedAt = options.clock.now();
  }

  async check(): Promise<HealthReport> {
    const { clock, loop, store, exchange } = this.options;
    const storeResult = await pingWithin(() => store.ping(), store.timeoutMs);
    // Read the clock after the ping, so a slow ping does not make the ages look younger than they are.
    const now = clock.now();
    const label = exchange.label ?? 'exchange';
    return {
      loop: freshness('tick', loop.lastTickAt(), this.startedAt, now, loop.maxAgeMs),
      store: storeResult,
      exchange: freshness(`${label} answer`, exchange.lastExchangeSuccessAt(), this.startedAt, now, exchange.maxAgeMs),
    };
  }
}
