// Resting stops and liquidation against the intra-candle path. Flat 100 candles except where a story sets one.
import { describe, expect, it } from 'vitest';
import { at, paperWorld, SYMBOL } from './paper-world.js';

async function longWithStop(world: ReturnType<typeof paperWorld>, leverage: number, stop: number) {
  await world.exchange.setLeverage(SYMBOL, leverage, 'isolated');
  await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });
  const order = await world.exchange.placeProtectiveStop({
    clientOrderId: 'stop',
    symbol: SYMBOL,
    positionSide: 'long',
    quantity: 1,
    triggerPrice: stop,
  });
  return { order, afterEntry: (await world.exchange.balance()).total };
}

describe('PaperExchange stops and liquidation', () => {
  it('when a candle trades through the stop inside its range, then the stop fills at its trigger less slippage', async () => {
    // Falling 02:00 candle: 100 → 101 → 94 → 99; the stop at 95 is crossed on the way to 94.
    const world = paperWorld({ levels: { '00:00': 100, '02:15': 99 }, candles: { '02:00': { open: 100, high: 101, low: 94, close: 99 } } });
    const { order, afterEntry } = await longWithStop(world, 5, 95);
    expect(await world.exchange.openOrders(SYMBOL)).toMatchObject([{ id: order.id, type: 'stop_market', triggerPrice: 95, reduceOnly: true }]);

    world.clock.advanceTo(at('03:00'));

    // 95 − 5 bps = 94.9525; fee 0.04747625; P&L 94.9525 − 100.05 = −5.0975.
    const fills = await world.exchange.fills(SYMBOL, at('00:00'));
    expect(fills.at(-1)).toMatchObject({ clientOrderId: 'stop', side: 'sell', quantity: 1 });
    expect(fills.at(-1)?.price).toBeCloseTo(94.9525, 9);
    expect(await world.exchange.positions()).toEqual([]);
    expect(await world.exchange.openOrders()).toEqual([]);
    expect(await world.exchange.findOrder('stop', SYMBOL)).toMatchObject({ status: 'filled', filledQuantity: 1 });
    expect((await world.exchange.balance()).total - afterEntry).toBeCloseTo(-5.0975 - 0.04747625, 8);
  });

  it('when a candle opens below the stop, then the stop fills at that open, not at its trigger', async () => {
    // 01:45 closes at 100, 02:00 opens at 93: a gap through the stop at 95 (liquidation is near 80.44 at 5x).
    const world = paperWorld({ levels: { '00:00': 100, '02:00': 93 } });
    const { afterEntry } = await longWithStop(world, 5, 95);

    world.clock.advanceTo(at('02:30'));

    // 93 − 5 bps = 92.9535; fee 0.04647675; P&L 92.9535 − 100.05 = −7.0965.
    const fills = await world.exchange.fills(SYMBOL, at('00:00'));
    expect(fills.at(-1)?.price).toBeCloseTo(92.9535, 9);
    expect(fills.at(-1)?.time).toEqual(at('02:00'));
    expect((await world.exchange.balance()).total - afterEntry).toBeCloseTo(-7.0965 - 0.04647675, 8);
  });

  it('when a candle gaps through both the stop and the liquidation price, then the position is liquidated and exactly its margin is lost', async () => {
    // 10x long at 100.05: margin 10.005, liquidation at 90.045 / 0.995 ≈ 90.4975. 02:00 opens at 80.
    const world = paperWorld({ levels: { '00:00': 100, '02:00': 80 } });
    const { afterEntry } = await longWithStop(world, 10, 95);

    world.clock.advanceTo(at('02:30'));

    const balance = await world.exchange.balance();
    expect(balance.total).toBeCloseTo(afterEntry - 10.005, 8);
    expect(balance.available).toBe(balance.total);
    const last = (await world.exchange.fills(SYMBOL, at('00:00'))).at(-1);
    expect(last?.clientOrderId).toMatch(/^autoclose-\d+$/);
    expect(last?.price).toBeCloseTo(90.045 / 0.995, 8);
    expect(await world.exchange.positions()).toEqual([]);
    // The stop was reached too, but with nothing left to reduce it expired.
    expect(await world.exchange.findOrder('stop', SYMBOL)).toMatchObject({ status: 'expired', filledQuantity: 0 });
    expect(world.logger.lines.some((line) => line.level === 'warn' && line.message.includes('liquidated'))).toBe(true);
  });

  it('when the price slides through stop and liquidation within one candle, then the nearer stop fills first', async () => {
    // Rising 02:00 candle 100 → 85 → 101 → 100.5 at 10x: the stop at 95 is met before liquidation near 90.5.
    const world = paperWorld({ candles: { '02:00': { open: 100, high: 101, low: 85, close: 100.5 } } });
    const { afterEntry } = await longWithStop(world, 10, 95);

    world.clock.advanceTo(at('03:00'));

    const last = (await world.exchange.fills(SYMBOL, at('00:00'))).at(-1);
    expect(last?.clientOrderId).toBe('stop');
    expect((await world.exchange.balance()).total - afterEntry).toBeCloseTo(-5.0975 - 0.04747625, 8);
  });

  it('when the position was closed by hand and the price later crosses the stop, then the stop expires without a fill', async () => {
    const world = paperWorld({ levels: { '00:00': 100, '05:00': 90 } });
    await longWithStop(world, 5, 95);
    world.clock.advanceTo(at('02:00'));
    await world.exchange.closePosition({ clientOrderId: 'close', symbol: SYMBOL, positionSide: 'long', quantity: 1 });
    const afterClose = await world.exchange.balance();
    expect(await world.exchange.openOrders()).toHaveLength(1);

    world.clock.advanceTo(at('06:00'));

    expect(await world.exchange.openOrders()).toEqual([]);
    expect(await world.exchange.findOrder('stop', SYMBOL)).toMatchObject({ status: 'expired' });
    expect(await world.exchange.balance()).toEqual(afterClose);
    expect((await world.exchange.fills(SYMBOL, at('00:00'))).map((fill) => fill.clientOrderId)).toEqual(['entry', 'close']);
  });

  it('a short stop triggers on the way up', async () => {
    // Rising 02:00 candle 100 → 99 → 106 → 104: a short's stop at 105 is crossed.
    const world = paperWorld({ levels: { '00:00': 100, '02:15': 104 }, candles: { '02:00': { open: 100, high: 106, low: 99, close: 104 } } });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'short', quantity: 1 });
    await world.exchange.placeProtectiveStop({ clientOrderId: 'stop', symbol: SYMBOL, positionSide: 'short', quantity: 1, triggerPrice: 105 });

    world.clock.advanceTo(at('03:00'));

    const last = (await world.exchange.fills(SYMBOL, at('00:00'))).at(-1);
    expect(last).toMatchObject({ clientOrderId: 'stop', side: 'buy' });
    expect(last?.price).toBeCloseTo(105 * 1.0005, 9);
  });

  it('when a stop is cancelled, then the price crossing its trigger later does nothing', async () => {
    const world = paperWorld({ levels: { '00:00': 100, '02:00': 90 } });
    const { order } = await longWithStop(world, 5, 95);

    await world.exchange.cancelOrder(order.id, SYMBOL);
    world.clock.advanceTo(at('03:00'));

    expect(await world.exchange.positions()).toHaveLength(1);
    expect(await world.exchange.findOrder('stop', SYMBOL)).toMatchObject({ status: 'cancelled' });
    await expect(world.exchange.cancelOrder(order.id, SYMBOL)).rejects.toThrow(/unknown order/);
  });
});
