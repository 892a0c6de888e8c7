// Closes a position with a reduce-only market order, cancels its protective orders, and has the trade booked from the
// exchange's fills. A close that fails is retried at every monitor check, with a critical alert each minute.
import { describeError, RejectedError } from '../domain/errors.js';
import { isDiscretionaryExit } from '../domain/exit-rules.js';
import { exitOrderSide, roundToStep } from '../domain/money.js';
import { clientOrderId, parseClientOrderId } from '../domain/order-ids.js';
import type { CloseReason, Position, Trade } from '../domain/trading.js';
import type { ExchangePosition, OrderResult } from '../ports/exchange.js';
import type { OrderPatch } from '../ports/store.js';
import type { EngineContext } from './engine-context.js';
import type { IncidentTracker } from './incidents.js';
import type { OrderHousekeeping } from './order-housekeeping.js';
import type { ProtectiveStopPlacer } from './protective-stop.js';
import { PROTECTIVE_ORDER_RETRY, retryTemporary } from './retry.js';
import type { StopReplacer } from './stop-replacement.js';
import type { TradeBooker } from './trade-booker.js';

const CLOSE_ALERT_REPEAT_MS = 60_000;

export interface CloseRequest {
  readonly position: Position;
  readonly reason: CloseReason;
  /** The exchange's view of the position when the caller has just read it: saves a round trip before the order. */
  readonly seen?: ExchangePosition;
  /** A close already sent by `sendClose`: recorded and used instead of sending another. */
  readonly sent?: OrderResult;
}

/**
 * What came of a close: booked; under way (sent, or nothing to send, and the trade not booked yet); or failed, the venue
 * having refused it (`refused`) or not answered. `stopRests`: whether the stop rests then (undefined: unread).
 */
export type CloseAttempt =
  | { readonly status: 'booked'; readonly trade: Trade }
  | { readonly status: 'under_way' }
  | { readonly status: 'failed'; readonly refused: boolean; readonly reason: string; readonly stopRests: boolean | undefined };

/** A fill this much short of the size asked for is float residue, not a part left. */
const QUANTITY_TOLERANCE = 1e-9;

const UNDER_WAY: CloseAttempt = { status: 'under_way' };
const bookedOrUnderWay = (trade: Trade | undefined): CloseAttempt => (trade ? { status: 'booked', trade } : UNDER_WAY);

export class PositionCloser {
  constructor(
    private readonly ctx: EngineContext,
    private readonly booker: TradeBooker,
    private readonly orders: OrderHousekeeping,
    private readonly incidents: IncidentTracker,
    private readonly stops: ProtectiveStopPlacer,
    private readonly stopMover: StopReplacer,
  ) {}

  /**
   * Sends the reduce-only market close and nothing else: no store access, so a restarting database cannot hold it
   * back. For a position that must not stay open a moment longer (its stop could not be placed); `close` with the
   * returned order does the bookkeeping afterwards. The client id is the one `close` uses, so neither can close twice.
   */
  sendClose(position: Position, quantity: number): Promise<OrderResult> {
    const closeId = clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'close');
    return retryTemporary(
      this.ctx.clock,
      () => this.ctx.exchange.closePosition({ clientOrderId: closeId, symbol: position.symbol, positionSide: position.side, quantity }),
      PROTECTIVE_ORDER_RETRY,
    );
  }

  /** After the venue closed the position itself (its stop or its target filled): the orders of it that are left. */
  async cancelLeftoverOrders(position: Position): Promise<void> {
    await this.orders.cancelProtectiveOrders(position);
  }

  /** Returns the booked trade, or undefined when the close (or its booking) has to be retried later. */
  async close(request: CloseRequest): Promise<Trade | undefined> {
    const attempt = await this.attempt(request);
    return attempt.status === 'booked' ? attempt.trade : undefined;
  }

  /** The same close, telling one the venue refused (or never answered) from one sent and not booked yet. */
  async attempt(request: CloseRequest): Promise<CloseAttempt> {
    const { position, reason, seen, sent } = request;
    const { store, exchange, clock, logger } = this.ctx;
    // The caller's copy may predate a booking by an earlier step of the same check (the order stream's repair closed it
    // a moment ago). A booked position is not closed again: writing `closing` over its row would let the booking's
    // guard (only an active position is marked closed) pass a second time and count the trade twice in the day.
    const stored = await store.positions.get(position.id);
    if (!stored || stored.status === 'closed' || stored.status === 'failed') return UNDER_WAY;
    // A close the daemon chose and could not finish gives way to one it must carry through (the owner's, a stop's):
    // otherwise the monitor would call the owner's close off as a small winner's discretionary exit, or book it as one.
    // One that reached the venue and filled stays the daemon's: its trade is booked as what it was.
    const overrides =
      position.status === 'closing' &&
      isDiscretionaryExit(position.closeReason ?? reason) &&
      !isDiscretionaryExit(reason) &&
      !(await this.closeFilledAtAll(position));
    const closing =
      position.status === 'closing' && !overrides ? position : await store.positions.update(position.id, { status: 'closing', closeReason: reason });
    const closeReason = closing.closeReason ?? reason;
    // A retry asks after the last close it sent: with the rest gone under `close.1`, that one's answer may be the lost one.
    let closeId = !sent && position.status === 'closing' ? await this.lastCloseId(position) : clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'close');
    let closeSent = sent !== undefined;
    // A close that ended with part of its size unfilled (a capped immediate-or-cancel order in a fast market) leaves
    // that part held: its stop stays until the close is retried and the position is flat.
    let partLeft = false;
    /** What such a close left held, by the venue's size before it and what it filled. */
    let heldAfter = 0;
    /**
     * What the venue holds on a retry, when that is less than the record (an earlier close of ours filled in part and
     * its answer was lost, say): the stop is still sized for the record, and nothing else follows a reduction while the
     * position is closing (venue-changes.ts leaves one by our close to the closer).
     */
    let heldBeforeRest: number | undefined;
    try {
      const onExchange = sent
        ? { quantity: sent.quantity }
        : (seen ?? (await exchange.positions()).find((p) => p.symbol === position.symbol && p.side === position.side));
      if (onExchange) {
        // Not for a position that lost its stop: there is none to move, and its close is what protects it.
        if (!sent && position.status === 'closing' && closeReason !== 'stop_not_protected' && onExchange.quantity < closing.quantity * (1 - QUANTITY_TOLERANCE)) {
          heldBeforeRest = onExchange.quantity;
        }
        const recorded = await store.orders.get(closeId);
        if (!recorded) await this.recordClose(position, closeId, onExchange.quantity);
        // A close called off earlier (the venue never had it) is sent again under its id: its record takes the size
        // sent now, which the unbooked figures read what is still held from (closed-parts.ts). Asked of the stored
        // rows, not the caller's copy, which may predate this close's own fill.
        else if (stored.status !== 'closing' && recorded.status === 'rejected' && !((recorded.filledQuantity ?? 0) > 0) && recorded.quantity !== onExchange.quantity) {
          await store.orders.update(closeId, { quantity: onExchange.quantity, status: 'intent', updatedAt: clock.now() });
        }
        // On a retry (the position was already closing: a timeout, a restart) the earlier close may have filled. A
        // first attempt cannot have one: the status is written before any close is sent, except by `sendClose`,
        // whose order comes in as `sent`.
        const earlier = position.status === 'closing' ? await exchange.findOrder(closeId, position.symbol) : undefined;
        // Its answer may have been lost (a timeout, a restart): what it filled is written down now, as a part taken
        // off, before the rest goes under the next id. Only with its price: a fill without one (Hyperliquid's, before
        // its fills are listed) is no part the figures can value. They leave it out until the trade is booked from the
        // fills (the retries ask after the rest's close, not this one again).
        const knownFill = earlier !== undefined && earlier.filledQuantity > 0 && earlier.averagePrice !== undefined;
        if (knownFill && (earlier.filledQuantity > (recorded?.filledQuantity ?? 0) || recorded?.averagePrice === undefined)) {
          await store.orders.update(closeId, closeAnswer(earlier, clock.now()));
        }
        // A retry finds the side held, yet the fills show the position flat: our close, or our stop or target, filled
        // (while we were away) and what the venue holds was opened after, by the owner. It is not ours to close; the
        // trade is booked as what closed it, and reconciliation handles the holding as an unknown position.
        if (!sent && position.status === 'closing') {
          const booked = await this.booker.bookIfFlat(closing, earlier?.status === 'filled' ? closeReason : undefined);
          if (booked) {
            await this.orders.cancelProtectiveOrders(closing);
            return { status: 'booked', trade: booked };
          }
        }
        // Our close filled, yet the venue still holds size on the position's side (read on this try) and the fills do
        // not show the position flat: it was added (by the owner) as the close went out, and the stop went with it.
        // The position is being closed, so what is there is closed too, under the next version of the close's client
        // id; the trade is then booked flat, from every fill. A reduce-only close for size the venue has already let
        // go of is refused and booked below.
        // The same goes for a close that ended with part of it unfilled (a capped immediate-or-cancel order in a fast
        // market): the rest goes under a new client id too, as a venue refuses one it has seen (Bybit, whatever the
        // order's state) and the retry would then be refused at every check, with the rest never closed.
        const remainder = !sent && earlier !== undefined && earlier.status !== 'open' ? await this.nextCloseId(position) : undefined;
        if (remainder) {
          await this.recordClose(position, remainder, onExchange.quantity);
          closeId = remainder;
          logger.warn(
            { positionId: position.id, symbol: position.symbol, quantity: onExchange.quantity, earlier: earlier?.status },
            earlier?.status === 'filled'
              ? 'the venue still holds size after our close filled (added as it went out); closing it too'
              : 'our earlier close ended with part of the position still held; closing the rest under a new client id',
          );
        }
        const order =
          sent ?? (await exchange.closePosition({ clientOrderId: closeId, symbol: position.symbol, positionSide: position.side, quantity: onExchange.quantity }));
        closeSent = true;
        // However the venue words it (ended, or "filled" short of the size): the stop stays until the fills say flat.
        partLeft = order.status !== 'open' && order.filledQuantity < onExchange.quantity * (1 - QUANTITY_TOLERANCE);
        heldAfter = onExchange.quantity - order.filledQuantity;
        await store.orders.update(closeId, closeAnswer(order, clock.now()));
      }
    } catch (error) {
      if (error instanceof RejectedError && (await this.goneFromExchange(position))) {
        // Refused because nothing was left to close: the exchange-side stop, a liquidation or the owner got there
        // first. Nothing failed; the trade is booked as what closed it.
        logger.info({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'the position was already closed on the exchange; booking it from the fills');
        await store.orders.update(closeId, { status: 'rejected', error: describeError(error), updatedAt: clock.now() }).catch(() => undefined);
        await this.orders.cancelProtectiveOrders(closing);
        return bookedOrUnderWay(await this.booker.book(closing, await this.booker.reasonForVanished(closing)));
      }
      // The rest could not be closed now, and may stay held for minutes of retries: the stop follows it at once, as
      // after a close answered short (Hyperliquid will not close a position with a reduce-only stop larger than it),
      // and at every failed retry until it has. This alert tells the owner how it went. A rest that did go out after
      // all leaves that stop on a flat position, which the booking cancels.
      const rearmed = heldBeforeRest === undefined ? undefined : await this.stopForWhatIsLeft(closing, heldBeforeRest, false).catch(() => undefined);
      // Said from what rests on the venue now, not assumed: a stop can be gone while a close is refused. One just
      // re-armed was verified on the venue.
      const stopRests = rearmed ? true : closeReason === 'stop_not_protected' ? false : await this.stops.isProtected(position).catch(() => undefined);
      const stopText = rearmed
        ? `part of it is closed already, and the exchange-side stop now covers the ${rearmed.quantity} still held.`
        : {
            true: 'the exchange-side stop stays in place.',
            false: 'this position has NO stop on the exchange.',
            undefined: 'whether its exchange-side stop still rests could not be read.',
          }[`${stopRests}` as const];
      await this.incidents.raise(
        `close:${position.id}`,
        'critical',
        `Closing ${position.symbol} ${position.side.toUpperCase()} failed: ${describeError(error)}. Retrying every check; ${stopText}`,
        { repeatEveryMs: CLOSE_ALERT_REPEAT_MS },
      );
      return { status: 'failed', refused: error instanceof RejectedError, reason: describeError(error), stopRests };
    }
    // Our close took all of it: the stop and target have nothing left to protect. Otherwise they stay until the fills
    // show the position flat: a close that fell short leaves size held, and a venue's answer that leaves the position
    // out (nothing was sent) may be a bad answer, which must never cost a position held its stop.
    const flatByOurClose = closeSent && !partLeft;
    if (flatByOurClose) await this.orders.cancelProtectiveOrders(closing);
    // A close that fell short is the close alert's to report, not the "no longer on the exchange" one's: size is still held.
    const trade = await this.booker.book(closing, closeSent ? closeReason : await this.booker.reasonGone(closing, closeReason), { alertWhileUnbooked: !partLeft });
    // Booked flat after all (the venue held less than the record, or nothing): what was kept goes now.
    if (trade && !flatByOurClose) await this.orders.cancelProtectiveOrders(closing);
    if (!trade && partLeft && heldAfter < closing.quantity) await this.stopForWhatIsLeft(closing, heldAfter);
    if (!trade) {
      logger.warn(
        { positionId: position.id, closeSent },
        closeSent ? 'close sent but not booked yet (its fills, or a funding payment just settled, still to come); booking at the next check' : 'the venue did not list the position, but its fills do not show it flat; its stop stays and the next check looks again',
      );
    }
    return bookedOrUnderWay(trade);
  }

  /**
   * The stop follows what a close that fell short left held, as after a take-profit step: Hyperliquid will not close a
   * position with a reduce-only stop larger than it. The new stop is verified before the old one goes (a refusal keeps
   * the old one, and the owner is told), and the record's size, margin and entry fee follow it, so the retries and the
   * exit rules value what is really held. Returns the record as re-armed, or undefined when the stop was not moved.
   */
  private async stopForWhatIsLeft(position: Position, held: number, alert = true): Promise<Position | undefined> {
    const market = await this.ctx.marketData.market(position.symbol).catch(() => undefined);
    const left = market === undefined ? held : roundToStep(held, market.amountStep, 'nearest');
    if (!(left > 0) || position.quantity - left <= position.quantity * QUANTITY_TOLERANCE) return undefined;
    const share = left / position.quantity;
    const outcome = await this.stopMover.replace(position, {
      quantity: left,
      patch: { margin: position.margin * share, entryFee: position.entryFee * share },
      why: 'close filled in part',
      alert,
    });
    return outcome.replaced ? outcome.position : undefined;
  }

  /** Whether the position's close order filled, even in part; true when the venue cannot tell us now. */
  private async closeFilledAtAll(position: Position): Promise<boolean> {
    const closeId = clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'close');
    return this.ctx.exchange.findOrder(closeId, position.symbol).then(
      (order) => (order?.filledQuantity ?? 0) > 0,
      () => true,
    );
  }

  /** The intent of a close at market, written before it is sent. */
  private recordClose(position: Position, clientOrderId: string, quantity: number): Promise<unknown> {
    return this.ctx.store.orders.record({
      clientOrderId,
      positionId: position.id,
      symbol: position.symbol,
      purpose: 'close',
      side: exitOrderSide(position.side),
      type: 'market',
      quantity,
      createdAt: this.ctx.clock.now(),
    });
  }

  /** One above every close version this position has in the store. */
  private async nextCloseId(position: Position): Promise<string> {
    return clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'close', { version: (await this.lastCloseVersion(position)) + 1 });
  }

  /** The last close this position sent (the first, `-close`, when the store has none). */
  private async lastCloseId(position: Position): Promise<string> {
    return clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'close', { version: await this.lastCloseVersion(position) });
  }

  private async lastCloseVersion(position: Position): Promise<number> {
    const { store, settings } = this.ctx;
    const versions = (await store.orders.forPosition(position.id))
      .map((order) => parseClientOrderId(settings.orderIdPrefix, order.clientOrderId))
      .filter((parsed) => parsed?.purpose === 'close')
      .map((parsed) => parsed!.version);
    return Math.max(0, ...versions);
  }

  /**
   * Calls off a close the venue never received (no order under its client id there, on a venue that answered) of a
   * position it still holds, under our stop: the position is open again, and the owner is told `why`. False, and
   * nothing changed, otherwise: a close that may have landed, or a position without its stop, is carried through.
   */
  async callOff(position: Position, why: string): Promise<boolean> {
    const { exchange, store, clock, settings } = this.ctx;
    const closeId = clientOrderId(settings.orderIdPrefix, position.id, 'close');
    const received = await exchange.findOrder(closeId, position.symbol).then(
      (order) => order !== undefined,
      () => true,
    );
    if (received || !(await this.stops.isProtected(position).catch(() => false))) return false;
    await store.positions.update(position.id, { status: 'open' });
    if (await store.orders.get(closeId)) await store.orders.update(closeId, { status: 'rejected', error: `called off: ${why}`, updatedAt: clock.now() });
    const message = `${position.symbol} ${position.side.toUpperCase()}: its close (${position.closeReason ?? 'manual'}) did not go through, and ${why}. It stays open with its stop.`;
    if (this.incidents.isOpen(`close:${position.id}`)) await this.incidents.clear(`close:${position.id}`, message);
    else await this.incidents.notice(`close:${position.id}`, 'warning', message);
    return true;
  }

  /** True only when the exchange answers and no longer holds the position; a failed read counts as still there. */
  private async goneFromExchange(position: Position): Promise<boolean> {
    const positions = await this.ctx.exchange.positions().catch(() => undefined);
    return positions !== undefined && !positions.some((p) => p.symbol === position.symbol && p.side === position.side);
  }
}

/** What a close's record takes from the venue's answer to it. */
function closeAnswer(order: OrderResult, at: Date): OrderPatch {
  return {
    status: order.status === 'filled' ? 'filled' : 'sent',
    exchangeOrderId: order.id,
    filledQuantity: order.filledQuantity,
    averagePrice: order.averagePrice,
    fee: order.fee,
    updatedAt: at,
  };
}
