import { describe, expect, it } from 'vitest';
import { LastSuccess } from '../../../../src/adapters/http/index.js';
import { ManualClock } from '../../../../src/adapters/clock/manual-clock.js';

/** A stand-in venue adapter: a private field (as real adapters have), async calls that succeed or fail, a sync one. */
class Venue {
  readonly id = 'binanceusdm';
  #calls = 0;
  async ticker(symbol: string): Promise<{ symbol: string; calls: number }> {
    this.#calls += 1;
    return { symbol, calls: this.#calls };
  }
  async balance(): Promise<number> {
    throw new Error('-1003 too many requests');
  }
  describe(): string {
    return `${this.id} after ${this.#calls} calls`;
  }
}

describe('remembering when the venue last answered', () => {
  it('before any call, there is no success', () => {
    expect(new LastSuccess(new ManualClock(new Date('2025-10-15T12:00:00Z'))).at()).toBeUndefined();
  });

  it('when a watched call resolves, then its time is recorded and the caller gets the same answer', async () => {
    const clock = new ManualClock(new Date('2025-10-15T12:00:00Z'));
    const last = new LastSuccess(clock);
    const venue = last.watch(new Venue());
    clock.advanceTo(new Date('2025-10-15T12:03:00Z'));

    const answer = await venue.ticker('BTCUSDT');

    expect(answer).toEqual({ symbol: 'BTCUSDT', calls: 1 });
    expect(last.at()).toEqual(new Date('2025-10-15T12:03:00Z'));
  });

  it('when a watched call rejects, then the caller sees the error and the last success stays where it was', async () => {
    const clock = new ManualClock(new Date('2025-10-15T12:00:00Z'));
    const last = new LastSuccess(clock);
    const venue = last.watch(new Venue());
    await venue.ticker('ETHUSDT');
    clock.advanceTo(new Date('2025-10-15T12:10:00Z'));

    await expect(venue.balance()).rejects.toThrow('-1003 too many requests');

    expect(last.at()).toEqual(new Date('2025-10-15T12:00:00Z'));
  });

  it('leaves properties and synchronous methods alone, private fields included', async () => {
    const last = new LastSuccess(new ManualClock(new Date('2025-10-15T12:00:00Z')));
    const venue = last.watch(new Venue());
    await venue.ticker('SOLUSDT');

    expect(venue.id).toBe('binanceusdm');
    expect(venue.describe()).toBe('binanceusdm after 1 calls');
  });
});
