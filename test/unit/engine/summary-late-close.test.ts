// A position closes on the venue in the last second of day D, and the loop's next tick is at 00:00. That tick checks
// the positions before D's daily summary goes out, so the trade is booked first and counted in D's summary: booked
// after it, it would be in no summary (D+1's counts the trades closed on D+1).
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { Clock } from '../../../src/ports/clock.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const ETH = 'ETH/USDT:USDT';
const buying = () => [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];

describe('a trade that closed in the last second of the day', () => {
  it('is in that day\u2019s daily summary, sent after the midnight check booked it', async () => {
    const settings = { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } };
    const fixture = await engineFixture({ start: new Date('2025-09-20T23:40:30Z'), analysts: buying(), settings });
    let until = new Date('2025-09-20T23:59:00Z');
    let stop = new AbortController();
    const bounded: Clock = {
      now: () => fixture.clock.now(),
      sleep: async (ms, signal) => {
        if (fixture.clock.now().getTime() + ms > until.getTime()) stop.abort();
        else await fixture.clock.sleep(ms, signal);
      },
    };
    const engine = buildEngine({ ...fixture.ctx, clock: bounded }, { orphanPolicy: 'adopt', settingsView: {} });
    await engine.daemon.start();
    await engine.daemon.run(stop.signal);
    const [position] = await fixture.store.positions.active();
    expect(position?.status).toBe('open');

    // The position closes on the venue at 23:59:59.900 (a stop, or the owner by hand); the loop wakes at 00:00.
    fixture.clock.advanceTo(new Date('2025-09-20T23:59:59.900Z'));
    await fixture.ctx.exchange.closePosition({ clientOrderId: 'by-hand', symbol: ETH, positionSide: 'long', quantity: position!.quantity });
    fixture.clock.advanceTo(new Date('2025-09-21T00:00:00.000Z'));
    until = new Date('2025-09-21T00:05:00Z');
    stop = new AbortController();
    await engine.daemon.run(stop.signal);

    const trades = await fixture.store.trades.list();
    const trade = trades.find((t) => t.positionId === position!.id) ?? expect.fail('not booked');
    expect(trade.closedAt.toISOString().slice(0, 10)).toBe('2025-09-20');
    const summaries = fixture.notifier.ofType('daily_summary');
    const day = summaries.find((event) => event.summary.from.toISOString() === '2025-09-20T00:00:00.000Z') ?? expect.fail('no summary of the 20th');
    expect(day.summary.trades).toBe(trades.filter((t) => t.closedAt.toISOString().startsWith('2025-09-20')).length);
  }, 60_000);
});
