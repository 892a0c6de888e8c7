// The total exposure cap counts an open position at its mark, through the daemon's loop: a short the market has risen
// against holds more notional than it was entered with, and the next entry is sized on what that leaves.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { ReplayMarketData } from '../../../src/adapters/market-data/replay/index.js';
import { DEFAULT_PORTFOLIO } from '../../../src/domain/portfolio-limits.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { bundledHistory, engineFixture } from '../../support/engine-fixture.js';
import { runEngineForWakeUps } from '../../support/run-engine-until.js';

const START = new Date('2025-09-20T00:00:00Z');
const shorts = () => [new ScriptedAnalyst('a', () => ({ action: 'short' })), new ScriptedAnalyst('b', () => ({ action: 'short' }))];
const consensus = { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 };
/** Of the paper account's 100 USDT: the first short (about $120) leaves about $60 of it. */
const TOTAL_CAP = 1.8;

describe('the total exposure cap at the mark', () => {
  it('when the market has risen 10% against an open short, then the next entry is sized into what the short leaves of the cap at the mark, and /risk shows the exposure so counted', async () => {
    const fixture = await engineFixture({
      start: START,
      analysts: shorts(),
      settings: {
        consensus,
        symbols: ['XRP/USDT:USDT', 'DOGE/USDT:USDT'],
        risk: { ...DEFAULT_RISK, maxOpenPositions: 2, positionSizePct: 0.4 },
        portfolio: { ...DEFAULT_PORTFOLIO, maxTotalExposure: TOTAL_CAP, correlationThreshold: 1 },
      },
    });
    await runEngineForWakeUps(fixture.ctx, 2);
    const [first] = await fixture.store.positions.active();
    expect(first, 'the first short was expected').toBeDefined();
    // As if it had been entered 10% lower: the market has since risen 10% against it, short of its stop.
    await fixture.store.positions.update(first!.id, { entryPrice: (await fixture.marketData.markPrice(first!.symbol)) / 1.1 });

    const engine = await runEngineForWakeUps(fixture.ctx, 3);

    const second = (await fixture.store.positions.active()).find((p) => p.symbol !== first!.symbol);
    expect(second, 'a second, smaller short was expected').toBeDefined();
    // The first short's mark as the engine read it when it sized the second entry.
    const marks = new ReplayMarketData(await bundledHistory(), new ManualClock(second!.openedAt));
    const firstAtMark = first!.quantity * (await marks.markPrice(first!.symbol));
    expect(second!.quantity * second!.entryPrice + firstAtMark).toBeLessThanOrEqual(TOTAL_CAP * 100);

    // /risk shows the exposure the cap counts: the first short at its mark now, not at its entry.
    const held = await Promise.all(
      (await fixture.store.positions.active()).map(async (p) => p.quantity * Math.max(p.entryPrice, await fixture.marketData.markPrice(p.symbol))),
    );
    expect((await engine.control.riskOverview()).openNotional).toBeCloseTo(held.reduce((a, b) => a + b, 0), 9);
  });
});
