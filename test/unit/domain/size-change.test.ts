import { describe, expect, it } from 'vitest';
import { heldFromFills, reducedPart } from '../../../src/domain/size-change.js';
import { partNetPnl } from '../../../src/domain/take-profit-plan.js';
import type { Fill } from '../../../src/domain/trading.js';

const T = Date.parse('2025-10-01T00:00:00Z');
const entry = { quantity: 1, averagePrice: 100, fees: 0.05 };

function fill(id: string, side: Fill['side'], price: number, quantity: number, clientOrderId?: string): Fill {
  return { id, orderId: `o${id}`, clientOrderId, symbol: 'ETH/USDT:USDT', side, price, quantity, fee: price * quantity * 0.0005, time: new Date(T + Number(id) * 1_000) };
}

describe('a size change seen in the fills', () => {
  it('when the owner adds by hand, then the held size is everything opened, at its average entry', () => {
    const held = heldFromFills('long', [fill('1', 'buy', 100, 1, 'ltd-7-entry'), fill('2', 'buy', 106, 0.5, 'web_add')]);

    expect(held.quantity).toBeCloseTo(1.5, 12);
    expect(held.entry.averagePrice).toBeCloseTo(102, 12);
    expect(held.entry.fees).toBeCloseTo(0.05 + 0.0265, 12);
    expect(held.exits).toEqual([]);
  });

  it('when the venue takes part of a short, then the part realises against the average entry, after its exit fee and its share of the entry fee', () => {
    const held = heldFromFills('short', [fill('1', 'sell', 100, 2), fill('2', 'buy', 90, 0.5, 'adl_autoclose')]);
    const part = reducedPart('short', held.entry, held.exits, 0.5);

    expect(held.quantity).toBeCloseTo(1.5, 12);
    expect(part).toMatchObject({ quantity: 0.5, averagePrice: 90, grossPnl: 5 });
    // Exit fee 90 × 0.5 × 0.0005; a quarter of the 0.1 entry fee.
    expect(part?.fees).toBeCloseTo(0.0225, 12);
    expect(part?.entryFeeShare).toBeCloseTo(0.025, 12);
    expect(part?.netPnl).toBeCloseTo(5 - 0.0225 - 0.025, 12);
  });

  it('when a part is taken off, then its net is the one a take-profit step and the close message tell for the same part', () => {
    const held = heldFromFills('long', [fill('1', 'buy', 100, 1, 'ltd-7-entry'), fill('2', 'buy', 106, 0.5, 'web_add'), fill('3', 'sell', 110, 0.3, 'web_part')]);
    const part = reducedPart('long', held.entry, held.exits, 0.3);
    const opened = { side: 'long' as const, entryPrice: held.entry.averagePrice, quantity: held.entry.quantity, entryFee: held.entry.fees };

    expect(part?.netPnl).toBe(partNetPnl(opened, 0.3, 110, 110 * 0.3 * 0.0005));
  });

  it('when two reductions happened, then the part is the newest fills that make up the size taken off', () => {
    const exits = [fill('2', 'sell', 95, 0.2), fill('3', 'sell', 97, 0.1), fill('4', 'sell', 99, 0.3)];

    expect(reducedPart('long', entry, exits, 0.4)?.fills.map((f) => f.id)).toEqual(['3', '4']);
  });

  it('when the venue has not reported the reducing fills yet, then there is no part to tell', () => {
    expect(reducedPart('long', entry, [fill('2', 'sell', 99, 0.1)], 0.4)).toBeUndefined();
  });
});
