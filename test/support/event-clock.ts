// Discrete-event time over an engine fixture's manual clock, for tests of the daemon's loop: sleeps are timers on
// elapsed time (as setTimeout runs), an abort ends a sleep at once, and `step` fires the next timer. `now()` is the
// wall clock: elapsed time plus an offset that `stepWallClock` changes, as an NTP step does.
import type { Clock } from '../../src/ports/clock.js';

export class EventClock implements Clock {
  private timers: { at: number; done: () => void }[] = [];
  private offset = 0;

  constructor(private readonly manual: { now(): Date; advanceTo(d: Date): void }) {}

  now(): Date {
    return new Date(this.manual.now().getTime() + this.offset);
  }

  /** Moves the wall clock by `ms` (negative: back) without any time passing. */
  stepWallClock(ms: number): void {
    this.offset += ms;
  }

  /** Time passed, whatever the wall clock says. */
  elapsed(): number {
    return this.manual.now().getTime();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      };
      const timer = {
        at: this.elapsed() + Math.max(0, ms),
        done: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Lets everything runnable run, then fires the earliest timer unless it lies beyond `limit` (elapsed time); false when none did. */
  async step(limit = Number.POSITIVE_INFINITY): Promise<boolean> {
    for (let i = 0; i < 50; i += 1) await new Promise<void>((r) => setImmediate(r));
    this.timers.sort((a, b) => a.at - b.at);
    const next = this.timers[0];
    if (!next || next.at > limit) return false;
    this.timers.shift();
    if (next.at > this.elapsed()) this.manual.advanceTo(new Date(next.at));
    next.done();
    return true;
  }
}
