// The VPS clock steps back (NTP correcting a clock that ran an hour fast, a host set wrong at boot). The loop keeps
// its schedule as wall-clock instants and sleeps with timers, which run on elapsed time: it must not sleep the step
// away with a position open.
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/engine/build-engine.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { EventClock } from '../../support/event-clock.js';

const ETH = 'ETH/USDT:USDT';

describe('the wall clock stepping back one hour with a position open', () => {
  it('when the clock steps back, then the position is still checked about every POSITION_CHECK interval', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({
      start: new Date('2025-09-20T10:00:00Z'),
      analysts: longs,
      settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } },
    });
    const clock = new EventClock(fixture.clock);
    const engine = buildEngine({ ...fixture.ctx, clock }, { orphanPolicy: 'adopt', settingsView: {} });
    const checks: number[] = [];
    const monitor = engine.daemon.parts.monitor;
    const check = monitor.check.bind(monitor);
    monitor.check = async (active) => {
      checks.push(clock.elapsed());
      return check(active);
    };
    const stop = new AbortController();
    await engine.daemon.start();
    const running = engine.daemon.run(stop.signal);
    while ((await fixture.store.positions.active()).length === 0) if (!(await clock.step())) break;
    expect((await fixture.store.positions.active()).length, 'a position is open').toBe(1);
    const checkMs = fixture.ctx.settings.schedule.positionCheckMs;

    clock.stepWallClock(-60 * 60_000);
    const from = clock.elapsed();
    checks.length = 0;
    // Twenty minutes of real (elapsed) time.
    while (await clock.step(from + 20 * 60_000));
    stop.abort();
    for (let i = 0; i < 5; i += 1) await clock.step();
    await running;

    expect(checks.length, 'position checks in 20 minutes after a one-hour backward step').toBeGreaterThanOrEqual(Math.floor((20 * 60_000) / checkMs / 2));
  });
});
