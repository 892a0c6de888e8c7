// A clock the test moves by hand. `sleep` resolves only when the test advances time past its deadline, and time
// never goes backwards.
import type { Clock } from '../../../../../src/ports/clock.js';

interface Sleeper {
  readonly deadline: number;
  readonly resolve: () => void;
}

export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];
  private readonly listeners = new Set<() => void>();
  private autoLimitMs: number | undefined;

  constructor(start: string | Date = '2025-10-10T21:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = (): void => sleeper.resolve();
      const sleeper: Sleeper = {
        deadline: this.current + ms,
        resolve: () => {
          this.sleepers = this.sleepers.filter((other) => other !== sleeper);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
      for (const listener of [...this.listeners]) listener();
      if (this.autoLimitMs !== undefined) setImmediate(() => this.autoStep());
    });
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(time: number | Date): void {
    const target = typeof time === 'number' ? time : time.getTime();
    if (target < this.current) throw new Error('the manual clock does not go backwards');
    this.current = target;
    const due = this.sleepers.filter((sleeper) => sleeper.deadline <= target).sort((a, b) => a.deadline - b.deadline);
    for (const sleeper of due) sleeper.resolve();
  }

  pendingSleeps(): number {
    return this.sleepers.length;
  }

  /** Epoch ms of the earliest pending wake-up. */
  nextDeadline(): number | undefined {
    return this.sleepers.length === 0 ? undefined : Math.min(...this.sleepers.map((sleeper) => sleeper.deadline));
  }

  /** Resolves once some sleeper's deadline satisfies `predicate` (default: anyone is sleeping). */
  async untilSleeping(predicate: (deadline: number) => boolean = () => true): Promise<void> {
    const satisfied = (): boolean => this.sleepers.some((sleeper) => predicate(sleeper.deadline));
    if (satisfied()) return;
    await new Promise<void>((resolve) => {
      const listener = (): void => {
        if (!satisfied()) return;
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
  }

  /**
   * Jumps to the next deadline whenever someone sleeps, if it is at most `limitMs` away: waits that are part of
   * the behaviour under test (pacing, backoff) pass at once, while long idle waits stay asleep.
   */
  autoAdvance(limitMs = 10 * 60_000): void {
    this.autoLimitMs = limitMs;
    setImmediate(() => this.autoStep());
  }

  stopAutoAdvance(): void {
    this.autoLimitMs = undefined;
  }

  private autoStep(): void {
    if (this.autoLimitMs === undefined) return;
    const next = this.nextDeadline();
    if (next !== undefined && next - this.current <= this.autoLimitMs) this.advanceTo(next);
  }
}
