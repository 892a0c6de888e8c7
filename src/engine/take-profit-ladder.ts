// The partial take-profit ladder on the venue (TAKE_PROFIT_LADDER): one reduce-only take-profit order per step, each
// under its own client id (`…-tp1`, `…-tp2`), placed after the verified stop. When the venue reports less quantity than
// the position holds, a step filled: the stop is re-armed for what is left (a new stop placed and verified before
// the old one is cancelled), then the position's quantity is written, then the owner is told. A restart anywhere in
// between finds the venue's quantity still below the stored one and does the re-arm again, under a fresh stop id.
//
// The trade is booked once, when the position is flat, from every fill of the position (the partials included): the
// breakers and daily figures count it once, and its P&L is the sum of all parts. The message of each partial states
// what that part booked.
import { describeError, isDuplicateClientId } from '../domain/errors.js';
import type { LadderStepNote } from '../domain/events.js';
import { roundToStep, sideSign, tradingFee } from '../domain/money.js';
import { clientOrderId, parseClientOrderId } from '../domain/order-ids.js';
import { breakEvenStopPrice, planLadder } from '../domain/take-profit-plan.js';
import type { Position } from '../domain/trading.js';
import type { ExchangePosition, OrderResult } from '../ports/exchange.js';
import type { EngineContext } from './engine-context.js';
import type { StopReplacer } from './stop-replacement.js';
import { takeProfitIntent, type TakeProfitOrders } from './take-profit-order.js';
import { PROTECTIVE_ORDER_RETRY, retryTemporary } from './retry.js';

export interface LadderArming {
  readonly placed: readonly LadderStepNote[];
  readonly skipped: readonly { readonly step: number; readonly reason: string }[];
}

export class TakeProfitLadder {
  constructor(
    private readonly ctx: EngineContext,
    private readonly mover: StopReplacer,
    private readonly target: TakeProfitOrders,
  ) {}

  get enabled(): boolean {
    return (this.ctx.settings.exits.venue?.ladder?.steps.length ?? 0) > 0;
  }

  /**
   * Places the ladder of a freshly protected position. Never throws: a step that cannot be placed leaves the stop, the
   * final target and the daemon's own rules; the answer says what rests and what was left out.
   */
  async arm(position: Position): Promise<LadderArming | undefined> {
    const ladder = this.ctx.settings.exits.venue?.ladder;
    if (!ladder || ladder.steps.length === 0) return undefined;
    const { marketData, settings, logger } = this.ctx;
    const market = await marketData.market(position.symbol);
    const plan = planLadder(position, ladder.steps, {
      lotSize: market.amountStep,
      minQuantity: market.minAmount,
      tickSize: market.tickSize,
      minProfitUsd: settings.exits.minProfitUsd,
      costs: settings.costs,
    });
    const placed: LadderStepNote[] = [];
    const skipped = plan.skipped.map((step) => ({ step: step.index + 1, reason: step.reason }));
    for (const step of plan.steps) {
      const id = clientOrderId(settings.orderIdPrefix, position.id, 'tp', { step: step.index + 1 });
      try {
        await this.place(position, id, step.quantity, step.triggerPrice);
        placed.push({ step: step.index + 1, quantity: step.quantity, triggerPrice: step.triggerPrice, netPnl: step.netPnl });
      } catch (error) {
        logger.warn({ positionId: position.id, clientOrderId: id, error: describeError(error) }, 'could not place a take-profit step');
        await this.ctx.store.orders.update(id, { status: 'rejected', error: describeError(error), updatedAt: this.ctx.clock.now() }).catch(() => undefined);
        skipped.push({ step: step.index + 1, reason: `the exchange refused it: ${describeError(error)}` });
      }
    }
    return { placed, skipped: skipped.sort((a, b) => a.step - b.step) };
  }

  /**
   * The venue holds less than the position says: a step (or part of one) filled. Re-arms the stop for the rest, then
   * writes the new quantity and tells the owner. Returns the position as it stands now.
   */
  async afterPartialFill(position: Position, live: ExchangePosition): Promise<Position> {
    const { store, clock, settings, logger, notifier, marketData } = this.ctx;
    const market = await marketData.market(position.symbol);
    const left = roundToStep(live.quantity, market.amountStep, 'nearest');
    if (!(left > 0) || position.quantity - left < market.amountStep / 2) return position;
    const filled = await this.filledSteps(position);
    const first = filled.find((step) => step.step === 1);
    const triggerPrice = this.rearmedTrigger(position, first !== undefined, market.tickSize, live.markPrice);
    const why = `take-profit ${filled.map((step) => step.step).join(', ') || '?'} filled; ${left} left`;
    const rearm = await this.mover.replace(position, { quantity: left, triggerPrice, why });
    if (!rearm.replaced) {
      logger.warn({ positionId: position.id, left }, 'the stop could not be re-armed for the rest yet; the old one stays');
      // The exit rules must value what is really left; the store keeps the old quantity so the next check re-arms.
      return { ...position, quantity: left, entryFee: (position.entryFee * left) / position.quantity };
    }
    // The entry fee follows the quantity, so the rest is valued on its own share (the trade is booked from all fills).
    const entryFee = (position.entryFee * left) / position.quantity;
    const updated = await store.positions.update(position.id, { quantity: left, entryFee });
    await this.target.resize(updated);
    for (const step of filled) {
      await store.orders.update(step.clientOrderId, {
        status: 'filled',
        filledQuantity: step.order.filledQuantity,
        averagePrice: step.order.averagePrice,
        fee: step.order.fee,
        updatedAt: clock.now(),
      });
      const price = step.order.averagePrice ?? step.order.triggerPrice ?? position.entryPrice;
      const quantity = step.order.filledQuantity;
      const realizedPnl =
        sideSign(position.side) * (price - position.entryPrice) * quantity -
        (position.entryFee * quantity) / position.quantity -
        (step.order.fee ?? tradingFee(price, quantity, settings.costs.takerFeeRate));
      await notifier.notify({ type: 'position_partially_closed', at: clock.now(), position: updated, step: step.step, quantity, price, realizedPnl, stopRearmed: true });
    }
    return updated;
  }

  /** The break-even stop after the first step when asked for, only ever tighter, and never at or past the mark. */
  private rearmedTrigger(position: Position, firstFilled: boolean, tickSize: number, markPrice: number | undefined): number {
    const ladder = this.ctx.settings.exits.venue?.ladder;
    if (!ladder?.breakEven || !firstFilled) return position.stopPrice;
    const s = sideSign(position.side);
    const level = breakEvenStopPrice(position.side, position.entryPrice, position.entryFee / position.quantity, this.ctx.settings.costs, tickSize);
    if (s * (level - position.stopPrice) <= 0) return position.stopPrice;
    if (markPrice !== undefined && s * (markPrice - level) <= 0) return position.stopPrice;
    return level;
  }

  /** The ladder steps of this position that filled on the venue and are not yet recorded as filled. */
  private async filledSteps(position: Position): Promise<{ step: number; clientOrderId: string; order: OrderResult }[]> {
    const { store, exchange, settings } = this.ctx;
    const found: { step: number; clientOrderId: string; order: OrderResult }[] = [];
    for (const record of await store.orders.forPosition(position.id)) {
      const parsed = parseClientOrderId(settings.orderIdPrefix, record.clientOrderId);
      if (parsed?.purpose !== 'tp' || parsed.step === undefined || record.status === 'filled') continue;
      const order = await exchange.findOrder(record.clientOrderId, position.symbol).catch(() => undefined);
      if (order && order.filledQuantity > 0) found.push({ step: parsed.step, clientOrderId: record.clientOrderId, order });
    }
    return found.sort((a, b) => a.step - b.step);
  }

  private async place(position: Position, id: string, quantity: number, triggerPrice: number): Promise<void> {
    const { exchange, store, clock } = this.ctx;
    if (!(await store.orders.get(id))) {
      await store.orders.record(takeProfitIntent(position, id, quantity, triggerPrice, clock.now()));
    }
    // A venue that is busy for a moment (429, 5xx, a lost answer) gets the stop's retries; an attempt that landed
    // although its answer was lost is found by its client id rather than sent twice.
    const placed = await retryTemporary(
      clock,
      async () => {
        try {
          return await exchange.placeTakeProfit({ clientOrderId: id, symbol: position.symbol, positionSide: position.side, quantity, triggerPrice });
        } catch (error) {
          const landed = isDuplicateClientId(error) ? await exchange.findOrder(id, position.symbol) : undefined;
          if (landed?.status === 'open') return landed;
          throw error;
        }
      },
      PROTECTIVE_ORDER_RETRY,
    );
    const seen = await retryTemporary(
      clock,
      async () => (await exchange.openOrders(position.symbol)).some((order) => order.id === placed.id || order.clientOrderId === id),
      PROTECTIVE_ORDER_RETRY,
    ).catch(() => false);
    await store.orders.update(id, seen ? { status: 'open', exchangeOrderId: placed.id, updatedAt: clock.now() } : { status: 'unknown', exchangeOrderId: placed.id, error: 'not seen among open orders', updatedAt: clock.now() });
  }
}
