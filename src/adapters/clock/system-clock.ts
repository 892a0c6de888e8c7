import type { Clock } from '../../ports/clock.js';

/** Wall-clock time, for live and paper trading. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, Math.max(0, ms));
      // A shutdown must not wait out a long sleep, nor leave a timer holding the process open.
      signal?.addEventListener('abort', finish, { once: true });
    });
  }
}
