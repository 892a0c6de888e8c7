// Real time passing, with an abort: for paced loops and clocks that wait as they would live.

/** Real time passing, for paced loops (sampling, fault schedules, backoff); never used to wait for an outcome. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
