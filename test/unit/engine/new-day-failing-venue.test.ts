// While the venue fails across midnight, the new-day step (it reads the balance) fails at every tick. The position
// check it brings forward happens once that day, within the pause after a failed check that wake-ups (price alarms,
// owner commands) respect: after midnight the loop asks the failing venue no more often than before it.
import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../../src/domain/errors.js';
import { buildEngine, type Engine } from '../../../src/engine/build-engine.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const ETH = 'ETH/USDT:USDT';
const buying = () => [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];

describe('wake-ups while the venue fails across midnight', () => {
  it('respect the 15 s retry pause after midnight as they do before it', async () => {
    const settings = { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } };
    const fixture = await engineFixture({ start: new Date('2025-09-20T23:40:30Z'), analysts: buying(), settings });
    const venue = fixture.ctx.exchange;
    const failing = { on: false };
    const positionReads: number[] = [];
    const exchange = new Proxy(venue, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (prop === 'positions') positionReads.push(fixture.clock.now().getTime());
          if (failing.on) return Promise.reject(new TemporaryError(`503 from the venue (${String(prop)})`));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Exchange;

    let until = new Date('2025-09-20T23:59:00Z');
    let stop = new AbortController();
    let wakeEverySecond = false;
    const woken = { engine: undefined as Engine | undefined };
    const clock: Clock = {
      now: () => fixture.clock.now(),
      sleep: async (ms, signal) => {
        const step = wakeEverySecond ? Math.min(ms, 1000) : ms;
        if (fixture.clock.now().getTime() + step > until.getTime()) {
          stop.abort();
          return;
        }
        await fixture.clock.sleep(step, signal);
        // A price-stream alarm (or an owner command) cuts each wait short after a second.
        if (wakeEverySecond && step < ms) woken.engine?.daemon.wake();
      },
    };
    const engine = buildEngine({ ...fixture.ctx, exchange, clock }, { orphanPolicy: 'adopt', settingsView: {} });
    woken.engine = engine;
    await engine.daemon.start();
    await engine.daemon.run(stop.signal);
    expect((await fixture.store.positions.active()).map((p) => p.status)).toEqual(['open']);

    // The venue fails from 23:59:20 to past midnight; the loop is woken every second.
    fixture.clock.advanceTo(new Date('2025-09-20T23:59:20Z'));
    failing.on = true;
    wakeEverySecond = true;
    positionReads.length = 0;
    until = new Date('2025-09-21T00:00:40Z');
    stop = new AbortController();
    await engine.daemon.run(stop.signal);

    const midnight = new Date('2025-09-21T00:00:00Z').getTime();
    const before = positionReads.filter((t) => t < midnight - 5_000 && t >= midnight - 35_000).length; // 30 s before
    const after = positionReads.filter((t) => t >= midnight + 5_000 && t < midnight + 35_000).length; // 30 s after
    // Before midnight: about one read every 15 s. After: one at every wake-up.
    expect(after).toBeLessThanOrEqual(before + 1);
  }, 60_000);
});
