// The walk-forward over made-up trial results: which replays it asks for, and what it does with their results.
import { describe, expect, it } from 'vitest';
import type { TrialResult, TrialSpec } from '../../../src/cli/sweep-trial.js';
import { walkForward } from '../../../src/cli/walk-forward-sweep.js';
import { parseDuration, parseGrid, walkForwardFolds } from '../../../src/domain/performance/walk-forward-windows.js';

const grid = parseGrid('MIN_OPPORTUNITY_SCORE=70,90');
const result = (spec: TrialSpec, dailyEquity: number[]): TrialResult => ({ start: spec.from, end: spec.to, trades: 5, netPnl: 0, dailyEquity, candleSteps: 0 });

describe('a walk-forward sweep', () => {
  it('names each trial by its window to the second, the phase and the setting, so no two replays share a result', async () => {
    const folds = walkForwardFolds(new Date('2025-09-14T00:00:00Z'), new Date('2025-09-17T00:00:00Z'), parseDuration('1d'), parseDuration('1d'));
    const asked: TrialSpec[] = [];
    await walkForward({ sweepId: 'wf', historyDir: '/elsewhere', variables: {}, calendar: [], folds, grid, minTrades: 0 }, async (specs) => {
      asked.push(...specs);
      return new Map(specs.map((spec) => [spec.trialId, result(spec, [100, 101, 102])]));
    });
    expect(asked[0]?.trialId).toMatch(/^train-2025-09-14T000000-2025-09-15T000000-[0-9a-f]{12}$/);
    expect(new Set(asked.map((spec) => spec.trialId)).size).toBe(new Set(asked.map((spec) => `${spec.trialId.split('-')[0]} ${spec.from} ${spec.to} ${JSON.stringify(spec.setting)}`)).size);
    expect(asked.every((spec) => !spec.trialId.includes(':'))).toBe(true);
  });

  it('expects no luck from choosing among settings that did the same on every training window, however the windows differed', async () => {
    const folds = walkForwardFolds(new Date('2025-01-01T00:00:00Z'), new Date('2025-01-13T00:00:00Z'), parseDuration('4d'), parseDuration('4d'));
    // A calm, rising window and a falling one; both settings alike on each.
    const report = await walkForward({ sweepId: 'wf', historyDir: '/elsewhere', variables: {}, calendar: [], folds, grid, minTrades: 0 }, async (specs) =>
      new Map(specs.map((spec) => [spec.trialId, result(spec, new Date(spec.from).getUTCDate() === 5 ? [100, 98, 97, 94, 93] : [100, 101, 103, 104, 106])])),
    );
    expect(report.deflated.trials).toBe(2);
    expect(report.deflated.expectedMaximum).toBe(0);
  });

  it('counts luck when the settings differ within a window', async () => {
    const folds = walkForwardFolds(new Date('2025-01-01T00:00:00Z'), new Date('2025-01-13T00:00:00Z'), parseDuration('4d'), parseDuration('4d'));
    const report = await walkForward({ sweepId: 'wf', historyDir: '/elsewhere', variables: {}, calendar: [], folds, grid, minTrades: 0 }, async (specs) =>
      new Map(specs.map((spec) => [spec.trialId, result(spec, spec.setting.MIN_OPPORTUNITY_SCORE === '70' ? [100, 98, 99, 97, 96] : [100, 101, 103, 104, 106])])),
    );
    expect(report.deflated.expectedMaximum).toBeGreaterThan(0);
  });

  it('measures the luck on the test days the picks are judged on: settings that differ only on the training windows add none', async () => {
    const folds = walkForwardFolds(new Date('2025-01-01T00:00:00Z'), new Date('2025-01-13T00:00:00Z'), parseDuration('4d'), parseDuration('4d'));
    // Apart on every training window, alike on every test window.
    const report = await walkForward({ sweepId: 'wf', historyDir: '/elsewhere', variables: {}, calendar: [], folds, grid, minTrades: 0 }, async (specs) =>
      new Map(
        specs.map((spec) => {
          const apart = spec.trialId.startsWith('train-') && spec.setting.MIN_OPPORTUNITY_SCORE === '70';
          return [spec.trialId, result(spec, apart ? [100, 98, 99, 97, 96] : [100, 101, 103, 102, 106])];
        }),
      ),
    );

    expect(report.deflated.expectedMaximum).toBe(0);
    expect(report.aboveZero).toBeCloseTo(report.deflated.probability, 12);
  });

  it('replays every setting and the defaults on each test window, each once', async () => {
    const folds = walkForwardFolds(new Date('2025-01-01T00:00:00Z'), new Date('2025-01-13T00:00:00Z'), parseDuration('4d'), parseDuration('4d'));
    const phases: TrialSpec[][] = [];
    const report = await walkForward({ sweepId: 'wf', historyDir: '/elsewhere', variables: {}, calendar: [], folds, grid, minTrades: 0 }, async (specs) => {
      phases.push([...specs]);
      return new Map(specs.map((spec) => [spec.trialId, result(spec, [100, 101, 102])]));
    });

    const tests = phases[1] ?? [];
    expect(tests).toHaveLength(folds.length * (grid.length + 1));
    expect(new Set(tests.map((spec) => spec.trialId)).size).toBe(tests.length);
    expect(report.trials).toBe(folds.length * grid.length + tests.length);
  });
});
