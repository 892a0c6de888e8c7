// The VPS clock steps back (NTP correcting a clock that ran an hour fast, a host set wrong at boot). The loop keeps
// its schedule as wall-clock instants and sleeps with timers, which run on elapsed time: it must not sleep the step
// away with a position open.
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { Clock } from '../../../src/ports/clock.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const ETH = 'ETH/USDT:USDT';

/**
 * Timers run on elapsed (monotonic) time, as setTimeout does; `now()` is the wall clock, elapsed time plus an offset
 * that `step` changes, as an NTP step does.
 */
class SteppingClock implements Clock {
  private timers: { at: number; done: () => void }[] = [];
  private offset = 0;
  constructor(private readonly manual: { now(): Date; advanceTo(d: Date): void }) {}
  now(): Date {
    return new Date(this.manual.now().getTime() + this.offset);
  }
  stepWallClock(ms: number): void {
    this.offset += ms;
  }
  elapsed(): number {
    return this.manual.now().getTime();
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      };
      const timer = {
        at: this.elapsed() + Math.max(0, ms),
        done: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
  /** Lets everything runnable run, then fires the earliest timer unless it lies beyond `limit` (elapsed time). */
  async step(limit = Number.POSITIVE_INFINITY): Promise<boolean> {
    for (let i = 0; i < 50; i += 1) await new Promise<void>((r) => setImmediate(r));
    this.timers.sort((a, b) => a.at - b.at);
    const next = this.timers[0];
    if (!next || next.at > limit) return false;
    this.timers.shift();
    if (next.at > this.elapsed()) this.manual.advanceTo(new Date(next.at));
    next.done();
    return true;
  }
}

describe('the wall clock stepping back one hour with a position open', () => {
  it('when the clock steps back, then the position is still checked about every POSITION_CHECK interval', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({
      start: new Date('2025-09-20T10:00:00Z'),
      analysts: longs,
      settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } },
    });
    const clock = new SteppingClock(fixture.clock);
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
