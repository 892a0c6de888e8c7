// After a take-profit step, the protected band holds on the whole trade, as it is booked, not on the rest alone: a
// rest at a small loss after a step that took $2.51 is part of a small winner, which no discretionary rule may close.
import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../src/domain/errors.js';
import type { OrderResult, StopOrderRequest } from '../../../src/ports/exchange.js';
import { SYMBOL, scriptedWorld } from '../../support/scripted-venue.js';

/**
 * A long of 1 at 100 (stop 94) whose ladder step of 0.75 at 103.5 has filled on the venue, not yet seen by a check;
 * the venue refuses the next `refusals` stop placements.
 */
async function stepFilled(refusals = 0) {
  const world = await scriptedWorld({ TAKE_PROFIT_LADDER: '0.75@3.5%', TAKE_PROFIT_ON_EXCHANGE: 'false', MAX_HOLDING_HOURS: '3' });
  const { clock, venue, store, engine } = world;
  const ladder = engine.daemon.parts.reconciler['ladder'];
  const arming = await ladder?.arm((await store.positions.get('1'))!);
  expect(arming?.placed.map((step) => [step.quantity, step.netPnl > 2.5])).toEqual([[0.75, true]]);
  const index = venue.orders.findIndex((order) => order.clientOrderId === 'ltd-1-tp1' && order.status === 'open');
  const step = venue.orders[index] as OrderResult;
  const fee = 103.5 * 0.75 * 0.0005;
  venue.orders[index] = { ...step, status: 'filled', filledQuantity: 0.75, averagePrice: 103.5, fee };
  venue.fillsList.push({ id: 'f-tp1', orderId: step.id, clientOrderId: 'ltd-1-tp1', symbol: SYMBOL, side: 'sell', price: 103.5, quantity: 0.75, fee, time: clock.now() });
  venue.held = [{ ...venue.held[0]!, quantity: 0.25 }];
  let left = refusals;
  const place = venue.placeProtectiveStop.bind(venue);
  venue.placeProtectiveStop = async (request: StopOrderRequest) => {
    if (left-- > 0) throw new RejectedError('the stop is refused for now');
    return place(request);
  };
  return world;
}

/** The same, with the rest of 0.25 re-armed. */
async function afterTheStep() {
  const world = await stepFilled();
  const { clock, venue, store, engine, setPrice } = world;
  setPrice(103.4);
  clock.advanceBy(60_000);
  await engine.daemon.parts.monitor.check(await store.positions.active());
  expect(venue.restingStops()).toEqual(['0.25@94']);
  return world;
}

describe('the protected band after a take-profit step', () => {
  it('when the holding limit passes with the rest at a small loss and the trade a small winner, then the time exit waits; the stop may still close it', async () => {
    const { clock, store, engine, setPrice } = await afterTheStep();
    clock.advanceBy(3 * 3_600_000);
    setPrice(96);

    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect(await store.trades.list()).toEqual([]);
    expect((await store.positions.get('1'))?.status).toBe('open');

    clock.advanceBy(60_000);
    setPrice(93.9);
    await engine.daemon.parts.monitor.check(await store.positions.active());
    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['stop_loss']);
  });

  it('when the holding limit passes with the whole trade above the minimum, then the time exit closes the rest', async () => {
    const { clock, store, engine, setPrice } = await afterTheStep();
    clock.advanceBy(3 * 3_600_000);
    setPrice(104);

    await engine.daemon.parts.monitor.check(await store.positions.active());

    // Decided at 104, where the rest adds about $0.95 to the step's $2.55 (the stand-in fills every close at 96).
    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['time_exit']);
  });

  it('when the stop for the rest is refused on the check where the holding limit passes, then the step still counts and the time exit waits', async () => {
    const { clock, store, engine, setPrice } = await stepFilled(1);
    clock.advanceBy(3 * 3_600_000);
    setPrice(96);

    await engine.daemon.parts.monitor.check(await store.positions.active());

    // The step took about +$2.55 and the rest is about -$1.03: a winner of $1.52, inside the band.
    expect(await store.trades.list()).toEqual([]);
  });

  it('when the stop for the rest is refused once and re-armed on the next check, then that check still counts the step', async () => {
    const { clock, venue, store, engine, setPrice } = await stepFilled(1);
    setPrice(103.4);
    clock.advanceBy(60_000);
    await engine.daemon.parts.monitor.check(await store.positions.active());
    expect((await store.positions.get('1'))?.quantity).toBe(1);

    clock.advanceBy(3 * 3_600_000);
    setPrice(96);
    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect(venue.restingStops()).toEqual(['0.25@94']);
    expect(await store.trades.list()).toEqual([]);
  });
});
