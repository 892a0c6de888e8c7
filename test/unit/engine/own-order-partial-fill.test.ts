// Size taken off by one of our own orders that ended filled only in part, with no ladder. On Hyperliquid a trigger
// order fills as an immediate-or-cancel limit within 10% of its trigger, so in a fast market the stop (or the final
// take-profit) can fill part of the position and end. Nothing else re-arms the stop for what is left, so the
// position check does, and tells the owner what the part realised.
import { describe, expect, it } from 'vitest';
import { roundToStep } from '../../../src/domain/money.js';
import type { ExchangePosition, OrderResult } from '../../../src/ports/exchange.js';
import { SPEC, SYMBOL, scriptedWorld, type ScriptedVenue } from '../../support/scripted-venue.js';

/** Our order `clientOrderId` fills `quantity` at `price` and ends (the rest of its immediate-or-cancel fill expired). */
function fillsInPartAndEnds(venue: ScriptedVenue, clientOrderId: string, quantity: number, at: number, time: Date): void {
  const index = venue.orders.findIndex((o) => o.clientOrderId === clientOrderId && o.status === 'open');
  const order = venue.orders[index] as OrderResult;
  venue.orders[index] = { ...order, status: 'cancelled', filledQuantity: quantity, averagePrice: at };
  venue.fillsList.push({ id: `f-${clientOrderId}`, orderId: order.id, clientOrderId, symbol: SYMBOL, side: 'sell', price: at, quantity, fee: at * quantity * 0.0005, time });
  const left = roundToStep(1 - quantity, SPEC.amountStep, 'nearest');
  venue.held = [{ symbol: SYMBOL, side: 'long', quantity: left, entryPrice: 100, markPrice: at, liquidationPrice: 67.2, margin: 33.33 * left }];
}

describe('our own stop or target fills part of the position and ends (no ladder)', () => {
  it('when the stop filled 0.6 of 1 and ended, then the check re-arms a stop for the 0.4 left', async () => {
    const { clock, venue, store, engine, notifier, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    // A crash through 94: the stop sold 0.6 at 93.9 within its slippage cap, the rest expired; the price bounced to 95.
    fillsInPartAndEnds(venue, 'ltd-1-stop', 0.6, 93.9, clock.now());
    setPrice(95);
    venue.held = [{ ...(venue.held[0] as ExchangePosition), markPrice: 95 }];

    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect(venue.restingStops()).toEqual(['0.4@94']);
    expect((await store.positions.get('1'))?.quantity).toBe(0.4);
    expect(notifier.ofType('alert').map((alert) => alert.message)).toEqual([expect.stringMatching(/^ETH\/USDT:USDT: its stop, filled in part, took 0\.6 of the LONG position at 93\.9, realising .*0\.4 is left/)]);
  });

  it('when the final take-profit filled 0.6 of 1 and ended, then the stop is re-armed for the 0.4 left (not left at 1)', async () => {
    // A $10 minimum: the part at 112 and the rest at 104 make a winner of about $8.70, which the daemon's own
    // take-profit (twice the minimum, on the whole trade) would otherwise close on the same check.
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'true', MIN_PROFIT_USD: '10' });
    // The target is armed as the opener arms it, after the stop.
    const targets = engine.daemon.parts.reconciler['targets'];
    expect(await targets.arm((await store.positions.get('1'))!)).toBe(true);
    clock.advanceBy(60_000);
    fillsInPartAndEnds(venue, 'ltd-1-tp', 0.6, 112, clock.now());
    setPrice(104);
    venue.held = [{ ...(venue.held[0] as ExchangePosition), markPrice: 104 }];

    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect(venue.restingStops()).toEqual(['0.4@94']);
    expect((await store.positions.get('1'))?.quantity).toBe(0.4);
  });

  it('when a hand order of the owner took the same 0.6 off, then the stop is re-armed for the 0.4 left', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    venue.fillsList.push({ id: 'f-hand', orderId: 'H1', clientOrderId: 'web_123', symbol: SYMBOL, side: 'sell', price: 95, quantity: 0.6, fee: 0.03, time: clock.now() });
    venue.held = [{ symbol: SYMBOL, side: 'long', quantity: 0.4, entryPrice: 100, markPrice: 95, liquidationPrice: 67.2, margin: 13.33 }];
    setPrice(95);

    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect(venue.restingStops()).toEqual(['0.4@94']);
  });
});
