import { describe, expect, it } from 'vitest';
import { EXIT_CONFIDENCE, MomentumAnalyst, ReversionAnalyst, TrendAnalyst } from '../../../../../src/adapters/analyst/technical/index.js';
import type { Side } from '../../../../../src/domain/market.js';
import { DEFAULT_RISK } from '../../../../../src/domain/settings.js';
import type { Position } from '../../../../../src/domain/trading.js';
import { rangeWithSpikeToLowerBand, snapshotOf, trendResumingOnVolume } from './synthetic-market.js';

const uptrend = snapshotOf(trendResumingOnVolume());
const downtrend = snapshotOf(trendResumingOnVolume(true));
const rangeSpike = snapshotOf(rangeWithSpikeToLowerBand());

function position(side: Side, entryPrice: number): Position {
  return {
    id: 'p-1',
    symbol: 'TEST/USDT:USDT',
    side,
    status: 'open',
    leverage: 3,
    quantity: 1,
    entryPrice,
    margin: entryPrice / 3,
    stopPrice: side === 'long' ? entryPrice * 0.95 : entryPrice * 1.05,
    stopLossPct: 0.05,
    liquidationPrice: side === 'long' ? entryPrice * 0.67 : entryPrice * 1.33,
    entryFee: 0.05,
    funding: 0,
    openedAt: new Date(Date.UTC(2025, 0, 1)),
    rationale: { confidence: 0.8, opportunityScore: 85, agreeing: ['trend', 'momentum'], dissenting: [] },
  };
}

describe('exit opinions', () => {
  const trend = new TrendAnalyst(DEFAULT_RISK);
  const momentum = new MomentumAnalyst(DEFAULT_RISK);
  const reversion = new ReversionAnalyst(DEFAULT_RISK);

  it('when a long is held while every timeframe now trends down and the bounce has ended, then the trend analyst wants out', async () => {
    const opinion = await trend.exitOpinion(position('long', downtrend.price * 1.05), downtrend);
    expect(opinion.shouldExit).toBe(true);
    expect(opinion.confidence).toBeGreaterThanOrEqual(EXIT_CONFIDENCE);
    expect(opinion.reason).toContain('turned short');
    expect(opinion.outcome).toBe('valid');
  });

  it('when a long is held in a trend that is still up, then the trend analyst stays in', async () => {
    const opinion = await trend.exitOpinion(position('long', uptrend.price * 0.95), uptrend);
    expect(opinion.shouldExit).toBe(false);
    expect(opinion.reason).toContain('No firm trend-following case against the long');
  });

  it('when a short is held into an upside breakout on volume, then the momentum analyst wants out', async () => {
    const opinion = await momentum.exitOpinion(position('short', uptrend.price), uptrend);
    expect(opinion.shouldExit).toBe(true);
  });

  it('when a short is held at an oversold extreme of a range, then the reversion analyst wants out; a long it keeps', async () => {
    expect((await reversion.exitOpinion(position('short', rangeSpike.price), rangeSpike)).shouldExit).toBe(true);
    expect((await reversion.exitOpinion(position('long', rangeSpike.price), rangeSpike)).shouldExit).toBe(false);
  });

  it('every exit opinion is a free, valid, deterministic rule-based call with confidence in [0, 1]', async () => {
    for (const analyst of [trend, momentum, reversion]) {
      for (const snapshot of [uptrend, downtrend, rangeSpike]) {
        const held = position('long', snapshot.price);
        const opinion = await analyst.exitOpinion(held, snapshot);
        expect(opinion).toEqual(await analyst.exitOpinion(held, snapshot));
        expect(opinion.analyst).toBe(analyst.name);
        expect(opinion.usage.model).toBe(`rules:${analyst.name}`);
        expect(opinion.confidence).toBeGreaterThanOrEqual(0);
        expect(opinion.confidence).toBeLessThanOrEqual(1);
      }
    }
  });
});
