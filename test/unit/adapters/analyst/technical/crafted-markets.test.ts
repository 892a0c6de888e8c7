import { describe, expect, it } from 'vitest';
import { MomentumAnalyst, ReversionAnalyst, TrendAnalyst } from '../../../../../src/adapters/analyst/technical/index.js';
import type { TechnicalAnalyst } from '../../../../../src/adapters/analyst/technical/index.js';
import type { MarketSnapshot, Vote } from '../../../../../src/domain/analysis.js';
import { DEFAULT_RISK } from '../../../../../src/domain/settings.js';
import type { RiskSettings } from '../../../../../src/domain/settings.js';
import { rangeWithSpikeToLowerBand, snapshotOf, trendResumingOnVolume } from './synthetic-market.js';

const markets: Record<string, MarketSnapshot> = {
  'a clean uptrend resuming on volume': snapshotOf(trendResumingOnVolume()),
  'a clean downtrend resuming on volume': snapshotOf(trendResumingOnVolume(true)),
  'a flat range with a spike to the lower band': snapshotOf(rangeWithSpikeToLowerBand()),
};

function analysts(risk: RiskSettings = DEFAULT_RISK): TechnicalAnalyst[] {
  return [new TrendAnalyst(risk), new ReversionAnalyst(risk), new MomentumAnalyst(risk)];
}

const expectedActions: Record<string, Record<string, Vote['action']>> = {
  // The trend follower joins aligned trends when the pause ends; momentum joins the volume breakout; reversion
  // stands aside because the regime is a trend, not a range.
  'a clean uptrend resuming on volume': { trend: 'long', reversion: 'hold', momentum: 'long' },
  'a clean downtrend resuming on volume': { trend: 'short', reversion: 'hold', momentum: 'short' },
  // Reversion buys the stretched, oversold close; the trend follower sees no aligned trend; momentum does not chase
  // a drop that is already stalling on ordinary volume.
  'a flat range with a spike to the lower band': { trend: 'hold', reversion: 'long', momentum: 'hold' },
};

describe('the crafted markets are what their names say', () => {
  it('when the uptrend is built, then the regime reads TRENDING up and all three timeframes trend up', () => {
    const snapshot = markets['a clean uptrend resuming on volume']!;
    expect(snapshot.regime).toMatchObject({ kind: 'TRENDING', direction: 'up' });
    expect([snapshot.timeframes['15m'].trend, snapshot.timeframes['1h'].trend, snapshot.timeframes['4h'].trend]).toEqual(['up', 'up', 'up']);
  });

  it('when the range spike is built, then the regime is RANGING and the 15m close is below the lower band', () => {
    const snapshot = markets['a flat range with a spike to the lower band']!;
    expect(snapshot.regime.kind).toBe('RANGING');
    expect(snapshot.timeframes['15m'].indicators.bollinger!.percentB).toBeLessThan(0);
  });
});

describe.each(Object.keys(markets))('on %s', (market) => {
  const snapshot = markets[market]!;

  it.each(['trend', 'reversion', 'momentum'])('the %s analyst gives the expected action', async (name) => {
    const analyst = analysts().find((a) => a.name === name)!;
    const vote = await analyst.assess(snapshot);
    expect(vote.action).toBe(expectedActions[market]![name]);
    expect(vote.outcome).toBe('valid');
  });

  it('every vote keeps confidence within [0, 1], and every trade vote keeps its stop within bounds and R:R >= 1.5', async () => {
    for (const risk of [DEFAULT_RISK, { ...DEFAULT_RISK, minStopLossPct: 0.005, maxStopLossPct: 0.04 }]) {
      for (const analyst of analysts(risk)) {
        const vote = await analyst.assess(snapshot);
        expect(vote.confidence).toBeGreaterThanOrEqual(0);
        expect(vote.confidence).toBeLessThanOrEqual(1);
        if (vote.action === 'hold') {
          expect(vote.stopLossPct).toBeUndefined();
          continue;
        }
        expect(vote.stopLossPct!).toBeGreaterThanOrEqual(risk.minStopLossPct);
        expect(vote.stopLossPct!).toBeLessThanOrEqual(risk.maxStopLossPct);
        expect(vote.riskReward!).toBeGreaterThanOrEqual(1.5);
        expect(vote.takeProfitPct! / vote.stopLossPct!).toBeCloseTo(vote.riskReward!, 12);
        expect(vote.leverage!).toBeGreaterThanOrEqual(2);
        expect(vote.leverage!).toBeLessThanOrEqual(5);
      }
    }
  });

  it('every vote explains itself with numbers and is labelled as a free rule-based call', async () => {
    for (const analyst of analysts()) {
      const vote = await analyst.assess(snapshot);
      expect(vote.analyst).toBe(analyst.name);
      expect(analyst.kind).toBe('technical');
      expect(vote.reasoning).toMatch(/\d/);
      expect(vote.usage).toEqual({
        model: `rules:${analyst.name}`,
        latencyMs: 0,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        promptHash: '',
        cached: false,
      });
      if (vote.action !== 'hold') expect(vote.keyFactors.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('the same snapshot always gets the same vote', () => {
    const [first, second] = [analysts(), analysts()];
    first.forEach((analyst, index) => expect(analyst.vote(snapshot)).toEqual(second[index]?.vote(snapshot)));
  });

  it('when asked again before the next candle closes, then the answer is the same, marked as a repeat', async () => {
    for (const analyst of analysts()) {
      const fresh = await analyst.assess(snapshot);
      const repeat = await analyst.assess({ ...snapshot, price: snapshot.price * 1.01 });
      expect(fresh.usage.cached).toBe(false);
      expect(repeat).toEqual({ ...fresh, usage: { ...fresh.usage, cached: true } });
    }
  });

  it('when the next candle has closed, then the analyst judges afresh', async () => {
    for (const analyst of analysts()) {
      await analyst.assess(snapshot);
      const next = await analyst.assess({ ...snapshot, lastClosedCandle: snapshot.lastClosedCandle + 15 * 60_000 });
      expect(next.usage.cached).toBe(false);
    }
  });

  it('each analyst weighs evidence whose weights add up to exactly 1, for both sides', () => {
    for (const analyst of analysts()) {
      for (const side of ['long', 'short'] as const) {
        const total = analyst.evaluate(snapshot, side).factors.reduce((sum, f) => sum + f.weight, 0);
        expect(total).toBeCloseTo(1, 12);
      }
    }
  });
});

describe('what it takes to reach 0.75', () => {
  it('when the uptrend resumes on volume with the 1h trend strong, then trend and momentum both reach 0.75', async () => {
    const snapshot = markets['a clean uptrend resuming on volume']!;
    const [trend, , momentum] = analysts();
    expect((await trend!.assess(snapshot)).confidence).toBeGreaterThanOrEqual(0.75);
    expect((await momentum!.assess(snapshot)).confidence).toBeGreaterThanOrEqual(0.75);
  });

  it('when the same uptrend pauses instead of breaking out, then neither is confident', async () => {
    // Drop the breakout candle: the market is still a clean uptrend, but nothing has just happened.
    const paused = snapshotOf(trendResumingOnVolume().slice(0, -1));
    const [trend, , momentum] = analysts();
    const trendVote = await trend!.assess(paused);
    expect(trendVote.action).not.toBe('short');
    expect(trendVote.action === 'long' ? trendVote.confidence : 0).toBeLessThan(0.75);
    expect((await momentum!.assess(paused)).action).toBe('hold');
  });
});
