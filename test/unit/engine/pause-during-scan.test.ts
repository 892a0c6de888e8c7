// A /pause the owner sends while a scan is asking the analysts is carried out before that scan's entry, so no
// position opens after the owner asked for none.
import { describe, expect, it } from 'vitest';
import { buildEngine, type Engine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const consensus = { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 };

describe('the owner pauses entries while a scan is under way', () => {
  it('when /pause arrives while the analysts answer, then the scan opens nothing and the pause is announced and answered', async () => {
    const built: { engine?: Engine } = {};
    let pausing: Promise<void> | undefined;
    const asking = () => {
      // The first analyst's answer is being written when the owner's request comes in.
      pausing ??= built.engine?.control.pauseEntries('telegram:owner');
      return { action: 'long' as const };
    };
    const fixture = await engineFixture({
      start: START,
      analysts: [new ScriptedAnalyst('a', asking), new ScriptedAnalyst('b', () => ({ action: 'long' }))],
      settings: { symbols: ['ETH/USDT:USDT'], consensus },
    });
    const stop = new AbortController();
    const ctx: EngineContext = {
      ...fixture.ctx,
      clock: {
        now: () => fixture.clock.now(),
        // One pass of the loop: the scan, its entry or not, then stop.
        sleep: async () => stop.abort(),
      },
    };
    const engine = buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
    built.engine = engine;
    await engine.daemon.start();

    await engine.daemon.run(stop.signal);
    await engine.daemon.stop('test');

    expect(pausing).toBeDefined();
    await pausing;
    expect(fixture.notifier.ofType('position_opened')).toEqual([]);
    expect(fixture.notifier.ofType('breaker_tripped').map((event) => event.breaker)).toEqual(['manual_pause']);
    expect(await fixture.store.positions.active()).toEqual([]);
    expect(fixture.notifier.ofType('risk_rejected')).toEqual([]);
  });
});
