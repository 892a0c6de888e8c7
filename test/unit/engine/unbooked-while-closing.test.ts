// What an open position has taken from the wallet that no booked trade holds yet (the drawdown switch's capped share,
// the day's starting figures, the shadow leaderboard read it): while a close of ours has filled and its booking waits
// for the venue to list the fills, the close is a part taken off, and the record still has its size. The entry fee
// is counted once: the part's share and the held rest's share, never the whole fee on top of the part's.
import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../../src/domain/errors.js';
import { unbookedByPosition } from '../../../src/engine/closed-parts.js';
import { afterALostCloseAnswer } from '../../support/lost-close-answer.js';
import { scriptedWorld } from '../../support/scripted-venue.js';

const TAKER = 0.0005;
// A long of 1 at 100 with an entry fee of 0.05, closed at 96 with an exit fee of 96 × 0.0005.
const WHOLE_TRADE = (96 - 100) * 1 - 0.05 - 96 * 0.0005;

describe('what a position waiting for its booking has taken from the wallet', () => {
  it('when our close filled all of it and its fills are not listed yet, then the entry fee counts once, and the figure is the trade as booked later', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    setPrice(96);
    venue.listsCloseFills = false;

    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });

    const waiting = await store.positions.get('1');
    expect(waiting).toMatchObject({ status: 'closing', quantity: 1 });
    expect(await store.trades.list()).toEqual([]);
    expect((await unbookedByPosition(store.orders, [waiting!], TAKER))['1']).toBeCloseTo(WHOLE_TRADE, 10);

    venue.listHeldFills();
    clock.advanceBy(60_000);
    await engine.daemon.parts.monitor.check(await store.positions.active());
    const [trade] = await store.trades.list();
    expect(trade?.netPnl).toBeCloseTo(WHOLE_TRADE, 10);
  });

  it('when a close filled 0.6 and the stop was re-armed for 0.4, then the 0.4 held carries its own share of the entry fee', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    setPrice(96);
    venue.closeFills = 0.6;

    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });

    const rest = await store.positions.get('1');
    expect(rest).toMatchObject({ status: 'closing', quantity: 0.4 });
    const part = 0.6 * (96 - 100) - 0.6 * 0.05 - 96 * 0.6 * TAKER;
    expect((await unbookedByPosition(store.orders, [rest!], TAKER))['1']).toBeCloseTo(part - 0.4 * 0.05, 10);

    // The retry closes the 0.4 under the next client id; its fills lag too, so the booking waits again.
    venue.closeFills = undefined;
    venue.listsCloseFills = false;
    clock.advanceBy(60_000);
    await engine.daemon.parts.monitor.check(await store.positions.active());

    const flat = await store.positions.get('1');
    expect(venue.held).toEqual([]);
    expect(flat).toMatchObject({ status: 'closing', quantity: 0.4 });
    expect((await unbookedByPosition(store.orders, [flat!], TAKER))['1']).toBeCloseTo(WHOLE_TRADE, 10);
  });

  it('when a close has not filled at all, then all of the entry fee is still the held size\'s', async () => {
    const { clock, store, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    setPrice(96);
    await store.orders.record({ clientOrderId: 'ltd-1-close', positionId: '1', symbol: 'ETH/USDT:USDT', purpose: 'close', side: 'sell', type: 'market', quantity: 1, createdAt: clock.now() });
    const closing = await store.positions.update('1', { status: 'closing', closeReason: 'manual' });

    expect((await unbookedByPosition(store.orders, [closing], TAKER))['1']).toBeCloseTo(-0.05, 12);
  });

  it('when a close called off earlier is sent again for a larger size, then its record takes the new size, and the rest held keeps its share of the fee', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    // The first close, for 1, never reached the venue and was called off; the owner has since added 1 by hand.
    await store.orders.record({ clientOrderId: 'ltd-1-close', positionId: '1', symbol: 'ETH/USDT:USDT', purpose: 'close', side: 'sell', type: 'market', quantity: 1, createdAt: clock.now() });
    await store.orders.update('ltd-1-close', { status: 'rejected', error: 'called off: back in the protected band', updatedAt: clock.now() });
    await store.positions.update('1', { quantity: 2, entryFee: 0.1, margin: 66.66 });
    venue.held = [{ ...venue.held[0]!, quantity: 2 }];
    clock.advanceBy(60_000);
    setPrice(96);
    venue.closeFills = 1.2;
    venue.listsCloseFills = false;

    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });

    expect(await store.orders.get('ltd-1-close')).toMatchObject({ quantity: 2, filledQuantity: 1.2 });
    const rest = await store.positions.get('1');
    const part = 1.2 * (96 - 100) - 1.2 * 0.05 - 96 * 1.2 * TAKER;
    expect((await unbookedByPosition(store.orders, [rest!], TAKER))['1']).toBeCloseTo(part - 0.8 * 0.05, 10);
  });

  it('when a close filled 0.6 and its answer was lost, then the retry writes that part down, and the rest is counted once it fills', async () => {
    const { clock, venue, store, engine, closing } = await afterALostCloseAnswer();
    expect((await unbookedByPosition(store.orders, [closing], TAKER))['1']).toBeCloseTo(-0.05, 12);

    // A retry finds the 0.4 left and writes the lost 0.6 down; its own close, under the next id, gets no answer.
    const send = venue.closePosition.bind(venue);
    venue.closePosition = async () => {
      throw new TemporaryError('timed out');
    };
    clock.advanceBy(60_000);
    await engine.daemon.parts.closer.close({ position: closing, reason: 'manual' });
    expect(await store.orders.get('ltd-1-close.1')).toMatchObject({ quantity: 0.4, status: 'intent' });
    const part = 0.6 * (96 - 100) - 0.6 * 0.05 - 96 * 0.6 * TAKER;
    expect((await unbookedByPosition(store.orders, [(await store.positions.get('1'))!], TAKER))['1']).toBeCloseTo(part - 0.4 * 0.05, 10);

    // The next retry fills the 0.4, its fills not listed yet.
    venue.closePosition = send;
    venue.closeFills = undefined;
    venue.listsCloseFills = false;
    clock.advanceBy(60_000);
    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });

    expect(venue.held).toEqual([]);
    expect(await store.orders.get('ltd-1-close')).toMatchObject({ filledQuantity: 0.6, averagePrice: 96 });
    const waiting = await store.positions.get('1');
    expect(waiting?.status).toBe('closing');
    expect((await unbookedByPosition(store.orders, [waiting!], TAKER))['1']).toBeCloseTo(WHOLE_TRADE, 10);
  });

  it('when a caller passes a copy from before the close filled in part, then the close\'s record is left as it is', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    const stale = (await store.positions.get('1'))!;
    clock.advanceBy(60_000);
    setPrice(96);
    venue.closeFills = 0.6;
    venue.refusesSeenClientIds = true;
    await engine.daemon.parts.closer.close({ position: stale, reason: 'manual' });
    const written = await store.orders.get('ltd-1-close');
    expect(written).toMatchObject({ quantity: 1, filledQuantity: 0.6 });

    // The drawdown switch's close-all, say, with the copy it read before that close.
    await engine.daemon.parts.closer.attempt({ position: stale, reason: 'drawdown' });

    expect(await store.orders.get('ltd-1-close')).toMatchObject({ quantity: 1, filledQuantity: 0.6, status: written?.status });
    const part = 0.6 * (96 - 100) - 0.6 * 0.05 - 96 * 0.6 * TAKER;
    expect((await unbookedByPosition(store.orders, [(await store.positions.get('1'))!], TAKER))['1']).toBeCloseTo(part - 0.4 * 0.05, 10);
  });

  it('when the venue tells what a lost close filled but not at what price, then nothing is written: the part waits for its price, and the 0.4 held carries its own share of the entry fee', async () => {
    const { clock, venue, store, engine, closing } = await afterALostCloseAnswer();
    // As Hyperliquid answers before its fills are listed: the order's size filled, no average price.
    const find = venue.findOrder.bind(venue);
    venue.findOrder = async (id: string) => {
      const order = await find(id);
      return order && { ...order, averagePrice: undefined };
    };
    venue.closePosition = async () => {
      throw new TemporaryError('timed out');
    };

    await engine.daemon.parts.closer.close({ position: closing, reason: 'manual' });

    expect((await store.orders.get('ltd-1-close'))?.filledQuantity).toBeUndefined();
    // The rest's close got no answer, so the stop was re-armed for the 0.4 the venue holds, and the record with it.
    expect(await store.positions.get('1')).toMatchObject({ quantity: 0.4, entryFee: 0.02 });
    expect((await unbookedByPosition(store.orders, [(await store.positions.get('1'))!], TAKER))['1']).toBeCloseTo(-0.4 * 0.05, 12);
    // A close answered with a fill and no price is no answer the figures can read either.
    await store.orders.update('ltd-1-close', { filledQuantity: 0.6, updatedAt: clock.now() });
    expect((await unbookedByPosition(store.orders, [(await store.positions.get('1'))!], TAKER))['1']).toBeCloseTo(-0.4 * 0.05, 12);
  });

  it('when the rest went under close.1 and that answer was lost, then the next retry writes it down and sends what is left under close.2', async () => {
    const { clock, venue, store, engine, setPrice } = await scriptedWorld({ TAKE_PROFIT_ON_EXCHANGE: 'false' });
    clock.advanceBy(60_000);
    setPrice(96);
    venue.closeFills = 0.6;
    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });
    expect(await store.positions.get('1')).toMatchObject({ status: 'closing', quantity: 0.4 });
    // close.1 goes out and fills 0.3 of the 0.4, and the daemon stops before its answer is written.
    await store.orders.record({ clientOrderId: 'ltd-1-close.1', positionId: '1', symbol: 'ETH/USDT:USDT', purpose: 'close', side: 'sell', type: 'market', quantity: 0.4, createdAt: clock.now() });
    venue.closeFills = 0.3;
    await venue.closePosition({ clientOrderId: 'ltd-1-close.1', symbol: 'ETH/USDT:USDT', quantity: 0.4 });

    venue.closeFills = undefined;
    venue.listsCloseFills = false;
    clock.advanceBy(60_000);
    await engine.daemon.parts.closer.close({ position: (await store.positions.get('1'))!, reason: 'manual' });

    expect(venue.held).toEqual([]);
    expect(await store.orders.get('ltd-1-close.1')).toMatchObject({ filledQuantity: 0.3, averagePrice: 96 });
    expect(await store.orders.get('ltd-1-close.2')).toMatchObject({ quantity: 0.1, filledQuantity: 0.1 });
    const waiting = await store.positions.get('1');
    expect(waiting?.status).toBe('closing');
    expect((await unbookedByPosition(store.orders, [waiting!], TAKER))['1']).toBeCloseTo(WHOLE_TRADE, 10);
  });
});
