// While the store refuses to read the open positions (Postgres restarting: connections refused at once), the loop can
// check and open nothing; it must wait before asking again, not spin on a database that refuses at once.
import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../../src/domain/errors.js';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { Clock } from '../../../src/ports/clock.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const ETH = 'ETH/USDT:USDT';
const analysts = (action: 'long' | 'hold') => [new ScriptedAnalyst('a', () => ({ action })), new ScriptedAnalyst('b', () => ({ action }))];

describe('the loop while the store refuses reads', () => {
  for (const withPosition of [true, false]) {
    it(`when the open positions cannot be read, then the loop waits between tries (${withPosition ? 'a position open' : 'flat'})`, async () => {
      const settings = { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } };
      const fixture = await engineFixture({ start: new Date('2025-09-20T10:00:00Z'), analysts: analysts(withPosition ? 'long' : 'hold'), settings });
      let stop = new AbortController();
      let loopSleeps = 0;
      let firstRun = true;
      const clock: Clock = {
        now: () => fixture.clock.now(),
        sleep: async (ms, signal) => {
          loopSleeps += 1;
          if (firstRun && loopSleeps >= 2) stop.abort();
          else await fixture.clock.sleep(ms, signal);
        },
      };
      const engine = buildEngine({ ...fixture.ctx, clock }, { orphanPolicy: 'adopt', settingsView: {} });
      await engine.daemon.start();
      await engine.daemon.run(stop.signal);
      expect((await fixture.store.positions.active()).length).toBe(withPosition ? 1 : 0);

      // Postgres restarts: reads are refused at once. A booking attempted meanwhile failed, which dropped the cached copy.
      const inner = fixture.store.positions as { active: () => Promise<unknown> };
      let reads = 0;
      firstRun = false;
      stop = new AbortController();
      inner.active = async () => {
        reads += 1;
        if (reads >= 2_000) stop.abort();
        throw new TemporaryError('connect ECONNREFUSED 127.0.0.1:5432');
      };
      const cached = (engine.daemon as unknown as { ctx: { store: { positions: { forget(): void } } } }).ctx.store.positions;
      cached.forget();
      // The next position check (or scan) falls due.
      fixture.clock.advanceBy(6 * 60_000);
      const before = fixture.clock.now().getTime();
      loopSleeps = 0;
      await engine.daemon.run(stop.signal);
      const simulatedMs = fixture.clock.now().getTime() - before;
      // A loop that waits after a failed tick needs simulated time for 2,000 failed reads; this one needs none.
      expect(simulatedMs, `${reads} failed store reads in ${simulatedMs} ms of simulated time, ${loopSleeps} sleeps`).toBeGreaterThan(60_000);
    }, 60_000);
  }
});
