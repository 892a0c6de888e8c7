// A sweep resumed while `npm run worker` on another machine still works through the jobs the stopped run queued: it
// ends once each of its trials has a result, however many of them land between its own reads of the table.
import { afterAll, describe, expect, it } from 'vitest';
import { SweepQueue } from '../../../src/adapters/queue/bullmq-sweep-queue.js';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import { runTrials } from '../../../src/cli/sweep-runner.js';
import type { TrialResult, TrialSpec } from '../../../src/cli/sweep-trial.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { redisUrl, required, skipWithout, uniqueName } from '../../support/services.js';

const queueUrl = redisUrl();
const result: TrialResult = { start: '2025-09-14T00:00:00.000Z', end: '2025-09-21T00:00:00.000Z', trades: 0, netPnl: 0, dailyEquity: [1000], candleSteps: 1 };
const spec = (trialId: string): TrialSpec => ({ sweepId: 'resumed', trialId, historyDir: '/elsewhere', variables: {}, calendar: [], from: result.start, to: result.end, setting: {} });

describe.skipIf(skipWithout(queueUrl))('a resumed sweep while another machine finishes its trials', () => {
  const prefix = uniqueName('sweep_resume');
  afterAll(async () => {
    const queue = new SweepQueue({ redisUrl: required(queueUrl, 'REDIS_URL'), name: 'sweeps', prefix });
    await queue.obliterate();
    await queue.close();
  });

  it('when trial a is recorded between the first read and the next, then the sweep ends once a and b are recorded', async () => {
    // What the results table holds at each read: nothing at first; then a (another machine's worker finished it
    // while this run submitted); then a and b.
    const idReads = [new Set(['a']), new Set(['a', 'b'])];
    let fullReads = 0;
    const store = {
      // The id of the database the sweep reads results from, which its jobs carry.
      state: { get: async () => 'sweep-database-1', put: async () => undefined },
      sweepTrials: {
        finished: async () => (fullReads++ === 0 ? new Map() : new Map([['a', { result }], ['b', { result }]])),
        finishedIds: async () => idReads.shift() ?? new Set(['a', 'b']),
      },
    } as unknown as SqlStore;
    const progress: [number, number][] = [];
    const results = await runTrials([spec('a'), spec('b')], {
      store,
      logger: new RecordingLogger(),
      queue: { redisUrl: required(queueUrl, 'REDIS_URL'), name: 'sweeps', prefix, localWorkers: 0 },
      onTrialDone: (done, total) => progress.push([done, total]),
    });
    expect([...results.keys()]).toEqual(['a', 'b']);
    expect(progress).toEqual([[1, 2], [2, 2]]);
  });
});
