// Waiting on conditions the harness cannot be told about (a row in the database, an order at the venue). The
// limit only turns a hang into a clear failure; the condition is what is awaited.

export class WaitTimeout extends Error {
  constructor(readonly what: string, readonly limitMs: number) {
    super(`timed out after ${limitMs} ms waiting for ${what}`);
    this.name = 'WaitTimeout';
  }
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, limitMs: number, everyMs = 25): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new WaitTimeout(what, limitMs);
    await pause(everyMs);
  }
}

/** Real time passing, for paced loops (sampling, fault schedules); never used to wait for an outcome. */
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
