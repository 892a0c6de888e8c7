import { describe, expect, it } from 'vitest';
import { idleAtEndMs, twoCoreCeiling, type Run, type TrialTiming } from '../../../bench/sweep-scaling.js';

const run = (trials: TrialTiming[]): Run => ({ workers: 1, wallMs: 0, trials, load: { before: 0, mean: 0, max: 0 }, workerCpuMs: 0 });
const trial = (id: number, cpuMs: number, mainThreadCpuMs: number | undefined, first = false): TrialTiming => ({
  trialId: `t${id}`,
  worker: 0,
  cpuMs,
  wallMs: cpuMs,
  reportedAtMs: 0,
  ...(mainThreadCpuMs === undefined ? {} : { mainThreadCpuMs }),
  ...(first ? { childStartMs: 600, childStartCpuMs: 500 } : {}),
});

describe('the sweep bench\'s two-core ceiling', () => {
  it('sets the 1-worker main thread against all threads of two children, the second child\'s start-up and warm-up included', () => {
    // Start-up 500; main threads 2000 + 3 × 1000; all threads 3000 + 3 × 1200; warm-up 3000 - 1200 = 1800.
    const bound = twoCoreCeiling(run([trial(0, 3000, 2000, true), trial(1, 1200, 1000), trial(2, 1200, 1000), trial(3, 1200, 1000)]));

    expect(bound?.warmUpMs).toBe(1800);
    expect(bound?.firstOtherMs).toBe(1000);
    expect(bound?.laterOtherMs).toBe(200);
    expect(bound?.otherShare).toBeCloseTo(1600 / 6600, 10);
    expect(bound?.ceiling).toBeCloseTo((500 + 5000) / ((2 * 500 + 6600 + 1800) / 2), 10);
  });

  it('when nothing runs off the main thread and there is no warm-up, then two cores give 2x', () => {
    const bound = twoCoreCeiling(run([trial(0, 1000, 1000, true), trial(1, 1000, 1000), trial(2, 1000, 1000), trial(3, 1000, 1000)]));

    // Only the start-up, paid by both children, keeps it under 2.
    expect(bound?.ceiling).toBeCloseTo((500 + 4000) / ((1000 + 4000) / 2), 10);
  });

  it('a trial run a second time (a lapsed lock) counts once', () => {
    const again = { ...trial(1, 5000, 5000), worker: 0 };
    const bound = twoCoreCeiling(run([trial(0, 1000, 1000, true), trial(1, 1000, 1000), trial(2, 1000, 1000), trial(3, 1000, 1000), again]));

    expect(bound?.ceiling).toBeCloseTo((500 + 4000) / ((1000 + 4000) / 2), 10);
  });

  it('gives no figure without per-thread times (a kernel that does not report them)', () => {
    expect(twoCoreCeiling(run([trial(0, 3000, 2000, true), trial(1, 1200, undefined), trial(2, 1200, 1000), trial(3, 1200, 1000)]))).toBeUndefined();
  });
});

describe('the sweep bench\'s idle time at the end of a run', () => {
  const done = (worker: number, reportedAtMs: number): TrialTiming => ({ trialId: `t${worker}-${reportedAtMs}`, worker, cpuMs: 1, wallMs: 1, reportedAtMs });

  it('is how long after one worker\'s last trial the other finished its own', () => {
    expect(idleAtEndMs({ trials: [done(0, 1000), done(1, 1500), done(0, 2600), done(1, 3100)] })).toBe(500);
    expect(idleAtEndMs({ trials: [done(1, 4000), done(0, 1000), done(0, 2000)] })).toBe(2000);
  });

  it('is nothing with one worker', () => {
    expect(idleAtEndMs({ trials: [done(0, 1000), done(0, 2500)] })).toBe(0);
  });
});
