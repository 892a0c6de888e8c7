// Places the exchange-side stop of a position and proves it is there. "No position without a stop": if the stop
// cannot be placed or seen among the open orders, the caller closes the position.
import { describeError, isDuplicateClientId } from '../domain/errors.js';
import { clientOrderId, currentStopId, parseClientOrderId } from '../domain/order-ids.js';
import { exitOrderSide } from '../domain/money.js';
import type { Position } from '../domain/trading.js';
import type { OrderResult } from '../ports/exchange.js';
import type { OrderPatch } from '../ports/store.js';
import type { EngineContext } from './engine-context.js';
import { PROTECTIVE_ORDER_RETRY, retryTemporary } from './retry.js';

const VERIFY_INTERVAL_MS = 1000;

/** `placed`: this call sent the stop; false when it found ours already resting (a retry, a restart). */
export type StopOutcome =
  | { readonly protected: true; readonly order: OrderResult; readonly placed: boolean }
  | { readonly protected: false; readonly error: string };

export class ProtectiveStopPlacer {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * `fresh`: the stop of a position just filled, which cannot exist yet; otherwise look for one placed earlier.
   * A fresh stop goes out before any bookkeeping: a store that is restarting must not hold protection back, and its
   * client id is derived from the position, so reconciliation finds it even if the record never got written.
   */
  async protect(position: Position, options: { fresh?: boolean; checkQuantity?: boolean } = {}): Promise<StopOutcome> {
    const { exchange, store, clock, settings } = this.ctx;
    const id = currentStopId(settings.orderIdPrefix, position);
    if (!options.fresh) await this.recordIntent(position, id);
    let order: OrderResult | undefined;
    let refusal: unknown;
    let placed = false;
    try {
      order = options.fresh ? undefined : await exchange.findOrder(id, position.symbol);
      if (!order || order.status !== 'open') {
        placed = true;
        order = await retryTemporary(clock, () => this.place(position, id), PROTECTIVE_ORDER_RETRY);
      }
    } catch (error) {
      refusal = error;
    }
    const verified = order !== undefined && (await this.verify(position, order, options));
    // What the caller is told and what the order's record says, decided once.
    const [outcome, patch]: [StopOutcome, Omit<OrderPatch, 'updatedAt'>] = !order
      ? [{ protected: false, error: `the exchange refused the stop: ${describeError(refusal)}` }, { status: 'rejected', error: describeError(refusal) }]
      : verified
        ? [{ protected: true, order, placed }, { status: 'open', exchangeOrderId: order.id }]
        : [
            { protected: false, error: 'the stop was accepted but never appeared among the open orders' },
            { status: 'unknown', exchangeOrderId: order.id, error: 'not seen among open orders' },
          ];
    const record = async (): Promise<void> => {
      if (options.fresh) await this.recordIntent(position, id);
      await store.orders.update(id, { ...patch, updatedAt: clock.now() });
    };
    try {
      await record();
    } catch (error) {
      // A fresh stop's caller acts on the outcome at once (keeps the position, or closes it); a store that cannot
      // take the record must not stop that. Reconciliation finds the stop by its client id and records it.
      if (!options.fresh) throw error;
      this.ctx.logger.warn({ positionId: position.id, clientOrderId: id, error: describeError(error) }, 'the stop could not be recorded yet');
    }
    return outcome;
  }

  /**
   * The position as its stop is to be placed again. Under its current client id when the venue never saw that id (an
   * attempt lost before it landed, which the id lets us find again); under the next version when the venue knows the
   * id for an order that no longer rests (cancelled in the owner's app, expired, filled in part and ended): a venue may
   * refuse an id it has seen, and Bybit does, which would cost the position its stop. A failed look-up keeps the id.
   */
  async forReplacing(position: Position): Promise<Position> {
    const id = currentStopId(this.ctx.settings.orderIdPrefix, position);
    const known = await this.ctx.exchange.findOrder(id, position.symbol).catch(() => undefined);
    if (!known || known.status === 'open') return position;
    return { ...position, stopClientOrderId: await this.nextStopId(position) };
  }

  /**
   * A new client id for the position's stop: one above every stop version it ever had, on the venue or in the store
   * (a restart may have left an unrecorded attempt behind).
   */
  async nextStopId(position: Position): Promise<string> {
    const { store, settings } = this.ctx;
    const versions = [parseClientOrderId(settings.orderIdPrefix, currentStopId(settings.orderIdPrefix, position))?.version ?? 0];
    for (const order of await store.orders.forPosition(position.id)) {
      const parsed = parseClientOrderId(settings.orderIdPrefix, order.clientOrderId);
      if (parsed?.purpose === 'stop') versions.push(parsed.version);
    }
    return clientOrderId(settings.orderIdPrefix, position.id, 'stop', { version: Math.max(...versions) + 1 });
  }

  private async recordIntent(position: Position, id: string): Promise<void> {
    const { store, clock } = this.ctx;
    if (await store.orders.get(id)) return;
    await store.orders.record({
      clientOrderId: id,
      positionId: position.id,
      symbol: position.symbol,
      purpose: 'stop',
      side: exitOrderSide(position.side),
      type: 'stop_market',
      quantity: position.quantity,
      triggerPrice: position.stopPrice,
      createdAt: clock.now(),
    });
  }

  /**
   * Sends the stop. "Duplicate client id" means an earlier attempt of ours landed although its answer was lost (a
   * timeout, a dropped connection): that stop is the one to verify, not a reason to give the position up.
   */
  private async place(position: Position, id: string): Promise<OrderResult> {
    const { exchange, logger } = this.ctx;
    try {
      return await exchange.placeProtectiveStop({
        clientOrderId: id,
        symbol: position.symbol,
        positionSide: position.side,
        quantity: position.quantity,
        triggerPrice: position.stopPrice,
      });
    } catch (error) {
      if (!isDuplicateClientId(error)) throw error;
      const landed = await exchange.findOrder(id, position.symbol);
      if (!landed || landed.status !== 'open') throw error;
      logger.warn({ positionId: position.id, clientOrderId: id }, 'the stop had landed on an earlier attempt; verifying that one');
      return landed;
    }
  }

  /** The stop among the open orders; when that list cannot be had, the one order by its client id (one request). */
  private async lookForStop(position: Position, placed: OrderResult): Promise<OrderResult | undefined> {
    const { exchange } = this.ctx;
    try {
      const open = await exchange.openOrders(position.symbol);
      return open.find((order) => order.id === placed.id || order.clientOrderId === placed.clientOrderId);
    } catch {
      const single = await exchange.findOrder(currentStopId(this.ctx.settings.orderIdPrefix, position), position.symbol);
      return single?.status === 'open' ? single : undefined;
    }
  }

  /** Whether a stop of ours for this position is resting on the exchange now. */
  async isProtected(position: Position): Promise<boolean> {
    const id = currentStopId(this.ctx.settings.orderIdPrefix, position);
    const orders = await this.ctx.exchange.openOrders(position.symbol);
    return orders.some((order) => order.clientOrderId === id || (position.stopOrderId !== undefined && order.id === position.stopOrderId));
  }

  /**
   * Whether the position's current stop filled on the venue: the position it protected is closed, whatever the venue's
   * position report still shows on that symbol and side (a late report, or a position the owner opened since). A failed
   * look-up says no: the callers then treat the stop as missing or resting, never the position as closed.
   */
  async hasFired(position: Position): Promise<boolean> {
    try {
      const stop = await this.ctx.exchange.findOrder(currentStopId(this.ctx.settings.orderIdPrefix, position), position.symbol);
      return stop?.status === 'filled';
    } catch (error) {
      this.ctx.logger.warn({ positionId: position.id, error: describeError(error) }, 'could not look up whether the stop fired');
      return false;
    }
  }

  private async verify(position: Position, placed: OrderResult, options: { checkQuantity?: boolean }): Promise<boolean> {
    const { clock, settings, logger } = this.ctx;
    for (let attempt = 1; attempt <= settings.stopVerifyAttempts; attempt += 1) {
      try {
        const found = await this.lookForStop(position, placed);
        // A replacement must cover the quantity it was sized for, or the rest of the position is unprotected.
        const sized = found !== undefined && (!options.checkQuantity || Math.abs(found.quantity - position.quantity) <= position.quantity * 1e-9);
        if (found && sized && found.triggerPrice !== undefined && Math.abs(found.triggerPrice - position.stopPrice) <= position.stopPrice * 1e-6) {
          return true;
        }
        if (found) logger.warn({ positionId: position.id, triggerPrice: found.triggerPrice }, 'stop found with an unexpected trigger price');
      } catch (error) {
        logger.warn({ positionId: position.id, error: describeError(error) }, 'could not look the stop up to verify it');
      }
      if (attempt < settings.stopVerifyAttempts) await clock.sleep(VERIFY_INTERVAL_MS);
    }
    return false;
  }
}
