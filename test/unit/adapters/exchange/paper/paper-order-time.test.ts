// Live paper: the clock moves on while an order's call reads the ticker. The order acts at the instant the account
// was caught up to for that call, so an order that straddles a funding settlement is on one side of it in the fills
// and in the funding alike: a position whose fill is dated before the settlement pays it, one dated after does not,
// and a trade booked from those fills and payments carries the settlement, or not, as the venue's ledger does.
import { describe, expect, it } from 'vitest';
import { settleTrade } from '../../../../../src/domain/settlement.js';
import { position } from '../../../../support/factories.js';
import { livePaperWorld } from './paper-live-world.js';
import { at, SYMBOL } from './paper-world.js';

const funding = [{ time: at('08:00').getTime(), rate: 0.001 }];
/** The ticker answers 200 ms after it was asked. */
const slowTicker = (clock: { advanceBy(ms: number): void }) => clock.advanceBy(200);

describe('an order whose call straddles a funding settlement (live paper)', () => {
  it('when a long is entered at 07:59:59.900 and the ticker answers after 08:00, then the entry and the 08:00 payment agree on which side of it the position opened', async () => {
    const world = livePaperWorld({ moves: { '07:30': 100 }, funding, onTicker: slowTicker });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    world.clock.advanceTo(new Date(at('08:00').getTime() - 100));
    const entry = await world.exchange.placeEntry({ clientOrderId: 'e', symbol: SYMBOL, side: 'long', quantity: 1 });
    world.clock.advanceTo(at('09:00'));
    await world.exchange.positions();

    const [fill] = await world.exchange.fills(SYMBOL, at('07:00'));
    const payments = await world.exchange.fundingPayments(SYMBOL, at('07:00'));
    expect(fill?.time.getTime()).toBe(at('08:00').getTime() - 100);
    expect(payments.map((p) => p.amount)).toEqual([-0.1]);
    const held = position({ id: 'p', symbol: SYMBOL, openedAt: fill!.time });
    const close = await world.exchange.closePosition({ clientOrderId: 'c', symbol: SYMBOL, positionSide: 'long', quantity: 1 });
    const trade = settleTrade({ position: held, entryOrderId: entry.id, fills: await world.exchange.fills(SYMBOL, at('07:00')), funding: await world.exchange.fundingPayments(SYMBOL, at('07:00')), reason: 'manual' });
    expect(close.status).toBe('filled');
    expect(trade?.funding).toBe(-0.1);
  });

  it('when a long held since 07:30 is closed at 07:59:59.900 and the ticker answers after 08:00, then its close and the funding agree: closed before 08:00, it owes nothing', async () => {
    const world = livePaperWorld({ moves: { '07:30': 100 }, funding, onTicker: slowTicker });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry({ clientOrderId: 'e', symbol: SYMBOL, side: 'long', quantity: 1 });
    world.clock.advanceTo(new Date(at('08:00').getTime() - 100));
    await world.exchange.closePosition({ clientOrderId: 'c', symbol: SYMBOL, positionSide: 'long', quantity: 1 });
    world.clock.advanceTo(at('09:00'));
    await world.exchange.positions();

    const close = (await world.exchange.fills(SYMBOL, at('07:00'))).find((fill) => fill.clientOrderId === 'c');
    expect(close?.time.getTime()).toBe(at('08:00').getTime() - 100);
    expect(await world.exchange.fundingPayments(SYMBOL, at('07:00'))).toEqual([]);
  });
});
