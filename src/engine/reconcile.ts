// Makes the store and the exchange agree, at start-up and every few minutes: finishes entries a crash interrupted,
// books positions the exchange closed while we were away, gives every position its stop, adopts or closes
// positions we do not know, and cancels our orders that no longer belong to a position.
import { describeError } from '../domain/errors.js';
import { adverseDistance, entryOrderSide } from '../domain/money.js';
import { clientOrderId, entryTrimId } from '../domain/order-ids.js';
import { type FillLimits, positionAfterFill } from '../domain/position-after-fill.js';
import { ADOPTED_ENTRY_ORDER_ID, adoptedHolding } from '../domain/settlement.js';
import type { Position } from '../domain/trading.js';
import type { ExchangePosition, OrderResult } from '../ports/exchange.js';
import type { OrderRepository } from '../ports/store.js';
import type { PositionCloser } from './close-position.js';
import type { EntryTrim } from './entry-trim.js';
import type { EngineContext } from './engine-context.js';
import { finishOpening } from './finish-opening.js';
import type { IncidentTracker } from './incidents.js';
import type { OrderHousekeeping } from './order-housekeeping.js';
import type { PositionFills } from './position-fills.js';
import type { TradeBooker } from './trade-booker.js';
import type { ProtectiveStopPlacer } from './protective-stop.js';
import type { TakeProfitLadder } from './take-profit-ladder.js';
import type { TakeProfitOrders } from './take-profit-order.js';

export type OrphanPolicy = 'adopt' | 'close';

export interface ReconcileReport {
  readonly settled: number;
  readonly reprotected: number;
  readonly adopted: number;
  readonly closedOrphans: number;
  readonly cancelledStrays: number;
}

type MutableReport = { -readonly [K in keyof ReconcileReport]: ReconcileReport[K] };

export class Reconciler {
  constructor(
    private readonly ctx: EngineContext,
    private readonly stops: ProtectiveStopPlacer,
    private readonly closer: PositionCloser,
    private readonly booker: TradeBooker,
    private readonly orders: OrderHousekeeping,
    private readonly fills: PositionFills,
    private readonly incidents: IncidentTracker,
    private readonly orphanPolicy: OrphanPolicy,
    private readonly trim: EntryTrim,
    private readonly targets: TakeProfitOrders,
    private readonly ladder?: TakeProfitLadder,
  ) {}

  /** `startUp`: the pass at start, the only one that may hand a holding found beside an interrupted entry to the orphan policy. */
  async reconcile(options: { startUp?: boolean } = {}): Promise<ReconcileReport> {
    const { store, exchange } = this.ctx;
    const report: MutableReport = { settled: 0, reprotected: 0, adopted: 0, closedOrphans: 0, cancelledStrays: 0 };
    const onExchange = await exchange.positions();
    const active = await store.positions.active();
    // A position of ours booked although the venue holds its symbol and side (the owner's new position): what is held
    // there is read afresh below and handled as an unknown position in this pass, not five minutes later.
    let bookedBesideHolding = false;
    // One position's failed read (a 503 at start-up) must not end the pass: the unknown positions after it would wait
    // for the next one, five minutes without a stop. The pass goes on, and the step still fails at its end.
    const failures: unknown[] = [];
    for (const position of active) {
      try {
        if (await this.reconcilePosition(position, onExchange, report, options.startUp === true)) bookedBesideHolding = true;
      } catch (error) {
        failures.push(error);
        this.ctx.logger.warn({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'reconciling a position failed; the pass goes on');
      }
    }
    const stillActive = bookedBesideHolding ? await store.positions.active() : active;
    const held = bookedBesideHolding ? await exchange.positions() : onExchange;
    const known = new Set(stillActive.map((position) => position.symbol));
    for (const orphan of held.filter((p) => !known.has(p.symbol))) {
      try {
        if (this.orphanPolicy === 'adopt') {
          await this.adopt(orphan);
          report.adopted += 1;
        } else {
          await this.closeOrphan(orphan);
          report.closedOrphans += 1;
        }
      } catch (error) {
        failures.push(error);
        this.ctx.logger.warn({ symbol: orphan.symbol, side: orphan.side, error: describeError(error) }, 'handling an unknown position failed; the pass goes on');
      }
    }
    // The first failure is the step's: it is reported, and a venue that refuses us for good still holds entries back.
    // Strays wait for a pass without one: a venue that is failing is not asked for every market's orders as well.
    if (failures.length > 0) throw failures[0];
    // Read again: the positions settled above are no longer active, and their orders are strays now.
    report.cancelledStrays += await this.orders.cancelStrays(await store.positions.active());
    return report;
  }

  /** One position of ours against what the venue holds; true when it was booked beside a holding on its symbol. */
  private async reconcilePosition(position: Position, onExchange: readonly ExchangePosition[], report: MutableReport, startUp: boolean): Promise<boolean> {
    let bookedBeside = false;
    const live = onExchange.find((p) => p.symbol === position.symbol && p.side === position.side);
    if (position.status === 'opening') {
      if (await this.resumeOpening(position, onExchange, { orphansFollow: startUp })) {
        report.settled += 1;
        // Settled while the venue holds its symbol (the owner's position, not our entry): an unknown position now.
        bookedBeside = onExchange.some((p) => p.symbol === position.symbol);
      }
    } else if (!live) {
      // Only fills that close the position prove it gone: a position report that merely lacks it (a bad answer)
      // must never cost the position its stop.
      if (await this.booker.bookVanished(position)) {
        report.settled += 1;
        await this.orders.cancelProtectiveOrders(position);
        // The venue holds the symbol on the other side (the owner's position, opened after ours closed): it is an
        // unknown position in this pass.
        bookedBeside = onExchange.some((p) => p.symbol === position.symbol);
      }
    } else if (position.status === 'open' && !(await this.stops.isProtected(position))) {
      // Stopped out (or its target filled) while we were away, although the venue shows the symbol and side held
      // again (the owner's new position, or a late report): booked from its fills when they show it flat, and what
      // the venue holds, read afresh, is an unknown position in this pass. Not flat: left to the position check,
      // which keeps size added by hand before the stop fired and waits while the fills lag; our stop is not placed
      // on what may not be ours.
      if ((await this.stops.hasFired(position)) || (await this.targets.filledWhileAway(position))) {
        if (await this.settleIfFlat(position)) {
          report.settled += 1;
          bookedBeside = true;
        }
      } else {
        report.reprotected += 1;
        if (await this.reprotect(position)) await this.restoreTargets(position, live);
      }
    } else if (position.status === 'open') {
      // The current stop rests: any older stop of the position was superseded by a verified replacement.
      report.cancelledStrays += await this.orders.cancelSupersededStops(position);
      // Our target filled while we were away, yet the side is held (the owner's new position, or size added before
      // the fill): booked from the fills when they show ours flat, and our stop left on the venue cancelled with it;
      // what the venue holds is an unknown position in this pass. Not flat: left to the position check, as for a stop.
      if ((await this.restoreTargets(position, live)) === 'filled' && (await this.settleIfFlat(position))) {
        report.settled += 1;
        bookedBeside = true;
      }
    }
    return bookedBeside;
  }

  /**
   * A position left in `opening` by a crash: if the exchange holds it, finish the entry (record the fill, protect);
   * if not, the entry never happened. An adoption the crash interrupted is finished as one. Returns true when the slot
   * is free again.
   */
  async resumeOpening(position: Position, onExchange: readonly ExchangePosition[], options: { orphansFollow?: boolean } = {}): Promise<boolean> {
    const { store, exchange, clock, logger } = this.ctx;
    const live = onExchange.find((p) => p.symbol === position.symbol && p.side === position.side);
    const entryId = clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'entry');
    // Not an entry of ours: no entry order to look up, and no trade the daemon chose to announce.
    if (adoptedHolding(await store.orders.get(entryId))) {
      if (live) await this.protectAdopted(position, live);
      // Gone while we were away (closed by hand): booked from its fills when they show it flat, as an adopted position is.
      else if (await this.booker.bookVanished(position)) await this.orders.cancelProtectiveOrders(position);
      return (await store.positions.get(position.id))?.status === 'closed';
    }
    if (!live) {
      let entry: OrderResult | undefined;
      try {
        entry = await exchange.findOrder(entryId, position.symbol);
      } catch (error) {
        // "Unknown order" is an answer; a failed look-up is not: the entry may have filled and closed while we were
        // down, and a position marked failed would never be booked. It waits for the next pass.
        logger.warn({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'could not look up an interrupted entry; tried again at the next reconciliation');
        return false;
      }
      if (entry && entry.filledQuantity > 0) {
        // Filled and already gone (stopped out while we were down): book it from the fills.
        return (await this.booker.book(position, await this.booker.reasonForVanished(position))) !== undefined;
      }
      if (entry?.status === 'open') {
        // Still resting (its cancel was lost with the venue's answers): left alone it could fill with no stop behind
        // it. Cancelled; the next pass reads what it came to.
        await exchange.cancelOrder(entry.id, position.symbol).catch((error: unknown) => {
          logger.warn({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'could not cancel a resting interrupted entry; tried again at the next pass');
        });
        return false;
      }
      await store.positions.update(position.id, { status: 'failed', closedAt: clock.now() });
      logger.warn({ positionId: position.id, symbol: position.symbol }, 'interrupted entry never reached the exchange; marked failed');
      return true;
    }
    // What the venue holds on the side may not all be our entry's: the owner may have traded the market by hand while
    // the daemon was down. Whatever may be ours is protected as ours; only what cannot be is left to the orphan policy.
    const entry = await exchange.findOrder(entryId, position.symbol).then(
      (order) => order ?? ('none' as const),
      () => 'unknown' as const,
    );
    const sides = await this.entrySideFills(position, entryId);
    const entryFilled = entry !== 'unknown' && entry !== 'none' && entry.filledQuantity > 0;
    const noneCanBeOurs = sides !== undefined && sides.ours === 0 && sides.unnamed === 0;
    // Still resting with nothing filled (its cancel was lost with the venue's answers): left alone it could fill later,
    // tracked by nothing. Cancelled, it ended as one that never filled; a failed cancel is tried at the next pass.
    const resting = entry !== 'unknown' && entry !== 'none' && entry.status === 'open' && !entryFilled;
    const cancelled =
      resting &&
      (await exchange.cancelOrder(entry.id, position.symbol).then(
        () => true,
        (error: unknown) => {
          logger.warn({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'could not cancel a resting interrupted entry; tried again at the next pass');
          return false;
        },
      ));
    const endedUnfilled = entry === 'none' || (entry !== 'unknown' && !entryFilled && (!resting || cancelled));
    if (options.orphansFollow && noneCanBeOurs && endedUnfilled) {
      // Never sent, or ended with nothing filled, and no fill of the side can be ours (the fills name every one, and
      // none is our entry's): what the venue holds is the owner's, an unknown position in this same pass. Not from a
      // position check, which has no orphan pass to follow it: there the holding stays under our stop until one.
      await store.positions.update(position.id, { status: 'failed', closedAt: clock.now() });
      logger.warn({ positionId: position.id, symbol: position.symbol, held: live.quantity }, 'interrupted entry never filled; what the venue holds on its side is the owner\'s');
      return true;
    }
    // A resting entry with nothing held that can be ours: the next pass reads what it came to.
    if (resting && noneCanBeOurs) return false;
    const entryFee = await this.recordInterruptedEntry(position, entryId, entry === 'none' ? 'unknown' : entry);
    // Our entry filled, and its stop or target filled while we were away: the side held now is the owner's new
    // position. Booked from the fills when they show ours flat; otherwise the next pass looks again (the fills lag),
    // and our stop is not placed on what may not be ours, as for an open position.
    if ((entryFilled || (sides?.ours ?? 0) > 0) && ((await this.stops.hasFired(position)) || (await this.targets.filledWhileAway(position)))) {
      return this.settleIfFlat(position);
    }
    const market = await this.ctx.marketData.market(position.symbol);
    // As the opener does: the stop keeps its distance from the real fill, on the tick on the safe side.
    const terms = positionAfterFill(
      {
        side: position.side,
        entryPrice: live.entryPrice,
        quantity: live.quantity,
        leverage: position.leverage,
        stopLossPct: position.stopLossPct,
        entryFee,
        margin: live.margin,
        liquidationPrice: live.liquidationPrice,
      },
      market,
      this.fillLimits(),
    );
    const updated = await store.positions.update(position.id, terms);
    // The crash may have come before the owner was told: the position is announced once it is protected. As the
    // opener does, a fill beyond the limits is cut back, and its final target and its ladder go out after the stop
    // (the crash came before any of them could).
    if (await this.reprotect(updated, 'entry')) {
      const armed = (await store.positions.get(position.id)) ?? updated;
      // An entry recorded before the record kept the notional it was checked for is taken as it filled. One whose cut
      // back to its limits filled before the crash was held to them by the opener, at the fill: it is not cut again.
      // Nor is a holding the owner's own orders added to (their fills name them, and it is more than ours could be): it
      // is kept whole under the stop, as size added by hand to an open position is, not cut back as an over-filled entry.
      const entryRecord = await store.orders.get(entryId);
      const ownerAdded = sides !== undefined && sides.theirs > 0 && live.quantity > sides.ours + sides.unnamed;
      const cutBefore = await this.cutBeforeRestart(position);
      const checked = entryRecord?.checkedNotional;
      const trimmed =
        cutBefore !== undefined
          ? await this.trim.resumeAfterCut(armed, { filled: entryRecord?.filledQuantity ?? armed.quantity + cutBefore.filledQuantity, fee: entryRecord?.fee }, cutBefore)
          : checked === undefined || ownerAdded
            ? armed
            : await this.trim.keepWithinCheckedNotional(armed, checked, market);
      if (trimmed) await finishOpening(this.ctx, this.targets, this.ladder, trimmed);
    }
    // Closed instead (no stop could be had, or no size kept the limits) and booked: its slot is free.
    return (await store.positions.get(position.id))?.status === 'closed';
  }

  /**
   * The fills on the entry's side, by whose they are: our entry's (a resend can share its client id with a first send
   * that reached the venue late), the owner's (their orders' own client ids) and those the venue names no client id
   * for, which may be either (Hyperliquid's and Bybit's app orders carry none). Undefined when they cannot be read.
   */
  private async entrySideFills(position: Position, entryId: string): Promise<{ ours: number; theirs: number; unnamed: number } | undefined> {
    const fills = await this.fills.fills(position).catch(() => undefined);
    if (fills === undefined) return undefined;
    const side = entryOrderSide(position.side);
    const own = `${this.ctx.settings.orderIdPrefix}-`;
    const sum = (test: (clientOrderId: string | undefined) => boolean): number =>
      fills.filter((fill) => fill.side === side && test(fill.clientOrderId)).reduce((total, fill) => total + fill.quantity, 0);
    return {
      ours: sum((id) => id === entryId),
      theirs: sum((id) => id !== undefined && !id.startsWith(own)),
      unnamed: sum((id) => id === undefined),
    };
  }

  /** The opener's cut of the entry back to its limits, when it filled before a crash; undefined when none did. */
  private async cutBeforeRestart(position: Position): Promise<OrderResult | undefined> {
    const cut = await this.ctx.exchange.findOrder(entryTrimId(this.ctx.settings.orderIdPrefix, position.id), position.symbol).catch(() => undefined);
    return cut !== undefined && cut.filledQuantity > 0 ? cut : undefined;
  }

  /**
   * Records the interrupted entry as the venue filled it; returns its fee. A failed or empty look-up leaves the record
   * as it was: protecting the position comes first, and the trade is booked from the fills in any case.
   */
  private async recordInterruptedEntry(position: Position, entryId: string, entry: OrderResult | 'unknown'): Promise<number> {
    const { store, clock } = this.ctx;
    if (entry === 'unknown' || entry.filledQuantity <= 0) return position.entryFee;
    const fee =
      entry.fee ??
      (await this.fills
        .fills(position)
        .then((fills) => fills.filter((fill) => fill.orderId === entry.id).reduce((total, fill) => total + fill.fee, 0))
        .catch(() => undefined));
    if (await store.orders.get(entryId)) {
      await store.orders.update(entryId, {
        status: 'filled',
        exchangeOrderId: entry.id,
        filledQuantity: entry.filledQuantity,
        averagePrice: entry.averagePrice,
        fee,
        updatedAt: clock.now(),
      });
    }
    return fee ?? position.entryFee;
  }

  /**
   * Places the position's stop again and verifies it. `missing`: an open position's stop is gone; `entry`: an entry
   * resumed after a crash; `closing`: a position whose close has not gone through lost its stop meanwhile, and keeps
   * its status (its close is retried at every check). A stop that cannot be had closes the position at market. True
   * when the position stays protected.
   */
  private async reprotect(position: Position, why: 'missing' | 'entry' | 'closing' = 'missing'): Promise<boolean> {
    const renewed = await this.stops.forReplacing(position);
    const outcome = await this.stops.protect(renewed);
    if (outcome.protected) {
      await this.ctx.store.positions.update(position.id, {
        ...(why === 'missing' ? { status: 'open' as const } : {}),
        ...(renewed.stopClientOrderId === position.stopClientOrderId ? {} : { stopClientOrderId: renewed.stopClientOrderId }),
        stopOrderId: outcome.order.id,
      });
      // Found resting (the opener's stop had landed before the crash): nothing was missing, and the owner is not told
      // so. An entry resumed here is announced as opened in any case.
      if (outcome.placed) {
        const what = {
          missing: 'the protective stop was missing and has been placed again',
          entry: 'its entry filled as the daemon stopped, before the stop went out; the stop is now placed',
          closing: 'its close has not gone through yet and its protective stop was gone; the stop has been placed again while the close is retried',
        }[why];
        await this.incidents.notice(`reprotected:${position.id}`, 'warning', `${position.symbol}: ${what} at ${position.stopPrice}.`);
      }
      return true;
    }
    if (why === 'closing') {
      await this.incidents.raise(`unprotected:${position.id}`, 'critical', `${position.symbol}: ${outcome.error}. Its close is retried at every check.`);
      return false;
    }
    await this.incidents.raise(`unprotected:${position.id}`, 'critical', `${position.symbol}: ${outcome.error}. Closing the position at market.`);
    await this.closer.close({ position, reason: 'stop_not_protected' });
    return false;
  }

  private async adopt(orphan: ExchangePosition): Promise<void> {
    const { store, marketData, settings } = this.ctx;
    const market = await marketData.market(orphan.symbol);
    const leverage = orphan.leverage ?? 1;
    const stopLossPct = settings.risk.maxStopLossPct;
    const terms = positionAfterFill(
      {
        side: orphan.side,
        entryPrice: orphan.entryPrice,
        quantity: orphan.quantity,
        leverage,
        stopLossPct,
        // Not our order: its fee is booked from the fills when the position closes.
        entryFee: 0,
        margin: orphan.margin,
        liquidationPrice: orphan.liquidationPrice,
      },
      market,
      this.fillLimits(),
    );
    // The row and its entry record land together: a row alone would be resumed after a crash as an entry of ours,
    // whose trade could never be booked (the owner's entry fills are older than any look-up window).
    const position = await store.transaction(async (tx) => {
      const created = await tx.positions.create({
        symbol: orphan.symbol,
        side: orphan.side,
        leverage,
        ...terms,
        stopLossPct,
        funding: 0,
        // Our clock's time for now: the stop comes first, then the venue's history moves it (onVenueTimeline).
        openedAt: this.ctx.clock.now(),
        rationale: { confidence: 0, opportunityScore: 0, agreeing: [], dissenting: [] },
      });
      await this.recordAdoptedEntry(tx.orders, created, orphan);
      return created;
    });
    await this.protectAdopted(position, orphan);
  }

  /**
   * An adopted position whose row and entry record are written (in this pass, or before a crash that left it
   * `opening`): the owner is told, and it gets its stop, or is closed when already past it.
   */
  private async protectAdopted(position: Position, held: ExchangePosition): Promise<void> {
    await this.incidents.notice(
      `orphan:${position.symbol}`,
      'warning',
      `Found an unknown ${position.side.toUpperCase()} ${position.symbol} position on the exchange; adopted it with a stop ${(position.stopLossPct * 100).toFixed(1)}% from its entry.`,
    );
    const price = held.markPrice ?? held.entryPrice;
    if (adverseDistance(position.side, price, position.stopPrice) <= 0) {
      // Already past where its stop would be: the protective order would trigger at once, so close it now.
      await this.closer.close({ position, reason: 'reconciled' });
      await this.onVenueTimeline(position);
      return;
    }
    // Its stop refused, it is closed at market: the close comes first, the start is moved for the booking after it.
    await this.reprotect(position);
    await this.onVenueTimeline(position);
  }

  /**
   * Moves an adopted position's start to the venue's timeline (PositionFills.adoptionStart), once its stop rests (or
   * its close went out): a slow history endpoint must not hold either up. A trade already booked keeps its start; one
   * whose booking waits (our clock behind the venue's took the owner's entry fill for a second one) is booked from the
   * moved start at the next check. A read that fails leaves our clock's time, right unless ours runs behind the
   * venue's while the owner's fills are recent. A crash before the move leaves it too.
   */
  private async onVenueTimeline(position: Position): Promise<void> {
    try {
      if ((await this.ctx.store.positions.get(position.id))?.status === 'closed') return;
      const openedAt = await this.fills.adoptionStart(position);
      if (openedAt.getTime() !== position.openedAt.getTime()) await this.ctx.store.positions.update(position.id, { openedAt });
    } catch (error) {
      this.ctx.logger.warn({ symbol: position.symbol, error: describeError(error) }, "could not read the venue's history at adoption; the trade starts at our clock's time");
    }
  }

  /**
   * What the venue held at adoption, kept as the position's entry record: its trade is booked from there, as the fills
   * of an entry made by hand can be older than any look-up window.
   */
  private async recordAdoptedEntry(orders: OrderRepository, position: Position, orphan: ExchangePosition): Promise<void> {
    const { clock, settings } = this.ctx;
    const entryId = clientOrderId(settings.orderIdPrefix, position.id, 'entry');
    const now = clock.now();
    await orders.record({
      clientOrderId: entryId,
      positionId: position.id,
      symbol: position.symbol,
      purpose: 'entry',
      side: entryOrderSide(orphan.side),
      type: 'market',
      quantity: orphan.quantity,
      createdAt: now,
    });
    await orders.update(entryId, {
      status: 'filled',
      exchangeOrderId: ADOPTED_ENTRY_ORDER_ID,
      filledQuantity: orphan.quantity,
      averagePrice: orphan.entryPrice,
      fee: 0,
      updatedAt: now,
    });
  }

  private fillLimits(): FillLimits {
    const { risk, costs } = this.ctx.settings;
    return { band: risk, takerFeeRate: costs.takerFeeRate };
  }

  private async closeOrphan(orphan: ExchangePosition): Promise<void> {
    const { exchange, clock } = this.ctx;
    try {
      await exchange.closePosition({ clientOrderId: `${this.ctx.settings.orderIdPrefix}-orphan-${clock.now().getTime()}`, symbol: orphan.symbol, positionSide: orphan.side, quantity: orphan.quantity });
      const closed = `Closed an unknown ${orphan.side.toUpperCase()} ${orphan.symbol} position found on the exchange (ORPHAN_POSITION_POLICY=close).`;
      // After failed attempts the close is their all-clear; otherwise it is news of its own.
      if (this.incidents.isOpen(`orphan:${orphan.symbol}`)) await this.incidents.clear(`orphan:${orphan.symbol}`, closed);
      else await this.incidents.notice(`orphan:${orphan.symbol}`, 'warning', closed);
    } catch (error) {
      await this.incidents.raise(`orphan:${orphan.symbol}`, 'critical', `Could not close an unknown ${orphan.symbol} position: ${describeError(error)}`, { repeatEveryMs: 60_000 });
    }
  }

  /**
   * Books a position whose stop or target filled while we were away when its fills show it flat, and cancels what is
   * left of its orders. Never throws: a failed read leaves it for the next pass and the position check, and the rest
   * of this pass (other positions, unknown ones, strays) goes on.
   */
  private async settleIfFlat(position: Position): Promise<boolean> {
    try {
      if (!(await this.booker.bookIfFlat(position))) return false;
    } catch (error) {
      this.ctx.logger.warn({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'could not read the fills of a position whose order filled while the daemon was away; tried again at the next pass');
      return false;
    }
    await this.orders.cancelProtectiveOrders(position);
    return true;
  }

  /**
   * With the stop resting, the position's targets: a final target gone without filling is placed again, and so is a
   * ladder step. Never throws. `filled` when the final target filled while the daemon was away: nothing is placed.
   */
  private async restoreTargets(position: Position, live: ExchangePosition): Promise<'filled' | undefined> {
    if (this.targets.wanted(position) && (await this.targets.restore(position)) === 'filled') return 'filled';
    if (!this.ladder?.enabled) return undefined;
    const restored = await this.ladder.restore(position, live).catch((error: unknown) => {
      this.ctx.logger.warn({ positionId: position.id, error: describeError(error) }, 'could not look at the take-profit ladder');
      return undefined;
    });
    for (const step of restored?.replaced ?? []) {
      await this.incidents.notice(
        `ladder:${position.id}:${step.step}`,
        'warning',
        `${position.symbol}: take-profit step ${step.step} was gone from the exchange without filling; it has been placed again for ${step.quantity} at ${step.triggerPrice}.`,
      );
    }
    for (const step of restored?.dropped ?? []) {
      await this.incidents.notice(`ladder:${position.id}:${step.step}`, 'warning', `${position.symbol}: take-profit step ${step.step} is not placed again: ${step.reason}.`);
    }
    return undefined;
  }

  /** The position check's repair of a stop that vanished: placed again and verified, or the position closed. */
  async restoreStop(position: Position): Promise<boolean> {
    return this.reprotect(position, position.status === 'closing' ? 'closing' : 'missing');
  }
}
