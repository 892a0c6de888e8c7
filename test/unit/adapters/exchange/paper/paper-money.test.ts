// Money stories: every figure below is worked out by hand from the candles, the 5 bps slippage and the 0.05 % taker fee.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../../../src/ports/exchange.js';
import { at, MemoryPaperAccount, paperWorld, SYMBOL } from './paper-world.js';

async function settledFromFills(exchange: Exchange, side: 'long' | 'short'): Promise<number> {
  const fills = await exchange.fills(SYMBOL, at('00:00'));
  const [entry, exit] = fills;
  if (entry === undefined || exit === undefined) throw new Error('expected an entry and an exit fill');
  const sign = side === 'long' ? 1 : -1;
  const pnl = sign * (exit.price - entry.price) * exit.quantity;
  const funding = (await exchange.fundingPayments(SYMBOL, at('00:00'))).reduce((total, payment) => total + payment.amount, 0);
  return pnl - entry.fee - exit.fee + funding;
}

// Price 100 until 08:00, 104 until 16:00, 110 after; funding +0.01 % at 08:00 and −0.02 % at 16:00, settled at the
// (mark) price of that instant: the open of the candle starting then. No mark data here, so the traded price stands in.
const WORLD = { levels: { '00:00': 100, '08:00': 104, '16:00': 110 }, fundingRates: [0.0003, 0.0001, -0.0002] as const };

describe('PaperExchange money', () => {
  it('a long opened at 01:00, funded twice and closed at 17:00 reconciles to the cent with its fills', async () => {
    const { clock, exchange } = paperWorld({ ...WORLD, fundingRates: [...WORLD.fundingRates] });
    await exchange.setLeverage(SYMBOL, 5, 'isolated');

    const entry = await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 2 });
    const afterEntry = await exchange.balance();
    clock.advanceTo(at('12:00'));
    const midway = await exchange.balance();
    clock.advanceTo(at('17:00'));
    const exit = await exchange.closePosition({ clientOrderId: 'x1', symbol: SYMBOL, positionSide: 'long', quantity: 2 });
    const final = await exchange.balance();

    // Entry: 100 + 5 bps = 100.05; fee 100.05 × 2 × 0.0005 = 0.10005; margin 200.1 / 5 = 40.02.
    expect(entry).toMatchObject({ status: 'filled', averagePrice: 100.05, filledQuantity: 2 });
    expect(entry.fee).toBeCloseTo(0.10005, 8);
    expect(afterEntry.total).toBeCloseTo(999.89995, 8);
    expect(afterEntry.available).toBeCloseTo(999.89995 - 40.02, 8);
    // 08:00 at price 104, rate +0.0001: the long pays 0.0001 × 2 × 104 = 0.0208. The 00:00 funding predates the entry.
    expect(midway.total).toBeCloseTo(999.87915, 8);
    // Exit: 110 − 5 bps = 109.945; fee 109.945 × 2 × 0.0005 = 0.109945; P&L (109.945 − 100.05) × 2 = 19.79.
    // 16:00 at price 110, rate −0.0002: the long receives 0.0002 × 2 × 110 = 0.044.
    expect(exit).toMatchObject({ status: 'filled', reduceOnly: true });
    expect(exit.averagePrice).toBeCloseTo(109.945, 9);
    expect((await exchange.fundingPayments(SYMBOL, at('00:00'))).map((payment) => payment.amount)).toEqual([-0.0208, 0.044]);
    // 19.79 − 0.10005 − 0.109945 − 0.0208 + 0.044 = 19.603205
    expect(final.total - 1000).toBeCloseTo(19.603205, 8);
    expect(final.total - 1000).toBeCloseTo(await settledFromFills(exchange, 'long'), 8);
    expect(final.available).toBe(final.total);
    expect(await exchange.positions()).toEqual([]);
  });

  it('a short through the same day reconciles to the cent as well, with funding flowing the other way', async () => {
    const { clock, exchange } = paperWorld({ ...WORLD, fundingRates: [...WORLD.fundingRates] });
    await exchange.setLeverage(SYMBOL, 5, 'isolated');

    await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'short', quantity: 2 });
    const [position] = await exchange.positions();
    clock.advanceTo(at('17:00'));
    await exchange.closePosition({ clientOrderId: 'x1', symbol: SYMBOL, positionSide: 'short', quantity: 2 });
    const final = await exchange.balance();

    // Entry: 100 − 5 bps = 99.95; margin 199.9 / 5 = 39.98; fee 0.09995.
    expect(position).toMatchObject({ side: 'short', entryPrice: 99.95, margin: 39.98, leverage: 5 });
    // Funding: +0.0001 × 2 × 104 = +0.0208 at 08:00; −0.0002 × 2 × 110 = −0.044 at 16:00.
    expect((await exchange.fundingPayments(SYMBOL, at('00:00'))).map((payment) => payment.amount)).toEqual([0.0208, -0.044]);
    // Exit: 110 + 5 bps = 110.055; fee 0.110055; P&L −(110.055 − 99.95) × 2 = −20.21.
    // −20.21 − 0.09995 − 0.110055 + 0.0208 − 0.044 = −20.443205
    expect(final.total - 1000).toBeCloseTo(-20.443205, 8);
    expect(final.total - 1000).toBeCloseTo(await settledFromFills(exchange, 'short'), 8);
  });

  it('funding on an isolated position is paid out of its margin: its liquidation price comes nearer, and what is available stays', async () => {
    const { clock, exchange } = paperWorld({ ...WORLD, fundingRates: [...WORLD.fundingRates] });
    await exchange.setLeverage(SYMBOL, 5, 'isolated');
    await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 2 });
    const [before] = await exchange.positions();
    const availableBefore = (await exchange.balance()).available;
    clock.advanceTo(at('12:00'));
    const [after] = await exchange.positions();

    // 08:00: the long pays 0.0208 from its 40.02 margin. A long's liquidation price moves up by what was paid over
    // q × (1 − maintenance rate): 0.0208 / (2 × (1 − mmr)), a little over 0.0104.
    expect(after?.margin).toBeCloseTo(40.02 - 0.0208, 8);
    expect((after?.liquidationPrice ?? 0) - (before?.liquidationPrice ?? 0)).toBeCloseTo(0.0104, 3);
    expect((after?.liquidationPrice ?? 0) > (before?.liquidationPrice ?? 0)).toBe(true);
    expect((await exchange.balance()).available).toBeCloseTo(availableBefore, 8);
  });

  it('when the source lists a settlement only after the account has passed it, then it is paid once, at the next call', async () => {
    // Live, the venue's funding history can lag its 08:00 settlement by seconds; the account is called at 08:00:10.
    const { clock, exchange } = paperWorld({ ...WORLD, fundingRates: [...WORLD.fundingRates], fundingListedAfterMs: 30_000 });
    await exchange.setLeverage(SYMBOL, 5, 'isolated');
    await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 2 });
    clock.advanceTo(at('08:00:10'));
    await exchange.balance();
    expect(await exchange.fundingPayments(SYMBOL, at('00:00'))).toEqual([]);

    // Paid with the first price the account walks after it (this world's next bar opens at 08:15).
    clock.advanceTo(at('08:16'));
    await exchange.balance();
    clock.advanceTo(at('08:20'));
    const after = await exchange.balance();

    // 0.0001 × 2 × 104, as when it is listed on time; once, although the next call still sees it in its look-back.
    const payments = await exchange.fundingPayments(SYMBOL, at('00:00'));
    expect(payments.map((payment) => [payment.time.toISOString(), payment.amount])).toEqual([['2025-01-01T08:00:00.000Z', -0.0208]]);
    expect(after.total).toBeCloseTo(999.89995 - 0.0208, 8);
  });

  it('when the position held over a settlement is closed before the source lists it, then it still pays it, on what it held then', async () => {
    const { clock, exchange } = paperWorld({ ...WORLD, fundingRates: [...WORLD.fundingRates], fundingListedAfterMs: 30_000 });
    await exchange.setLeverage(SYMBOL, 5, 'isolated');
    await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 2 });
    clock.advanceTo(at('08:00:10'));
    await exchange.closePosition({ clientOrderId: 'x1', symbol: SYMBOL, positionSide: 'long', quantity: 2 });

    clock.advanceTo(at('08:20'));
    await exchange.balance();

    // Held at 08:00: 0.0001 × 2 × 104, as the venue charged it.
    const payments = await exchange.fundingPayments(SYMBOL, at('00:00'));
    expect(payments.map((payment) => [payment.time.toISOString(), payment.amount])).toEqual([['2025-01-01T08:00:00.000Z', -0.0208]]);
  });

  it('when the daemon restarts between the close and the late listing, then the settlement is still paid on what was held', async () => {
    const account = new MemoryPaperAccount();
    const first = paperWorld({ ...WORLD, fundingRates: [...WORLD.fundingRates], fundingListedAfterMs: 30_000, account });
    await first.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await first.exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 2 });
    first.clock.advanceTo(at('08:00:10'));
    await first.exchange.closePosition({ clientOrderId: 'x1', symbol: SYMBOL, positionSide: 'long', quantity: 2 });

    const second = paperWorld({ ...WORLD, fundingRates: [...WORLD.fundingRates], fundingListedAfterMs: 30_000, account, start: at('08:00:20') });
    second.clock.advanceTo(at('08:20'));
    await second.exchange.balance();

    const payments = await second.exchange.fundingPayments(SYMBOL, at('00:00'));
    expect(payments.map((payment) => [payment.time.toISOString(), payment.amount])).toEqual([['2025-01-01T08:00:00.000Z', -0.0208]]);
  });

  it('when calls overlap, then a funding settlement is applied once, not once per call', async () => {
    const { clock, exchange } = paperWorld({ fundingRates: [0, 0.001, 0] });
    await exchange.setLeverage(SYMBOL, 5, 'isolated');
    await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 1 });
    clock.advanceTo(at('09:00'));

    await Promise.all([exchange.balance(), exchange.positions(), exchange.openOrders(), exchange.balance()]);

    // 0.001 × 1 × 100 = 0.1, paid once.
    expect((await exchange.fundingPayments(SYMBOL, at('00:00'))).map((payment) => payment.amount)).toEqual([-0.1]);
  });

  it('positions report mark price, unrealised P&L and the isolated liquidation price', async () => {
    const { clock, exchange } = paperWorld({ levels: { '00:00': 100, '02:00': 103 } });
    await exchange.setLeverage(SYMBOL, 10, 'isolated');
    await exchange.placeEntry({ clientOrderId: 'e1', symbol: SYMBOL, side: 'long', quantity: 1 });
    clock.advanceTo(at('03:00'));

    const [position] = await exchange.positions();

    // Margin 100.05 / 10 = 10.005; LP = (10.005 − 100.05) / (0.005 − 1) = 90.045 / 0.995.
    expect(position).toMatchObject({ markPrice: 103, margin: 10.005, leverage: 10 });
    expect(position?.unrealizedPnl).toBeCloseTo(2.95, 8);
    expect(position?.liquidationPrice).toBeCloseTo(90.045 / 0.995, 8);
  });
});
