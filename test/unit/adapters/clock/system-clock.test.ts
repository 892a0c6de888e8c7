import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../../../src/adapters/clock/system-clock.js';

function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('SystemClock', () => {
  it('reads the real time', () => {
    const before = Date.now();

    const now = new SystemClock().now().getTime();

    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('when sleeping 20 ms, then at least about 20 ms pass', async () => {
    const started = performance.now();

    await new SystemClock().sleep(20);

    // Timers may fire a fraction of a millisecond early on some platforms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
  });

  it('when the signal aborts during an hour-long sleep, then the sleep resolves and its timer is cleared', async () => {
    const clock = new SystemClock();
    const controller = new AbortController();
    const baseline = activeTimeouts();

    const sleeping = clock.sleep(3_600_000, controller.signal);
    const whileSleeping = activeTimeouts();
    controller.abort();
    await sleeping;

    expect(whileSleeping).toBe(baseline + 1);
    expect(activeTimeouts()).toBe(baseline);
  });

  it('when the signal is already aborted, then no timer is started at all', async () => {
    const controller = new AbortController();
    controller.abort();
    const baseline = activeTimeouts();

    const sleeping = new SystemClock().sleep(3_600_000, controller.signal);
    const during = activeTimeouts();
    await sleeping;

    expect(during).toBe(baseline);
  });
});
