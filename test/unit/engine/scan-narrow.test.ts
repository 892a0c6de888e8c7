// Scan wide, ask narrow: every market of the universe gets its snapshot, only the most eventful go to the analysts.
import { describe, expect, it } from 'vitest';
import { prefilter } from '../../../src/domain/prefilter.js';
import { AnalystHealth } from '../../../src/engine/analyst-health.js';
import { DecisionRecorder } from '../../../src/engine/decision-recorder.js';
import { IncidentTracker } from '../../../src/engine/incidents.js';
import { MarketScanner } from '../../../src/engine/scan-markets.js';
import { SnapshotService } from '../../../src/engine/snapshots.js';
import { STATIC_UNIVERSE } from '../../../src/engine/universe.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-25T06:00:00Z');

async function scanWith(askTop: number) {
  const analyst = new ScriptedAnalyst('trend', () => ({ action: 'hold' }));
  const fixture = await engineFixture({ start: START, analysts: [analyst], settings: { universe: { ...STATIC_UNIVERSE, mode: 'top_volume', askTop } } });
  const { ctx, clock } = fixture;
  const incidents = new IncidentTracker(clock, ctx.notifier, ctx.logger, ctx.store.state);
  const snapshots = new SnapshotService(ctx.marketData, clock, 250);
  const scanner = new MarketScanner(ctx, snapshots, new DecisionRecorder(ctx), incidents, new AnalystHealth(['trend'], incidents));
  const symbols = fixture.marketData.symbols();
  const result = await scanner.scan(symbols);
  const signals = await Promise.all(symbols.map(async (symbol) => ({ symbol, count: prefilter(await snapshots.snapshot(symbol)).reasons.length })));
  return { analyst, result, symbols, signals };
}

describe('scan wide, ask narrow', () => {
  it('when the universe is wider than UNIVERSE_ASK_TOP, then only the markets with the most signals are asked, ties in universe order', async () => {
    const { analyst, result, signals } = await scanWith(2);

    const expected = [...signals]
      .map((entry, order) => ({ ...entry, order }))
      .sort((a, b) => b.count - a.count || a.order - b.order)
      .slice(0, 2)
      .map((entry) => entry.symbol);
    expect(analyst.asked.map((snapshot) => snapshot.symbol).sort()).toEqual([...expected].sort());
    expect(result.ranked.map((candidate) => candidate.snapshot.symbol).sort()).toEqual([...expected].sort());
    expect(new Set(signals.map((entry) => entry.count)).size).toBeGreaterThan(1);
  });

  it('when the universe fits, then every market is asked', async () => {
    const { analyst, symbols } = await scanWith(15);
    expect(analyst.asked.map((snapshot) => snapshot.symbol).sort()).toEqual([...symbols].sort());
  });
});

describe('the replay as a venue listing its markets', () => {
  it('lists every market with the 24h volume of closed candles only, the last settled funding, and its first candle as listing date', async () => {
    const fixture = await engineFixture({ start: START, analysts: [] });
    const listings = await fixture.marketData.listings();
    expect(listings.map((entry) => entry.symbol).sort()).toEqual([...fixture.marketData.symbols()].sort());
    const btc = listings.find((entry) => entry.symbol === 'BTC/USDT:USDT');
    expect(btc?.quoteVolume24h).toBe((await fixture.marketData.ticker('BTC/USDT:USDT')).quoteVolume24h);
    expect(btc?.fundingRate).toBe((await fixture.marketData.fundingRate('BTC/USDT:USDT')).rate);
    expect(btc?.listedAt?.getTime()).toBeLessThan(START.getTime());
  });
});
