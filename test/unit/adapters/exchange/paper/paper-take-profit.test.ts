// The take-profit order resting on the paper/replay venue: triggered on the mark in the trader's favour, and, when one
// candle reaches both the stop and the target, the stop (the worse for the trader) fills.
import { describe, expect, it } from 'vitest';
import { at, paperWorld, SYMBOL } from './paper-world.js';

async function longWithStopAndTarget(world: ReturnType<typeof paperWorld>, stop: number, target: number) {
  await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
  await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });
  await world.exchange.placeProtectiveStop({ clientOrderId: 'stop', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: stop });
  return world.exchange.placeTakeProfit({ clientOrderId: 'tp', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: target });
}

describe('PaperExchange take-profit orders', () => {
  it('when a candle trades up through the target, then the target fills near its trigger and the stop stays for the daemon to cancel', async () => {
    const world = paperWorld({ levels: { '00:00': 100, '02:15': 104 }, candles: { '02:00': { open: 100, high: 106, low: 99, close: 104 } } });
    const order = await longWithStopAndTarget(world, 95, 105);
    expect(order).toMatchObject({ type: 'take_profit_market', triggerPrice: 105, reduceOnly: true, status: 'open' });

    world.clock.advanceTo(at('03:00'));

    const fills = await world.exchange.fills(SYMBOL, at('00:00'));
    expect(fills.at(-1)).toMatchObject({ clientOrderId: 'tp', side: 'sell', quantity: 1 });
    expect(fills.at(-1)?.price).toBeCloseTo(105 * (1 - 0.0005), 9);
    expect(await world.exchange.positions()).toEqual([]);
    expect((await world.exchange.openOrders(SYMBOL)).map((o) => o.clientOrderId)).toEqual(['stop']);
  });

  it('when one candle reaches both the stop and the target, then the stop fills: the venue takes the one worse for the trader', async () => {
    const world = paperWorld({ levels: { '00:00': 100, '02:15': 100 }, candles: { '02:00': { open: 100, high: 106, low: 94, close: 100 } } });
    await longWithStopAndTarget(world, 95, 105);

    world.clock.advanceTo(at('03:00'));

    const exits = (await world.exchange.fills(SYMBOL, at('00:00'))).filter((fill) => fill.side === 'sell');
    expect(exits.map((fill) => fill.clientOrderId)).toEqual(['stop']);
    expect(await world.exchange.findOrder('tp', SYMBOL)).toMatchObject({ status: 'expired' });
  });

  it('when a ladder step and the final target together take the whole position, then nothing is left, not a float\'s dust', async () => {
    // 150.9 - 113.1 is 37.80000000000001 in floating point; a target of 37.8 used to leave a position of 1.4e-14.
    const world = paperWorld({ levels: { '00:00': 1, '02:15': 1.09 }, candles: { '02:00': { open: 1, high: 1.1, low: 0.99, close: 1.09 } } });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 150.9 });
    await world.exchange.placeTakeProfit({ clientOrderId: 'step', symbol: SYMBOL, positionSide: 'long', quantity: 113.1, triggerPrice: 1.05 });
    await world.exchange.placeTakeProfit({ clientOrderId: 'tp', symbol: SYMBOL, positionSide: 'long', quantity: 37.8, triggerPrice: 1.08 });

    world.clock.advanceTo(at('03:00'));

    const exits = (await world.exchange.fills(SYMBOL, at('00:00'))).filter((fill) => fill.side === 'sell');
    expect(exits.map((fill) => [fill.clientOrderId, fill.quantity])).toEqual([['step', 113.1], ['tp', 37.8]]);
    expect(await world.exchange.positions()).toEqual([]);
  });

  it('when the target is at or below the mark already, then the venue refuses it (it would trigger at once)', async () => {
    const world = paperWorld({ levels: { '00:00': 100 } });
    await expect(longWithStopAndTarget(world, 95, 100)).rejects.toThrow(/would immediately trigger/);
  });
});
