import { describe, expect, it } from 'vitest';
import { DecisionRecorder } from '../../../src/engine/decision-recorder.js';
import { newestScorable } from '../../../src/engine/model-scoring.js';
import type { DecisionRecord } from '../../../src/ports/store.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-10-01T00:00:00Z');

function hold(time: Date): DecisionRecord {
  return {
    time,
    symbol: 'BTC/USDT:USDT',
    analyst: 'trend',
    purpose: 'entry',
    outcome: 'valid',
    action: 'hold',
    confidence: 0.5,
    reasoning: 'no edge',
    usage: { model: 'technical', latencyMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, promptHash: 'h', cached: false },
    price: 60_000,
  };
}

describe('decision recorder in a replay (batched writes)', () => {
  it('when scoring asks for votes older than its horizon and the buffer holds only newer ones, then nothing is written yet', async () => {
    const { ctx, store } = await engineFixture({ start: START, analysts: [], settings: { decisionBatchRows: 500 } });
    const recorder = new DecisionRecorder(ctx);
    await recorder.record([hold(new Date('2025-10-01T10:00:00Z'))]);

    await recorder.flushFrom(newestScorable(new Date('2025-10-02T09:59:59Z')));
    expect(await store.decisions.unscored(new Date('2025-10-03T00:00:00Z'), 10)).toHaveLength(0);
    expect(await store.decisions.costBetween(START, new Date('2025-10-03T00:00:00Z'))).toBe(0);
  });

  it('when a buffered vote has reached the scoring horizon, then the whole buffer is written before scoring reads', async () => {
    const { ctx, store } = await engineFixture({ start: START, analysts: [], settings: { decisionBatchRows: 500 } });
    const recorder = new DecisionRecorder(ctx);
    const long = { ...hold(new Date('2025-10-01T10:00:00Z')), action: 'long' as const, side: 'long' as const, stopLossPct: 6, takeProfitPct: 12, usage: { ...hold(START).usage, costUsd: 0.01 } };
    await recorder.record([long, { ...hold(new Date('2025-10-02T09:00:00Z')), usage: { ...hold(START).usage, costUsd: 0.02 } }]);

    await recorder.flushFrom(newestScorable(new Date('2025-10-02T10:00:00Z')));
    expect((await store.decisions.unscored(new Date('2025-10-03T00:00:00Z'), 10)).map((vote) => vote.time.toISOString())).toEqual(['2025-10-01T10:00:00.000Z']);
    expect(await store.decisions.costBetween(START, new Date('2025-10-03T00:00:00Z'))).toBeCloseTo(0.03, 10);
  });
});
