// Waiting on conditions the harness cannot be told about (a row in the database, an order at the venue). The
// limit only turns a hang into a clear failure; the condition is what is awaited.
import { pause } from '../../test/support/pause.js';

export { pause };

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

