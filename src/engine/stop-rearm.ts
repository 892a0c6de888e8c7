// Re-arms a position's stop for a new size (and price) while the old one still rests: the new stop goes out under the
// stop's other client id, is verified among the open orders, the position's record takes the new terms, and only then
// is the old stop cancelled. When the new stop cannot be placed or seen, the old one stays and the record is untouched.
import { describeError, isDuplicateClientId } from '../domain/errors.js';
import { exitOrderSide } from '../domain/money.js';
import { stopClientIds } from '../domain/order-ids.js';
import type { Position } from '../domain/trading.js';
import type { OrderResult } from '../ports/exchange.js';
import type { PositionPatch } from '../ports/store.js';
import type { EngineContext } from './engine-context.js';
import { PROTECTIVE_ORDER_RETRY, retryTemporary } from './retry.js';

const VERIFY_INTERVAL_MS = 1000;

/** What the position becomes once its new stop rests: at least its size and its stop price. */
export type RearmTerms = PositionPatch & { readonly quantity: number; readonly stopPrice: number };

export type RearmOutcome = { readonly rearmed: true; readonly position: Position } | { readonly rearmed: false; readonly error: string };

export class StopRearmer {
  constructor(private readonly ctx: EngineContext) {}

  async rearm(position: Position, terms: RearmTerms): Promise<RearmOutcome> {
    const { exchange, logger } = this.ctx;
    const ids = stopClientIds(this.ctx.settings.orderIdPrefix, position.id);
    const resting = (await exchange.openOrders(position.symbol)).filter((order) => order.clientOrderId !== undefined && ids.includes(order.clientOrderId));
    // The id no resting stop uses. Both in use means an earlier re-arm stopped half-way: the one that is not the
    // position's recorded stop is the leftover, and goes first (the recorded one still protects meanwhile).
    let free = ids.find((id) => !resting.some((order) => order.clientOrderId === id));
    if (free === undefined) {
      const leftover = resting.find((order) => order.id !== position.stopOrderId) ?? resting[0];
      await exchange.cancelOrder((leftover as OrderResult).id, position.symbol);
      free = (leftover as OrderResult).clientOrderId as string;
    }
    const old = resting.filter((order) => order.clientOrderId !== free);
    await this.recordIntent(position, free, terms);
    let placed: OrderResult | undefined;
    try {
      placed = await retryTemporary(this.ctx.clock, () => this.place(position, free, terms), PROTECTIVE_ORDER_RETRY);
    } catch (error) {
      await this.recordOutcome(free, { status: 'rejected', error: describeError(error) });
      return { rearmed: false, error: `the exchange refused the new stop: ${describeError(error)}` };
    }
    if (!(await this.verify(position, placed, terms))) {
      // Not seen: it must not rest beside the old one unaccounted for.
      await exchange.cancelOrder(placed.id, position.symbol).catch(() => undefined);
      await this.recordOutcome(free, { status: 'unknown', exchangeOrderId: placed.id, error: 'not seen among open orders' });
      return { rearmed: false, error: 'the new stop was accepted but never appeared among the open orders' };
    }
    await this.recordOutcome(free, { status: 'open', exchangeOrderId: placed.id });
    const updated = await this.ctx.store.positions.update(position.id, { ...terms, stopOrderId: placed.id });
    for (const order of old) {
      try {
        await exchange.cancelOrder(order.id, position.symbol);
        await this.recordOutcome(order.clientOrderId as string, { status: 'cancelled' });
      } catch (error) {
        // A reduce-only stop cannot grow a position; the next re-arm (or the close's housekeeping) cancels it.
        logger.warn({ positionId: position.id, clientOrderId: order.clientOrderId, error: describeError(error) }, 'the replaced stop could not be cancelled yet');
      }
    }
    logger.info({ positionId: position.id, clientOrderId: free, quantity: terms.quantity, stopPrice: terms.stopPrice }, 'stop re-armed for the new size');
    return { rearmed: true, position: updated };
  }

  /** The order's record, new or reused (the two ids take turns), written before the order is sent. */
  private async recordIntent(position: Position, id: string, terms: RearmTerms): Promise<void> {
    const { store, clock } = this.ctx;
    if (await store.orders.get(id)) {
      await store.orders.update(id, { status: 'intent', quantity: terms.quantity, triggerPrice: terms.stopPrice, updatedAt: clock.now() });
      return;
    }
    await store.orders.record({
      clientOrderId: id,
      positionId: position.id,
      symbol: position.symbol,
      purpose: 'stop',
      side: exitOrderSide(position.side),
      type: 'stop_market',
      quantity: terms.quantity,
      triggerPrice: terms.stopPrice,
      createdAt: clock.now(),
    });
  }

  private async recordOutcome(id: string, patch: { status: 'open' | 'rejected' | 'unknown' | 'cancelled'; exchangeOrderId?: string; error?: string }): Promise<void> {
    await this.ctx.store.orders.update(id, { ...patch, updatedAt: this.ctx.clock.now() }).catch((error: unknown) => {
      this.ctx.logger.warn({ clientOrderId: id, error: describeError(error) }, 'the stop order record could not be updated');
    });
  }

  /** A lost answer whose order landed shows as a duplicate client id: that order is the one to verify. */
  private async place(position: Position, id: string, terms: RearmTerms): Promise<OrderResult> {
    const { exchange } = this.ctx;
    try {
      return await exchange.placeProtectiveStop({ clientOrderId: id, symbol: position.symbol, positionSide: position.side, quantity: terms.quantity, triggerPrice: terms.stopPrice });
    } catch (error) {
      if (!isDuplicateClientId(error)) throw error;
      const landed = await exchange.findOrder(id, position.symbol);
      if (!landed || landed.status !== 'open') throw error;
      return landed;
    }
  }

  /** Seen resting with the new size and trigger price. */
  private async verify(position: Position, placed: OrderResult, terms: RearmTerms): Promise<boolean> {
    const { clock, settings, exchange, logger } = this.ctx;
    for (let attempt = 1; attempt <= settings.stopVerifyAttempts; attempt += 1) {
      try {
        const found = (await exchange.openOrders(position.symbol)).find((order) => order.id === placed.id || order.clientOrderId === placed.clientOrderId);
        if (
          found?.triggerPrice !== undefined &&
          Math.abs(found.triggerPrice - terms.stopPrice) <= terms.stopPrice * 1e-6 &&
          Math.abs(found.quantity - terms.quantity) <= terms.quantity * 1e-9
        ) {
          return true;
        }
      } catch (error) {
        logger.warn({ positionId: position.id, error: describeError(error) }, 'could not look the new stop up to verify it');
      }
      if (attempt < settings.stopVerifyAttempts) await clock.sleep(VERIFY_INTERVAL_MS);
    }
    return false;
  }
}
