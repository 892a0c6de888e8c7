// The waiting sweep reads the results table every poll; a read that meets a Postgres restart is read again at the next
// poll, while the queued trials go on running on the workers: the sweep does not end in an error.
import { afterAll, describe, expect, it } from 'vitest';
import { SweepQueue } from '../../../src/adapters/queue/bullmq-sweep-queue.js';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import { runTrials } from '../../../src/cli/sweep-runner.js';
import type { TrialResult, TrialSpec } from '../../../src/cli/sweep-trial.js';
import { TemporaryError } from '../../../src/domain/errors.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { redisUrl, required, skipWithout, uniqueName } from '../../support/services.js';

// Without Redis outside CI the file is skipped; in CI a missing Redis fails it.
const skipped = skipWithout(redisUrl());
const queueUrl = skipped ? '' : required(redisUrl(), 'REDIS_URL');
const result: TrialResult = { start: '2025-09-14T00:00:00.000Z', end: '2025-09-21T00:00:00.000Z', trades: 0, netPnl: 0, dailyEquity: [1000], candleSteps: 1 };
const spec = (trialId: string): TrialSpec => ({ sweepId: 'blip', trialId, historyDir: '/elsewhere', variables: {}, calendar: [], from: result.start, to: result.end, setting: {} });

describe.skipIf(skipped)('a Postgres restart while the sweep waits', () => {
  const prefix = uniqueName('sweep_blip');
  afterAll(async () => {
    const queue = new SweepQueue({ redisUrl: queueUrl, name: 'sweeps', prefix });
    await queue.obliterate();
    await queue.close();
  });

  it('when one poll of the results table fails, then the next poll reads the result and the sweep finishes', async () => {
    let idReads = 0;
    const store = {
      // The id of the database the sweep reads results from, which its jobs carry.
      state: { get: async () => 'sweep-database-1', put: async () => undefined },
      sweepTrials: {
        finished: async () => (idReads >= 3 ? new Map([['a', { result }]]) : new Map()),
        // First poll: nothing yet. Second: Postgres is restarting. From the third on it would be back with the result.
        finishedIds: async () => {
          idReads += 1;
          if (idReads === 2) throw new TemporaryError('database unavailable: connect ECONNREFUSED 127.0.0.1:5432');
          return idReads === 1 ? new Set<string>() : new Set(['a']);
        },
      },
    } as unknown as SqlStore;
    const outcome = await runTrials([spec('a')], {
      store,
      logger: new RecordingLogger(),
      queue: { redisUrl: queueUrl, name: 'sweeps', prefix, localWorkers: 0 },
    }).then(
      () => 'finished',
      (error: Error) => `failed: ${error.message}`,
    );
    expect(outcome).toBe('finished');
    expect(idReads).toBe(3);
  }, 30_000);
});
