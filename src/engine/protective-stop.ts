// Places the exchange-side stop of a position and proves it is there. "No position without a stop": if the stop
// cannot be placed or seen among the open orders, the caller closes the position.
import { describeError } from '../domain/errors.js';
import { clientOrderId } from '../domain/order-ids.js';
import { exitOrderSide } from '../domain/money.js';
import type { Position } from '../domain/trading.js';
import type { OrderResult } from '../ports/exchange.js';
import type { EngineContext } from './engine-context.js';
import { retryTemporary } from './retry.js';

const VERIFY_INTERVAL_MS = 1000;

export type StopOutcome = { readonly protected: true; readonly order: OrderResult } | { readonly protected: false; readonly error: string };

export class ProtectiveStopPlacer {
  constructor(private readonly ctx: EngineContext) {}

  /** `fresh`: the stop of a position just filled, which cannot exist yet; otherwise look for one placed earlier. */
  async protect(position: Position, options: { fresh?: boolean } = {}): Promise<StopOutcome> {
    const { exchange, store, clock, settings } = this.ctx;
    const id = clientOrderId(settings.orderIdPrefix, position.id, 'stop');
    const now = clock.now();
    const existing = await store.orders.get(id);
    if (!existing) {
      await store.orders.record({
        clientOrderId: id,
        positionId: position.id,
        symbol: position.symbol,
        purpose: 'stop',
        side: exitOrderSide(position.side),
        type: 'stop_market',
        quantity: position.quantity,
        triggerPrice: position.stopPrice,
        createdAt: now,
      });
    }
    let order: OrderResult | undefined;
    try {
      order = options.fresh ? undefined : await exchange.findOrder(id, position.symbol);
      if (!order || order.status !== 'open') {
        order = await retryTemporary(
          clock,
          () =>
            exchange.placeProtectiveStop({
              clientOrderId: id,
              symbol: position.symbol,
              positionSide: position.side,
              quantity: position.quantity,
              triggerPrice: position.stopPrice,
            }),
          { attempts: 3, baseDelayMs: 500 },
        );
      }
    } catch (error) {
      await store.orders.update(id, { status: 'rejected', error: describeError(error), updatedAt: clock.now() });
      return { protected: false, error: `the exchange refused the stop: ${describeError(error)}` };
    }
    await store.orders.update(id, { status: 'sent', exchangeOrderId: order.id, updatedAt: clock.now() });
    const verified = await this.verify(position, order);
    if (!verified) {
      await store.orders.update(id, { status: 'unknown', error: 'not seen among open orders', updatedAt: clock.now() });
      return { protected: false, error: 'the stop was accepted but never appeared among the open orders' };
    }
    await store.orders.update(id, { status: 'open', updatedAt: clock.now() });
    return { protected: true, order };
  }

  /** Whether a stop of ours for this position is resting on the exchange now. */
  async isProtected(position: Position): Promise<boolean> {
    const id = clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'stop');
    const orders = await this.ctx.exchange.openOrders(position.symbol);
    return orders.some((order) => order.clientOrderId === id || (position.stopOrderId !== undefined && order.id === position.stopOrderId));
  }

  private async verify(position: Position, placed: OrderResult): Promise<boolean> {
    const { exchange, clock, settings, logger } = this.ctx;
    for (let attempt = 1; attempt <= settings.stopVerifyAttempts; attempt += 1) {
      try {
        const open = await exchange.openOrders(position.symbol);
        const found = open.find((order) => order.id === placed.id || order.clientOrderId === placed.clientOrderId);
        if (found && found.triggerPrice !== undefined && Math.abs(found.triggerPrice - position.stopPrice) <= position.stopPrice * 1e-6) {
          return true;
        }
        if (found) logger.warn({ positionId: position.id, triggerPrice: found.triggerPrice }, 'stop found with an unexpected trigger price');
      } catch (error) {
        logger.warn({ positionId: position.id, error: describeError(error) }, 'could not list open orders to verify the stop');
      }
      if (attempt < settings.stopVerifyAttempts) await clock.sleep(VERIFY_INTERVAL_MS);
    }
    return false;
  }
}
