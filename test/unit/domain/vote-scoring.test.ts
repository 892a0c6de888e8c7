import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../src/domain/market.js';
import { scoreVote } from '../../../src/domain/vote-scoring.js';

const T0 = Date.UTC(2025, 9, 1, 12, 0);
const STEP = 15 * 60_000;
// A long at 100 with a 5% stop (95) and a 10% target (110).
const long = { time: new Date(T0), side: 'long' as const, price: 100, stopLossPct: 0.05, takeProfitPct: 0.1 };

function candles(ranges: [low: number, high: number][], from = T0): Candle[] {
  return ranges.map(([low, high], index) => ({ openTime: from + index * STEP, open: low, high, low, close: high, volume: 1 }));
}

const quiet = (n: number): [number, number][] => Array.from({ length: n }, () => [99, 101]);

describe('scoring a vote against the candles that followed it', () => {
  it('is a hit when the target is reached before the stop', () => {
    expect(scoreVote(long, candles([[99, 101], [100, 110], [94, 96]]))).toBe(true);
  });

  it('is a miss when the stop is reached first', () => {
    expect(scoreVote(long, candles([[99, 101], [95, 100], [100, 111]]))).toBe(false);
  });

  it('counts a candle spanning both levels as the stop first', () => {
    expect(scoreVote(long, candles([[94, 111]]))).toBe(false);
  });

  it('is a miss when neither level is reached within the 24 h horizon', () => {
    expect(scoreVote(long, candles(quiet(96)))).toBe(false);
  });

  it('cannot be scored before the horizon is covered, or without the candle of the vote', () => {
    expect(scoreVote(long, candles(quiet(95)))).toBeUndefined();
    expect(scoreVote(long, candles(quiet(96), T0 + STEP))).toBeUndefined();
  });

  it('mirrors for a short', () => {
    const short = { ...long, side: 'short' as const };
    expect(scoreVote(short, candles([[89, 106]]))).toBe(false);
    expect(scoreVote(short, candles([[99, 106]]))).toBe(false);
    expect(scoreVote(short, candles([[95, 101], [90, 99]]))).toBe(true);
  });

  it('when the vote was cast mid-way through a candle, then what that candle did before the vote is not counted', () => {
    const midway = { ...long, time: new Date(T0 + 10 * 60_000) };
    // The candle the vote falls in reached 110 before it; the candles after it never reach a level.
    expect(scoreVote(midway, candles([[99, 111], ...quiet(97)]))).toBe(false);
    expect(scoreVote(midway, candles([[94, 101], [100, 111], ...quiet(96)]))).toBe(true);
    // The next candle is missing: where the horizon begins is unknown.
    expect(scoreVote(midway, candles(quiet(97), T0 + 2 * STEP))).toBeUndefined();
  });
});
