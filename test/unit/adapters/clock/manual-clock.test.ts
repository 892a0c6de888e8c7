import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/adapters/clock/manual-clock.js';

const START = new Date('2025-10-10T21:00:00.000Z');

describe('ManualClock', () => {
  it('when advanced by a minute, then now() is one minute later', () => {
    const clock = new ManualClock(START);

    clock.advanceBy(60_000);

    expect(clock.now().toISOString()).toBe('2025-10-10T21:01:00.000Z');
  });

  it('when asked to go back in time, then it refuses and keeps its time', () => {
    const clock = new ManualClock(START);
    clock.advanceTo(new Date('2025-10-10T22:00:00.000Z'));

    expect(() => clock.advanceTo(START)).toThrow(/backwards/);
    expect(() => clock.advanceBy(-1)).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe('2025-10-10T22:00:00.000Z');
  });

  it('when a task sleeps five minutes, then simulated time moves five minutes without waiting for them', async () => {
    const clock = new ManualClock(START);

    await clock.sleep(5 * 60_000);

    expect(clock.now().getTime() - START.getTime()).toBe(5 * 60_000);
  });

  it('when a task sleeps, then other queued work gets to run before the sleep resolves', async () => {
    const clock = new ManualClock(START);
    const order: string[] = [];

    // Queued first: a sleep that only yielded to microtasks would still wake before it.
    setImmediate(() => order.push('other task'));
    await clock.sleep(1000).then(() => order.push('woke'));

    expect(order).toEqual(['other task', 'woke']);
  });

  it('when the signal is already aborted, then sleep resolves at once and time stands still', async () => {
    const clock = new ManualClock(START);
    const controller = new AbortController();
    controller.abort();

    await clock.sleep(60_000, controller.signal);

    expect(clock.now()).toEqual(START);
  });

  it('returns a fresh Date, so a caller mutating it cannot move the clock', () => {
    const clock = new ManualClock(START);

    clock.now().setUTCFullYear(1999);

    expect(clock.now()).toEqual(START);
  });
});
