// The partial take-profit ladder on the venue (TAKE_PROFIT_LADDER): one reduce-only take-profit order per step, each
// under its own client id (`…-tp1`, `…-tp2`), placed after the verified stop. When the venue reports less quantity than
// the position holds, a step filled: the stop is re-armed for what is left (a new stop placed and verified before
// the old one is cancelled) and the position's quantity is written with it, then the step is recorded and the owner is
// told. A restart before that write finds the venue's quantity still below the stored one and does the re-arm again,
// under a fresh stop id; a restart after it leaves a filled step unrecorded, which reconciliation records and announces.
//
// The trade is booked once, when the position is flat, from every fill of the position (the partials included): the
// breakers and daily figures count it once, and its P&L is the sum of all parts. The message of each partial states
// what that part booked.
import { describeError, isDuplicateClientId } from '../domain/errors.js';
import type { LadderStepNote } from '../domain/events.js';
import { roundToStep, sideSign, tradingFee } from '../domain/money.js';
import { clientOrderId, parseClientOrderId } from '../domain/order-ids.js';
import { breakEvenStopPrice, partNetPnl, planLadder, stepNetPnl } from '../domain/take-profit-plan.js';
import type { OrderRecord, Position } from '../domain/trading.js';
import type { ExchangePosition, OrderResult } from '../ports/exchange.js';
import { closedPartsNetPnl } from './closed-parts.js';
import type { EngineContext } from './engine-context.js';
import type { StopReplacer } from './stop-replacement.js';
import { takeProfitIntent, type TakeProfitOrders } from './take-profit-order.js';
import { PROTECTIVE_ORDER_RETRY, retryTemporary } from './retry.js';

export interface LadderArming {
  readonly placed: readonly LadderStepNote[];
  readonly skipped: readonly { readonly step: number; readonly reason: string }[];
}

/** What reconciliation did with the position's ladder steps that were not resting on the venue. */
export interface LadderRestoring {
  /** Steps placed again (under a new version of their client id) and verified. */
  readonly replaced: readonly LadderStepNote[];
  /** Steps that were gone and are not placed again, with the reason. */
  readonly dropped: readonly { readonly step: number; readonly reason: string }[];
}

/** A ladder step whose order filled on the venue, with the venue's record of it. */
interface FilledStep {
  readonly step: number;
  readonly clientOrderId: string;
  readonly order: OrderResult;
}

const stepFill = (step: FilledStep) => ({ filledQuantity: step.order.filledQuantity, averagePrice: step.order.averagePrice, fee: step.order.fee });

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
    const { logger, marketData } = this.ctx;
    const market = await marketData.market(position.symbol);
    const left = roundToStep(live.quantity, market.amountStep, 'nearest');
    if (!(left > 0) || position.quantity - left < market.amountStep / 2) return position;
    const filled = await this.filledSteps(position);
    // No step of ours filled (a partial auto-deleveraging, a hand close): not the ladder's to follow; the size check
    // that comes next re-arms the stop, records the part and tells the owner what took it.
    if (filled.length === 0) return position;
    // What the steps took is written at once, re-armed or not: the exit rules judge the whole trade from these records,
    // and a step whose profit they missed would let a discretionary exit close a winner below the minimum profit.
    await this.writeStepFills(filled);
    const first = filled.find((step) => step.step === 1);
    // The entry fee and the isolated margin follow the quantity, so the rest is valued (and its P&L put as a share of
    // margin) on its own share (the trade is booked from all fills); they are written with the size, in the update
    // that makes the re-armed stop current. The venue releases the closed part's margin; the liquidation price stays.
    const share = left / position.quantity;
    const patch = { entryFee: position.entryFee * share, margin: position.margin * share };
    const triggerPrice = await this.rearmedTrigger(position, { ...position, quantity: left, ...patch }, first !== undefined, market.tickSize, live.markPrice);
    const why = `take-profit ${filled.map((step) => step.step).join(', ') || '?'} filled; ${left} left`;
    const rearm = await this.mover.replace(position, { quantity: left, triggerPrice, why, patch });
    if (!rearm.replaced) {
      logger.warn({ positionId: position.id, left }, 'the stop could not be re-armed for the rest yet; the old one stays');
      // The exit rules must value what is really left; the store keeps the old quantity so the next check re-arms.
      return { ...position, quantity: left, ...patch };
    }
    return this.recordFilledSteps(rearm.position, filled);
  }

  /**
   * After the stop covers what is left: the final target follows the new size, and each filled step is recorded and
   * announced. Reconciliation calls it too, for steps a restart left unrecorded after the re-arm had written the size.
   */
  private async recordFilledSteps(position: Position, filled: readonly FilledStep[]): Promise<Position> {
    const { store, clock, settings, notifier } = this.ctx;
    await this.target.resize(position);
    for (const step of filled) {
      await store.orders.update(step.clientOrderId, { status: 'filled', ...stepFill(step), updatedAt: clock.now() });
      const price = step.order.averagePrice ?? step.order.triggerPrice ?? position.entryPrice;
      const quantity = step.order.filledQuantity;
      // The entry fee per unit is the same before and after the size was written.
      const realizedPnl = partNetPnl(position, quantity, price, step.order.fee ?? tradingFee(price, quantity, settings.costs.takerFeeRate));
      await notifier.notify({ type: 'position_partially_closed', at: clock.now(), position, step: step.step, quantity, price, realizedPnl, stopRearmed: true });
    }
    return position;
  }

  /**
   * Reconciliation's look at the ladder of an open, protected position. A step whose order is not resting is told
   * apart by the venue's record of that order: one that filled (even in part) is the partial-fill path's business and
   * left alone; one the venue or the owner cancelled, that expired, or that never landed (a restart between the record
   * and the send) is placed again under the next version of its client id and verified, for its share, as long as one
   * lot stays for the stop and the final target and it still books the minimum profit; otherwise it is dropped for
   * good (the answer says so). A step that landed but was never verified (a restart between the send and the check)
   * is verified, not sent twice. Call it only while the position's stop rests. Never throws for one step: a failed
   * look-up or placement is logged and left to the next reconciliation.
   */
  async restore(position: Position, live: ExchangePosition): Promise<LadderRestoring> {
    const { store, exchange, marketData, logger } = this.ctx;
    const replaced: LadderStepNote[] = [];
    const dropped: { step: number; reason: string }[] = [];
    if (!this.enabled || position.status !== 'open') return { replaced, dropped };
    let pending = this.currentSteps(await store.orders.forPosition(position.id)).filter((record) => record.status !== 'filled' && record.status !== 'cancelled');
    if (pending.length === 0) return { replaced, dropped };
    const market = await marketData.market(position.symbol);
    const open = await exchange.openOrders(position.symbol);
    const resting = (id: string) => open.find((order) => order.clientOrderId === id);
    // A restart after the re-arm wrote the new size but before the filled steps were recorded: the sizes agree now, so
    // the partial-fill path will not run again; its bookkeeping is finished here, once. Only a step not resting can
    // have filled, so a ladder whose steps all rest costs no look-up.
    if (live.quantity >= position.quantity) {
      const unrecorded = await this.filledSteps(position, pending.filter((record) => !resting(record.clientOrderId)));
      if (unrecorded.length > 0) {
        position = await this.recordFilledSteps(position, unrecorded);
        pending = pending.filter((record) => !unrecorded.some((step) => step.clientOrderId === record.clientOrderId));
      }
    }
    // What the steps that rest already will close; a step placed again must leave beyond them and itself a rest the venue
    // takes an order for (its minimum, and at least a lot). The venue's size counts when it is smaller: a step that
    // filled a moment ago is not in the record yet.
    let room = Math.min(position.quantity, live.quantity) - Math.max(market.amountStep, market.minAmount) - pending.reduce((sum, record) => sum + (resting(record.clientOrderId)?.quantity ?? 0), 0);
    for (const record of pending) {
      try {
        const outcome = await this.restoreStep(position, record, resting(record.clientOrderId), room, market);
        if (outcome?.placed) {
          replaced.push(outcome.placed);
          room -= outcome.placed.quantity;
        }
        if (outcome?.dropped) dropped.push(outcome.dropped);
      } catch (error) {
        logger.warn({ positionId: position.id, clientOrderId: record.clientOrderId, error: describeError(error) }, 'could not restore a take-profit step yet');
      }
    }
    return { replaced, dropped };
  }

  /** One step of `restore`: nothing when it rests or filled; what was placed again (and verified), or why not. */
  private async restoreStep(
    position: Position,
    record: OrderRecord,
    seen: OrderResult | undefined,
    room: number,
    market: { readonly amountStep: number; readonly minAmount: number },
  ): Promise<{ placed?: LadderStepNote; dropped?: { step: number; reason: string } } | undefined> {
    const { store, exchange, settings, clock, logger } = this.ctx;
    const parsed = parseClientOrderId(settings.orderIdPrefix, record.clientOrderId);
    const step = parsed?.step as number;
    const onVenue = seen ?? (await exchange.findOrder(record.clientOrderId, position.symbol));
    if (onVenue && onVenue.status !== 'open' && (onVenue.status === 'filled' || onVenue.filledQuantity > 0)) return undefined;
    if (onVenue?.status === 'open') {
      // It rests: a record a restart left unverified is verified now.
      if (record.status !== 'open') await store.orders.update(record.clientOrderId, { status: 'open', exchangeOrderId: onVenue.id, updatedAt: clock.now() });
      return undefined;
    }
    const gone = onVenue ? `the venue shows it ${onVenue.status}` : 'the venue does not know it';
    const quantity = roundToStep(Math.min(record.quantity, room), market.amountStep, 'down');
    const triggerPrice = record.triggerPrice ?? 0;
    const netPnl = stepNetPnl(position, quantity, triggerPrice, settings.costs);
    const reason =
      quantity < market.minAmount || quantity <= 0
        ? `${gone}, and what is left of the position leaves no room for its share`
        : netPnl < settings.exits.minProfitUsd
          ? `${gone}, and it would now book $${netPnl.toFixed(2)}, below the minimum profit $${settings.exits.minProfitUsd.toFixed(2)}`
          : undefined;
    await store.orders.update(record.clientOrderId, { status: 'cancelled', error: reason ?? gone, updatedAt: clock.now() });
    if (reason) {
      logger.warn({ positionId: position.id, clientOrderId: record.clientOrderId, reason }, 'a take-profit step is gone and is not placed again');
      return { dropped: { step, reason } };
    }
    // A new id: a venue may refuse one it has seen, even cancelled.
    const id = clientOrderId(settings.orderIdPrefix, position.id, 'tp', { step, version: (parsed?.version ?? 0) + 1 });
    logger.warn({ positionId: position.id, clientOrderId: record.clientOrderId, replacement: id, gone }, 'a take-profit step is gone from the venue; placing it again');
    try {
      await this.place(position, id, quantity, triggerPrice);
    } catch (error) {
      await store.orders.update(id, { status: 'rejected', error: describeError(error), updatedAt: clock.now() }).catch(() => undefined);
      throw error;
    }
    return (await store.orders.get(id))?.status === 'open' ? { placed: { step, quantity, triggerPrice, netPnl } } : undefined;
  }

  /** The newest version of each ladder step's order record, in step order. */
  private currentSteps(records: readonly OrderRecord[]): OrderRecord[] {
    const newest = new Map<number, { version: number; record: OrderRecord }>();
    for (const record of records) {
      const parsed = parseClientOrderId(this.ctx.settings.orderIdPrefix, record.clientOrderId);
      if (parsed?.purpose !== 'tp' || parsed.step === undefined) continue;
      const seen = newest.get(parsed.step);
      if (!seen || parsed.version > seen.version) newest.set(parsed.step, { version: parsed.version, record });
    }
    return [...newest.entries()].sort(([a], [b]) => a - b).map(([, { record }]) => record);
  }

  /**
   * The break-even stop after the first step when asked for, only ever tighter, and never at or past the mark. It holds
   * the whole trade at no loss: the funding so far and the parts already closed (the step just written among them) count.
   */
  private async rearmedTrigger(position: Position, rest: Position, firstFilled: boolean, tickSize: number, markPrice: number | undefined): Promise<number> {
    const { settings, store } = this.ctx;
    const ladder = settings.exits.venue?.ladder;
    if (!ladder?.breakEven || !firstFilled) return position.stopPrice;
    const s = sideSign(position.side);
    const closedParts = await closedPartsNetPnl(store.orders, position, settings.costs.takerFeeRate);
    const level = breakEvenStopPrice(rest, closedParts, settings.costs, tickSize);
    if (s * (level - position.stopPrice) <= 0) return position.stopPrice;
    if (markPrice !== undefined && s * (markPrice - level) <= 0) return position.stopPrice;
    return level;
  }

  /** The venue's fill of each step, not yet its status: a step stays to be announced until the stop covers the rest. */
  private async writeStepFills(filled: readonly FilledStep[]): Promise<void> {
    for (const step of filled) await this.ctx.store.orders.update(step.clientOrderId, { ...stepFill(step), updatedAt: this.ctx.clock.now() });
  }

  /** The ladder steps of this position (of `records`, when given) that filled on the venue and are not yet recorded as filled. */
  private async filledSteps(position: Position, records?: readonly OrderRecord[]): Promise<FilledStep[]> {
    const { store, exchange, settings } = this.ctx;
    const found: FilledStep[] = [];
    for (const record of records ?? (await store.orders.forPosition(position.id))) {
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
