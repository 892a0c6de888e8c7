// The reduce-only take-profit order that rests on the venue with the stop (TAKE_PROFIT_ON_EXCHANGE), so the target is
// met while the daemon is down. It is a convenience, not protection: when it cannot be placed the position keeps its
// stop and the daemon's own take-profit rules, and reconciliation tries again. When either the stop or the target
// fills, the position is gone and the closing path cancels every order of the position that is left.
import { describeError, isDuplicateClientId } from '../domain/errors.js';
import { openPartMinProfit, takeProfitTrigger } from '../domain/exit-rules.js';
import { exitOrderSide, sideSign } from '../domain/money.js';
import { clientOrderId, parseClientOrderId } from '../domain/order-ids.js';
import type { Position } from '../domain/trading.js';
import type { OrderResult } from '../ports/exchange.js';
import type { NewOrder } from '../ports/store.js';
import { closedPartsNetPnl } from './closed-parts.js';
import type { EngineContext } from './engine-context.js';

/** The record of a reduce-only take-profit order of the position, written before the order is sent. */
export function takeProfitIntent(position: Position, clientOrderId: string, quantity: number, triggerPrice: number, createdAt: Date): NewOrder {
  return { clientOrderId, positionId: position.id, symbol: position.symbol, purpose: 'tp', side: exitOrderSide(position.side), type: 'take_profit_market', quantity, triggerPrice, createdAt };
}

export class TakeProfitOrders {
  constructor(private readonly ctx: EngineContext) {}

  /** Whether this position should have a take-profit order resting on the venue. */
  wanted(position: Position): boolean {
    return this.ctx.settings.exits.venue?.takeProfitOnExchange === true && position.takeProfitPrice !== undefined;
  }

  /**
   * Places the position's take-profit order unless one of ours rests already, and verifies it among the open orders.
   * Never throws: the answer is whether a verified target rests on the venue now.
   */
  async arm(position: Position): Promise<boolean> {
    if (!this.wanted(position)) return false;
    const { exchange, marketData, store, clock, logger } = this.ctx;
    const id = await this.currentId(position).catch(() => clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'tp'));
    try {
      const open = await exchange.openOrders(position.symbol);
      if (this.isArmed(position, open)) return true;
      const market = await marketData.market(position.symbol);
      const triggerPrice = await this.trigger(position, market.tickSize);
      if (!(await store.orders.get(id))) {
        await store.orders.record(takeProfitIntent(position, id, position.quantity, triggerPrice, clock.now()));
      }
      const placed = await this.place(position, id, triggerPrice);
      const seen = (await exchange.openOrders(position.symbol)).some((order) => order.id === placed.id || order.clientOrderId === id);
      await store.orders.update(id, seen ? { status: 'open', exchangeOrderId: placed.id, updatedAt: clock.now() } : { status: 'unknown', exchangeOrderId: placed.id, error: 'not seen among open orders', updatedAt: clock.now() });
      if (!seen) logger.warn({ positionId: position.id, clientOrderId: id }, 'the take-profit order was accepted but is not among the open orders');
      return seen;
    } catch (error) {
      // The stop protects the position; the daemon's own rules take the profit; reconciliation tries again.
      logger.warn({ positionId: position.id, clientOrderId: id, error: describeError(error) }, 'could not place the take-profit order on the exchange');
      await store.orders.update(id, { status: 'rejected', error: describeError(error), updatedAt: clock.now() }).catch(() => undefined);
      return false;
    }
  }

  /**
   * Whether the final target filled while nobody watched (a restart): it rests no more, and its latest version shows
   * filled. Then the position is flat on our side, and what the venue holds on that side now is not ours (the owner's
   * new position). `open` is the symbol's open orders when the caller has them; never throws.
   */
  async filledWhileAway(position: Position, open?: readonly OrderResult[]): Promise<boolean> {
    if (!this.wanted(position)) return false;
    try {
      const resting = open ?? (await this.ctx.exchange.openOrders(position.symbol));
      if (this.isArmed(position, resting)) return false;
      const latest = await this.ctx.exchange.findOrder(await this.currentId(position), position.symbol);
      return latest?.status === 'filled';
    } catch (error) {
      this.ctx.logger.warn({ positionId: position.id, error: describeError(error) }, 'could not look up whether the take-profit order filled');
      return false;
    }
  }

  /**
   * A restart's repair of the final target: `resting` when ours rests (placed again if it was gone without filling),
   * `filled` when it filled while the daemon was away (nothing placed), `missing` when it could not be placed.
   */
  async restore(position: Position): Promise<'resting' | 'filled' | 'missing'> {
    if (!this.wanted(position)) return 'missing';
    let open: readonly OrderResult[];
    try {
      open = await this.ctx.exchange.openOrders(position.symbol);
    } catch (error) {
      this.ctx.logger.warn({ positionId: position.id, error: describeError(error) }, 'could not read the open orders to restore the take-profit order');
      return 'missing';
    }
    if (this.isArmed(position, open)) return 'resting';
    if (await this.filledWhileAway(position, open)) return 'filled';
    return (await this.arm(position)) ? 'resting' : 'missing';
  }

  /**
   * Funding paid since the target was placed moves its minimum-profit floor out: a target left where it was would
   * fill and book less than the minimum. It is re-placed (`resize`) when the floor for the funding paid so far lies a
   * tick or more beyond it; funding received leaves it where it is. `position` carries the funding so far. Never throws.
   */
  async followFunding(position: Position): Promise<void> {
    if (!this.wanted(position)) return;
    try {
      const resting = await this.restingTrigger(position);
      if (resting === undefined) return;
      const market = await this.ctx.marketData.market(position.symbol);
      const beyond = sideSign(position.side) * ((await this.trigger(position, market.tickSize)) - resting);
      if (beyond >= market.tickSize / 2) await this.resize(position);
    } catch (error) {
      this.ctx.logger.warn({ positionId: position.id, error: describeError(error) }, 'could not check the take-profit order against the funding paid');
    }
  }

  /** The trigger of the position's target as recorded resting (its current version); undefined when none rests. */
  async restingTrigger(position: Position): Promise<number | undefined> {
    const resting = await this.ctx.store.orders.get(await this.currentId(position));
    return resting?.status === 'open' ? resting.triggerPrice : undefined;
  }

  /** The position's target, held to the minimum profit for the size and fill it has now and what earlier parts booked. */
  private async trigger(position: Position, tickSize: number): Promise<number> {
    const { exits, costs } = this.ctx.settings;
    const closedParts = await closedPartsNetPnl(this.ctx.store.orders, position, costs.takerFeeRate);
    return takeProfitTrigger(position, position.takeProfitPrice as number, openPartMinProfit(exits.minProfitUsd, closedParts), costs, tickSize);
  }

  /** True when our final take-profit order (any version) for this position rests on the venue; `open` is the symbol's open orders. */
  isArmed(position: Position, open: readonly OrderResult[]): boolean {
    return open.some((order) => this.isFinalTarget(position, order.clientOrderId));
  }

  /**
   * The final target sized to the position as it stands now: after a partial take-profit (what is left) or a hand add
   * (the whole new size). Call it once the stop for that size is verified: protection first. The old target is
   * cancelled before the new one goes out under the next version, so two targets never rest together covering more
   * than the position (a target is a convenience, so a moment without one is the safe side). Never throws; when the
   * old one cannot be cancelled it stays, and when the new one cannot be placed reconciliation places it later.
   */
  async resize(position: Position): Promise<boolean> {
    if (!this.wanted(position)) return false;
    const { exchange, marketData, store, clock, settings, logger } = this.ctx;
    const versions = (await store.orders.forPosition(position.id))
      .map((record) => parseClientOrderId(settings.orderIdPrefix, record.clientOrderId))
      .filter((parsed) => parsed?.purpose === 'tp' && parsed.step === undefined)
      .map((parsed) => parsed?.version ?? 0);
    const id = clientOrderId(settings.orderIdPrefix, position.id, 'tp', { version: Math.max(-1, ...versions) + 1 });
    try {
      for (const old of (await exchange.openOrders(position.symbol)).filter((order) => this.isFinalTarget(position, order.clientOrderId))) {
        await exchange.cancelOrder(old.id, position.symbol);
        await store.orders.update(old.clientOrderId as string, { status: 'cancelled', updatedAt: clock.now() }).catch(() => undefined);
      }
      const market = await marketData.market(position.symbol);
      const triggerPrice = await this.trigger(position, market.tickSize);
      await store.orders.record(takeProfitIntent(position, id, position.quantity, triggerPrice, clock.now()));
      const placed = await this.place(position, id, triggerPrice);
      const open = await exchange.openOrders(position.symbol);
      if (!open.some((order) => order.id === placed.id || order.clientOrderId === id)) throw new Error('the resized take-profit order is not among the open orders');
      await store.orders.update(id, { status: 'open', exchangeOrderId: placed.id, updatedAt: clock.now() });
      return true;
    } catch (error) {
      logger.warn({ positionId: position.id, clientOrderId: id, error: describeError(error) }, 'could not resize the take-profit order');
      await store.orders.update(id, { status: 'rejected', error: describeError(error), updatedAt: clock.now() }).catch(() => undefined);
      return false;
    }
  }

  private isFinalTarget(position: Position, id: string | undefined): boolean {
    const parsed = parseClientOrderId(this.ctx.settings.orderIdPrefix, id);
    return parsed?.positionId === position.id && parsed.purpose === 'tp' && parsed.step === undefined;
  }

  /** The final target's client id now: the last resize's version, or the first (`…-tp`). */
  private async currentId(position: Position): Promise<string> {
    const { store, settings } = this.ctx;
    let version = 0;
    for (const record of await store.orders.forPosition(position.id)) {
      const parsed = parseClientOrderId(settings.orderIdPrefix, record.clientOrderId);
      if (parsed?.purpose === 'tp' && parsed.step === undefined) version = Math.max(version, parsed.version);
    }
    return clientOrderId(settings.orderIdPrefix, position.id, 'tp', { version });
  }

  private async place(position: Position, id: string, triggerPrice: number): Promise<OrderResult> {
    const { exchange } = this.ctx;
    try {
      return await exchange.placeTakeProfit({ clientOrderId: id, symbol: position.symbol, positionSide: position.side, quantity: position.quantity, triggerPrice });
    } catch (error) {
      if (!isDuplicateClientId(error)) throw error;
      // An earlier attempt landed although its answer was lost.
      const landed = await exchange.findOrder(id, position.symbol);
      if (!landed || landed.status !== 'open') throw error;
      return landed;
    }
  }
}
