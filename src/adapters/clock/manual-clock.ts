import type { Clock } from '../../ports/clock.js';

/**
 * Simulated time for replays: it moves only when told to, or when someone sleeps on it, so a replay runs as fast as
 * the machine allows. It never goes backwards, because a rewound clock would let the engine see the future twice.
 */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date) {
    const time = start.getTime();
    if (!Number.isFinite(time)) throw new RangeError('ManualClock needs a valid start date');
    this.current = time;
  }

  now(): Date {
    return new Date(this.current);
  }

  advanceTo(date: Date): void {
    const target = date.getTime();
    if (!Number.isFinite(target)) throw new RangeError('ManualClock cannot move to an invalid date');
    if (target < this.current) {
      throw new RangeError(
        `ManualClock cannot go backwards from ${new Date(this.current).toISOString()} to ${date.toISOString()}`,
      );
    }
    this.current = target;
  }

  advanceBy(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock cannot advance by ${ms} ms`);
    this.current += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.advanceBy(Math.max(0, ms));
    // Yielding a macrotask lets other tasks (a shutdown signal, a concurrent monitor) run between simulated ticks.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
