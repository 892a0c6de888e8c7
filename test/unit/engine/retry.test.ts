import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { RejectedError, TemporaryError } from '../../../src/domain/errors.js';
import { PROTECTIVE_ORDER_RETRY, retryTemporary } from '../../../src/engine/retry.js';

const START = new Date('2025-10-10T21:00:00Z');

/** Work that fails with `errors` in turn, then answers 'done'; counts its calls. */
function failing(errors: Error[]) {
  let calls = 0;
  const work = async (): Promise<string> => {
    calls += 1;
    const error = errors.shift();
    if (error) throw error;
    return 'done';
  };
  return { work, calls: () => calls };
}

describe('retrying temporary errors', () => {
  it('waits out a rate limit\'s Retry-After when it is longer than the backoff', async () => {
    const clock = new ManualClock(START);
    const venue = failing([new TemporaryError('rate limited', 1_000)]);
    await expect(retryTemporary(clock, venue.work, PROTECTIVE_ORDER_RETRY)).resolves.toBe('done');
    expect(venue.calls()).toBe(2);
    expect(clock.now().getTime() - START.getTime()).toBe(1_000);
  });

  it('does not sleep through a pause longer than the caller may wait (an IP ban): the error surfaces at once', async () => {
    const clock = new ManualClock(START);
    const ban = new TemporaryError('IP banned', 2 * 60 * 60_000);
    const venue = failing([ban]);
    await expect(retryTemporary(clock, venue.work, PROTECTIVE_ORDER_RETRY)).rejects.toBe(ban);
    expect(venue.calls()).toBe(1);
    expect(clock.now()).toEqual(START);
  });

  it('by default waits at most the longest backoff', async () => {
    const clock = new ManualClock(START);
    const venue = failing([new TemporaryError('rate limited', 30_000), new TemporaryError('rate limited', 90_000)]);
    await expect(retryTemporary(clock, venue.work, { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 })).rejects.toThrow('rate limited');
    expect(venue.calls()).toBe(2);
    expect(clock.now().getTime() - START.getTime()).toBe(30_000);
  });

  it('surfaces a refusal at once and stops after the last attempt', async () => {
    const clock = new ManualClock(START);
    const refused = failing([new RejectedError('insufficient margin')]);
    await expect(retryTemporary(clock, refused.work, PROTECTIVE_ORDER_RETRY)).rejects.toBeInstanceOf(RejectedError);
    expect(refused.calls()).toBe(1);
    const down = failing([new TemporaryError('503'), new TemporaryError('503'), new TemporaryError('503')]);
    await expect(retryTemporary(clock, down.work, PROTECTIVE_ORDER_RETRY)).rejects.toThrow('503');
    expect(down.calls()).toBe(3);
    // Backoff 500 ms, then 1 s.
    expect(clock.now().getTime() - START.getTime()).toBe(1_500);
  });
});
