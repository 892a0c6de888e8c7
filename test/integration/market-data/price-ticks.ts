// Reading a live price stream in tests: the ticks come when the venue pushes them, so a test waits for the tick it
// needs, never for a time.
import type { PriceTick } from '../../../src/ports/market-data.js';

/** Pulls ticks until one satisfies `wanted`; the stream is live, so only the awaited condition synchronises. */
export async function nextMatching(ticks: AsyncIterator<PriceTick>, wanted: (tick: PriceTick) => boolean): Promise<PriceTick> {
  for (;;) {
    const next = await ticks.next();
    if (next.done) throw new Error('price stream ended');
    if (wanted(next.value)) return next.value;
  }
}
