import type { Clock } from '../../ports/clock.js';

/**
 * Real time, run `speed` times faster from `start`: for soak tests of the whole daemon process over simulated days.
 * The daemon refuses it for live trading (the configuration allows it only with paper trading).
 */
export class AcceleratedClock implements Clock {
  private readonly startedAt = performance.now();

  constructor(
    private readonly start: Date,
    readonly speed: number,
  ) {
    if (!(speed >= 1)) throw new RangeError(`AcceleratedClock needs a speed of at least 1, got ${speed}`);
  }

  now(): Date {
    return new Date(this.start.getTime() + (performance.now() - this.startedAt) * this.speed);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms) / this.speed);
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
