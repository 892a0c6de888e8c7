import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InProcessCache } from '../../../src/adapters/cache/in-process-cache.js';
import type { Clock } from '../../../src/ports/clock.js';

/** A clock the test moves by hand. */
function handClock(start = Date.UTC(2024, 0, 1)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => new Date(now),
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

const Answer = z.object({ action: z.string(), confidence: z.number() });

describe('in-process cache', () => {
  it('when an entry is read before its TTL, then it is there, and at the TTL it is gone', async () => {
    const clock = handClock();
    const cache = new InProcessCache(clock);
    await cache.set('vote', { action: 'long', confidence: 0.7 }, 60_000);
    clock.advance(59_999);
    expect(await cache.get('vote', Answer)).toEqual({ action: 'long', confidence: 0.7 });
    clock.advance(1);
    expect(await cache.get('vote', Answer)).toBeUndefined();
  });

  it('when the cap is reached, then the least recently used entry is evicted', async () => {
    const cache = new InProcessCache(handClock(), { maxEntries: 2 });
    await cache.set('a', 1, 60_000);
    await cache.set('b', 2, 60_000);
    await cache.get('a', z.number());
    await cache.set('c', 3, 60_000);
    expect(cache.size).toBe(2);
    expect([await cache.get('a', z.number()), await cache.get('b', z.number()), await cache.get('c', z.number())]).toEqual([1, undefined, 3]);
  });

  it('when thousands of distinct keys are written, then the cache never holds more than its cap', async () => {
    const cache = new InProcessCache(handClock(), { maxEntries: 100 });
    for (let index = 0; index < 5_000; index++) await cache.set(`k${index}`, index, 60_000);
    expect(cache.size).toBe(100);
    expect(await cache.get('k4999', z.number())).toBe(4999);
  });

  it('when the stored value does not fit the schema, then it is a miss', async () => {
    const cache = new InProcessCache(handClock());
    await cache.set('vote', { action: 'long' }, 60_000);
    expect(await cache.get('vote', Answer)).toBeUndefined();
  });

  it('when a returned value is mutated, then the cached value is not', async () => {
    const cache = new InProcessCache(handClock());
    await cache.set('vote', { action: 'long', confidence: 0.7 }, 60_000);
    // A schema that hands back the very object it was given, so nothing but the cache could protect the entry.
    const passThrough = { safeParse: (value: unknown) => ({ success: true as const, data: value as { confidence: number } }) };
    const first = await cache.get('vote', passThrough);
    if (first) first.confidence = 0;
    expect((await cache.get('vote', Answer))?.confidence).toBe(0.7);
  });

  it('when a value is set with a TTL of zero, then nothing is kept', async () => {
    const cache = new InProcessCache(handClock());
    await cache.set('vote', 1, 60_000);
    await cache.set('vote', 2, 0);
    expect(await cache.get('vote', z.number())).toBeUndefined();
  });
});
