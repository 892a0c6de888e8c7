// Opens a position: risk check, order intent recorded before it is sent, market entry (a timeout never leads to
// a second entry), then the protective stop — and if the stop cannot be placed, the position is closed at once.
import type { MarketSnapshot } from '../domain/analysis.js';
import type { Consensus } from '../domain/consensus.js';
import { describeError, errorKind, isDuplicateClientId, MarketClosedError, RejectedError, TemporaryError, type ErrorKind } from '../domain/errors.js';
import { entryOrderSide } from '../domain/money.js';
import type { OpportunityScore } from '../domain/opportunity.js';
import { positionAfterFill } from '../domain/position-after-fill.js';
import { clientOrderId } from '../domain/order-ids.js';
import type { EntryPlan, RiskManager } from '../domain/risk-manager.js';
import type { MarketSpec, Side } from '../domain/market.js';
import type { TrackRecord } from '../domain/position-sizing.js';
import type { Position } from '../domain/trading.js';
import type { ExchangePosition, OrderResult } from '../ports/exchange.js';
import type { BreakerService } from './breaker-service.js';
import type { PositionCloser } from './close-position.js';
import type { EngineContext } from './engine-context.js';
import { finishOpening } from './finish-opening.js';
import type { EntryGuards } from './entry-guards.js';
import type { EntryTrim } from './entry-trim.js';
import type { IncidentTracker } from './incidents.js';
import type { OrderHousekeeping } from './order-housekeeping.js';
import type { PositionFills } from './position-fills.js';
import type { ProtectiveStopPlacer } from './protective-stop.js';
import { backoffDelay, PROTECTIVE_ORDER_RETRY, retryTemporary } from './retry.js';
import type { TakeProfitLadder } from './take-profit-ladder.js';
import type { TakeProfitOrders } from './take-profit-order.js';
import type { CapitalFooting } from './capital-footing.js';

export interface Opportunity {
  readonly snapshot: MarketSnapshot;
  readonly consensus: Consensus & { decision: Side };
  readonly score: OpportunityScore;
}

export type OpenOutcome =
  | { readonly status: 'opened'; readonly position: Position }
  | { readonly status: 'rejected'; readonly reasons: readonly string[] }
  | {
      readonly status: 'failed';
      readonly error: string;
      readonly kind?: ErrorKind;
      readonly marketClosed?: boolean;
      /** The entry reached the venue and what it filled is not known: the position stays `opening` to be resumed. */
      readonly unresolved?: boolean;
    };

/**
 * The entry reached the venue (or may have), and the venue could not say what became of it: it may have filled. Not
 * an answer, so the position is not marked failed: a failed position is never booked, and what filled would have no
 * stop until reconciliation found it. It stays `opening`, and the monitor resumes it at once.
 */
class EntryOutcomeUnknown extends Error {
  constructor(cause: unknown, summary = 'the venue did not say whether the entry filled') {
    super(`${summary} (${describeError(cause)})`, { cause });
    this.name = 'EntryOutcomeUnknown';
  }
}

const ENTRY_ATTEMPTS = 3;

/**
 * An entry never adds to a position the daemon does not track (the owner's, opened by hand, found beside a position of
 * ours that closed): the order would merge with it on the venue, and its size would be taken for ours. Reconciliation
 * adopts or closes it first, by ORPHAN_POSITION_POLICY.
 */
function unknownHolding(symbol: string, active: readonly Position[], onExchange: readonly ExchangePosition[]): string[] {
  if (active.some((position) => position.symbol === symbol)) return [];
  const held = onExchange.find((position) => position.symbol === symbol);
  return held ? [`the exchange holds a ${held.side.toUpperCase()} ${held.quantity} on ${symbol} that the daemon does not track yet; reconciliation adopts or closes it first`] : [];
}

export class PositionOpener {
  constructor(
    private readonly ctx: EngineContext,
    private readonly risk: RiskManager,
    private readonly breakers: BreakerService,
    private readonly capital: CapitalFooting,
    private readonly stops: ProtectiveStopPlacer,
    private readonly closer: PositionCloser,
    private readonly orders: OrderHousekeeping,
    private readonly fills: PositionFills,
    private readonly incidents: IncidentTracker,
    private readonly targets: TakeProfitOrders,
    private readonly guards: EntryGuards,
    private readonly trim: EntryTrim,
    private readonly ladder?: TakeProfitLadder,
  ) {}

  async open(opportunity: Opportunity): Promise<OpenOutcome> {
    const { marketData, store, clock, notifier } = this.ctx;
    const { snapshot, consensus } = opportunity;
    const [market, active, onExchange] = await Promise.all([marketData.market(snapshot.symbol), store.positions.active(), this.ctx.exchange.positions()]);
    const account = await this.capital.entryAccount(active);
    const held = await this.guards.atMark(active);
    const guarded = [...(await this.guards.problems(snapshot.symbol, consensus.decision, active)), ...unknownHolding(snapshot.symbol, active, onExchange)];
    const trackRecord = await this.trackRecord(consensus.agreeing.map((vote) => vote.analyst));
    const decision = this.risk.validateEntry(
      {
        symbol: snapshot.symbol,
        side: consensus.decision,
        price: snapshot.price,
        leverage: consensus.leverage,
        stopLossRange: consensus.stopLossRange,
        atrPct: snapshot.timeframes['1h'].indicators.atrPct,
        takeProfitPct: consensus.takeProfitPct,
        trackRecord,
      },
      {
        capital: account.capital,
        available: account.available,
        activePositions: held,
        entryBlocks: [...this.breakers.blocks().map((b) => b.reason), ...guarded],
      },
      market,
    );
    if (!decision.approved) {
      this.ctx.logger.info({ symbol: snapshot.symbol, side: consensus.decision, reasons: decision.reasons }, 'entry rejected by the risk manager');
      await store.rejections.record({
        time: clock.now(),
        symbol: snapshot.symbol,
        side: consensus.decision,
        price: snapshot.price,
        confidence: consensus.confidence,
        opportunityScore: opportunity.score.total,
        reasons: decision.reasons,
      });
      await notifier.notify({ type: 'risk_rejected', at: clock.now(), symbol: snapshot.symbol, side: consensus.decision, reasons: decision.reasons });
      return { status: 'rejected', reasons: decision.reasons };
    }
    const position = await this.createPosition(decision.plan, opportunity);
    if (!position) return { status: 'rejected', reasons: [`a position in ${snapshot.symbol} is already open`] };
    return this.execute(position, decision.plan, market);
  }

  /** Kelly sizing only: the agreeing analysts' scored votes, pooled. */
  private async trackRecord(agreeing: readonly string[]): Promise<TrackRecord | undefined> {
    if (this.ctx.settings.sizing?.mode !== 'kelly') return undefined;
    const records = (await this.ctx.store.decisions.trackRecords()).filter((record) => agreeing.includes(record.analyst));
    return { scored: records.reduce((n, r) => n + r.scored, 0), hits: records.reduce((n, r) => n + r.hits, 0) };
  }

  private async createPosition(plan: EntryPlan, opportunity: Opportunity): Promise<Position | undefined> {
    const { consensus, score } = opportunity;
    try {
      return await this.ctx.store.positions.create({
        symbol: plan.symbol,
        side: plan.side,
        leverage: plan.leverage,
        quantity: plan.quantity,
        entryPrice: plan.entryPrice,
        margin: plan.margin,
        stopPrice: plan.stopPrice,
        stopLossPct: plan.stopLossPct,
        liquidationPrice: plan.liquidationPrice,
        takeProfitPrice: plan.takeProfitPrice,
        entryFee: 0,
        funding: 0,
        openedAt: this.ctx.clock.now(),
        rationale: {
          confidence: consensus.confidence,
          opportunityScore: score.total,
          agreeing: consensus.agreeing.map((vote) => vote.analyst),
          dissenting: consensus.dissenting.map((vote) => vote.analyst),
        },
      });
    } catch (error) {
      // The store's unique index on active positions per symbol is the last word against a double entry.
      if (error instanceof RejectedError) return undefined;
      throw error;
    }
  }

  private async execute(position: Position, plan: EntryPlan, market: MarketSpec): Promise<OpenOutcome> {
    const { exchange, store, clock } = this.ctx;
    const entryId = clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'entry');
    await store.orders.record({
      clientOrderId: entryId,
      positionId: position.id,
      symbol: position.symbol,
      purpose: 'entry',
      side: entryOrderSide(position.side),
      type: 'limit',
      limitPrice: plan.limitPrice,
      checkedNotional: plan.checkedNotional,
      quantity: plan.quantity,
      createdAt: clock.now(),
    });
    let fill: OrderResult;
    try {
      await this.orders.cancelLeftoverOrders(position.symbol, position.id);
      await exchange.setLeverage(position.symbol, plan.leverage, 'isolated');
      const placed = await this.placeEntry(position, entryId, plan);
      fill = placed.order;
      if (placed.resent) await this.holdsNoMoreThan(position, fill, market);
    } catch (error) {
      const message = describeError(error);
      if (error instanceof EntryOutcomeUnknown) {
        await store.orders.update(entryId, { status: 'unknown', error: message, updatedAt: clock.now() });
        await this.incidents.raise(
          `entry:${position.symbol}`,
          'warning',
          `Entry on ${position.symbol}: ${message}. The daemon asks again at every position check; whatever filled gets its stop at once.`,
        );
        return { status: 'failed', error: message, kind: 'temporary', unresolved: true };
      }
      await store.orders.update(entryId, { status: 'rejected', error: message, updatedAt: clock.now() });
      await store.positions.update(position.id, { status: 'failed', closedAt: clock.now() });
      await this.incidents.raise(`entry:${position.symbol}`, 'warning', `Entry on ${position.symbol} failed: ${message}`);
      return { status: 'failed', error: message, kind: errorKind(error), marketClosed: error instanceof MarketClosedError };
    }
    // Protection first: writing the fill down waits on the store, which may be restarting; the stop must not.
    const filled = this.filledPosition(position, plan, market, fill, fill.averagePrice ?? (await this.heldEntryPrice(position)) ?? plan.entryPrice);
    const recording = this.recordFill(filled, entryId, fill);
    recording.catch(() => undefined); // awaited below, once the stop is out
    const stop = await this.stops.protect(filled, { fresh: true });
    if (!stop.protected) return this.closeUnprotected(filled, stop.error, recording);
    const opened = await recording;
    const completed = await this.completeFill(opened, entryId, fill);
    const protectedPosition = await store.positions.update(completed.id, { stopOrderId: stop.order.id });
    // The cut comes before the position counts as open: a crash in between leaves it opening, and the restart's
    // reconciliation makes the cut from the entry order's record.
    const trimmed = await this.trim.keepWithinLimits(protectedPosition, plan, market);
    if (!trimmed) return { status: 'failed', error: 'the entry filled where no size kept the risk limits, or too little of it to reach the minimum profit; closed at once' };
    await this.incidents.clear(`entry:${trimmed.symbol}`, `Entries on ${trimmed.symbol} work again.`);
    return { status: 'opened', position: await finishOpening(this.ctx, this.targets, this.ladder, trimmed) };
  }

  /**
   * No position stays open without a stop. Like the stop, the close goes out before any bookkeeping: writing the fill
   * down, the alert and the close's own records all wait on a store that may be restarting; the close must not.
   */
  private async closeUnprotected(filled: Position, error: string, recording: Promise<Position>): Promise<OpenOutcome> {
    let sent: OrderResult | undefined;
    try {
      sent = await this.closer.sendClose(filled, filled.quantity);
    } catch (sendError) {
      // The close below tries again, and after it every monitor check, with a critical alert each minute.
      this.ctx.logger.error({ positionId: filled.id, error: describeError(sendError) }, 'the close of an unprotected position failed');
    }
    await this.incidents.raise(
      `unprotected:${filled.id}`,
      'critical',
      `${filled.symbol}: ${error}. Closing the position at market: no position stays open without a stop.`,
    );
    const opened = await recording;
    // The fill says what is on the exchange: a close need not wait on a position read from a struggling venue.
    const filledOnExchange = { symbol: opened.symbol, side: opened.side, quantity: opened.quantity, entryPrice: opened.entryPrice };
    await this.closer.close({ position: opened, reason: 'stop_not_protected', seen: filledOnExchange, sent });
    return { status: 'failed', error };
  }

  /**
   * Sends the entry as an immediate-or-cancel order limited to the plan's worst price, so the fill stays inside what
   * the risk manager sized for; after a timeout it asks the exchange for the order by its client id before resending.
   */
  private async placeEntry(position: Position, entryId: string, plan: EntryPlan): Promise<{ order: OrderResult; resent: boolean }> {
    const { exchange, store, clock, logger } = this.ctx;
    for (let attempt = 1; ; attempt += 1) {
      const resent = attempt > 1;
      try {
        await store.orders.update(entryId, { status: 'sent', updatedAt: clock.now() });
        const { quantity, limitPrice } = plan;
        const result = await exchange.placeEntry({ clientOrderId: entryId, symbol: position.symbol, side: position.side, quantity, limitPrice });
        return { order: await this.settled(result, entryId, plan), resent };
      } catch (error) {
        // An earlier send that was lost may still reach the venue and fill (a client id is unique only among open
        // orders, and an immediate-or-cancel entry is never open): after a resend, no refusal is an answer.
        if (resent && !(error instanceof EntryOutcomeUnknown)) throw new EntryOutcomeUnknown(error);
        if (!(error instanceof TemporaryError) && !isDuplicateClientId(error)) throw error;
        let landed: OrderResult | undefined;
        try {
          landed = await this.lookup(entryId, position.symbol);
        } catch (lookupError) {
          throw new EntryOutcomeUnknown(lookupError);
        }
        if (landed) return { order: await this.settled(landed, entryId, plan), resent };
        if (attempt >= ENTRY_ATTEMPTS) throw resent ? new EntryOutcomeUnknown(error) : error;
        const delay = backoffDelay(attempt, 1000);
        logger.warn({ positionId: position.id, attempt, error: describeError(error) }, 'entry not confirmed; the exchange has no such order, retrying');
        await clock.sleep(delay);
      }
    }
  }

  /**
   * After a resend: the venue must hold no more on the position's side than this fill. More means a lost first send
   * filled too (entries are refused beside a holding of someone else's), and a stop sized from this fill would leave
   * the rest bare; the position is then resumed from what the venue holds, as after a crash. When the holding cannot
   * be read, the fill that is known gets its stop now; size beyond it is found by the next check's size comparison.
   */
  private async holdsNoMoreThan(position: Position, fill: OrderResult, market: MarketSpec): Promise<void> {
    const { exchange, clock, logger } = this.ctx;
    let held: ExchangePosition[];
    try {
      held = await retryTemporary(clock, () => exchange.positions(), PROTECTIVE_ORDER_RETRY);
    } catch (error) {
      logger.warn({ positionId: position.id, error: describeError(error) }, 'after a resent entry the holding could not be read; the fill gets its stop');
      return;
    }
    const holding = held.find((p) => p.symbol === position.symbol && p.side === position.side)?.quantity ?? 0;
    if (holding - fill.filledQuantity >= market.amountStep / 2) {
      const found = new Error(`the venue holds ${holding} where the resent entry filled ${fill.filledQuantity}`);
      throw new EntryOutcomeUnknown(found, 'a lost first send of the entry filled as well as the resent one');
    }
  }

  private async lookup(entryId: string, symbol: string): Promise<OrderResult | undefined> {
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      try {
        return await this.ctx.exchange.findOrder(entryId, symbol);
      } catch (error) {
        if (!(error instanceof TemporaryError) || attempt === 3) throw error;
        await this.ctx.clock.sleep(backoffDelay(attempt, 1000));
      }
    }
    return undefined;
  }

  /**
   * What an order the venue has acknowledged came to. Past this point only a refusal is an answer: a read or a cancel
   * that failed leaves an order that may have filled, or may still fill.
   */
  private async settled(order: OrderResult, entryId: string, plan: EntryPlan): Promise<OrderResult> {
    try {
      return await this.awaitFilled(order, entryId, plan);
    } catch (error) {
      if (error instanceof RejectedError) throw error;
      throw new EntryOutcomeUnknown(error);
    }
  }

  /**
   * An immediate-or-cancel order is final on acknowledgement: filled (perhaps partly: a smaller position) or expired
   * when no price inside the limit was there. If the venue still reports it open, wait briefly for the fill.
   */
  private async awaitFilled(order: OrderResult, entryId: string, plan: EntryPlan): Promise<OrderResult> {
    let current = order;
    for (let attempt = 0; current.status === 'open' && attempt < 5; attempt += 1) {
      await this.ctx.clock.sleep(500);
      current = (await this.ctx.exchange.findOrder(entryId, plan.symbol)) ?? current;
    }
    // Still resting: left alone it could fill later with no stop behind it. It is cancelled, and what filled before
    // the cancel (perhaps all of it: a venue slow to report a fill) is the position.
    if (current.status === 'open') current = await this.cancelResting(current, entryId, plan.symbol);
    if (current.filledQuantity > 0) return current;
    if (current.status === 'expired') {
      const limit = `${plan.side === 'long' ? 'at most' : 'at least'} ${plan.limitPrice}`;
      throw new RejectedError(
        `nothing filled: the price moved past the slippage allowance of the entry (a ${plan.side} ${limit}, planned at ${plan.entryPrice})`,
      );
    }
    throw new RejectedError(`entry order ${entryId} ended ${current.status} without a fill`);
  }

  private async cancelResting(order: OrderResult, entryId: string, symbol: string): Promise<OrderResult> {
    const { exchange, clock, logger } = this.ctx;
    await retryTemporary(clock, () => exchange.cancelOrder(order.id, symbol), { attempts: 3, baseDelayMs: 1000 }).catch((error: unknown) => {
      // Refused: the venue no longer has it open (it filled or ended meanwhile); the read below says which.
      if (!(error instanceof RejectedError)) throw error;
    });
    const after = (await this.lookup(entryId, symbol)) ?? order;
    logger.warn({ entryId, status: after.status, filled: after.filledQuantity }, 'the entry was still open after the wait and was cancelled');
    return after;
  }

  /**
   * The entry price of what the venue holds on the position's market and side, for a fill reported without its
   * average price (an order found late on a venue whose order status has none): the stop and every limit at the fill
   * are measured from the price really filled, not the planned one, which a price that jumped as the order went out
   * leaves behind. Entries are refused while the venue holds an unknown position there, so what it holds is this fill.
   */
  private async heldEntryPrice(position: Position): Promise<number | undefined> {
    const { exchange, clock, logger } = this.ctx;
    const held = await retryTemporary(clock, () => exchange.positions(), PROTECTIVE_ORDER_RETRY).then(
      (positions) => positions.find((p) => p.symbol === position.symbol && p.side === position.side),
      () => undefined,
    );
    if (held === undefined || !(held.entryPrice > 0)) {
      logger.warn({ positionId: position.id, symbol: position.symbol }, 'the fill came without its price and the venue did not show it; the stop is measured from the planned price');
      return undefined;
    }
    return held.entryPrice;
  }

  /** The position as filled, from the order (and the fill's price): no other round trip stands between it and its stop. */
  private filledPosition(position: Position, plan: EntryPlan, market: MarketSpec, fill: OrderResult, entryPrice: number): Position {
    const { risk, costs } = this.ctx.settings;
    const terms = positionAfterFill(
      {
        side: position.side,
        entryPrice,
        quantity: fill.filledQuantity,
        leverage: plan.leverage,
        stopLossPct: plan.stopLossPct,
        entryFee: fill.fee,
      },
      market,
      { band: risk, takerFeeRate: costs.takerFeeRate },
    );
    return { ...position, ...terms };
  }

  private async recordFill(filled: Position, entryId: string, fill: OrderResult): Promise<Position> {
    const { store, clock } = this.ctx;
    await store.orders.update(entryId, {
      status: 'filled',
      exchangeOrderId: fill.id,
      filledQuantity: filled.quantity,
      averagePrice: filled.entryPrice,
      fee: fill.fee,
      updatedAt: clock.now(),
    });
    return store.positions.update(filled.id, {
      entryPrice: filled.entryPrice,
      quantity: filled.quantity,
      margin: filled.margin,
      entryFee: filled.entryFee,
      stopPrice: filled.stopPrice,
      liquidationPrice: filled.liquidationPrice,
      bestPrice: filled.bestPrice,
    });
  }

  /** Once protected: the fee from the fills when the order did not carry it, and the venue's own liquidation price. */
  private async completeFill(position: Position, entryId: string, fill: OrderResult): Promise<Position> {
    const { store, clock, exchange } = this.ctx;
    const fee = fill.fee ?? (await this.feeFromFills(position, fill.id).catch(() => undefined));
    const reported = (await exchange.positions().catch(() => [])).find((p) => p.symbol === position.symbol)?.liquidationPrice;
    if (fee !== undefined && fill.fee === undefined) await store.orders.update(entryId, { fee, updatedAt: clock.now() });
    return store.positions.update(position.id, {
      ...(fee === undefined ? {} : { entryFee: fee }),
      ...(reported && reported > 0 ? { liquidationPrice: reported } : {}),
    });
  }

  private async feeFromFills(position: Position, orderId: string): Promise<number> {
    const fills = await this.fills.fills(position);
    return fills.filter((fill) => fill.orderId === orderId).reduce((total, fill) => total + fill.fee, 0);
  }
}
