import { describe, expect, it } from 'vitest';
import { ADOPTED_ENTRY_ORDER_ID, adoptedHolding, exitParts, settleTrade } from '../../../src/domain/settlement.js';
import type { Fill } from '../../../src/domain/trading.js';
import { position } from '../../support/factories.js';

const T = Date.parse('2025-10-01T00:00:00Z');

function fill(id: string, orderId: string, side: Fill['side'], price: number, quantity: number, atMs: number): Fill {
  return { id, orderId, symbol: 'ETH/USDT:USDT', side, price, quantity, fee: price * quantity * 0.0005, time: new Date(T + atMs) };
}

describe('settleTrade', () => {
  const open = position({ id: '62', quantity: 1, openedAt: new Date(T) });

  it('books the entry order and the sells after it, fees included', () => {
    const trade = settleTrade({
      position: open,
      entryOrderId: 'o2',
      fills: [fill('t2', 'o2', 'buy', 100, 1, 1_000), fill('t3', 'o3', 'sell', 110, 1, 60_000)],
      funding: [],
      reason: 'take_profit',
    });
    expect(trade).toMatchObject({ quantity: 1, entryPrice: 100, exitPrice: 110, grossPnl: 10 });
    expect(trade?.fills.map((f) => f.id)).toEqual(['t2', 't3']);
    expect(trade?.netPnl).toBeCloseTo(10 - 0.05 - 0.055, 10);
  });

  it("when the previous position's close has the very millisecond of this entry, it is not part of this trade", () => {
    // Same timestamp, but the exchange lists the earlier close first: it belongs to the position before.
    const fills = [fill('t1', 'o1', 'sell', 99, 0.5, 1_000), fill('t2', 'o2', 'buy', 100, 1, 1_000), fill('t3', 'o3', 'sell', 110, 1, 60_000)];
    const trade = settleTrade({ position: open, entryOrderId: 'o2', fills, funding: [], reason: 'take_profit' });
    expect(trade?.fills.map((f) => f.id)).toEqual(['t2', 't3']);
    expect(trade).toMatchObject({ exitPrice: 110, grossPnl: 10 });
  });

  it('an adopted position is booked from its holding at adoption: the entry fills before it are not in view, a later add and the exit are', () => {
    const adopted = position({ id: '63', quantity: 2, entryPrice: 105, openedAt: new Date(T + 10_000) });
    const fills = [
      // The owner's own entry, inside the look-up window's lead but before the adoption: already in the holding.
      fill('t1', 'hand', 'buy', 105, 1, 5_000),
      fill('t2', 'hand-2', 'buy', 100, 1, 20_000),
      fill('t3', 'stop', 'sell', 95, 3, 60_000),
    ];
    const trade = settleTrade({ position: adopted, fills, funding: [], reason: 'stop_loss_on_exchange', adopted: { quantity: 2, price: 105 } });

    expect(trade?.fills.map((f) => f.id)).toEqual(['adopted-63', 't2', 't3']);
    expect(trade).toMatchObject({ quantity: 3, exitPrice: 95, openedAt: adopted.openedAt });
    expect(trade?.entryPrice).toBeCloseTo((2 * 105 + 100) / 3, 10);
    expect(trade?.grossPnl).toBeCloseTo(2 * -10 + -5, 10);
    // The holding's fee was paid before the daemon knew the position; the add's was not.
    expect(trade?.entryFee).toBeCloseTo(100 * 0.0005, 10);
  });

  it("when the daemon's clock runs ahead of the venue's, then an adopted position's own close is booked though stamped before the adoption", () => {
    // Adopted at 10:00 by the daemon's clock; the venue's clock is two minutes behind, so its close fills at 09:58:30.
    const adopted = position({ id: '63', quantity: 2, entryPrice: 105, openedAt: new Date(T + 600_000) });
    const fills = [
      fill('t1', 'hand', 'buy', 105, 2, 0),
      { ...fill('t2', 'o9', 'sell', 94, 2, 510_000), clientOrderId: 'ltd-63-close' },
    ];
    const holding = { quantity: 2, price: 105, ownOrderIds: 'ltd-63-' };

    const trade = settleTrade({ position: adopted, fills, funding: [], reason: 'reconciled', adopted: holding });

    expect(trade?.fills.map((f) => f.id)).toEqual(['adopted-63', 't2']);
    expect(trade).toMatchObject({ quantity: 2, entryPrice: 105, exitPrice: 94, grossPnl: -22 });
    // Another position's orders (ltd-631-…) are not this one's.
    const other = [fills[0]!, { ...fills[1]!, clientOrderId: 'ltd-631-close' }];
    expect(settleTrade({ position: adopted, fills: other, funding: [], reason: 'reconciled', adopted: holding })).toBeUndefined();
  });

  it('only an entry record marked as adopted gives a holding', () => {
    const record = { clientOrderId: 'ltd-63-entry', positionId: '63', symbol: 'ETH/USDT:USDT', purpose: 'entry', side: 'buy', type: 'market', quantity: 2, status: 'filled', createdAt: new Date(T), updatedAt: new Date(T) } as const;
    expect(adoptedHolding({ ...record, exchangeOrderId: ADOPTED_ENTRY_ORDER_ID, filledQuantity: 2, averagePrice: 105 })).toEqual({ quantity: 2, price: 105, ownOrderIds: 'ltd-63-' });
    expect(adoptedHolding({ ...record, exchangeOrderId: '123', filledQuantity: 2, averagePrice: 105 })).toBeUndefined();
    expect(adoptedHolding(undefined)).toBeUndefined();
  });

  it('when the exit has not filled yet, there is nothing to book', () => {
    const fills = [fill('t1', 'o1', 'sell', 99, 0.5, 1_000), fill('t2', 'o2', 'buy', 100, 1, 1_000)];
    expect(settleTrade({ position: open, entryOrderId: 'o2', fills, funding: [], reason: 'manual' })).toBeUndefined();
  });

  it('when the owner added by hand and the add was reduced back, then the trade books every fill until flat, and not the next position', () => {
    const fills = [
      fill('t2', 'o2', 'buy', 100, 1, 1_000),
      fill('t3', 'hand', 'buy', 110, 1, 20_000),
      fill('t4', 'trim', 'sell', 110, 1, 30_000),
      fill('t5', 'o5', 'sell', 120, 1, 60_000),
      fill('t6', 'next', 'buy', 130, 1, 90_000),
      fill('t7', 'next-exit', 'sell', 140, 1, 95_000),
    ];
    const trade = settleTrade({ position: open, entryOrderId: 'o2', fills, funding: [], reason: 'take_profit' });
    expect(trade?.fills.map((f) => f.id)).toEqual(['t2', 't3', 't4', 't5']);
    // The add bought at 110 and was sold at 110: the venue's money is the entry's 100 -> 120, 20 in all.
    expect(trade?.grossPnl).toBeCloseTo(20, 10);
  });

  it('when one fill goes through flat (the owner sold twice the long), then only the part up to flat is this trade\'s, with that share of the fee', () => {
    const trade = settleTrade({
      position: open,
      entryOrderId: 'o2',
      fills: [fill('t2', 'o2', 'buy', 100, 1, 1_000), fill('t3', 'o3', 'sell', 110, 2, 60_000)],
      funding: [],
      reason: 'manual_on_exchange',
    });
    // The long of 1 went from 100 to 110; the other 1 sold opened a short, the next position.
    expect(trade).toMatchObject({ quantity: 1, exitPrice: 110, grossPnl: 10, exitFee: 0.055 });
    expect(trade?.netPnl).toBe(10 - 0.05 - 0.055);
    expect(trade?.fills.at(-1)).toMatchObject({ id: 't3', quantity: 1, fee: 0.055 });
  });

  it('books amounts as the store keeps them (1e-8), so an even trade is even and an exact loss is exact', () => {
    const even = settleTrade({
      position: open,
      entryOrderId: 'e',
      fills: [{ ...fill('a', 'e', 'buy', 100, 1, 1_000), fee: 0.1 }, { ...fill('b', 'x', 'sell', 100.2, 1, 60_000), fee: 0.1 }],
      funding: [],
      reason: 'take_profit',
    });
    // 0.2 - 0.1 - 0.1 is 2.8e-15 in floating point: a win for whoever compares it with zero.
    expect(even?.netPnl).toBe(0);
    const tenDollars = settleTrade({
      position: open,
      entryOrderId: 'e',
      fills: [{ ...fill('a', 'e', 'buy', 100, 1, 1_000), fee: 0.1 }, { ...fill('b', 'x', 'sell', 90.2, 1, 60_000), fee: 0.1 }],
      funding: [],
      reason: 'stop_loss',
    });
    expect(tenDollars?.netPnl).toBe(-10);
  });
});

describe('exitParts', () => {
  const long = position({ id: '70', quantity: 0.023, entryPrice: 100_000, entryFee: 1.15, openedAt: new Date(T) });

  it('when a take-profit step filled before the stop, then the last exit is the stop\u2019s own price and the step is apart, net of its fees', () => {
    const fills = [fill('t1', 'e', 'buy', 100_000, 0.023, 0), fill('t2', 'tp1', 'sell', 106_000, 0.011, 600_000), fill('t3', 'sl', 'sell', 93_900, 0.012, 1_200_000)];
    const trade = settleTrade({ position: long, entryOrderId: 'e', fills, funding: [], reason: 'stop_loss_on_exchange' })!;

    const parts = exitParts(trade);

    expect(parts.last).toEqual({ quantity: 0.012, price: 93_900 });
    expect(parts.earlier?.quantity).toBe(0.011);
    // 0.011 × 6,000 gross, less its share of the entry fee and its own exit fee.
    expect(parts.earlier?.netPnl).toBeCloseTo(66 - (1.15 * 0.011) / 0.023 - 106_000 * 0.011 * 0.0005, 10);
    expect(trade.exitPrice).toBeCloseTo((106_000 * 0.011 + 93_900 * 0.012) / 0.023, 6);
  });

  it('when one order closed the whole position, in several fills, then there is no earlier part', () => {
    const fills = [fill('t1', 'e', 'buy', 100_000, 0.023, 0), fill('t2', 'c', 'sell', 101_000, 0.02, 600_000), fill('t3', 'c', 'sell', 100_900, 0.003, 600_000)];
    const trade = settleTrade({ position: long, entryOrderId: 'e', fills, funding: [], reason: 'manual' })!;

    expect(exitParts(trade)).toEqual({ last: { quantity: trade.quantity, price: trade.exitPrice } });
  });
});
