// Stops and take-profits met inside the live minute, as paper mode on live prices walks it: the forming minute comes
// again, longer, at every call, completed at the current price.
import { describe, expect, it } from 'vitest';
import { livePaperWorld } from './paper-live-world.js';
import { at, SYMBOL } from './paper-world.js';

async function longWith(world: ReturnType<typeof livePaperWorld>, exit: 'stop' | 'take-profit', triggerPrice: number): Promise<void> {
  await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
  await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });
  const request = { clientOrderId: 'exit', symbol: SYMBOL, positionSide: 'long' as const, quantity: 1, triggerPrice };
  if (exit === 'stop') await world.exchange.placeProtectiveStop(request);
  else await world.exchange.placeTakeProfit(request);
}

describe('paper on live prices, inside the forming minute', () => {
  for (const noMarkCandles of [false, true]) {
    const venue = noMarkCandles ? 'a venue with no mark candles' : 'a venue with mark candles';
    it(`when the price crashes 100 → 90 through a long's stop at 95 inside a new minute (${venue}), then the stop fills at 95 less slippage`, async () => {
      const world = livePaperWorld({ moves: { '10:00': 100, '10:01:30': 90 }, noMarkCandles });
      await longWith(world, 'stop', 95);
      world.clock.advanceTo(at('10:00:50'));
      await world.exchange.positions();

      world.clock.advanceTo(at('10:01:40'));

      // 95 − 5 bps, met inside the minute: not the minute's open of 100 as a gap.
      expect(await world.exchange.findOrder('exit', SYMBOL)).toMatchObject({ status: 'filled', averagePrice: 94.9525, time: at('10:01:40') });
    });
  }

  it("when the price rallies 100 → 110 through a long's take-profit at 105 inside a new minute (a venue with no mark candles), then it fills at 105 less slippage", async () => {
    const world = livePaperWorld({ moves: { '10:00': 100, '10:01:30': 110 }, noMarkCandles: true });
    await longWith(world, 'take-profit', 105);
    world.clock.advanceTo(at('10:00:50'));
    await world.exchange.positions();

    world.clock.advanceTo(at('10:01:40'));

    expect(await world.exchange.findOrder('exit', SYMBOL)).toMatchObject({ status: 'filled', averagePrice: 104.9475 });
  });

  it("when a held long's stop is placed after a wick earlier in the minute went below it, then the wick does not set it off", async () => {
    // Held since 08:05; a wick to 96.5 at 08:10:05, back to 100 by 08:10:20, when the account is walked. The stop at
    // 97 is placed at 08:10:30, with the mark at 100.
    const world = livePaperWorld({ moves: { '08:05': 100, '08:10:05': 96.5, '08:10:20': 100 } });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });
    world.clock.advanceTo(at('08:10:20'));
    await world.exchange.positions();
    world.clock.advanceTo(at('08:10:30'));
    await world.exchange.placeProtectiveStop({ clientOrderId: 'exit', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 97 });

    world.clock.advanceTo(at('08:10:40'));

    expect(await world.exchange.positions()).toMatchObject([{ symbol: SYMBOL, quantity: 1 }]);
    expect(await world.exchange.findOrder('exit', SYMBOL)).toMatchObject({ status: 'open' });
  });

  it('when the minute goes on below a stop placed inside it, beyond its earlier low, then the stop fills', async () => {
    const world = livePaperWorld({ moves: { '08:05': 100, '08:10:05': 96.5, '08:10:20': 100, '08:10:35': 96 } });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });
    world.clock.advanceTo(at('08:10:30'));
    await world.exchange.placeProtectiveStop({ clientOrderId: 'exit', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 97 });

    world.clock.advanceTo(at('08:10:40'));

    const stop = await world.exchange.findOrder('exit', SYMBOL);
    expect(stop?.status).toBe('filled');
    // 97 − 5 bps.
    expect(stop?.averagePrice).toBeCloseTo(96.9515, 9);
  });
});
