export interface Clock {
  now(): Date;
  /** Waits `ms` of this clock's time. Resolves early (never rejects) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
