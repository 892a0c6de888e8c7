// The owner's /close that the venue refuses: the answer says so, with the venue's reason, that the close is retried at
// every check and that the stop stays; not that the close is under way with its fills to come.
import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../src/domain/errors.js';
import { buildEngine, type Engine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { CloseOutcome } from '../../../src/ports/control.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const consensus = { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 };

/** The paper venue, except that every close is refused. */
function refusingCloses(venue: Exchange): Exchange {
  const closePosition: Exchange['closePosition'] = async () => {
    throw new RejectedError('-2022 ReduceOnly Order is rejected');
  };
  return new Proxy(venue, {
    get: (target, key) => {
      if (key === 'closePosition') return closePosition;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe("the owner's /close that the venue refuses", () => {
  it('when the venue refuses the close, then the answer gives its reason, says it is retried at every check and that the stop stays', async () => {
    const fixture = await engineFixture({
      start: START,
      analysts: [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))],
      settings: { symbols: ['ETH/USDT:USDT'], consensus },
    });
    const built: { engine?: Engine; outcome?: Promise<CloseOutcome> } = {};
    const stop = new AbortController();
    const ctx: EngineContext = {
      ...fixture.ctx,
      exchange: refusingCloses(fixture.ctx.exchange),
      clock: {
        now: () => fixture.clock.now(),
        sleep: async (ms, signal) => {
          if (built.outcome !== undefined) return stop.abort();
          const [open] = (await fixture.store.positions.active()).filter((p) => p.status === 'open');
          if (open) built.outcome = built.engine?.control.closePosition(open.id, 'telegram:owner');
          await fixture.clock.sleep(ms, signal);
        },
      },
    };
    const engine = buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
    built.engine = engine;
    await engine.daemon.start();

    await engine.daemon.run(stop.signal);

    expect(await built.outcome).toEqual({
      status: 'pending',
      detail: 'the venue refused the close (-2022 ReduceOnly Order is rejected); the daemon retries it at every check, and its exchange-side stop stays in place',
    });
    expect(await fixture.store.positions.active()).toEqual([expect.objectContaining({ status: 'closing', closeReason: 'manual' })]);
    expect(fixture.notifier.ofType('position_closed')).toEqual([]);
  });
});
