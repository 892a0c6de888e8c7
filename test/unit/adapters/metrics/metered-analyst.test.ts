import { describe, expect, it } from 'vitest';
import { MeteredAnalyst, type AnalystCallObserver } from '../../../../src/adapters/metrics/index.js';
import { ScriptedAnalyst } from '../../../../src/testing/scripted-analyst.js';
import type { ExitVote, MarketSnapshot, Vote } from '../../../../src/domain/analysis.js';
import { position } from '../../../support/factories.js';

// The scripted analyst never looks inside the snapshot, so an empty object is enough here.
const snapshot = {} as MarketSnapshot;

class RecordingObserver implements AnalystCallObserver {
  readonly seen: (Vote | ExitVote)[] = [];
  observeAnalystCall(vote: Vote | ExitVote): void {
    this.seen.push(vote);
  }
}

describe('a metered analyst', () => {
  it('keeps the inner analyst\u2019s name and kind, so votes and track records stay the same', () => {
    const metered = new MeteredAnalyst(new ScriptedAnalyst('trend', () => ({ action: 'long' })), new RecordingObserver());

    expect(metered.name).toBe('trend');
    expect(metered.kind).toBe('technical');
  });

  it('when asked for a vote, then it returns the inner vote unchanged and observes that same vote', async () => {
    const inner = new ScriptedAnalyst('trend', () => ({ action: 'short', confidence: 0.9 }));
    const observer = new RecordingObserver();
    const metered = new MeteredAnalyst(inner, observer);

    const answer = await metered.assess(snapshot);

    expect(answer).toMatchObject({ analyst: 'trend', action: 'short', confidence: 0.9 });
    expect(observer.seen).toEqual([answer]);
    expect(inner.asked).toHaveLength(1);
  });

  it('when asked for an exit opinion, then that answer is observed too', async () => {
    const inner = new ScriptedAnalyst('trend', () => ({ action: 'hold' }));
    inner.exitAnswer = { outcome: 'valid', shouldExit: true, confidence: 0.7, reason: 'trend broke' };
    const observer = new RecordingObserver();

    const answer = await new MeteredAnalyst(inner, observer).exitOpinion(position(), snapshot);

    expect(answer.shouldExit).toBe(true);
    expect(observer.seen).toEqual([answer]);
  });

  it('when the metrics side throws, then the engine still gets the vote', async () => {
    const broken: AnalystCallObserver = {
      observeAnalystCall: () => {
        throw new Error('label cardinality exceeded');
      },
    };
    const metered = new MeteredAnalyst(new ScriptedAnalyst('trend', () => ({ action: 'long' })), broken);

    await expect(metered.assess(snapshot)).resolves.toMatchObject({ action: 'long' });
  });
});
