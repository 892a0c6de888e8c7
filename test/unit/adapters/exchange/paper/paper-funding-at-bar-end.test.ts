// A stop or a liquidation reached inside the quarter before a funding settlement is dated at the quarter's close, the
// settlement's own instant. The walk applies the settlement after that quarter, so the position gone in it owes
// nothing; a later call, which meets the settlement again as possibly late, must not charge it either.
import { describe, expect, it } from 'vitest';
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
