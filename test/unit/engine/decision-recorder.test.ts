import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../../src/domain/errors.js';
import { DecisionRecorder } from '../../../src/engine/decision-recorder.js';
import { newestScorable } from '../../../src/engine/model-scoring.js';
import type { ExitVote, Vote } from '../../../src/domain/analysis.js';
import type { DecisionRecord } from '../../../src/ports/store.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { newPosition } from '../../integration/store/contract-fixtures.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { decisionRecord } from '../../support/factories.js';

const START = new Date('2025-10-01T00:00:00Z');

function hold(time: Date): DecisionRecord {
  return decisionRecord({ time });
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

describe('decision recorder when the store refuses', () => {
  it('when the store is away, then the batch waits for the next flush; when it refuses the batch itself, then that batch is logged and let go, and recording goes on', async () => {
    const { ctx, store, logger } = await engineFixture({ start: START, analysts: [], settings: { decisionBatchRows: 500 } });
    let answer: 'away' | 'refuse' | 'store' = 'away';
    const recordMany = store.decisions.recordMany.bind(store.decisions);
    const decisions = Object.assign(Object.create(store.decisions) as typeof store.decisions, {
      recordMany: async (records: readonly DecisionRecord[]) => {
        if (answer === 'away') throw new TemporaryError('database unavailable: connection refused');
        if (answer === 'refuse') throw new Error('invalid input syntax for type json');
        return recordMany(records);
      },
    });
    const recorder = new DecisionRecorder({ ...ctx, store: Object.assign(Object.create(store) as typeof store, { decisions }) });

    await recorder.record([hold(new Date('2025-10-01T10:00:00Z'))]);
    await expect(recorder.flush()).rejects.toThrow('connection refused');
    answer = 'refuse';
    await recorder.flush();
    answer = 'store';
    await recorder.record([hold(new Date('2025-10-01T11:00:00Z'))]);
    await recorder.flush();

    expect((await store.decisions.list({ from: START, to: new Date('2025-10-02T00:00:00Z') })).map((record) => record.time.toISOString())).toEqual(['2025-10-01T11:00:00.000Z']);
    expect(logger.lines.filter((line) => line.level === 'error').map((line) => line.message)).toEqual(['the store refused these AI decision records; they are dropped, and recording goes on']);
  });
});

describe('decision recorder: what is stored', () => {
  const exitVote = (analyst: string, shouldExit: boolean): ExitVote => ({
    analyst,
    outcome: 'valid',
    shouldExit,
    confidence: 0.7,
    reason: shouldExit ? 'turned short' : 'no case against',
    usage: hold(START).usage,
  });
  const vote = (analyst: string, action: Vote['action'], outcome: Vote['outcome'] = 'valid'): Vote => ({
    analyst,
    outcome,
    action,
    confidence: 0.8,
    ...(action === 'hold' ? {} : { leverage: 3, stopLossPct: 0.06, takeProfitPct: 0.12 }),
    reasoning: 'r',
    keyFactors: [],
    usage: hold(START).usage,
  });

  it("when a technical analyst holds or stays, then nothing is stored; its calls to act and an AI model's holds are", async () => {
    const trend = new ScriptedAnalyst('trend', () => ({ action: 'hold' }));
    const claude = new ScriptedAnalyst('claude', () => ({ action: 'hold' }), 'ai');
    const { ctx } = await engineFixture({ start: START, analysts: [trend, claude], exitAnalysts: [trend, claude] });
    const recorder = new DecisionRecorder(ctx);

    const entries = recorder.entryRecords('BTC/USDT:USDT', 60_000, [
      vote('trend', 'hold'),
      vote('trend', 'long'),
      { ...vote('trend', 'hold', 'rejected'), reason: 'stop outside the limits' },
      vote('claude', 'hold'),
    ]);
    expect(entries.map((record) => `${record.analyst}:${record.action}:${record.outcome}`)).toEqual([
      'trend:long:valid',
      'trend:hold:rejected',
      'claude:hold:valid',
    ]);
  });

  it('when technical exit opinions say stay, then only the AI opinion and the call to exit are stored', async () => {
    const trend = new ScriptedAnalyst('trend', () => ({ action: 'hold' }));
    const claude = new ScriptedAnalyst('claude', () => ({ action: 'hold' }), 'ai');
    const { ctx, store } = await engineFixture({ start: START, analysts: [trend], exitAnalysts: [trend, claude] });
    const recorder = new DecisionRecorder(ctx);
    const position = await store.positions.create(newPosition());

    await recorder.recordExitVotes(position, 60_000, [exitVote('trend', false), exitVote('trend', true), exitVote('claude', false)]);
    expect((await store.decisions.list({})).map((record) => `${record.analyst}:${record.action}`)).toEqual(['trend:exit', 'claude:stay']);
  });

  it('when an exit opinion was not asked (no call made: the monthly AI budget is spent), then it is no row, and no failure on the model\'s record', async () => {
    const claude = new ScriptedAnalyst('claude', () => ({ action: 'hold' }), 'ai');
    const { ctx, store } = await engineFixture({ start: START, analysts: [claude], exitAnalysts: [claude] });
    const recorder = new DecisionRecorder(ctx);
    const position = await store.positions.create(newPosition());
    const notAsked: ExitVote = { ...exitVote('claude', false), outcome: 'failed', reason: 'monthly AI budget of $5.00 reached', usage: { ...hold(START).usage, cached: true, costUsd: 0 } };
    const failed: ExitVote = { ...exitVote('claude', false), outcome: 'failed', reason: 'timeout' };

    await recorder.recordExitVotes(position, 60_000, [notAsked]);
    await recorder.recordExitVotes(position, 60_000, [failed]);

    expect((await store.decisions.list({})).map((record) => `${record.outcome}:${record.reason}`)).toEqual(['failed:timeout']);
  });
});

describe('decision recorder: when scoring is due', () => {
  const long = (time: Date): DecisionRecord => ({ ...hold(time), action: 'long', side: 'long', stopLossPct: 0.06, takeProfitPct: 0.12 });

  it('after a start it is always due, since the store may hold older votes', async () => {
    const { ctx } = await engineFixture({ start: START, analysts: [] });
    expect(new DecisionRecorder(ctx).scoringDue(START)).toBe(true);
  });

  it('once caught up, it is due only when a directional vote recorded since is older than the cut-off', async () => {
    const { ctx } = await engineFixture({ start: START, analysts: [] });
    const recorder = new DecisionRecorder(ctx);
    recorder.scoredUpTo(new Date('2025-10-01T00:00:00Z'));
    await recorder.record([hold(new Date('2025-10-01T01:00:00Z')), long(new Date('2025-10-01T02:00:00Z'))]);

    expect(recorder.scoringDue(new Date('2025-10-01T02:00:00Z'))).toBe(false);
    expect(recorder.scoringDue(new Date('2025-10-01T02:00:01Z'))).toBe(true);
    recorder.scoredUpTo(new Date('2025-10-01T02:00:01Z'));
    expect(recorder.scoringDue(new Date('2025-10-02T00:00:00Z'))).toBe(false);
  });
});
