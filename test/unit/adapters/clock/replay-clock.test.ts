import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/adapters/clock/manual-clock.js';
import { ReplayClock } from '../../../../src/adapters/clock/replay-clock.js';

const START = new Date('2025-10-10T00:00:00.000Z');
const END = new Date('2025-10-11T00:00:00.000Z');
const MINUTE = 60_000;

describe('ReplayClock', () => {
  it('when the loop sleeps a minute at a time, then simulated time moves by exactly what was slept', async () => {
    const clock = new ReplayClock(new ManualClock(START), END, () => undefined);

    for (let i = 0; i < 100; i += 1) await clock.sleep(MINUTE);

    expect(clock.now().getTime() - START.getTime()).toBe(100 * MINUTE);
  });

  it('when a replay sleeps without end, then an immediate task (a signal, a progress timer) still runs within 64 sleeps', async () => {
    const clock = new ReplayClock(new ManualClock(START), END, () => undefined);
    let ranAfter: number | undefined;
    let sleeps = 0;
    setImmediate(() => {
      ranAfter = sleeps;
    });

    while (ranAfter === undefined && sleeps < 1_000) {
      await clock.sleep(1_000);
      sleeps += 1;
    }

    expect(ranAfter).toBeDefined();
    expect(ranAfter).toBeLessThanOrEqual(64);
  });

  it('when a sleep would pass the end of the data, then the clock stops at the end and says so once', async () => {
    let ended = 0;
    const clock = new ReplayClock(new ManualClock(START), END, () => {
      ended += 1;
    });

    await clock.sleep(23 * 60 * MINUTE);
    await clock.sleep(2 * 60 * MINUTE);
    await clock.sleep(MINUTE);

    expect(clock.now().toISOString()).toBe(END.toISOString());
    expect(ended).toBe(1);
  });

  it('when the sleep is already cancelled, then time does not move', async () => {
    const clock = new ReplayClock(new ManualClock(START), END, () => undefined);
    const cancelled = new AbortController();
    cancelled.abort();

    await clock.sleep(MINUTE, cancelled.signal);

    expect(clock.now().toISOString()).toBe(START.toISOString());
  });
});
