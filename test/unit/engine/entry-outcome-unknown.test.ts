// An entry that reached the venue and filled, whose answer was lost while the venue failed every look-up: the position
// is not marked failed (a failed position is never booked, and what filled would wait for reconciliation with no
// stop). It stays opening, the loop checks it at once, and once the venue answers it gets its stop and is booked whole.
import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../../src/domain/errors.js';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { Exchange, OrderResult } from '../../../src/ports/exchange.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { ETH, START, entryOnFaultyVenue, withCalls } from '../../support/entry-on-faulty-venue.js';
import { runEngineUntil } from '../../support/run-engine-until.js';
import { position } from '../../support/factories.js';

async function entryAnsweredByNobody() {
  const outage = { on: false };
  const failing = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    if (outage.on) throw new TemporaryError('503 from the venue');
    return call(...args);
  };
  const opened = await entryOnFaultyVenue({
    exchange: (venue) =>
      withCalls(venue, {
        placeEntry: async (request: Parameters<Exchange['placeEntry']>[0]) => {
          await venue.placeEntry(request);
          outage.on = true; // the fill's answer is lost, and the venue fails every request for a while
          throw new TemporaryError('placeEntry timed out');
        },
        findOrder: failing((id: string, symbol: string) => venue.findOrder(id, symbol)),
        positions: failing(() => venue.positions()),
      }),
  });
  return { ...opened, outage };
}

describe('an entry whose fill the venue could not tell', () => {
  it('then the position stays opening, not failed, and the owner is told it is being checked', async () => {
    const { fixture, venue, outcome } = await entryAnsweredByNobody();

    expect(outcome).toMatchObject({ status: 'failed', unresolved: true });
    expect((await venue.positions()).map((p) => p.symbol)).toEqual([ETH]);
    expect((await fixture.store.positions.active()).map((p) => [p.symbol, p.status])).toEqual([[ETH, 'opening']]);
    const alerts = fixture.notifier.ofType('alert').map((alert) => alert.message);
    expect(alerts).toEqual([expect.stringContaining('did not say whether the entry filled')]);
  });

  it('when the venue answers again, then the next check protects what filled, and its trade books every fee charged', async () => {
    const { fixture, venue, engine, outage } = await entryAnsweredByNobody();
    outage.on = false;

    await engine.daemon.parts.monitor.check(await fixture.store.positions.active());

    const [opened] = await fixture.store.positions.active();
    expect(opened?.status).toBe('open');
    const stops = (await venue.openOrders(ETH)).filter((order) => order.type === 'stop_market');
    expect(stops.map((order) => order.quantity)).toEqual([opened?.quantity]);

    fixture.clock.advanceTo(new Date(fixture.clock.now().getTime() + 60 * 60_000));
    await venue.closePosition({ clientOrderId: 'by-hand', symbol: ETH, positionSide: 'long', quantity: opened!.quantity });
    const trade = (await engine.daemon.parts.booker.book(opened!, 'manual_on_exchange')) ?? expect.fail('not booked');
    const charged = (await venue.fills(ETH, START)).reduce((total, fill) => total + fill.fee, 0);
    expect(trade.entryFee + trade.exitFee).toBeCloseTo(charged, 8);
  });

  it('in the loop, then the position is checked at once, not at the next scan: its stop is on the venue within seconds', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({
      start: START,
      analysts: longs,
      settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } },
    });
    const venue = fixture.ctx.exchange;
    // The entry's answer is lost and the opener's three look-ups fail; the venue answers again after that.
    let lookupsToFail = 3;
    const exchange = withCalls(venue, {
      placeEntry: async (request: Parameters<Exchange['placeEntry']>[0]) => {
        await venue.placeEntry(request);
        throw new TemporaryError('placeEntry timed out');
      },
      findOrder: async (id: string, symbol: string) => {
        if (lookupsToFail > 0) {
          lookupsToFail -= 1;
          throw new TemporaryError('503 from the venue');
        }
        return venue.findOrder(id, symbol);
      },
    });

    await runEngineUntil({ ...fixture.ctx, exchange }, new Date(START.getTime() + 30_000));

    const stops = (await venue.openOrders(ETH)).filter((order) => order.type === 'stop_market');
    const held = (await venue.positions()).find((p) => p.symbol === ETH);
    expect(held).toBeDefined();
    expect(stops.map((order) => order.quantity)).toEqual([held?.quantity]);
    expect((await fixture.store.positions.active()).map((p) => p.status)).toEqual(['open']);
  });

  it('when the entry still rests unfilled on the venue, then the check cancels it before the position is called failed', async () => {
    const fixture = await engineFixture({ start: START, analysts: [] });
    const venue = fixture.ctx.exchange;
    const created = await fixture.store.positions.create(position({ symbol: ETH, status: 'opening', openedAt: START }));
    const entryId = `ltd-${created.id}-entry`;
    let resting: OrderResult | undefined = {
      id: 'E9', clientOrderId: entryId, symbol: ETH, side: 'buy', type: 'limit', status: 'open', quantity: 1, filledQuantity: 0, reduceOnly: false, time: START,
    };
    const cancelled: string[] = [];
    const exchange = withCalls(venue, {
      findOrder: async (id: string) => (id === entryId ? resting : undefined),
      cancelOrder: async (id: string) => {
        cancelled.push(id);
        resting = resting && { ...resting, status: 'cancelled' };
      },
    });
    const engine = buildEngine({ ...fixture.ctx, exchange }, { orphanPolicy: 'adopt', settingsView: {} });

    await engine.daemon.parts.monitor.check(await fixture.store.positions.active());
    expect(cancelled).toEqual(['E9']);
    expect((await fixture.store.positions.get(created.id))?.status).toBe('opening');

    await engine.daemon.parts.monitor.check(await fixture.store.positions.active());
    expect((await fixture.store.positions.get(created.id))?.status).toBe('failed');
  });
});
