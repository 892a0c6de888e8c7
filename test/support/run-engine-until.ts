// Runs the daemon's real loop on an engine fixture's manual clock and stops it at a given instant: the first sleep
// that would carry the clock past `until` ends the run instead of sleeping.
import { buildEngine } from '../../src/engine/build-engine.js';
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
