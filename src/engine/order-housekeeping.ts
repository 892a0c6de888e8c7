// Our orders that outlived their purpose: a position's protective orders once it is closed, orders left by earlier
// positions (a cancel that failed, or a crash between the close and the cancel), and strays found by reconciliation.
// Our orders are recognised by their client id, which names the position they belong to.
import { describeError } from '../domain/errors.js';
import { currentStopId, parseClientOrderId } from '../domain/order-ids.js';
import type { Position } from '../domain/trading.js';
import type { EngineContext } from './engine-context.js';
import { type RetryOptions, retryTemporary } from './retry.js';

export class OrderHousekeeping {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * Cancels orders of ours on `symbol` left by earlier positions. Before an entry this is required: a leftover
   * close-position stop would act on the new position at the old position's price. Throws when one cannot be
   * cancelled, so that the entry waits.
   */
  async cancelLeftoverOrders(symbol: string, positionId: string): Promise<void> {
    const cancelled = await this.cancelOrdersOfOurs(symbol, (owner) => owner !== positionId);
    for (const id of cancelled) this.ctx.logger.warn({ symbol, clientOrderId: id }, 'cancelled a leftover order of an earlier position before the entry');
  }

  /** Cancels the reduce-only orders of ours that belong to this position (its stop). */
  async cancelProtectiveOrders(position: Position): Promise<void> {
    try {
      await this.cancelOrdersOfOurs(position.symbol, (owner) => owner === position.id);
    } catch (error) {
      // A stray reduce-only stop cannot open a position; reconciliation cancels it later.
      this.ctx.logger.warn({ positionId: position.id, error: describeError(error) }, 'could not cancel the protective orders yet');
    }
  }

  /**
   * Cancels one open order of ours by its client id, if it rests; never throws (a failed cancel is logged and left to
   * reconciliation). With `retry`, a temporary failure is tried again at that pace first (each try looks the order up
   * again, so a cancel that landed unanswered is not sent twice). True when nothing of that id rests any more.
   */
  async cancelOrderOfOurs(symbol: string, id: string, retry?: RetryOptions): Promise<boolean> {
    const { exchange, store, clock, logger } = this.ctx;
    const cancel = async (): Promise<boolean> => {
      const order = (await exchange.openOrders(symbol)).find((open) => open.clientOrderId === id);
      if (!order) return true;
      await exchange.cancelOrder(order.id, symbol);
      await store.orders.update(id, { status: 'cancelled', updatedAt: clock.now() }).catch(() => undefined);
      return true;
    };
    try {
      return retry ? await retryTemporary(clock, cancel, retry) : await cancel();
    } catch (error) {
      logger.warn({ symbol, clientOrderId: id, error: describeError(error) }, 'could not cancel an order of ours yet');
      return false;
    }
  }

  /**
   * Cancels the position's stops that a verified replacement superseded (a cancel that failed, or a restart between
   * the replacement and the cancel), and an unrecorded replacement a restart interrupted before it became current.
   * Call only while the current stop rests. Returns how many.
   */
  async cancelSupersededStops(position: Position): Promise<number> {
    const { exchange, settings } = this.ctx;
    const current = currentStopId(settings.orderIdPrefix, position);
    let cancelled = 0;
    for (const order of await exchange.openOrders(position.symbol)) {
      const ours = parseClientOrderId(settings.orderIdPrefix, order.clientOrderId);
      if (ours?.positionId !== position.id || ours.purpose !== 'stop' || order.clientOrderId === current) continue;
      if (await this.cancelOrderOfOurs(position.symbol, order.clientOrderId as string)) cancelled += 1;
    }
    return cancelled;
  }

  /** Cancels our open orders whose position is no longer active; returns how many. */
  async cancelStrays(active: readonly Position[]): Promise<number> {
    const { exchange, store, settings, logger } = this.ctx;
    const activeIds = new Set(active.map((position) => position.id));
    let cancelled = 0;
    for (const order of await exchange.openOrders()) {
      const ours = parseClientOrderId(settings.orderIdPrefix, order.clientOrderId);
      if (!ours || activeIds.has(ours.positionId)) continue;
      const position = await store.positions.get(ours.positionId);
      if (position && (position.status === 'open' || position.status === 'opening' || position.status === 'closing')) continue;
      try {
        await exchange.cancelOrder(order.id, order.symbol);
        cancelled += 1;
        logger.info({ orderId: order.id, clientOrderId: order.clientOrderId }, 'cancelled a stray order of ours');
      } catch (error) {
        logger.warn({ orderId: order.id, error: describeError(error) }, 'could not cancel a stray order');
      }
    }
    return cancelled;
  }

  /** Cancels our open orders on `symbol` whose position id passes `owned`; returns their client ids. */
  private async cancelOrdersOfOurs(symbol: string, owned: (positionId: string) => boolean): Promise<string[]> {
    const { exchange, settings, store, clock } = this.ctx;
    const cancelled: string[] = [];
    for (const order of await exchange.openOrders(symbol)) {
      const ours = parseClientOrderId(settings.orderIdPrefix, order.clientOrderId);
      if (!ours || !owned(ours.positionId)) continue;
      await exchange.cancelOrder(order.id, symbol);
      await store.orders.update(order.clientOrderId as string, { status: 'cancelled', updatedAt: clock.now() }).catch(() => undefined);
      cancelled.push(order.clientOrderId as string);
    }
    return cancelled;
  }
}
