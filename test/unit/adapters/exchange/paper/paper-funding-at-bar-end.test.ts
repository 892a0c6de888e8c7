// A stop or a liquidation reached inside the quarter before a funding settlement is dated at the quarter's close, the
// settlement's own instant. The walk applies the settlement after that quarter, so the position gone in it owes
// nothing; a later call, which meets the settlement again as possibly late, must not charge it either.
import { describe, expect, it } from 'vitest';
import { livePaperWorld } from './paper-live-world.js';
import { at, paperWorld, SYMBOL } from './paper-world.js';

describe('a position stopped out in the quarter before a funding settlement', () => {
  for (const side of ['long', 'short'] as const) {
    it(`when a ${side} is stopped in 07:45-08:00, then no 08:00 funding is charged, then or later`, async () => {
      const world = paperWorld({
        // 07:45 quarter wicks 10% both ways; funding +1% at 08:00.
        candles: { '07:45': { open: 100, high: 110, low: 90, close: 100 } },
        fundingRates: [0, 0.01, 0],
      });
      await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
      await world.exchange.placeEntry({ clientOrderId: 'e', symbol: SYMBOL, side, quantity: 1 });
      await world.exchange.placeProtectiveStop({ clientOrderId: 's', symbol: SYMBOL, positionSide: side, quantity: 1, triggerPrice: side === 'long' ? 95 : 105 });

      // The daemon's step at the candle close, then a few minutes later (any call within 15 minutes).
      world.clock.advanceTo(at('08:00'));
      await world.exchange.positions();
      const afterWalk = await world.exchange.fundingPayments(SYMBOL, at('00:00'));
      const walletAtClose = (await world.exchange.balance()).total;
      world.clock.advanceTo(at('08:20'));
      await world.exchange.balance();
      const later = await world.exchange.fundingPayments(SYMBOL, at('00:00'));

      const fills = await world.exchange.fills(SYMBOL, at('00:00'));
      expect(fills.at(-1)).toMatchObject({ clientOrderId: 's', time: at('08:00') });
      expect(afterWalk).toEqual([]);
      expect((await world.exchange.balance()).total).toBe(walletAtClose);
      expect(later.map((p) => [p.time.toISOString(), p.amount])).toEqual([]);
    });
  }
});

describe('a position liquidated in the quarter before a funding settlement', () => {
  it('when an isolated long is liquidated in 07:45-08:00, then it loses its margin and entry fee and no funding besides', async () => {
    const world = paperWorld({ candles: { '07:45': { open: 100, high: 100, low: 80, close: 100 } }, fundingRates: [0, 0.01, 0] });
    await world.exchange.setLeverage(SYMBOL, 10, 'isolated');
    const entry = await world.exchange.placeEntry({ clientOrderId: 'e', symbol: SYMBOL, side: 'long', quantity: 1 });
    const [position] = await world.exchange.positions();
    world.clock.advanceTo(at('08:00'));
    expect(await world.exchange.positions()).toEqual([]);
    world.clock.advanceTo(at('08:20'));
    const lost = 1000 - (await world.exchange.balance()).total;
    expect(lost).toBeCloseTo((position?.margin ?? 0) + (entry.fee ?? 0), 8);
  });
});

describe('a position stopped out in the minute before a settlement the walk met only as late', () => {
  // Live paper: a stop crossed at 07:59:30 is first seen by the sync at 08:00:10, and dated 08:00, the end of the
  // minute it was met in. The 08:00 rate (+0.1%) is listed 20 s late, or met again as late after a restart.
  const moves = { '07:30': 100, '07:59:30': 94, '07:59:40': 97 };
  const funding = [{ time: at('08:00').getTime(), rate: 0.001 }];

  it('when the rate is listed after the sync that met the stop, then no 08:00 funding is charged on the closed long', async () => {
    const world = livePaperWorld({ moves, funding, fundingListedAfterMs: 20_000 });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'e', symbol: SYMBOL, side: 'long', quantity: 1 });
    await world.exchange.placeProtectiveStop({ clientOrderId: 's', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 95 });
    world.clock.advanceTo(at('07:59:20'));
    await world.exchange.positions();
    world.clock.advanceTo(at('08:00:10'));
    expect(await world.exchange.findOrder('s', SYMBOL)).toMatchObject({ status: 'filled', time: at('08:00') });
    const walletAfterStop = (await world.exchange.balance()).total;

    world.clock.advanceTo(at('08:01'));

    expect(await world.exchange.fundingPayments(SYMBOL, at('07:00'))).toEqual([]);
    expect((await world.exchange.balance()).total).toBe(walletAfterStop);
  });

  it('when the daemon restarts within a quarter of an hour of the settlement, then it charges none on the closed long either', async () => {
    const world = livePaperWorld({ moves, funding });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'e', symbol: SYMBOL, side: 'long', quantity: 1 });
    await world.exchange.placeProtectiveStop({ clientOrderId: 's', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 95 });
    world.clock.advanceTo(at('08:00:30'));
    const walletBefore = (await world.exchange.balance()).total;
    expect(await world.exchange.fundingPayments(SYMBOL, at('07:00'))).toEqual([]);

    world.clock.advanceTo(at('08:05'));
    const restarted = world.reopen();

    expect((await restarted.balance()).total).toBe(walletBefore);
    expect(await restarted.fundingPayments(SYMBOL, at('07:00'))).toEqual([]);
  });

  it('when the daemon closes the long itself at the settlement instant and the rate is listed late, then the 08:00 funding is charged, as on time', async () => {
    // Held at 08:00: the close at that very instant comes after the settlement (the catch-up to 08:00 applies it first).
    const world = livePaperWorld({ moves: { '07:30': 100 }, funding, fundingListedAfterMs: 20_000 });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'e', symbol: SYMBOL, side: 'long', quantity: 1 });
    world.clock.advanceTo(at('08:00'));
    await world.exchange.closePosition({ clientOrderId: 'c', symbol: SYMBOL, positionSide: 'long', quantity: 1 });

    world.clock.advanceTo(at('08:01'));

    // −1 × 0.001 × 1 × 100.
    expect((await world.exchange.fundingPayments(SYMBOL, at('07:00'))).map((payment) => payment.amount)).toEqual([-0.1]);
  });
});
