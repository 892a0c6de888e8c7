import type { Clock } from '../../ports/clock.js';
import type { ManualClock } from './manual-clock.js';

/**
 * The clock of a replay: simulated time that ends with the data. A sleep that would pass the end moves the clock to
 * the end and calls `onEnd` (which stops the daemon) instead of letting the engine ask for prices that do not exist.
 */
/**
 * A replay sleeps at every step of the daemon's loop, over 100,000 times in a 90-day window. A macrotask turn of the
 * event loop at each of them (the manual clock's way) cost about a quarter of a replay's time; every 64th still lets
 * signals, timers and I/O in within milliseconds. The count, not elapsed real time, decides, so a replay runs the same
 * whatever the machine's speed.
 */
const SLEEPS_PER_MACROTASK = 64;

export class ReplayClock implements Clock {
  private ended = false;
  private sleeps = 0;

  constructor(
    private readonly inner: ManualClock,
    readonly end: Date,
    private readonly onEnd: () => void,
  ) {}

  now(): Date {
    return this.inner.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const target = this.inner.now().getTime() + Math.max(0, ms);
    if (target < this.end.getTime()) {
      this.inner.advanceBy(Math.max(0, ms));
      this.sleeps += 1;
      if (this.sleeps % SLEEPS_PER_MACROTASK === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      return;
    }
    if (this.inner.now() < this.end) this.inner.advanceTo(this.end);
    if (!this.ended) {
      this.ended = true;
      this.onEnd();
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
