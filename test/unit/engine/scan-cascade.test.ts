import { FLAPPING_QUIET_MS } from '../../../src/engine/incidents.js';
import { describe, expect, it } from 'vitest';
import { prefilter } from '../../../src/domain/prefilter.js';
import { AnalystHealth } from '../../../src/engine/analyst-health.js';
import { DecisionRecorder } from '../../../src/engine/decision-recorder.js';
import { IncidentTracker } from '../../../src/engine/incidents.js';
import { MarketScanner } from '../../../src/engine/scan-markets.js';
import { SnapshotService } from '../../../src/engine/snapshots.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import type { MarketSnapshot } from '../../../src/domain/analysis.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');

/** The first 15m step from START at which the pre-filter says `wanted` for `symbol`, found on the real data. */
async function momentWhere(symbol: string, wanted: boolean): Promise<Date> {
  const { ctx, clock } = await engineFixture({ start: START, analysts: [] });
  const snapshots = new SnapshotService(ctx.marketData, clock, 250);
  for (let step = 0; step < 500; step += 1) {
    if (prefilter(await snapshots.snapshot(symbol)).worthAsking === wanted) return clock.now();
    clock.advanceBy(15 * 60_000);
  }
  throw new Error(`no moment with prefilter ${wanted} for ${symbol}`);
}

async function scanAt(at: Date, screenerAnswer: ConstructorParameters<typeof ScriptedAnalyst>[1] | 'fail') {
  // Stand-ins for the AI models: every answer of theirs is recorded, holds included.
  const deepseek = new ScriptedAnalyst('deepseek', () => ({ action: 'hold' }), 'ai');
  if (screenerAnswer === 'fail') deepseek.answer(() => ({ action: 'hold', outcome: 'failed', reason: 'timeout after 10 s' }));
  else deepseek.answer(screenerAnswer);
  const claude = new ScriptedAnalyst('claude', () => ({ action: 'long' }), 'ai');
  const grok = new ScriptedAnalyst('grok', () => ({ action: 'long' }), 'ai');
  const fixture = await engineFixture({ start: at, analysts: [deepseek, claude, grok], settings: { aiMode: 'cascade', screener: 'deepseek' } });
  const { ctx, clock } = fixture;
  const incidents = new IncidentTracker(clock, ctx.notifier, ctx.logger, ctx.store.state);
  const health = new AnalystHealth(ctx.analysts.map((analyst) => analyst.name), incidents);
  const scanner = new MarketScanner(ctx, new SnapshotService(ctx.marketData, clock, 250), new DecisionRecorder(ctx), incidents, health);
  const result = await scanner.scan(['BTC/USDT:USDT']);
  return { result, deepseek, claude, grok, fixture, scanner };
}

describe('the AI cascade', () => {
  it('asks nobody about a quiet market', async () => {
    const { result, deepseek, claude } = await scanAt(await momentWhere('BTC/USDT:USDT', false), () => ({ action: 'long' }));
    expect(deepseek.asked).toHaveLength(0);
    expect(claude.asked).toHaveLength(0);
    expect(result.ranked[0]?.consensus.decision).toBe('hold');
  });

  it('says a quiet market was not asked about, not that votes were missing', async () => {
    const at = await momentWhere('BTC/USDT:USDT', false);
    const { result, fixture } = await scanAt(at, () => ({ action: 'long' }));
    const signals = prefilter(await new SnapshotService(fixture.ctx.marketData, fixture.clock, 250).snapshot('BTC/USDT:USDT')).reasons.length;

    expect(result.ranked[0]?.consensus.reason).toBe(`quiet: ${signals} of 2 technical signals; no analyst was asked`);
  });

  it('says the screener held when it did, not that votes were missing', async () => {
    const { result } = await scanAt(await momentWhere('BTC/USDT:USDT', true), () => ({ action: 'hold' }));

    expect(result.ranked[0]?.consensus.reason).toBe('screener deepseek said HOLD; the others were not asked');
  });

  it('stops at the screen when the cheap model sees no trade', async () => {
    const { deepseek, claude, grok, fixture } = await scanAt(await momentWhere('BTC/USDT:USDT', true), () => ({ action: 'hold' }));
    expect(deepseek.asked).toHaveLength(1);
    expect(claude.asked).toHaveLength(0);
    expect(grok.asked).toHaveLength(0);
    expect((await fixture.store.decisions.list({})).map((d) => d.analyst)).toEqual(['deepseek']);
    // Models that were not asked are neither down nor back: no alert either way.
    expect(fixture.notifier.ofType('alert')).toEqual([]);
  });

  it('asks the others when the screen proposes a trade, and all three votes are recorded', async () => {
    const { result, claude, grok, fixture } = await scanAt(await momentWhere('BTC/USDT:USDT', true), () => ({ action: 'long' }));
    expect(claude.asked).toHaveLength(1);
    expect(grok.asked).toHaveLength(1);
    expect(result.ranked[0]?.consensus.decision).toBe('long');
    expect((await fixture.store.decisions.list({})).map((d) => d.analyst).sort()).toEqual(['claude', 'deepseek', 'grok']);
  });

  it('asks the other two when the screener is down: two voices that must both agree', async () => {
    const { result, claude, grok } = await scanAt(await momentWhere('BTC/USDT:USDT', true), 'fail');
    expect(claude.asked).toHaveLength(1);
    expect(grok.asked).toHaveLength(1);
    expect(result.ranked[0]?.consensus.agreeing.map((vote) => vote.analyst)).toEqual(['claude', 'grok']);
  });

  it('asks nobody else when the screener is down and one model remains: one vote can never make a trade', async () => {
    const at = await momentWhere('BTC/USDT:USDT', true);
    for (const screen of ['failed', 'rejected'] as const) {
      const deepseek = new ScriptedAnalyst('deepseek', () => ({ action: 'hold', outcome: screen, reason: 'no JSON object in the answer' }), 'ai');
      const claude = new ScriptedAnalyst('claude', () => ({ action: 'long' }), 'ai');
      const fixture = await engineFixture({ start: at, analysts: [deepseek, claude], settings: { aiMode: 'cascade', screener: 'deepseek' } });
      const { ctx, clock } = fixture;
      const incidents = new IncidentTracker(clock, ctx.notifier, ctx.logger, ctx.store.state);
      const health = new AnalystHealth(ctx.analysts.map((analyst) => analyst.name), incidents);
      const scanner = new MarketScanner(ctx, new SnapshotService(ctx.marketData, clock, 250), new DecisionRecorder(ctx), incidents, health);

      const result = await scanner.scan(['BTC/USDT:USDT']);

      expect(claude.asked).toHaveLength(0);
      expect(result.ranked[0]?.votes.map((vote) => vote.analyst)).toEqual(['deepseek']);
      expect(result.ranked[0]?.consensus.decision).toBe('hold');
      expect(result.ranked[0]?.consensus.reason).toBe(
        'screener deepseek gave no valid answer (no JSON object in the answer); 1 other analyst(s) cannot make the 2 that must agree, so none was asked',
      );
    }
  });

  it('does not declare a model back from an outage on a scan that never asked it', async () => {
    const { deepseek, claude, fixture, scanner } = await scanAt(await momentWhere('BTC/USDT:USDT', true), () => ({ action: 'long' }));
    const claudeAlerts = () => fixture.notifier.ofType('alert').filter((a) => a.incident === 'analyst:claude').map((a) => a.cleared);
    claude.answer(() => ({ action: 'hold', outcome: 'failed', reason: 'HTTP 503' }));
    await scanner.scan(['BTC/USDT:USDT']);
    expect(claudeAlerts()).toEqual([false]);
    deepseek.answer(() => ({ action: 'hold' }));
    claude.answer(() => ({ action: 'long' }));
    await scanner.scan(['BTC/USDT:USDT']);
    expect(claudeAlerts()).toEqual([false]);
    deepseek.answer(() => ({ action: 'long' }));
    // The all-clear of an outage waits out the quiet period after its last fault.
    fixture.clock.advanceTo(new Date(fixture.clock.now().getTime() + FLAPPING_QUIET_MS));
    await scanner.scan(['BTC/USDT:USDT']);
    expect(claudeAlerts()).toEqual([false, true]);
  });

  it('shows every analyst the same snapshot', async () => {
    const { claude, grok, deepseek } = await scanAt(await momentWhere('BTC/USDT:USDT', true), () => ({ action: 'long' }));
    const seen: MarketSnapshot[] = [deepseek.asked[0], claude.asked[0], grok.asked[0]].filter((s): s is MarketSnapshot => s !== undefined);
    expect(new Set(seen)).toHaveProperty('size', 1);
  });
});
