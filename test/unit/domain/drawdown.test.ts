import { describe, expect, it } from 'vitest';
import { DEFAULT_DRAWDOWN, initialDrawdownState, observeEquity, resumeAfterDrawdown } from '../../../src/domain/drawdown.js';

const now = new Date('2025-06-01T00:00:00Z');

describe('drawdown kill switch', () => {
  it('warns once at each step below the peak, and again only after a new peak', () => {
    let state = initialDrawdownState(1000, now);
    let t = observeEquity(state, 951, now, DEFAULT_DRAWDOWN);
    expect(t.changes).toEqual([]);
    t = observeEquity(t.state, 950, now, DEFAULT_DRAWDOWN);
    expect(t.changes).toMatchObject([{ kind: 'warning', step: 0.05 }]);
    t = observeEquity(t.state, 940, now, DEFAULT_DRAWDOWN);
    expect(t.changes).toEqual([]);
    t = observeEquity(t.state, 1001, now, DEFAULT_DRAWDOWN);
    expect(t.state.peakEquity).toBe(1001);
    state = observeEquity(t.state, 900, now, DEFAULT_DRAWDOWN).state;
    expect(state.warned).toEqual([0.05, 0.1]);
  });

  it('trips at MAX_DRAWDOWN_PERCENT exactly, not a cent before, and stays tripped when equity recovers', () => {
    const state = initialDrawdownState(1000, now);
    expect(observeEquity(state, 750.01, now, DEFAULT_DRAWDOWN).state.tripped).toBe(false);
    const tripped = observeEquity(state, 750, now, DEFAULT_DRAWDOWN);
    expect(tripped.state.tripped).toBe(true);
    expect(tripped.changes.map((c) => c.kind)).toEqual(['warning', 'warning', 'tripped']);
    expect(observeEquity(tripped.state, 800, now, DEFAULT_DRAWDOWN).state.tripped).toBe(true);
    expect(observeEquity(tripped.state, 700, now, DEFAULT_DRAWDOWN).changes).toEqual([]);
  });

  it('/resume lifts it and measures from the equity at that moment', () => {
    const tripped = observeEquity(initialDrawdownState(1000, now), 700, now, DEFAULT_DRAWDOWN).state;
    const resumed = resumeAfterDrawdown(tripped, 700, now, 'owner');
    expect(resumed.state).toMatchObject({ tripped: false, peakEquity: 700, warned: [] });
    expect(resumed.changes).toMatchObject([{ kind: 'cleared' }]);
    expect(resumeAfterDrawdown(resumed.state, 700, now, 'owner').changes).toEqual([]);
  });

  it('a /resume sent before the switch tripped does not lift it; one sent after does', () => {
    const tripped = observeEquity(initialDrawdownState(1000, now), 700, now, DEFAULT_DRAWDOWN).state;
    expect(resumeAfterDrawdown(tripped, 700, now, 'owner', new Date(now.getTime() - 10_000))).toEqual({ state: tripped, changes: [] });
    expect(resumeAfterDrawdown(tripped, 700, now, 'owner', new Date(now.getTime() - 1_000)).state.tripped).toBe(false);
    expect(resumeAfterDrawdown(tripped, 700, now, 'owner', now).state.tripped).toBe(false);
  });
});
