// The owner's /close whose market order went through while the read of its fills right after failed: the owner is
// told the close is under way, not that it failed, and the next check books the trade once.
import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../../src/domain/errors.js';
import { buildEngine, type Engine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { CloseOutcome } from '../../../src/ports/control.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const consensus = { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 };

/** The paper venue, except that the first read of fills after a close is answered with a 503. */
function failingFillsAfterClose(venue: Exchange): Exchange {
  let failNextFills = false;
  const closePosition: Exchange['closePosition'] = async (request) => {
    const order = await venue.closePosition(request);
    failNextFills = true;
    return order;
  };
  const fills: Exchange['fills'] = async (...args) => {
    if (failNextFills) {
      failNextFills = false;
      throw new TemporaryError('503 Service Unavailable');
    }
    return venue.fills(...args);
  };
  return new Proxy(venue, {
    get: (target, key) => {
      if (key === 'closePosition') return closePosition;
      if (key === 'fills') return fills;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe("the owner's /close when its result cannot be read at once", () => {
  it('when the fills read after the close fails, then the reply says it is under way, and the next check books the trade once', async () => {
    const fixture = await engineFixture({
      start: START,
      analysts: [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))],
      settings: { symbols: ['ETH/USDT:USDT'], consensus },
    });
    const built: { engine?: Engine; outcome?: Promise<CloseOutcome> } = {};
    const stop = new AbortController();
    const ctx: EngineContext = {
      ...fixture.ctx,
      exchange: failingFillsAfterClose(fixture.ctx.exchange),
      clock: {
        now: () => fixture.clock.now(),
        sleep: async (ms, signal) => {
          if (fixture.notifier.ofType('position_closed').length > 0) return stop.abort();
          const [open] = (await fixture.store.positions.active()).filter((p) => p.status === 'open');
          if (built.outcome === undefined && open) built.outcome = built.engine?.control.closePosition(open.id, 'telegram:owner');
          await fixture.clock.sleep(ms, signal);
        },
      },
    };
    const engine = buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
    built.engine = engine;
    await engine.daemon.start();

    await engine.daemon.run(stop.signal);

    const outcome = await built.outcome;
    expect(outcome).toMatchObject({ status: 'pending' });
    expect(outcome?.status === 'pending' && outcome.detail).toContain('503 Service Unavailable');
    expect(await fixture.ctx.exchange.positions()).toEqual([]);
    expect(fixture.notifier.ofType('position_closed').map((event) => event.trade.reason)).toEqual(['manual']);
    expect(await fixture.store.trades.count()).toBe(1);
  });
});
