// Isolated margin caps the loss: whatever the exit, a position never costs more than the margin posted for it.
// 10x long of 1 at 100.05 (100 + 5 bps): margin 10.005, liquidation 90.045 / 0.995 ≈ 90.4975, bankruptcy 90.045.
import { describe, expect, it } from 'vitest';
import { at, paperWorld, SYMBOL, type WorldOptions } from './paper-world.js';

const MARGIN = 10.005;

async function tenTimesLong(options: WorldOptions) {
  const world = paperWorld(options);
  await world.exchange.setLeverage(SYMBOL, 10, 'isolated');
  await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });
  return { world, afterEntry: (await world.exchange.balance()).total };
}

describe('PaperExchange isolated margin', () => {
  it('when the last price gaps below the bankruptcy price while the mark stays above liquidation, then a market close is refused and the position is liquidated for exactly its margin', async () => {
    // 03:00: the last price opens at 88, the mark at 91. Closing at 88 − 5 bps would lose 12.14 on a 10.005 margin.
    const { world, afterEntry } = await tenTimesLong({ levels: { '00:00': 100, '03:00': 88 }, markHours: { '03:00': { open: 91, high: 91, low: 90.6, close: 90.8 } } });
    world.clock.advanceTo(at('03:00'));
    expect(await world.exchange.positions()).toHaveLength(1);

    const closing = world.exchange.closePosition({ clientOrderId: 'close', symbol: SYMBOL, positionSide: 'long', quantity: 1 });

    await expect(closing).rejects.toThrow(/liquidated/);
    expect(await world.exchange.positions()).toEqual([]);
    expect((await world.exchange.balance()).total).toBeCloseTo(afterEntry - MARGIN, 8);
    const exits = (await world.exchange.fills(SYMBOL, at('00:00'))).slice(1);
    expect(exits).toHaveLength(1);
    expect(exits[0]?.clientOrderId).toMatch(/^autoclose-/);
    expect(exits[0]?.price).toBeCloseTo(90.045 / 0.995, 8);
  });

  it('when a stop is gapped through to a fill below the bankruptcy price, then the position is liquidated instead and loses exactly its margin', async () => {
    // Stop at 95. 03:00: the mark opens at 91 (through the stop, above liquidation), the last price at 88.
    const { world, afterEntry } = await tenTimesLong({ levels: { '00:00': 100, '03:00': 88 }, markHours: { '03:00': { open: 91, high: 91, low: 90.6, close: 90.8 } } });
    await world.exchange.placeProtectiveStop({ clientOrderId: 'stop', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 95 });

    world.clock.advanceTo(at('03:10'));

    expect(await world.exchange.positions()).toEqual([]);
    expect((await world.exchange.balance()).total).toBeCloseTo(afterEntry - MARGIN, 8);
    expect((await world.exchange.fills(SYMBOL, at('00:00'))).at(-1)?.clientOrderId).toMatch(/^autoclose-/);
  });

  it('when the gapped stop still fills inside the margin, then it fills at the open as usual', async () => {
    // The last price opens at 92: 92 − 5 bps = 91.954, a loss of 8.096 + fee 0.046, under the 10.005 margin.
    const { world, afterEntry } = await tenTimesLong({ levels: { '00:00': 100, '03:00': 92 }, markHours: { '03:00': { open: 92, high: 92, low: 91, close: 91.5 } } });
    await world.exchange.placeProtectiveStop({ clientOrderId: 'stop', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 95 });

    world.clock.advanceTo(at('03:10'));

    const last = (await world.exchange.fills(SYMBOL, at('00:00'))).at(-1);
    expect(last).toMatchObject({ clientOrderId: 'stop', time: at('03:00') });
    expect(last?.price).toBeCloseTo(91.954, 9);
    expect((await world.exchange.balance()).total - afterEntry).toBeCloseTo(91.954 - 100.05 - 0.045977, 8);
  });
});
