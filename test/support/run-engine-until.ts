// Runs the daemon's real loop on an engine fixture's manual clock and stops it at a given instant (the first sleep
// that would carry the clock past `until` ends the run instead of sleeping), or after a number of wake-ups.
import { buildEngine, type Engine } from '../../src/engine/build-engine.js';
import type { EngineContext } from '../../src/engine/engine-context.js';
import type { Clock } from '../../src/ports/clock.js';

export async function runEngineUntil(ctx: EngineContext, until: Date): Promise<void> {
  const stop = new AbortController();
  const clock = ctx.clock;
  const bounded: Clock = {
    now: () => clock.now(),
    sleep: async (ms, signal) => {
      if (clock.now().getTime() + ms > until.getTime()) stop.abort();
      else await clock.sleep(ms, signal);
    },
  };
  const engine = buildEngine({ ...ctx, clock: bounded }, { orphanPolicy: 'adopt', settingsView: {} });
  await engine.daemon.start();
  await engine.daemon.run(stop.signal);
}

/** What a test does to the engine while it runs: before its loop starts, and as the loop goes to sleep. */
export interface RunHooks {
  readonly beforeRun?: (engine: Engine) => void;
  /** `sleep` counts from 1. */
  readonly onSleep?: (sleep: number, engine: Engine) => void;
}

/** Starts an engine on `ctx` and runs its loop for `wakeUps` wake-ups; the engine is returned for what it reports. */
export async function runEngineForWakeUps(ctx: EngineContext, wakeUps: number, hooks: RunHooks = {}): Promise<Engine> {
  const stop = new AbortController();
  let count = 0;
  const bounded: Clock = {
    now: () => ctx.clock.now(),
    sleep: async (ms, signal) => {
      count += 1;
      hooks.onSleep?.(count, engine);
      if (count >= wakeUps) stop.abort();
      else await ctx.clock.sleep(ms, signal);
    },
  };
  const engine = buildEngine({ ...ctx, clock: bounded }, { orphanPolicy: 'adopt', settingsView: {} });
  await engine.daemon.start();
  hooks.beforeRun?.(engine);
  await engine.daemon.run(stop.signal);
  return engine;
}
