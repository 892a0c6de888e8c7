// A funding settlement at exactly the instant one position closes and the next one on the same symbol opens is the
// first one's only: the venue charged it once.
//
// Paper venue, rate 0.001 at 08:00. Position A: long 1 TEST opened 07:30 at 100 (+5 bps slip = 100.05).
// At 08:00:00.000 the daemon closes A and opens B (same symbol, same instant). The catch-up walks to 08:00 first, so the
// settlement is paid on A (held before 08:00): amount = -1 * 0.001 * 1 * 100 = -0.10. B, opened at the very instant,
// owes nothing (fill-simulator: "a position opened at the very instant is not charged").
// Venue ledger: ONE payment of -0.10. Expected: A.funding = -0.10, B.funding = 0; sum over trades = -0.10.
import { describe, expect, it } from 'vitest';
import { settleTrade } from '../../../../../src/domain/settlement.js';
import { position } from '../../../../support/factories.js';
import { SYMBOL, at, paperWorld } from './paper-world.js';

describe('funding at the instant of a same-symbol reopen', () => {
  it('books the one settlement on one trade only', async () => {
    const world = paperWorld({ fundingRates: [0, 0.001, 0], start: at('07:30') });
    const ex = world.exchange;
    await ex.setLeverage(SYMBOL, 5, 'isolated');
    const a = await ex.placeEntry({ clientOrderId: 'p-a-entry', symbol: SYMBOL, side: 'long', quantity: 1 } as never);
    world.clock.advanceTo(at('08:00'));
    await ex.closePosition({ clientOrderId: 'p-a-close', symbol: SYMBOL, positionSide: 'long', quantity: 1 } as never);
    const b = await ex.placeEntry({ clientOrderId: 'p-b-entry', symbol: SYMBOL, side: 'long', quantity: 1 } as never);
    world.clock.advanceTo(at('09:00'));
    await ex.closePosition({ clientOrderId: 'p-b-close', symbol: SYMBOL, positionSide: 'long', quantity: 1 } as never);

    const since = at('07:00');
    const fills = await ex.fills(SYMBOL, since);
    const funding = await ex.fundingPayments(SYMBOL, since);
    expect(funding.map((p) => p.amount)).toEqual([-0.1]); // the venue charged once

    const posA = position({ id: 'a', symbol: SYMBOL, openedAt: at('07:30') });
    const posB = position({ id: 'b', symbol: SYMBOL, openedAt: at('08:00') });
    const tradeA = settleTrade({ position: posA, entryOrderId: a.id, fills, funding, reason: 'manual' })!;
    const tradeB = settleTrade({ position: posB, entryOrderId: b.id, fills, funding, reason: 'manual' })!;
    expect(tradeA.funding).toBe(-0.1);
    expect(tradeB.funding).toBe(0);
    expect(tradeA.funding + tradeB.funding).toBe(-0.1);
  });
});
