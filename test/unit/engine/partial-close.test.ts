// A close that fills only part of the position: where a market order is a capped immediate-or-cancel limit
// (Hyperliquid's, 5% from the last price) a close in a fast market fills in part and the rest expires. The size still
// held keeps a stop, re-armed for that size (verified before the old one goes), until the close is retried and the
// position is flat.
import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../../src/domain/errors.js';
import { afterALostCloseAnswer } from '../../support/lost-close-answer.js';
import { scriptedWorld } from '../../support/scripted-venue.js';

describe('a close that fills only part of the position', () => {
  it('when the close fills 0.6 of 1 and the rest expires, then the 0.4 still held keeps a stop on the venue, sized for it', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    setPrice(96);
    venue.closeFills = 0.6;

    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });

    expect(venue.held.map((p) => p.quantity)).toEqual([0.4]);
    expect(venue.restingStops()).toEqual(['0.4@94']);
    expect(await store.trades.list()).toEqual([]);
    expect((await store.positions.get('1'))?.quantity).toBe(0.4);

    // The next check retries the close: the rest fills, the stop goes, and the trade is booked once, whole.
    clock.advanceBy(60_000);
    venue.closeFills = undefined;
    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect(venue.held).toEqual([]);
    expect(venue.restingStops()).toEqual([]);
    expect((await store.trades.list()).map((trade) => [trade.quantity, trade.reason])).toEqual([[1, 'manual']]);
  });

  it('when the rest is retried on a venue that refuses a client id it has seen, then it goes under a new id and the trade is booked once', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    venue.refusesSeenClientIds = true;
    clock.advanceBy(60_000);
    setPrice(96);
    venue.closeFills = 0.6;
    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });
    expect(venue.held.map((p) => p.quantity)).toEqual([0.4]);

    clock.advanceBy(60_000);
    venue.closeFills = undefined;
    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect(venue.held).toEqual([]);
    expect(venue.restingStops()).toEqual([]);
    expect(venue.orders.filter((o) => o.type === 'market').map((o) => `${o.clientOrderId}:${o.filledQuantity}`)).toEqual(['ltd-1-close:0.6', 'ltd-1-close.1:0.4']);
    expect((await store.trades.list()).map((trade) => [trade.quantity, trade.reason])).toEqual([[1, 'manual']]);
  });

  it('when the close fills all of it, then the position is flat and no stop is left', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    setPrice(96);

    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });

    expect(venue.held).toEqual([]);
    expect(venue.restingStops()).toEqual([]);
  });

  it('when the venue calls such a close "filled" for the part it did fill, then the rest keeps its stop all the same', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    setPrice(96);
    venue.closeFills = 0.6;
    venue.shortCloseStatus = 'filled';

    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });

    expect(venue.held.map((p) => p.quantity)).toEqual([0.4]);
    expect(venue.restingStops()).toEqual(['0.4@94']);
  });

  it('when the stop for the rest could not be moved and the rest then closes, then that alert is cleared with the booking', async () => {
    const { clock, venue, store, engine, notifier, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    setPrice(96);
    venue.closeFills = 0.6;
    const place = venue.placeProtectiveStop.bind(venue);
    venue.placeProtectiveStop = async () => {
      throw new TemporaryError('timed out');
    };
    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });
    expect(notifier.ofType('alert').filter((a) => a.incident === 'stop-replace:1').map((a) => a.cleared)).toEqual([false]);

    venue.placeProtectiveStop = place;
    venue.closeFills = undefined;
    clock.advanceBy(60_000);
    await engine.daemon.parts.monitor.check(await store.positions.active());

    expect((await store.trades.list()).map((trade) => [trade.quantity, trade.reason])).toEqual([[1, 'manual']]);
    expect(notifier.ofType('alert').filter((a) => a.incident === 'stop-replace:1').map((a) => a.cleared)).toEqual([false, true]);
  });

  it('when a close keeps falling short for minutes, then the owner is not told the position is gone from the exchange', async () => {
    const { clock, venue, store, engine, notifier, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    setPrice(96);
    venue.closeFills = 0.1;
    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });
    for (let minute = 0; minute < 5; minute++) {
      clock.advanceBy(60_000);
      await engine.daemon.parts.monitor.check(await store.positions.active());
    }

    expect(venue.held.map((p) => p.quantity)).toEqual([0.4]);
    expect(venue.restingStops()).toEqual(['0.4@94']);
    expect(notifier.ofType('alert').map((alert) => alert.message).filter((message) => message.includes('no longer on the exchange'))).toEqual([]);
  });
});

describe('a close whose answer was lost after it filled in part', () => {
  const timesOut = async (): Promise<never> => {
    throw new TemporaryError('timed out');
  };

  it('when the retry cannot send the rest, then the 0.4 still held gets a stop sized for it at once, and the owner is told it rests', async () => {
    const { clock, venue, store, engine, notifier, closing } = await afterALostCloseAnswer();
    expect(venue.restingStops()).toEqual(['1@94']);
    venue.closePosition = timesOut;
    clock.advanceBy(60_000);

    await engine.daemon.parts.closer.close({ position: closing, reason: 'manual' });

    expect(venue.held.map((p) => p.quantity)).toEqual([0.4]);
    expect(venue.restingStops()).toEqual(['0.4@94']);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closing', quantity: 0.4 });
    const alert = notifier.ofType('alert').find((a) => a.incident === 'close:1');
    expect(alert?.message).toContain('part of it is closed already, and the exchange-side stop now covers the 0.4 still held.');
  });

  it('when the re-arm itself fails on that retry, then the next failed retry re-arms it, and no alert says a stop could not be moved', async () => {
    const { clock, venue, store, engine, notifier, closing } = await afterALostCloseAnswer();
    venue.closePosition = timesOut;
    const place = venue.placeProtectiveStop.bind(venue);
    venue.placeProtectiveStop = async () => {
      throw new TemporaryError('timed out');
    };
    clock.advanceBy(60_000);
    await engine.daemon.parts.closer.close({ position: closing, reason: 'manual' });
    expect(venue.restingStops()).toEqual(['1@94']);
    expect(notifier.ofType('alert').find((a) => a.incident === 'close:1')?.message).toContain('the exchange-side stop stays in place.');

    venue.placeProtectiveStop = place;
    clock.advanceBy(60_000);
    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });

    expect(venue.restingStops()).toEqual(['0.4@94']);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closing', quantity: 0.4 });
    expect(notifier.ofType('alert').filter((a) => a.incident.startsWith('stop-replace:'))).toEqual([]);
  });

  it('when the position is being closed because it lost its stop, then no stop is re-armed for the rest: its close is what protects it', async () => {
    const { clock, venue, store, engine, closing } = await afterALostCloseAnswer();
    const unprotected = await store.positions.update(closing.id, { closeReason: 'stop_not_protected' });
    venue.closePosition = timesOut;
    clock.advanceBy(60_000);

    await engine.daemon.parts.closer.close({ position: unprotected, reason: 'stop_not_protected' });

    expect(venue.orders.filter((o) => o.type === 'stop_market')).toHaveLength(1);
    expect((await store.positions.get('1'))?.quantity).toBe(1);
  });

  it('when the venue tells the fill but not its price (Hyperliquid, before its fills are listed), then the stop follows the size the venue holds all the same', async () => {
    const { clock, venue, engine, closing } = await afterALostCloseAnswer();
    const find = venue.findOrder.bind(venue);
    venue.findOrder = async (id: string) => {
      const order = await find(id);
      return order && { ...order, averagePrice: undefined };
    };
    venue.closePosition = timesOut;
    clock.advanceBy(60_000);

    await engine.daemon.parts.closer.close({ position: closing, reason: 'manual' });

    expect(venue.restingStops()).toEqual(['0.4@94']);
  });

  it('when the retry closes the rest, then no stop is re-armed on the way: the position is flat and booked once', async () => {
    const { clock, venue, store, engine, closing } = await afterALostCloseAnswer();
    venue.closeFills = undefined;
    clock.advanceBy(60_000);

    await engine.daemon.parts.closer.close({ position: closing, reason: 'manual' });

    expect(venue.held).toEqual([]);
    expect(venue.restingStops()).toEqual([]);
    expect(venue.orders.filter((o) => o.type === 'stop_market')).toHaveLength(1);
    expect((await store.trades.list()).map((trade) => [trade.quantity, trade.reason])).toEqual([[1, 'manual']]);
  });
});

describe('a close told by the venue that the position is not there', () => {
  it('when that answer is wrong and the fills do not show the position flat, then its stop stays on the venue', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    setPrice(96);
    let answers = 0;
    const positions = venue.positions.bind(venue);
    venue.positions = async () => (answers++ === 0 ? [] : positions());

    const trade = await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });

    expect(trade).toBeUndefined();
    expect(venue.held.map((p) => p.quantity)).toEqual([1]);
    expect(venue.restingStops()).toEqual(['1@94']);
  });
});
