// A sweep trial records into an in-memory store; it used to open an embedded PGlite per trial. The figures a sweep
// compares must not depend on which: the same window and setting give the same result on both.
import { describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../../src/adapters/market-data/replay/index.js';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { HistoryCache, runTrial, type TrialSpec } from '../../../src/cli/sweep-trial.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';

const spec: TrialSpec = {
  sweepId: 'trial-store',
  trialId: 't0',
  historyDir: bundledHistoryDir(),
  symbols: ['BTCUSDT', 'ETHUSDT'],
  variables: {},
  calendar: [],
  from: '2025-09-14T00:00:00.000Z',
  to: '2025-10-20T00:00:00.000Z',
  setting: { MIN_OPPORTUNITY_SCORE: '70' },
};

describe('a sweep trial', () => {
  it('gives the same result in memory as on an embedded Postgres', async () => {
    const logger = new RecordingLogger();
    const histories = new HistoryCache();
    const inMemory = await runTrial(spec, histories, logger);
    const onPglite = await runTrial(spec, histories, logger, () => openStore({ logger }));

    // A window with trades, so the comparison covers booking, fees and funding rather than an empty account.
    expect(inMemory.trades).toBeGreaterThan(0);
    expect(onPglite).toEqual(inMemory);
  }, 120_000);
});
