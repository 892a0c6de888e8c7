import { describe, expect, it } from 'vitest';
import { medianSteadyRound, unsteadyRound, type Round, type Run, type TrialTiming } from '../../../bench/sweep-scaling.js';

/** A run whose child's first trial costs 2 s of CPU and every later one `laterCpuMs`. */
const run = (workers: number, wallMs: number, laterCpuMs: number): Run => {
  const trials: TrialTiming[] = [
    { trialId: 't0', worker: 0, cpuMs: 2000, wallMs: 2000, reportedAtMs: 0, childStartMs: 300, childStartCpuMs: 300 },
    ...[1, 2, 3].map((id) => ({ trialId: `t${id}`, worker: 0, cpuMs: laterCpuMs, wallMs: laterCpuMs, reportedAtMs: 0 })),
  ];
  return { workers, wallMs, trials, load: { before: 0, mean: 0, max: 0 }, workerCpuMs: 0 };
};
const round = (oneWallMs: number, oneCpuMs: number, twoWallMs: number, twoCpuMs: number): Round => ({
  one: run(1, oneWallMs, oneCpuMs),
  two: run(2, twoWallMs, twoCpuMs),
});

describe('the sweep bench\'s rounds', () => {
  it('when two workers spend a little more CPU a trial than one (contention), then the round is steady', () => {
    expect(unsteadyRound(round(43_000, 1400, 25_000, 1550))).toBe(false);
    expect(unsteadyRound(round(43_000, 1400, 25_000, 1400))).toBe(false);
  });

  it('when the lone worker spent far more CPU on a warmed-up trial than either of two, then the host slowed it and the round is unsteady', () => {
    // 2026-12-06 04:15: 3.26 s a later trial alone, 1.75 s beside another worker.
    expect(unsteadyRound(round(83_200, 3260, 31_300, 1750))).toBe(true);
  });

  it('takes the median of the steady rounds only, so a host-slowed lone worker cannot make the figure', () => {
    const steady = round(43_000, 1450, 27_000, 1540); // 1.59x
    const inflated = [round(83_000, 3260, 31_000, 1750), round(80_000, 2970, 25_800, 1470)]; // 2.68x, 3.10x

    expect(medianSteadyRound([steady, ...inflated])).toBe(steady);
  });

  it('takes the median of several steady rounds', () => {
    const rounds = [round(43_000, 1400, 34_000, 1900), round(43_000, 1400, 27_000, 1500), round(43_000, 1400, 25_000, 1450)];

    expect(medianSteadyRound(rounds)).toBe(rounds[1]);
  });

  it('when no round is steady, then there is no figure to judge', () => {
    expect(medianSteadyRound([round(83_000, 3260, 31_000, 1750)])).toBeUndefined();
  });
});
