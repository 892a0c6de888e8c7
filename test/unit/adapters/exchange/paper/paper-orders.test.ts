// Requests the venue would refuse, idempotency by client order id, and an account that survives a restart.
import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../../../src/domain/errors.js';
import type { SavedPaperAccount } from '../../../../../src/ports/store.js';
import { at, MemoryPaperAccount, paperWorld, SYMBOL } from './paper-world.js';

const entry = (clientOrderId: string, quantity = 1) => ({ clientOrderId, symbol: SYMBOL, side: 'long' as const, quantity });

describe('PaperExchange order rules', () => {
  it('when a client order id is used twice, then the second order is rejected and the first can still be found', async () => {
    const { exchange } = paperWorld();
    await exchange.setLeverage(SYMBOL, 5, 'isolated');
    const first = await exchange.placeEntry(entry('dup'));
    await exchange.closePosition({ clientOrderId: 'close', symbol: SYMBOL, positionSide: 'long', quantity: 1 });

    await expect(exchange.placeEntry(entry('dup'))).rejects.toThrow(/duplicate client order id/);
    expect(await exchange.findOrder('dup', SYMBOL)).toEqual(first);
    expect(await exchange.positions()).toEqual([]);
  });

  it('when margin plus fee exceed the available balance, then the entry is rejected and nothing changes', async () => {
    // 2 × 100.05 / 2 = 100.05 margin + 0.10005 fee > 100.
    const { exchange } = paperWorld({ initialBalance: 100 });
    await exchange.setLeverage(SYMBOL, 2, 'isolated');

    const attempt = exchange.placeEntry(entry('big', 2));

    await expect(attempt).rejects.toBeInstanceOf(RejectedError);
    await expect(attempt).rejects.toThrow(/insufficient margin/);
    expect(await exchange.balance()).toEqual({ total: 100, available: 100, currency: 'USDT' });
    expect(await exchange.findOrder('big', SYMBOL)).toBeUndefined();
  });

  it('when the margin and fee just fit, then the entry goes through', async () => {
    // 1.998 × 100.05 = 199.8999: margin 99.94995 + fee 0.09994995 = 100.04989995 > 100.
    // 1.997 × 100.05 = 199.79985: margin 99.899925 + fee 0.09989993 (0.099899925 to 1e-8) = 99.99982493 <= 100.
    const { exchange } = paperWorld({ initialBalance: 100 });
    await exchange.setLeverage(SYMBOL, 2, 'isolated');

    await expect(exchange.placeEntry(entry('fits', 1.998))).rejects.toThrow(/insufficient margin/);
    await exchange.placeEntry(entry('fits-2', 1.997));

    const balance = await exchange.balance();
    expect(balance.available).toBeCloseTo(100 - 0.09989993 - 99.899925, 8);
  });

  it.each([
    ['zero quantity', 0, /must be positive/],
    ['a quantity off the lot step', 1.0005, /not a multiple of the step/],
    ['an order worth less than the minimum notional', 0.04, /minimum notional/],
  ])('when an entry has %s, then it is rejected', async (_case, quantity, message) => {
    const { exchange } = paperWorld();
    await exchange.setLeverage(SYMBOL, 5, 'isolated');

    await expect(exchange.placeEntry(entry('q', quantity))).rejects.toThrow(message);
  });

  it('when leverage was never set for the symbol, then the entry is rejected', async () => {
    const { exchange } = paperWorld();

    await expect(exchange.placeEntry(entry('e'))).rejects.toThrow(/set the leverage/);
  });

  it('when a position is already open on the symbol, then a second entry is rejected', async () => {
    const { exchange } = paperWorld();
    await exchange.setLeverage(SYMBOL, 5, 'isolated');
    await exchange.placeEntry(entry('e1'));

    await expect(exchange.placeEntry(entry('e2'))).rejects.toThrow(/already open/);
  });

  it('when leverage is out of range or cross margin is asked for, then it is rejected', async () => {
    const { exchange } = paperWorld();

    await expect(exchange.setLeverage(SYMBOL, 126, 'isolated')).rejects.toThrow(/between 1 and 125/);
    await expect(exchange.setLeverage(SYMBOL, 5, 'cross')).rejects.toThrow(/isolated margin only/);
  });

  it('when a stop would trigger at once, then it is refused as the venue would', async () => {
    const { exchange } = paperWorld();
    await exchange.setLeverage(SYMBOL, 5, 'isolated');
    await exchange.placeEntry(entry('e1'));

    const stop = { clientOrderId: 's', symbol: SYMBOL, positionSide: 'long' as const, quantity: 1, triggerPrice: 100.5 };
    await expect(exchange.placeProtectiveStop(stop)).rejects.toThrow(/would immediately trigger/);
    await expect(exchange.placeProtectiveStop({ ...stop, triggerPrice: 95.005 })).rejects.toThrow(/tick/);
  });

  it('when closing a side that is not open, then the reduce-only close is rejected', async () => {
    const { exchange } = paperWorld();

    await expect(
      exchange.closePosition({ clientOrderId: 'c', symbol: SYMBOL, positionSide: 'short', quantity: 1 }),
    ).rejects.toThrow(/reduce-only close rejected/);
  });

  it('when half the position is closed, then half the margin is released and the rest stays open', async () => {
    const { exchange } = paperWorld();
    await exchange.setLeverage(SYMBOL, 5, 'isolated');
    await exchange.placeEntry(entry('e1', 2));

    await exchange.closePosition({ clientOrderId: 'c', symbol: SYMBOL, positionSide: 'long', quantity: 1 });

    // Margin 200.1 / 5 = 40.02, half of it 20.01 remains posted.
    const [position] = await exchange.positions();
    expect(position).toMatchObject({ quantity: 1, margin: 20.01 });
    const balance = await exchange.balance();
    expect(balance.total - balance.available).toBeCloseTo(20.01, 8);
  });
});

describe('PaperExchange persistence', () => {
  it('when the daemon restarts over the saved account, then it continues with the same balance, position and stop', async () => {
    const account = new MemoryPaperAccount();
    const first = paperWorld({ account, levels: { '00:00': 100, '05:00': 90 } });
    await first.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await first.exchange.placeEntry(entry('e1'));
    await first.exchange.placeProtectiveStop({ clientOrderId: 's1', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 95 });
    const before = { balance: await first.exchange.balance(), positions: await first.exchange.positions(), orders: await first.exchange.openOrders() };

    // A new process: same saved account, a different configured starting balance that must be ignored.
    const second = paperWorld({ account, initialBalance: 5, levels: { '00:00': 100, '05:00': 90 }, start: at('01:30') });
    const restarted = second.exchange;

    expect(await restarted.balance()).toEqual(before.balance);
    expect(await restarted.positions()).toEqual(before.positions);
    expect(await restarted.openOrders()).toEqual(before.orders);
    second.clock.advanceTo(at('06:00'));
    expect(await restarted.positions()).toEqual([]);
    expect(await restarted.findOrder('s1', SYMBOL)).toMatchObject({ status: 'filled' });
  });

  it('saves after each change, so the stored wallet always matches the live one', async () => {
    const world = paperWorld();
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    const saves = world.account.saves;

    await world.exchange.placeEntry(entry('e1'));

    expect(world.account.saves).toBe(saves + 1);
    expect(world.account.saved?.balance).toBe((await world.exchange.balance()).total);
  });

  it('when only reads happen and nothing changes, then nothing is written', async () => {
    const world = paperWorld();
    await world.exchange.balance();
    const saves = world.account.saves;

    world.clock.advanceTo(at('05:00'));
    await world.exchange.balance();
    await world.exchange.positions();

    expect(world.account.saves).toBe(saves);
  });

  it('saves the open state whole and each history entry once, however long the history grows', async () => {
    const world = paperWorld({ levels: { '00:00': 100, '02:00': 110 } });
    await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await world.exchange.placeEntry(entry('e1'));
    const afterEntry = world.account.saved?.history.map((item) => item.kind);
    await world.exchange.closePosition({ clientOrderId: 'c1', symbol: SYMBOL, positionSide: 'long', quantity: 1 });

    expect(afterEntry).toEqual(['order', 'fill']);
    expect(world.account.saved?.history.map((item) => item.kind)).toEqual(['order', 'fill', 'order', 'fill']);
    expect(Object.keys(world.account.saved?.state as object).sort()).toEqual(['counter', 'leverage', 'openOrders', 'positions', 'syncedUntil', 'version']);
  });

  it('when a save fails, then the next change saves its history entries too, and a restart sees them all', async () => {
    const account = new MemoryPaperAccount();
    const first = paperWorld({ account });
    await first.exchange.setLeverage(SYMBOL, 5, 'isolated');
    account.failNextSave = true;
    await expect(first.exchange.placeEntry(entry('e1'))).rejects.toThrow(/restarting/);
    await first.exchange.placeProtectiveStop({ clientOrderId: 's1', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 95 });

    expect(account.saved?.history.map((item) => item.kind)).toEqual(['order', 'fill']);
    const second = paperWorld({ account });
    expect(await second.exchange.fills(SYMBOL, new Date(0))).toEqual(await first.exchange.fills(SYMBOL, new Date(0)));
    expect(await second.exchange.findOrder('e1', SYMBOL)).toMatchObject({ status: 'filled' });
  });

  it('when the account was saved with its history inside the state (version 1), then it loads, and the next save moves the history out', async () => {
    const account = new MemoryPaperAccount();
    const first = paperWorld({ account });
    await first.exchange.setLeverage(SYMBOL, 5, 'isolated');
    await first.exchange.placeEntry(entry('e1'));
    const saved = account.saved as SavedPaperAccount;
    const fills = saved.history.filter((item) => item.kind === 'fill').map((item) => item.entry);
    const orders = saved.history.filter((item) => item.kind === 'order').map((item) => item.entry);
    account.saved = { balance: saved.balance, state: { ...(saved.state as object), version: 1, fills, closedOrders: orders, funding: [] }, history: [] };

    const second = paperWorld({ account });
    expect(await second.exchange.fills(SYMBOL, new Date(0))).toEqual(await first.exchange.fills(SYMBOL, new Date(0)));
    await second.exchange.placeProtectiveStop({ clientOrderId: 's1', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 95 });
    expect((account.saved as SavedPaperAccount).history.map((item) => item.kind)).toEqual(['order', 'fill']);
    expect((account.saved as SavedPaperAccount).state).toMatchObject({ version: 2 });
  });

  it('when the saved state is unreadable, then the exchange says so instead of starting a fresh account', async () => {
    const account = new MemoryPaperAccount();
    account.saved = { balance: 500, state: { version: 99 }, history: [] };
    const { exchange } = paperWorld({ account });

    await expect(exchange.balance()).rejects.toThrow(/saved paper account cannot be read/);
  });
});
