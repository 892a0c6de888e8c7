// The walk-forward sweep in its small form on the bundled history, trials in this process (no queue): each
// training window picks a setting, every setting and the defaults are replayed on the test window after it, and only the
// test windows make the out-of-sample figures.
import { describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../src/adapters/market-data/replay/index.js';
import { openStore } from '../../src/adapters/store/open-store.js';
import { runTrials } from '../../src/cli/sweep-runner.js';
import { HistoryCache, runTrial, type TrialSpec } from '../../src/cli/sweep-trial.js';
import { walkForward } from '../../src/cli/walk-forward-sweep.js';
import { parseGrid, walkForwardFolds } from '../../src/domain/performance/walk-forward-windows.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';

const DAY = 86_400_000;

describe('walk-forward on the bundled history', () => {
  it('replays every setting on each training window, and every setting and the defaults on each test window', async () => {
    const logger = new RecordingLogger();
    const store = await openStore({ logger });
    try {
      const folds = walkForwardFolds(new Date('2025-09-14T00:00:00Z'), new Date('2025-09-25T00:00:00Z'), 3 * DAY, 2 * DAY);
      const grid = parseGrid('MIN_OPPORTUNITY_SCORE=70,90');
      const asked: TrialSpec[][] = [];
      const phases: string[] = [];
      const report = await walkForward(
        { sweepId: 'wf-test', historyDir: bundledHistoryDir(), symbols: ['BTCUSDT'], variables: {}, calendar: [], folds, grid, minTrades: 1 },
        (specs, phase) => {
          asked.push([...specs]);
          phases.push(phase);
          return runTrials(specs, { store, logger });
        },
      );

      expect(folds).toHaveLength(4);
      expect(phases).toEqual(['training', 'test']);
      expect(asked[0]).toHaveLength(8);
      expect(asked[0]?.every((spec) => spec.trialId.startsWith('train-'))).toBe(true);
      expect(asked[1]?.every((spec) => spec.trialId.startsWith('test-'))).toBe(true);
      // A test trial replays exactly its test window: nothing before the training window ends, nothing after.
      expect(asked[1]?.slice(0, 4).map((spec) => [spec.from, spec.to])).toEqual(folds.map((fold) => [fold.test.from.toISOString(), fold.test.to.toISOString()]));
      expect(report.trials).toBe(8 + new Set(asked[1]?.map((spec) => spec.trialId)).size);
      expect(report.folds.map((fold) => fold.test.from)).toEqual(folds.map((fold) => fold.test.from.toISOString()));
      expect(report.outOfSample.days).toBe(8);
      expect(report.deflated.trials).toBe(2);
      expect(report.deflated.observations).toBe(8);
      const probability = report.deflated.probability;
      expect(Number.isNaN(probability) || (probability >= 0 && probability <= 1)).toBe(true);

      // Run again: every trial is in the store, nothing is replayed.
      const again = await walkForward(
        { sweepId: 'wf-test', historyDir: bundledHistoryDir(), symbols: ['BTCUSDT'], variables: {}, calendar: [], folds, grid, minTrades: 1 },
        (specs) => runTrials(specs, { store, logger, onTrialDone: () => { throw new Error('a finished trial ran again'); } }),
      );
      expect(again).toEqual(report);
    } finally {
      await store.close();
    }
  }, 600_000);

  /** One trial over 2025-09-18 → 09-20, a window that ends holding a BNB long under water with this setting. */
  const trialOverTwoDays = (trialId: string, extra: Pick<TrialSpec, 'variables' | 'calendar'>) =>
    runTrial(
      {
        sweepId: 'wf-trial',
        trialId,
        historyDir: bundledHistoryDir(),
        ...extra,
        from: '2025-09-18T00:00:00.000Z',
        to: '2025-09-20T00:00:00.000Z',
        setting: { MIN_OPPORTUNITY_SCORE: '70', MAX_STOP_LOSS_PERCENT: '0.08' },
      },
      new HistoryCache(),
      new RecordingLogger(),
    );

  it('reads a trial\'s daily equity at the mark, so a position still open at the window\'s end counts', async () => {
    const result = await trialOverTwoDays('test-open', { variables: {}, calendar: [] });
    expect(result.trades).toBe(0);
    expect(result.dailyEquity).toHaveLength(3);
    const [first, , last] = result.dailyEquity as [number, number, number];
    expect(first).toBe(100);
    expect(last / first - 1).toBeLessThan(-0.03);
  }, 120_000);

  it('replays with the calendar its job carries, not a file of the worker\'s', async () => {
    // The same window, blacked out from end to end by two events a day apart: no entry, so the equity stays.
    const calendar = ['2025-09-18T12:00:00.000Z', '2025-09-19T12:00:00.000Z'].map((time) => ({ time, kind: 'CPI', title: 'test event' }));
    const result = await trialOverTwoDays('test-calendar', { variables: { CALENDAR_BLACKOUT_BEFORE_MINUTES: '1440', CALENDAR_BLACKOUT_AFTER_MINUTES: '1440' }, calendar });
    expect(result.trades).toBe(0);
    expect(result.dailyEquity).toEqual([100, 100, 100]);
  }, 120_000);
});
