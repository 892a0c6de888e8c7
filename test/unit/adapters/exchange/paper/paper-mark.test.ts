// Stops and liquidation trigger on the mark price, as Binance's MARK_PRICE working type; the traded price only fills.
// Hourly mark candles, 15m traded candles: inside an hour the venue's mark is the traded bar shifted by the basis at
// the hour's open; the quarter that closes the hour is held inside the hour's mark range, and the hour's own range
// is matched at its close. Flat 100 traded candles except where a story sets one.
import { describe, expect, it } from 'vitest';
import { at, paperWorld, SYMBOL, type WorldOptions } from './paper-world.js';

async function longWithStop(options: WorldOptions, stop = 95) {
  const world = paperWorld(options);
  await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
  await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });
  await world.exchange.placeProtectiveStop({ clientOrderId: 'stop', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: stop });
  return world;
}

describe('PaperExchange stops on the mark price', () => {
  it('when the last price dips through the stop but the mark, opening the hour 2 above it, stays above, then the long is not stopped out', async () => {
    // 02:00 quarter: last 100 → 94 → 99. Mark hour 02:00 opens at 102 (basis +2): the quarter's mark low is 96, the
    // hour's 96.5; neither reaches the stop at 95.
    const world = await longWithStop({
      levels: { '00:00': 100, '02:15': 99 },
      candles: { '02:00': { open: 100, high: 101, low: 94, close: 99 } },
      markHours: { '02:00': { open: 102, high: 103, low: 96.5, close: 101 } },
    });

    world.clock.advanceTo(at('04:00'));

    expect(await world.exchange.positions()).toMatchObject([{ side: 'long', quantity: 1 }]);
    expect(await world.exchange.findOrder('stop', SYMBOL)).toMatchObject({ status: 'open' });
  });

  it('when the last price wicks through the stop in the quarter that closes the hour, then the hour\'s mark range holds it off', async () => {
    // 02:45 quarter: last 100 → 94 → 100, basis 0; the mark hour's low is 96, known at 03:00 when that quarter closes.
    const world = await longWithStop({
      candles: { '02:45': { open: 100, high: 100, low: 94, close: 100 } },
      markHours: { '02:00': { open: 100, high: 100.5, low: 96, close: 100 } },
    });

    world.clock.advanceTo(at('04:00'));

    expect(await world.exchange.positions()).toHaveLength(1);
  });

  it('when the mark reaches the stop while the last price stays above it, then the stop fills at the hour\'s close, at the nearest traded price', async () => {
    // Last never trades below 96 in the 02:00 hour; the mark hour's low is 94.5. Inside the hour the estimate (basis
    // 0) stays above 95; at 03:00 the hour's mark range reaches it. Fill: 96 (the hour's lowest trade) − 5 bps.
    const world = await longWithStop({
      levels: { '00:00': 100, '02:30': 99 },
      candles: { '02:15': { open: 100, high: 100, low: 96, close: 99 } },
      markHours: { '02:00': { open: 100, high: 100, low: 94.5, close: 99 } },
    });

    world.clock.advanceTo(at('02:59'));
    const beforeTheHourCloses = await world.exchange.positions();
    world.clock.advanceTo(at('03:30'));

    expect(beforeTheHourCloses).toHaveLength(1);
    expect(await world.exchange.positions()).toEqual([]);
    const last = (await world.exchange.fills(SYMBOL, at('00:00'))).at(-1);
    expect(last).toMatchObject({ clientOrderId: 'stop', side: 'sell', time: at('03:00') });
    expect(last?.price).toBeCloseTo(96 * 0.9995, 9);
  });

  it('when the hour\'s mark high came before a take-profit was placed, then the hour\'s close does not fill it (in the trader\'s favour, so not assumed)', async () => {
    // The 02:00 quarter reaches 106 (mark the same: basis 0); from 02:15 the price is 100. At 02:30 the long's target
    // goes on at 105. At 03:00 the hour's mark high is 106, which may have come before the target existed: in the
    // trader's favour, so not taken.
    const world = await longWithStop({
      start: at('02:30'),
      levels: { '00:00': 100, '02:15': 100 },
      candles: { '02:00': { open: 100, high: 106, low: 100, close: 100 } },
      markHours: { '02:00': { open: 100, high: 106, low: 99, close: 100 } },
    });
    await world.exchange.placeTakeProfit({ clientOrderId: 'target', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 105 });

    world.clock.advanceTo(at('04:00'));

    expect(await world.exchange.positions()).toMatchObject([{ side: 'long', quantity: 1 }]);
    expect(await world.exchange.findOrder('target', SYMBOL)).toMatchObject({ status: 'open' });
  });

  it('when the mark opens the hour 2 below the last price, then a dip of the last price to 96.5 stops the long inside the hour, where the traded price was 97', async () => {
    // Basis −2: the 02:00 quarter's mark low is 94.5, at or below the stop at 95. The mark met 95 as the traded price
    // passed 97: filled at 02:15 at 97 − 5 bps.
    const world = await longWithStop({
      levels: { '00:00': 100, '02:15': 99 },
      candles: { '02:00': { open: 100, high: 100, low: 96.5, close: 99 } },
      markHours: { '02:00': { open: 98, high: 98.5, low: 94.5, close: 97 } },
    });

    world.clock.advanceTo(at('02:30'));

    const last = (await world.exchange.fills(SYMBOL, at('00:00'))).at(-1);
    expect(last).toMatchObject({ clientOrderId: 'stop', time: at('02:15') });
    expect(last?.price).toBeCloseTo(97 * 0.9995, 9);
  });

  it('when the mark runs 2 above the last price in a sell-off, then a long\u2019s stop at 95 fills where the traded price was as the mark met it, 93, not at 95', async () => {
    // The 02:00 quarter trades 100 → 92 → 93; the hour's mark opens at 102. The mark meets 95 as the traded price
    // passes 93, and a market order then fills there, as on the venue.
    const world = await longWithStop({
      levels: { '00:00': 100, '02:15': 93 },
      candles: { '02:00': { open: 100, high: 100, low: 92, close: 93 } },
      markHours: { '02:00': { open: 102, high: 102, low: 94, close: 95 } },
    });

    world.clock.advanceTo(at('02:30'));

    const last = (await world.exchange.fills(SYMBOL, at('00:00'))).at(-1);
    expect(last).toMatchObject({ clientOrderId: 'stop', time: at('02:15') });
    expect(last?.price).toBeCloseTo(93 * 0.9995, 9);
  });

  it('when the mark opens an hour below the liquidation price while the last price opens above it, then the position is liquidated then', async () => {
    // 10x long at 100.05: margin 10.005, liquidation 90.045 / 0.995 ≈ 90.4975. 03:00: last opens at 92, mark at 90.
    const world = paperWorld({ levels: { '00:00': 100, '03:00': 92 }, markHours: { '03:00': { open: 90, high: 92, low: 89.5, close: 91.5 } } });
    await world.exchange.setLeverage(SYMBOL, 10, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });
    const afterEntry = (await world.exchange.balance()).total;

    world.clock.advanceTo(at('03:00'));

    expect(await world.exchange.positions()).toEqual([]);
    const last = (await world.exchange.fills(SYMBOL, at('00:00'))).at(-1);
    expect(last).toMatchObject({ clientOrderId: expect.stringMatching(/^autoclose-/), time: at('03:00') });
    expect((await world.exchange.balance()).total).toBeCloseTo(afterEntry - 10.005, 8);
  });

  it('when a long opens at 02:30 after the hour rallied 100 → 130, then the hour\'s close does not liquidate it on the mark from before its entry', async () => {
    // 5x long at about 130: liquidation near 104.6, far below every mark after the entry (129.5 and up). The hour's
    // mark opened at 100, below both the stop and the liquidation price, but neither existed then.
    const world = paperWorld({
      start: at('02:30'),
      levels: { '00:00': 100, '02:15': 130 },
      candles: { '02:00': { open: 100, high: 130, low: 100, close: 130 } },
      markHours: { '02:00': { open: 100, high: 130.5, low: 100, close: 130 }, '03:00': { open: 130, high: 130.5, low: 129.5, close: 130 } },
    });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });
    await world.exchange.placeProtectiveStop({ clientOrderId: 'stop', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 125 });
    expect((await world.exchange.positions())[0]?.liquidationPrice).toBeLessThan(110);

    world.clock.advanceTo(at('03:30'));

    const fills = await world.exchange.fills(SYMBOL, at('00:00'));
    expect(fills.some((fill) => fill.clientOrderId?.startsWith('autoclose'))).toBe(false);
    // A stop placed inside the hour is still matched against the whole hour's mark range (README): the nearer level,
    // filled at its trigger with the stop's slippage.
    expect(fills.at(-1)?.clientOrderId).toBe('stop');
    expect(fills.at(-1)?.price).toBeCloseTo(125, 0);
  });

  it('when a short opens at 02:30 after the hour crashed 100 → 70, then the hour\'s close does not liquidate it either', async () => {
    const world = paperWorld({
      start: at('02:30'),
      levels: { '00:00': 100, '02:15': 70 },
      candles: { '02:00': { open: 100, high: 100, low: 70, close: 70 } },
      markHours: { '02:00': { open: 100, high: 100, low: 69.5, close: 70 }, '03:00': { open: 70, high: 70.5, low: 69.5, close: 70 } },
    });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'short', quantity: 1 });
    await world.exchange.placeProtectiveStop({ clientOrderId: 'stop', symbol: SYMBOL, positionSide: 'short', quantity: 1, triggerPrice: 73 });

    world.clock.advanceTo(at('03:30'));

    const fills = await world.exchange.fills(SYMBOL, at('00:00'));
    expect(fills.some((fill) => fill.clientOrderId?.startsWith('autoclose'))).toBe(false);
    expect(fills.at(-1)?.clientOrderId).toBe('stop');
    expect(fills.at(-1)?.price).toBeCloseTo(73, 0);
  });

  it('reports the mark inside an hour as the last price plus the basis at the hour\'s open', async () => {
    const world = paperWorld({ levels: { '00:00': 100, '02:30': 104 }, markHours: { '02:00': { open: 100.5, high: 105, low: 100, close: 104.6 } } });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });

    world.clock.advanceTo(at('02:00'));
    const atTheOpen = await world.marketData.markPrice(SYMBOL);
    world.clock.advanceTo(at('02:40'));
    const [position] = await world.exchange.positions();

    expect(atTheOpen).toBe(100.5);
    expect(position?.markPrice).toBeCloseTo(104.5, 9);
  });
});

describe('PaperExchange inside a candle', () => {
  it('when a candle crosses the stop, then the venue fills it at the candle\'s close and not before: the daemon cannot learn it sooner', async () => {
    // Rising 02:00 candle O 100, L 94, H 101, C 100.5: at 02:07 its low does not exist yet for anyone.
    const world = await longWithStop({ candles: { '02:00': { open: 100, high: 101, low: 94, close: 100.5 } }, levels: { '00:00': 100, '02:15': 100.5 } });

    world.clock.advanceTo(at('02:07'));
    const inside = await world.exchange.positions();
    world.clock.advanceTo(at('02:15'));

    expect(inside).toHaveLength(1);
    expect(await world.exchange.positions()).toEqual([]);
    expect((await world.exchange.fills(SYMBOL, at('00:00'))).at(-1)).toMatchObject({ clientOrderId: 'stop', time: at('02:15'), price: 95 * 0.9995 });
  });
});
