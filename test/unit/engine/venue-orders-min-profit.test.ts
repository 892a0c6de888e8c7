// The orders that rest on the venue for a position (its trailing stop, its final target) close it without asking the
// daemon, so they must keep the minimum-profit rule for the whole trade, as the daemon's own exit rules do: a part
// closed earlier at a loss raises what the part still held must book.
import { describe, expect, it } from 'vitest';
import type { OrderResult } from '../../../src/ports/exchange.js';
import { SYMBOL, scriptedWorld } from '../../support/scripted-venue.js';

type World = Awaited<ReturnType<typeof scriptedWorld>>;

/** The owner trims half of the long (1 at 100, stop 94) by hand at 97: that part books about -$1.52. */
async function trimmedByHandAtALoss(world: World): Promise<void> {
  const { clock, venue, store, engine, setPrice } = world;
  clock.advanceBy(60_000);
  setPrice(97);
  const fee = 97 * 0.5 * 0.0005;
  venue.orders.push({ id: 'H1', clientOrderId: 'web_123', symbol: SYMBOL, side: 'sell', type: 'market', status: 'filled', quantity: 0.5, filledQuantity: 0.5, averagePrice: 97, fee, reduceOnly: true, time: clock.now() });
  venue.fillsList.push({ id: 'fH1', orderId: 'H1', clientOrderId: 'web_123', symbol: SYMBOL, side: 'sell', price: 97, quantity: 0.5, fee, time: clock.now() });
  venue.held = [{ ...venue.held[0]!, quantity: 0.5 }];
  await engine.daemon.parts.monitor.check(await store.positions.active());
}

/** The resting order of `type` fills at its trigger; the position is flat and the check books it. */
async function fills(world: World, type: OrderResult['type']): Promise<number> {
  const { clock, venue, store, engine, setPrice } = world;
  const index = venue.orders.findIndex((order) => order.status === 'open' && order.type === type);
  const order = venue.orders[index] ?? expect.fail(`no ${type} rests`);
  const price = order.triggerPrice ?? expect.fail('no trigger');
  clock.advanceBy(60_000);
  setPrice(price);
  const fee = price * order.quantity * 0.0005;
  venue.orders[index] = { ...order, status: 'filled', filledQuantity: order.quantity, averagePrice: price, fee };
  venue.fillsList.push({ id: `f${order.id}`, orderId: order.id, clientOrderId: order.clientOrderId, symbol: SYMBOL, side: 'sell', price, quantity: order.quantity, fee, time: clock.now() });
  venue.held = [];
  await engine.daemon.parts.monitor.check(await store.positions.active());
  const [trade] = await store.trades.list();
  return trade?.netPnl ?? expect.fail('not booked');
}

describe('the venue orders of a trade whose earlier part closed at a loss', () => {
  it('when the price runs up, then the trailing stop on the venue does not move to a level whose fill would book the whole trade under the minimum profit', async () => {
    const world = await scriptedWorld({
      TRAILING_STOP_PERCENT: '0.02', TRAILING_ACTIVATION_PERCENT: '0.01', TRAILING_ON_EXCHANGE: 'true', TRAILING_MIN_INTERVAL_SECONDS: '0', TAKE_PROFIT_ON_EXCHANGE: 'false',
    });
    await world.store.positions.update('1', { takeProfitPrice: 120 });
    await trimmedByHandAtALoss(world);
    for (const price of [104, 106, 107.5]) {
      world.clock.advanceBy(60_000);
      world.setPrice(price);
      await world.engine.daemon.parts.monitor.check(await world.store.positions.active());
    }

    // A 2% trail at 107.5 (105.35) would book the half held about +$2.60 and the whole trade about +$1.07.
    expect(world.venue.restingStops()).toEqual(['0.5@94']);
    expect(await world.store.trades.list()).toEqual([]);
  });

  it('when the final target rests on the venue, then its fill books the whole trade at least the minimum profit', async () => {
    const world = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'true' });
    await world.store.positions.update('1', { takeProfitPrice: 106 });
    await world.engine.daemon.parts.monitor.check(await world.store.positions.active());
    await trimmedByHandAtALoss(world);

    expect(await fills(world, 'take_profit_market')).toBeGreaterThanOrEqual(2.5 - 1e-9);
  });
});
