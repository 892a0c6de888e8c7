// The scan's minimum opportunity score, applied to a total that floating point leaves a hair under it.
import { describe, expect, it } from 'vitest';
import { AnalystHealth } from '../../../src/engine/analyst-health.js';
import { DecisionRecorder } from '../../../src/engine/decision-recorder.js';
import { IncidentTracker } from '../../../src/engine/incidents.js';
import { MarketScanner } from '../../../src/engine/scan-markets.js';
import { SnapshotService } from '../../../src/engine/snapshots.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const SYMBOL = 'BTC/USDT:USDT';

/** The first 15m step from START at which the market is RANGING with one of its three timeframes trending up. */
async function rangingWithOneTimeframeUp(): Promise<Date> {
  const { ctx, clock } = await engineFixture({ start: START, analysts: [] });
  const snapshots = new SnapshotService(ctx.marketData, clock, 250);
  for (let step = 0; step < 1_000; step += 1) {
    const snapshot = await snapshots.snapshot(SYMBOL);
    const up = Object.values(snapshot.timeframes).filter((view) => view.trend === 'up').length;
    if (snapshot.regime.kind === 'RANGING' && up === 1) return clock.now();
    clock.advanceBy(15 * 60_000);
  }
  throw new Error('no ranging moment with one timeframe up');
}

describe('the scan minimum', () => {
  it('when the score is 80 but for float noise (confidences 0.75, 1 and 1, ranging, 2:1, one timeframe up), then it is the best candidate at a minimum of 80', async () => {
    const analysts = [0.75, 1, 1].map((confidence, index) => new ScriptedAnalyst(`model${index}`, () => ({ action: 'long', confidence, riskReward: 2 })));
    const fixture = await engineFixture({
      start: await rangingWithOneTimeframeUp(),
      analysts,
      settings: { aiMode: 'full', consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 80 } },
    });
    const { ctx, clock } = fixture;
    const incidents = new IncidentTracker(clock, ctx.notifier, ctx.logger, ctx.store.state);
    const scanner = new MarketScanner(ctx, new SnapshotService(ctx.marketData, clock, 250), new DecisionRecorder(ctx), incidents, new AnalystHealth([], incidents));

    const result = await scanner.scan([SYMBOL]);

    expect(result.ranked[0]?.score.total).toBeCloseTo(80, 9);
    expect(result.best?.snapshot.symbol).toBe(SYMBOL);
  });
});
