// Store contract: positions (one active per symbol), numbers, orders.
import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../../src/domain/errors.js';
import type { NewOrder, Store } from '../../../src/ports/store.js';
import { at, era, newPosition } from './contract-fixtures.js';

export function positionAndOrderCases(store: () => Store): void {
  describe('positions', () => {
    it('when a position is created, then it is opening, has a decimal id and reads back as written', async () => {
      const input = newPosition({ takeProfitPrice: 66_000 });
      const created = await store().positions.create(input);
      expect(created.status).toBe('opening');
      expect(created.id).toMatch(/^\d+$/);
      expect(await store().positions.get(created.id)).toEqual({ ...input, id: created.id, status: 'opening' });
    });

    it('when the symbol already has an active position, then a second one is rejected naming the symbol', async () => {
      const first = await store().positions.create(newPosition());
      const second = store().positions.create(newPosition({ symbol: first.symbol }));
      await expect(second).rejects.toBeInstanceOf(RejectedError);
      await expect(store().positions.create(newPosition({ symbol: first.symbol }))).rejects.toThrow(first.symbol);
    });

    it('when the active position is closed, then the symbol can be opened again', async () => {
      const first = await store().positions.create(newPosition());
      await store().positions.update(first.id, { status: 'closed', closedAt: new Date(), closeReason: 'manual' });
      const again = await store().positions.create(newPosition({ symbol: first.symbol }));
      expect(again.id).not.toBe(first.id);
    });

    it('when a closed position is set active while another one is, then the update is rejected', async () => {
      const old = await store().positions.create(newPosition());
      await store().positions.update(old.id, { status: 'failed' });
      await store().positions.create(newPosition({ symbol: old.symbol }));
      await expect(store().positions.update(old.id, { status: 'open' })).rejects.toThrow(RejectedError);
    });

    it('when a position is patched, then only the given fields change and undefined means unchanged', async () => {
      const created = await store().positions.create(newPosition());
      const when = new Date(Date.UTC(2024, 0, 1, 1));
      const updated = await store().positions.update(created.id, {
        status: 'open',
        entryPrice: 60_012.5,
        stopOrderId: 'stop-1',
        lastUpdateAt: when,
        takeProfitPrice: undefined,
      });
      expect(updated).toEqual({ ...created, status: 'open', entryPrice: 60_012.5, stopOrderId: 'stop-1', lastUpdateAt: when });
      expect(await store().positions.get(created.id)).toEqual(updated);
    });

    it('when a replacement stop becomes current, then the position keeps its client id and trigger across reads', async () => {
      const created = await store().positions.create(newPosition());
      const updated = await store().positions.update(created.id, { stopPrice: 61_234.5, stopClientOrderId: 'ltd-7-stop.3', stopOrderId: '9001' });
      expect(updated).toMatchObject({ stopPrice: 61_234.5, stopClientOrderId: 'ltd-7-stop.3', stopOrderId: '9001' });
      expect(await store().positions.get(created.id)).toEqual(updated);
      expect((await store().positions.active()).find((p) => p.id === created.id)?.stopClientOrderId).toBe('ltd-7-stop.3');
    });

    it('when active positions are listed, then only opening/open/closing ones come back, oldest first', async () => {
      const base = era();
      const later = await store().positions.create(newPosition({ openedAt: at(base, 10) }));
      const earlier = await store().positions.create(newPosition({ openedAt: at(base, 5) }));
      const closed = await store().positions.create(newPosition({ openedAt: at(base, 1) }));
      await store().positions.update(closed.id, { status: 'closed' });
      const ours = new Set([later.id, earlier.id, closed.id]);
      const active = (await store().positions.active()).filter((position) => ours.has(position.id));
      expect(active.map((position) => position.id)).toEqual([earlier.id, later.id]);
    });

    it('when an active position is marked closed twice, then only the first call closes it (the booking\'s guard)', async () => {
      const created = await store().positions.create(newPosition());
      await store().positions.update(created.id, { status: 'closing', closeReason: 'manual' });
      const closedAt = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
      const closing = { closedAt, closeReason: 'take_profit' as const, funding: -0.25, entryFee: 1.5 };

      expect(await store().positions.markClosed(created.id, closing)).toBe(true);
      expect(await store().positions.markClosed(created.id, { ...closing, closeReason: 'manual', funding: 9 })).toBe(false);

      expect(await store().positions.get(created.id)).toMatchObject({ status: 'closed', closedAt, closeReason: 'take_profit', funding: -0.25, entryFee: 1.5 });
      const failed = await store().positions.create(newPosition());
      await store().positions.update(failed.id, { status: 'failed' });
      expect(await store().positions.markClosed(failed.id, closing)).toBe(false);
    });

    it('when an unknown position is asked for, then it is undefined, and updating it fails', async () => {
      expect(await store().positions.get('987654321')).toBeUndefined();
      expect(await store().positions.get('not-an-id')).toBeUndefined();
      await expect(store().positions.update('987654321', { status: 'open' })).rejects.toThrow(/not found/);
    });
  });

  describe('numbers', () => {
    it('when awkward decimals are stored, then they read back as the same numbers', async () => {
      const created = await store().positions.create(
        newPosition({ quantity: 1e-8, entryPrice: 123_456.789012, margin: 0.1, entryFee: 1e-7, funding: -0.000123 }),
      );
      const read = await store().positions.get(created.id);
      expect(read?.quantity).toBe(1e-8);
      expect(read?.entryPrice).toBe(123_456.789012);
      expect(read?.margin).toBe(0.1);
      expect(read?.entryFee).toBe(1e-7);
      expect(read?.funding).toBe(-0.000123);
    });

    it('when a sum carries binary noise, then it is stored rounded to 12 decimals', async () => {
      const created = await store().positions.create(newPosition({ margin: 0.1 + 0.2 }));
      expect((await store().positions.get(created.id))?.margin).toBe(0.3);
    });

    it('when a number is not finite, then it is refused', async () => {
      await expect(store().positions.create(newPosition({ margin: Number.NaN }))).rejects.toThrow(/NaN/);
    });
  });

  describe('orders', () => {
    const entryOrder = (positionId: string, createdAt: Date, overrides: Partial<NewOrder> = {}): NewOrder => ({
      clientOrderId: `e-${positionId}`,
      positionId,
      symbol: 'BTC/USDT:USDT',
      purpose: 'entry',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
      createdAt,
      ...overrides,
    });

    it('when an entry goes out as a limit order, then its record keeps the type, the limit and the notional its size was checked for', async () => {
      const position = await store().positions.create(newPosition());
      const order = entryOrder(position.id, new Date(Date.UTC(2024, 0, 1, 0, 0, 2)), { clientOrderId: `l-${position.id}`, type: 'limit', limitPrice: 60_030.1, checkedNotional: 600.300_15 });
      expect(await store().orders.record(order)).toEqual({ ...order, status: 'intent', updatedAt: order.createdAt });
      const patched = await store().orders.update(order.clientOrderId, { limitPrice: 60_030.2, updatedAt: order.createdAt });
      expect(patched.limitPrice).toBe(60_030.2);
    });

    it('when an order is recorded twice, then the first record stands', async () => {
      const position = await store().positions.create(newPosition());
      const order = entryOrder(position.id, new Date(Date.UTC(2024, 0, 1, 0, 0, 1)));
      const first = await store().orders.record(order);
      const second = await store().orders.record({ ...order, quantity: 99 });
      expect(first).toEqual({ ...order, status: 'intent', updatedAt: order.createdAt });
      expect(second).toEqual(first);
    });

    it('when an order is updated, then its status and fill land and it is listed under its position', async () => {
      const position = await store().positions.create(newPosition());
      const base = era();
      const stop = entryOrder(position.id, at(base, 2), {
        clientOrderId: `s-${position.id}`,
        purpose: 'stop',
        side: 'sell',
        type: 'stop_market',
        triggerPrice: 57_000,
      });
      const entry = entryOrder(position.id, at(base, 1));
      await store().orders.record(stop);
      await store().orders.record(entry);
      const fill = { filledQuantity: 0.01, averagePrice: 60_010.1, fee: 0.24 };
      const filled = await store().orders.update(entry.clientOrderId, {
        status: 'filled',
        exchangeOrderId: 'x-9',
        ...fill,
        updatedAt: at(base, 3),
      });
      expect(filled).toEqual({ ...entry, status: 'filled', exchangeOrderId: 'x-9', ...fill, updatedAt: at(base, 3) });
      const listed = await store().orders.forPosition(position.id);
      expect(listed.map((order) => order.clientOrderId)).toEqual([entry.clientOrderId, stop.clientOrderId]);
      // A stop replacement's record keeps the moment it was written through later updates: the trailing stop's rate
      // limit reads it after a restart.
      await store().orders.update(stop.clientOrderId, { status: 'cancelled', updatedAt: at(base, 4) });
      const relisted = await store().orders.forPosition(position.id);
      expect(relisted.map((order) => order.createdAt)).toEqual([at(base, 1), at(base, 2)]);
    });

    it('when an order names a position that does not exist, then it is refused', async () => {
      const orphan = entryOrder('987654321', new Date(), { clientOrderId: 'orphan-1' });
      await expect(store().orders.record(orphan)).rejects.toThrow(/does not exist/);
      const update = store().orders.update('never-recorded', { status: 'sent', updatedAt: new Date() });
      await expect(update).rejects.toThrow(/not found/);
    });
  });
}
