// The paper venue honours an entry's limit as the live venue does: the slipped fill is capped at it, and an entry
// whose price is already beyond it expires unfilled.
import { describe, expect, it } from 'vitest';
import { paperWorld, SYMBOL } from './paper-world.js';

async function world() {
  const setup = paperWorld({ levels: { '00:00': 100 } });
  await setup.exchange.setLeverage(SYMBOL, 5, 'isolated');
  return setup;
}

describe('PaperExchange entries with a limit price', () => {
  it('when the limit allows the full 5 bps slippage, then the long fills at 100.05 as a market entry would', async () => {
    const { exchange } = await world();

    const entry = await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 1, limitPrice: 100.05 });

    expect(entry).toMatchObject({ status: 'filled', filledQuantity: 1, averagePrice: 100.05 });
  });

  it('when the limit is tighter than the slippage, then the fill is capped at the limit', async () => {
    const { exchange } = await world();

    const long = await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 1, limitPrice: 100.02 });

    expect(long).toMatchObject({ status: 'filled', averagePrice: 100.02 });
    expect((await exchange.positions())[0]?.entryPrice).toBe(100.02);
  });

  it('when a short\u2019s limit is tighter than the slippage, then it sells no lower than the limit', async () => {
    const { exchange } = await world();

    const short = await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'short', quantity: 1, limitPrice: 99.98 });

    expect(short).toMatchObject({ status: 'filled', averagePrice: 99.98 });
  });

  it('when the price is already beyond the limit, then the entry expires unfilled: no position, no fee, and it can be looked up', async () => {
    const { exchange } = await world();

    const entry = await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 1, limitPrice: 99.99 });

    expect(entry).toMatchObject({ status: 'expired', filledQuantity: 0, quantity: 1 });
    expect(await exchange.positions()).toEqual([]);
    expect((await exchange.balance()).total).toBe(1000);
    expect(await exchange.fills(SYMBOL, new Date(0))).toEqual([]);
    expect(await exchange.findOrder('e1', SYMBOL)).toMatchObject({ status: 'expired', filledQuantity: 0 });
  });

  it('when the limit is off the tick, then the entry is refused as the venue would', async () => {
    const { exchange } = await world();

    await expect(exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 1, limitPrice: 100.005 })).rejects.toThrow(
      /limit price 100.005 is not a multiple of the tick 0.01/,
    );
  });
});
