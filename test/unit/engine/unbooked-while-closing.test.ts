// What an open position has taken from the wallet that no booked trade holds yet (the drawdown switch's capped share,
// the day's starting figures, the shadow leaderboard read it): while a close of ours has filled and its booking waits
// for the venue to list the fills, the close is a part taken off, and the record still has its size. The entry fee
// is counted once: the part's share and the held rest's share, never the whole fee on top of the part's.
import { describe, expect, it } from 'vitest';
import { unbookedByPosition } from '../../../src/engine/closed-parts.js';
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
});
