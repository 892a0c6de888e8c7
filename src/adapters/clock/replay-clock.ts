import type { Clock } from '../../ports/clock.js';
import type { ManualClock } from './manual-clock.js';

/**
 * The clock of a replay: simulated time that ends with the data. A sleep that would pass the end moves the clock to
 * the end and calls `onEnd` (which stops the daemon) instead of letting the engine ask for prices that do not exist.
 */
export class ReplayClock implements Clock {
  private ended = false;

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
    if (target < this.end.getTime()) return this.inner.sleep(ms, signal);
    if (this.inner.now() < this.end) this.inner.advanceTo(this.end);
    if (!this.ended) {
      this.ended = true;
      this.onEnd();
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
