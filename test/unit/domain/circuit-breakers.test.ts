import { describe, expect, it } from 'vitest';
import {
  entryBlocks,
  initialBreakerState,
  pauseEntries,
  recordTradeResult,
  resumeEntries,
  rollBreakerDay,
} from '../../../src/domain/circuit-breakers.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';

const morning = new Date('2025-10-10T09:00:00Z');
const fresh = initialBreakerState(morning, 100);

describe('daily loss breaker', () => {
  it('when today\u2019s realised loss is $9.99 of a $100 day, entries continue', () => {
    const { state, changes } = recordTradeResult(fresh, -9.99, morning, DEFAULT_RISK);
    expect(changes).toEqual([]);
    expect(entryBlocks(state, morning)).toEqual([]);
  });

  it('when it reaches $10 (10%), entries stop until the next UTC day', () => {
    const { state, changes } = recordTradeResult(fresh, -10, morning, DEFAULT_RISK);
    expect(changes).toMatchObject([{ breaker: 'daily_loss', action: 'tripped', until: new Date('2025-10-11T00:00:00Z') }]);
    expect(entryBlocks(state, morning).map((block) => block.breaker)).toEqual(['daily_loss']);
  });

  it('adds up the day\u2019s trades, wins included', () => {
    let state = recordTradeResult(fresh, -6, morning, DEFAULT_RISK).state;
    state = recordTradeResult(state, 1, morning, DEFAULT_RISK).state;
    const last = recordTradeResult(state, -4.5, morning, DEFAULT_RISK);
    expect(last.state.realizedToday).toBeCloseTo(-9.5, 12);
    expect(last.changes).toEqual([]);
  });

  it('clears at midnight UTC and starts the new day from the current capital', () => {
    const tripped = recordTradeResult(fresh, -12, morning, DEFAULT_RISK).state;
    const { state, changes } = rollBreakerDay(tripped, new Date('2025-10-11T00:00:00Z'), 88);
    expect(changes).toMatchObject([{ breaker: 'daily_loss', action: 'cleared' }]);
    expect(state).toMatchObject({ day: '2025-10-11', dayStartCapital: 88, realizedToday: 0, dailyLossTripped: false });
  });

  it('is not lifted by /resume', () => {
    const tripped = recordTradeResult(fresh, -12, morning, DEFAULT_RISK).state;
    expect(entryBlocks(resumeEntries(tripped, 'owner').state, morning).map((b) => b.breaker)).toEqual(['daily_loss']);
  });
});

describe('losing streak', () => {
  const lose = (state = fresh, times = 1) => {
    let current = state;
    const changes = [];
    for (let i = 0; i < times; i += 1) {
      const result = recordTradeResult(current, -1, morning, DEFAULT_RISK);
      current = result.state;
      changes.push(...result.changes);
    }
    return { state: current, changes };
  };

  it('two losses in a row do not pause; the third does', () => {
    expect(lose(fresh, 2).changes).toEqual([]);
    expect(lose(fresh, 3).changes).toMatchObject([{ breaker: 'loss_streak', action: 'tripped' }]);
  });

  it('a win in between resets the count', () => {
    const afterWin = recordTradeResult(lose(fresh, 2).state, 0.5, morning, DEFAULT_RISK).state;
    expect(lose(afterWin, 2).changes).toEqual([]);
  });

  it('/resume lifts the pause and restarts the count', () => {
    const { state, changes } = resumeEntries(lose(fresh, 3).state, 'owner');
    expect(changes).toMatchObject([{ breaker: 'loss_streak', action: 'cleared' }]);
    expect(state.consecutiveLosses).toBe(0);
    expect(entryBlocks(state, morning)).toEqual([]);
  });

  it('the next UTC day lifts it too', () => {
    const { state } = rollBreakerDay(lose(fresh, 3).state, new Date('2025-10-11T00:00:01Z'), 97);
    expect(entryBlocks(state, morning)).toEqual([]);
  });
});

describe('manual pause', () => {
  it('blocks entries until resumed, across days', () => {
    const paused = pauseEntries(fresh, 'owner').state;
    const nextDay = rollBreakerDay(paused, new Date('2025-10-12T00:00:00Z'), 100).state;
    expect(entryBlocks(nextDay, morning).map((b) => b.breaker)).toEqual(['manual_pause']);
    expect(entryBlocks(resumeEntries(nextDay, 'owner').state, morning)).toEqual([]);
  });
});
