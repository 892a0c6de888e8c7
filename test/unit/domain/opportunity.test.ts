import { describe, expect, it } from 'vitest';
import type { MarketSnapshot, RegimeKind, TimeframeView, TrendDirection } from '../../../src/domain/analysis.js';
import { reachConsensus, type Consensus } from '../../../src/domain/consensus.js';
import type { Timeframe } from '../../../src/domain/market.js';
import { meetsMinimumScore, scoreOpportunity, scoreText } from '../../../src/domain/opportunity.js';
import { DEFAULT_CONSENSUS } from '../../../src/domain/settings.js';
import { vote } from '../../support/factories.js';

function view(timeframe: Timeframe, trend: TrendDirection): TimeframeView {
  return { timeframe, candles: [], indicators: { close: 100, volume: 1 }, trend };
}

function snapshot(regime: { kind: RegimeKind; direction: TrendDirection }, trends: [TrendDirection, TrendDirection, TrendDirection] = ['flat', 'flat', 'flat']): MarketSnapshot {
  return {
    symbol: 'ETH/USDT:USDT',
    time: new Date('2025-10-01T00:00:00Z'),
    lastClosedCandle: 0,
    price: 100,
    markPrice: 100,
    quoteVolume24h: 1e9,
    fundingRate: 0.0001,
    regime: { ...regime, reason: 'test' },
    timeframes: { '15m': view('15m', trends[0]), '1h': view('1h', trends[1]), '4h': view('4h', trends[2]) },
  };
}

const RANGING = { kind: 'RANGING', direction: 'flat' } as const;

/** The consensus of `agreeing` long votes at `confidence`, each stating `riskReward` (or none). */
function longs(agreeing: number, confidence = 0.8, riskReward: number | 'none' = 2): Consensus {
  const stated = riskReward === 'none' ? undefined : riskReward;
  const votes = Array.from({ length: agreeing }, (_, index) => vote({ analyst: `a${index}`, confidence, riskReward: stated }));
  return reachConsensus(votes, DEFAULT_CONSENSUS, 5);
}

describe('opportunity score: confidence (40 points)', () => {
  it('when the agreeing analysts average 80% confidence, then confidence earns 32 points', () => {
    expect(scoreOpportunity(snapshot(RANGING), longs(2, 0.8)).confidence).toBeCloseTo(32, 12);
  });

  it('when they are certain, then confidence earns the full 40', () => {
    expect(scoreOpportunity(snapshot(RANGING), longs(2, 1)).confidence).toBe(40);
  });
});

describe('opportunity score: consensus strength (20 points)', () => {
  it('when all three analysts agree, then consensus earns 20', () => {
    expect(scoreOpportunity(snapshot(RANGING), longs(3)).consensus).toBe(20);
  });

  it('when two agree, then consensus earns 10, however many were asked', () => {
    expect(scoreOpportunity(snapshot(RANGING), longs(2)).consensus).toBe(10);
  });
});

describe('opportunity score: regime fit (20 points)', () => {
  it('when the market is TRENDING the way of the trade, then regime earns 20', () => {
    expect(scoreOpportunity(snapshot({ kind: 'TRENDING', direction: 'up' }), longs(2)).regimeFit).toBe(20);
  });

  it('when the market is TRENDING against the trade, then regime earns 0 (the documented deviation from the spec)', () => {
    expect(scoreOpportunity(snapshot({ kind: 'TRENDING', direction: 'down' }), longs(2)).regimeFit).toBe(0);
  });

  it('when the market is RANGING, then regime earns 10', () => {
    expect(scoreOpportunity(snapshot(RANGING), longs(2)).regimeFit).toBe(10);
  });

  it('when the market is VOLATILE, then regime earns 5, whichever way it moves', () => {
    expect(scoreOpportunity(snapshot({ kind: 'VOLATILE', direction: 'down' }), longs(2)).regimeFit).toBe(5);
    expect(scoreOpportunity(snapshot({ kind: 'VOLATILE', direction: 'up' }), longs(2)).regimeFit).toBe(5);
  });
});

describe('opportunity score: risk/reward (10 points)', () => {
  it.each([
    [3, 10],
    [2, 10],
    // 2:1 from the prices entry 98.31, stop 92.32, target 110.29: 1.9999999999999976 in floating point.
    [(110.29 - 98.31) / (98.31 - 92.32), 10],
    [1.99, 5],
    [1.5, 5],
    [1.49, 0],
  ])('when the analysts state a risk/reward of %s, then it earns %s', (riskReward, points) => {
    expect(scoreOpportunity(snapshot(RANGING), longs(2, 0.8, riskReward)).riskReward).toBe(points);
  });

  it('when the analysts state 2 but the stop they are placed at makes their 9.6% target 1.92, then it earns 5', () => {
    const votes = ['a', 'b'].map((analyst) => vote({ analyst, stopLossPct: 0.05, takeProfitPct: 0.096, riskReward: 2 }));

    expect(scoreOpportunity(snapshot(RANGING), reachConsensus(votes, DEFAULT_CONSENSUS, 5)).riskReward).toBe(5);
  });

  it('when no analyst states one, then the 1.5 minimum they are held to is assumed: 5 points', () => {
    expect(scoreOpportunity(snapshot(RANGING), longs(2, 0.8, 'none')).riskReward).toBe(5);
  });
});

describe('opportunity score: timeframe alignment (10 points)', () => {
  it.each([
    [['up', 'up', 'up'], 10],
    [['up', 'up', 'flat'], 20 / 3],
    [['down', 'up', 'flat'], 10 / 3],
    [['down', 'flat', 'down'], 0],
  ] as const)('when the 15m/1h/4h trends are %j for a long, then alignment earns %s', (trends, points) => {
    expect(scoreOpportunity(snapshot(RANGING, [...trends]), longs(2)).alignment).toBeCloseTo(points, 12);
  });
});

describe('opportunity score: total', () => {
  it('adds the five parts: 3 certain analysts, with the trend, risk/reward 2, all timeframes up = 100', () => {
    const score = scoreOpportunity(snapshot({ kind: 'TRENDING', direction: 'up' }, ['up', 'up', 'up']), longs(3, 1, 2));
    expect(score.total).toBe(100);
  });

  it('when there is no trade, then the score is 0', () => {
    expect(scoreOpportunity(snapshot(RANGING), longs(1)).total).toBe(0);
  });
});

describe('opportunity score: the minimum', () => {
  it('when three confidences summing to 2.75 make exactly 80 in a ranging market, then the total meets a minimum of 80', () => {
    const votes = [0.75, 1, 1].map((confidence, index) => vote({ analyst: `a${index}`, confidence, riskReward: 2 }));
    const score = scoreOpportunity(snapshot(RANGING, ['up', 'flat', 'flat']), reachConsensus(votes, DEFAULT_CONSENSUS, 5));
    // 36.67 + 20 + 10 + 10 + 3.33 in floating point: 79.99999999999999.
    expect(score.total).toBeCloseTo(80, 9);
    expect(meetsMinimumScore(score, 80)).toBe(true);
  });

  it('when the total is short of the minimum by more than noise, then it does not meet it', () => {
    const score = scoreOpportunity(snapshot(RANGING, ['up', 'flat', 'flat']), longs(3, 0.9));
    expect(score.total).toBeCloseTo(79.33, 2);
    expect(meetsMinimumScore(score, 80)).toBe(false);
  });
});

describe('a score as the owner reads it', () => {
  it('is rounded down to a tenth, so one that missed the minimum never reads as the minimum', () => {
    expect(scoreText(79.6)).toBe('79.6');
    expect(scoreText(79.96)).toBe('79.9');
    expect(scoreText(79.99999999999999)).toBe('80');
    expect(scoreText(65)).toBe('65');
  });
});
