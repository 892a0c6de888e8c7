// Books a closed position as a trade, from the venue's fills, once. The position moves to `closed` with a conditional
// update in the same transaction as everything that follows from the trade: its record, the day's figures, the
// breakers, the all-clear of its incidents and the owner's messages. When that update finds the position already
// closed, nothing else happens, so a trade seen closing by two paths (an owner's close and the exchange stop, a
// restart in between) counts once in the daily loss, the losing streak and the messages.
import { exitOrderSide } from '../domain/money.js';
import { clientOrderId, currentStopId, parseClientOrderId } from '../domain/order-ids.js';
import { SCHEDULE_LOOKBACK_MS, settlementOwed, unlistedRecentSettlement } from '../domain/funding-posting.js';
import { adoptedHolding, settleTrade } from '../domain/settlement.js';
import { tradeRealisedBefore } from '../domain/circuit-breakers.js';
import { describeError } from '../domain/errors.js';
import { utcDay } from '../domain/time.js';
import type { CloseReason, FundingPayment, OrderPurpose, Position, Trade } from '../domain/trading.js';
import type { TransactionScope } from '../ports/notifier.js';
import type { OrderResult } from '../ports/exchange.js';
import type { StoreRepositories } from '../ports/store.js';
import type { BreakerService, DayCarry } from './breaker-service.js';
import type { EngineContext } from './engine-context.js';
import type { IncidentTracker } from './incidents.js';
import type { PositionFills } from './position-fills.js';
import type { RecentExits } from './recent-exits.js';
import type { CapitalFooting } from './capital-footing.js';
import { inTransaction } from './transaction-scope.js';

/** A position gone from the venue whose closing fills stay out of sight this long gets one critical alert. */
export const UNBOOKED_ALERT_MS = 3 * 60_000;
/** An exit within 1% of the liquidation price is taken for the venue's liquidation. */
const LIQUIDATION_MATCH = 0.01;

/** Binance names the orders it makes itself by client id prefix. */
export function venueCloseReason(clientOrderId: string | undefined): CloseReason | undefined {
  if (clientOrderId === undefined) return undefined;
  if (clientOrderId.startsWith('adl_autoclose')) return 'adl';
  if (clientOrderId.startsWith('settlement_autoclose')) return 'settlement';
  if (clientOrderId.startsWith('autoclose')) return 'liquidation';
  return undefined;
}

export class TradeBooker {
  /** When each position was first found closed but not bookable, for the bounded wait before the alert. */
  private readonly unbookedSince = new Map<string, number>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly fills: PositionFills,
    private readonly breakers: BreakerService,
    private readonly incidents: IncidentTracker,
    private readonly exits: RecentExits,
    private readonly capital: CapitalFooting,
  ) {}

  /**
   * Books the position if its fills show it closed. Returns the trade when this call booked it; undefined when the fills
   * do not show the close yet (try again later) or the position was booked already.
   */
  async book(position: Position, reason: CloseReason, options: { alertWhileUnbooked?: boolean } = {}): Promise<Trade | undefined> {
    const { store, exchange, settings } = this.ctx;
    const [history, entryOrder] = await Promise.all([
      this.fills.history(position),
      store.orders.get(clientOrderId(settings.orderIdPrefix, position.id, 'entry')),
    ]);
    const trade = settleTrade({
      position,
      entryOrderId: entryOrder?.exchangeOrderId,
      fills: history.fills,
      funding: history.funding,
      reason,
      entrySince: history.openedAt,
      adopted: adoptedHolding(entryOrder),
    });
    if (!trade) {
      if (options.alertWhileUnbooked ?? true) await this.stillUnbooked(position);
      return undefined;
    }
    // Not a position the venue cannot account for: its closing fills are there, a funding payment is not yet.
    if (await this.awaitsFunding(position, trade, history.funding)) return undefined;
    const readAt = this.ctx.clock.now();
    const balance = await exchange.balance();
    const stillOpen = (await this.ctx.store.positions.active()).filter((open) => open.id !== position.id);
    const capitalAfter = await this.capital.afterBooking(trade, balance, stillOpen);
    const carried = await this.breakers.carryForBooking();
    const booked = await inTransaction(this.ctx.store, (scope) =>
      this.record(scope, position, trade, { capitalAfter, accountBalance: balance.total, readAt, carried, funding: history.funding }),
    );
    this.unbookedSince.delete(position.id);
    if (!booked) {
      // Booked by an earlier try whose commit was not acknowledged: the breakers take what that commit wrote.
      await this.breakers.reload();
      this.ctx.logger.info({ positionId: position.id, symbol: position.symbol }, 'the position was booked already; nothing booked twice');
      return undefined;
    }
    this.exits.record(trade.symbol, trade.closedAt);
    this.ctx.logger.info({ positionId: position.id, symbol: position.symbol, reason, netPnl: trade.netPnl }, 'position closed');
    return trade;
  }

  /** Books a position found gone from the venue, with the reason its orders and fills give. */
  async bookVanished(position: Position): Promise<Trade | undefined> {
    return this.book(position, position.status === 'closing' ? await this.reasonGone(position, position.closeReason ?? 'manual') : await this.reasonForVanished(position));
  }

  /**
   * Books a position whose stop, target or close filled although the venue shows its symbol and side held again (the
   * owner's new position, or a late report), when its fills show it flat; undefined otherwise, without the alert for
   * a position gone unbooked: what the venue holds may still be this position's (size added before the order filled).
   * `reason` when the caller knows it (our own close); otherwise what the venue's orders and fills say.
   */
  async bookIfFlat(position: Position, reason?: CloseReason): Promise<Trade | undefined> {
    return this.book(position, reason ?? (await this.reasonForVanished(position)), { alertWhileUnbooked: false });
  }

  /**
   * Why a position we meant to close is gone from the venue: our close if one of its orders filled (before a restart,
   * say), otherwise whatever closed it (the exchange stop, a liquidation): a crash can come between the decision to
   * close and the order.
   */
  async reasonGone(position: Position, intended: CloseReason): Promise<CloseReason> {
    for (const id of await this.closeIds(position)) {
      const ours = await this.ctx.exchange.findOrder(id, position.symbol).catch(() => undefined);
      if ((ours?.filledQuantity ?? 0) > 0) return intended;
    }
    return this.reasonForVanished(position);
  }

  /** Client ids of every close order the position had, the first one always included. */
  private async closeIds(position: Position): Promise<string[]> {
    return [...new Set([clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'close'), ...(await this.recordedIds(position, 'close'))])];
  }

  /** Client ids of the position's recorded orders of one purpose (every version); none when the store cannot say. */
  private async recordedIds(position: Position, purpose: OrderPurpose): Promise<string[]> {
    const prefix = this.ctx.settings.orderIdPrefix;
    const records = await this.ctx.store.orders.forPosition(position.id).catch(() => []);
    return records.filter((record) => parseClientOrderId(prefix, record.clientOrderId)?.purpose === purpose).map((record) => record.clientOrderId);
  }

  /** Client ids of the position's final take-profit orders, newest version first; the first one always included. */
  private async finalTargetIds(position: Position): Promise<string[]> {
    const prefix = this.ctx.settings.orderIdPrefix;
    const records = await this.ctx.store.orders.forPosition(position.id).catch(() => []);
    const versions = records
      .map((record) => parseClientOrderId(prefix, record.clientOrderId))
      .filter((parsed) => parsed?.purpose === 'tp' && parsed.step === undefined)
      .map((parsed) => parsed?.version ?? 0);
    return [...new Set([0, ...versions])].sort((a, b) => b - a).map((version) => clientOrderId(prefix, position.id, 'tp', { version }));
  }

  /** The venue's record of each of these orders of the position that it knows; a failed look-up is left out. */
  private async ordersById(position: Position, ids: readonly string[]): Promise<OrderResult[]> {
    const found = await Promise.all(ids.map((id) => this.ctx.exchange.findOrder(id, position.symbol).catch(() => undefined)));
    return found.filter((order): order is OrderResult => order !== undefined);
  }

  /** Client ids of every stop the position had, the current one first. */
  private async stopIds(position: Position): Promise<string[]> {
    return [...new Set([currentStopId(this.ctx.settings.orderIdPrefix, position), ...(await this.recordedIds(position, 'stop'))])];
  }

  /** Why a position vanished from the exchange while we were not closing it. */
  async reasonForVanished(position: Position): Promise<CloseReason> {
    // Any version of the stop: a replaced one (trailing, re-armed for a new size) rests under a later id.
    const stops = await this.ordersById(position, await this.stopIds(position));
    // The final target, in whichever version it rested last (a partial take-profit resizes it under a new id).
    const targets = this.ctx.settings.exits.venue?.takeProfitOnExchange ? await this.ordersById(position, await this.finalTargetIds(position)) : [];
    if (stops.some((stop) => stop.status === 'filled')) return 'stop_loss_on_exchange';
    if (targets.some((target) => target.status === 'filled')) return 'take_profit_on_exchange';
    const fills = await this.fills.fills(position).catch(() => []);
    const exits = fills.filter((fill) => fill.side === exitOrderSide(position.side));
    const last = exits[exits.length - 1];
    // What made the last exit: a stop or target that filled only in part before the venue's own process took the rest
    // (auto-deleveraging, liquidation) did not close the position.
    const byVenue = venueCloseReason(last?.clientOrderId);
    if (byVenue) return byVenue;
    if (stops.some((stop) => stop.filledQuantity > 0)) return 'stop_loss_on_exchange';
    if (targets.some((target) => target.filledQuantity > 0)) return 'take_profit_on_exchange';
    if (last && Math.abs(last.price - position.liquidationPrice) <= position.liquidationPrice * LIQUIDATION_MATCH) return 'liquidation';
    // An exit under a client id that is not ours: the owner closed it by hand on the exchange.
    if (last?.clientOrderId && !last.clientOrderId.startsWith(`${this.ctx.settings.orderIdPrefix}-`)) return 'manual_on_exchange';
    return 'reconciled';
  }

  /** Everything a booked trade changes, in the transaction that closes the position; false if it was closed already. */
  private async record(
    scope: TransactionScope,
    position: Position,
    trade: Trade,
    read: { capitalAfter: number; accountBalance: number; readAt: Date; carried: DayCarry; funding: readonly FundingPayment[] },
  ): Promise<boolean> {
    const { capitalAfter, accountBalance, readAt, carried, funding } = read;
    const tx = scope.transaction;
    const closed = await tx.positions.markClosed(position.id, {
      closedAt: trade.closedAt,
      closeReason: trade.reason,
      funding: trade.funding,
      entryFee: trade.entryFee,
    });
    if (!closed) return false;
    await tx.trades.record(trade);
    await tx.dailyPerformance.addTrade(utcDay(trade.closedAt), trade, accountBalance);
    // What of the trade an earlier day realised, from its own fills: the store may not have known of a take-profit
    // step that filled while the daemon was down when the day rolled.
    await this.breakers.recordTrade(scope, { ...trade, realisedBefore: tradeRealisedBefore(trade, funding) }, accountBalance, readAt, carried);
    const { notifier, clock } = this.ctx;
    const at = clock.now();
    const holdingLimitMs = trade.reason === 'time_exit' ? this.ctx.settings.exits.maxHoldingMs : undefined;
    await notifier.notify({ type: 'position_closed', at, trade, capitalAfter, ...(holdingLimitMs === undefined ? {} : { holdingLimitMs }) }, scope);
    await notifier.notify(await this.portfolio(tx, at, capitalAfter), scope);
    await this.incidents.clear(`close:${position.id}`, `${position.symbol} is closed now.`, scope);
    await this.incidents.clear(`unprotected:${position.id}`, `${position.symbol} is closed; nothing left unprotected.`, scope);
    await this.incidents.clear(`unbooked:${position.id}`, `${position.symbol}: its closing fills were found and the trade is booked.`, scope);
    // A stop that could not be moved, or re-armed after size was taken off, has nothing left to protect.
    await this.incidents.clear(`stop-replace:${position.id}`, `${position.symbol} is closed; its stop no longer needs moving.`, scope);
    await this.incidents.clear(`reduced:${position.id}`, `${position.symbol} is closed; nothing is left to re-arm a stop for.`, scope);
    return true;
  }

  /** The owner's portfolio after a close: the spec's message, sent with every close. */
  private async portfolio(tx: StoreRepositories, at: Date, capital: number) {
    const [today, openPositions] = await Promise.all([tx.dailyPerformance.get(utcDay(at)), tx.positions.active()]);
    const winRate = today && today.trades > 0 ? today.wins / today.trades : undefined;
    return { type: 'portfolio' as const, at, capital, todayPnl: today?.netPnl ?? 0, winRate, openPositions };
  }

  /**
   * Whether the trade's holding took in a settlement the venue may still be posting (see funding-posting.ts), so the
   * booking, which is final, waits for its payment.
   */
  private async awaitsFunding(position: Position, trade: Trade, payments: readonly FundingPayment[]): Promise<boolean> {
    const { clock, marketData, logger } = this.ctx;
    const now = clock.now();
    const instant = unlistedRecentSettlement(trade, payments, now);
    if (instant === undefined) return false;
    const unread = (what: string) => (error: unknown) => {
      logger.warn({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, `could not read the market's ${what} to tell a funding settlement`);
      return undefined;
    };
    const [events, nextSettlement] = await Promise.all([
      marketData.fundingEvents(position.symbol, instant - SCHEDULE_LOOKBACK_MS, now.getTime()).catch(unread('settlements')),
      marketData.fundingRate(position.symbol).then((funding) => funding.nextFundingTime.getTime(), unread('next settlement')),
    ]);
    const owed = settlementOwed(instant, { ...(events === undefined ? {} : { events }), ...(nextSettlement === undefined ? {} : { nextSettlement }) });
    if (owed) {
      logger.info(
        { positionId: position.id, symbol: position.symbol, settlement: new Date(instant).toISOString() },
        'closed just after a funding settlement whose payment the venue has not listed yet; booking once it does',
      );
    }
    return owed;
  }

  /** A position closed on the venue whose fills cannot be found: one critical alert after a bounded wait. */
  private async stillUnbooked(position: Position): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const since = this.unbookedSince.get(position.id) ?? now;
    this.unbookedSince.set(position.id, since);
    if (now - since < UNBOOKED_ALERT_MS) return;
    await this.incidents.raise(
      `unbooked:${position.id}`,
      'critical',
      `${position.symbol} ${position.side.toUpperCase()} (position ${position.id}) is no longer on the exchange, but its closing ` +
        `fills have not been found for ${Math.round((now - since) / 60_000)} min, so the trade is not booked yet. ` +
        'The daemon keeps looking; check the order history on the exchange.',
    );
  }
}
