// A request the owner sends while the daemon starts (Telegram delivers what it kept while the daemon was down as soon
// as polling starts; the web API is served before the start too) waits in the queue and is carried out once, from
// there: it is not taken for one an earlier process left unfinished.
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const consensus = { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 };
const build = (ctx: EngineContext) => buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });

describe('a request sent while the daemon starts', () => {
  it('when a /close and a /pause come during the start, then each is carried out once and the close is answered closed', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({ start: START, analysts: longs, settings: { consensus, symbols: ['ETH/USDT:USDT'] } });
    // A first process opens a position and stops.
    const firstStop = new AbortController();
    const first = build({ ...fixture.ctx, clock: { now: () => fixture.clock.now(), sleep: async () => firstStop.abort() } });
    await first.daemon.start();
    await first.daemon.run(firstStop.signal);
    const [open] = await fixture.store.positions.active();
    expect(open?.status).toBe('open');

    // The next process: the control is attached (main.ts: control.attach before daemon.start), the owner's web /close
    // (or a /pause kept by Telegram) comes in while start() reconciles.
    fixture.clock.advanceBy(60_000);
    const stop = new AbortController();
    const second = build({ ...fixture.ctx, clock: { now: () => fixture.clock.now(), sleep: async () => stop.abort() } });
    const answer = second.control.closePosition(open!.id, 'web:owner');
    const paused = second.control.pauseEntries('telegram:owner');
    await second.daemon.start();
    await second.daemon.run(stop.signal);
    const outcome = await answer;
    await paused;

    const trades = await fixture.store.trades.list();
    const notices = fixture.notifier.ofType('alert').filter((a) => a.incident.startsWith('request:')).map((a) => a.message);
    expect(trades.map((t) => t.reason)).toEqual(['manual']);
    // The owner's own answer for the close that did close the position.
    expect(outcome.status, 'the answer to the /close that closed the position').toBe('closed');
    // No "carried out after a restart" for requests this very process took.
    expect(notices).toEqual([]);
  });
});
