// Closes a position with a reduce-only market order, cancels its protective orders, and books the trade from the
// exchange's fills. A close that fails is retried at every monitor check, with a critical alert each minute.
import { describeError, RejectedError } from '../domain/errors.js';
import { priceForNetPnl } from '../domain/exit-rules.js';
import { exitOrderSide } from '../domain/money.js';
import { clientOrderId, parseClientOrderId } from '../domain/order-ids.js';
import { settleTrade } from '../domain/settlement.js';
import { utcDay } from '../domain/time.js';
import type { CloseReason, Position, Trade } from '../domain/trading.js';
import type { ExchangePosition, OrderResult } from '../ports/exchange.js';
import type { BreakerService } from './breaker-service.js';
import type { EngineContext } from './engine-context.js';
import type { IncidentTracker } from './incidents.js';
import type { RecentExits } from './recent-exits.js';
import { PROTECTIVE_ORDER_RETRY, retryTemporary } from './retry.js';

/** Fills are fetched from a little before the recorded opening time: exchange and local clocks differ slightly. */
const FILL_LOOKBACK_MS = 60_000;
const CLOSE_ALERT_REPEAT_MS = 60_000;

export class PositionCloser {
  constructor(
    private readonly ctx: EngineContext,
    private readonly breakers: BreakerService,
    private readonly incidents: IncidentTracker,
    private readonly exits: RecentExits,
  ) {}

  minProfitPrice(position: Position): number {
    return priceForNetPnl(position, this.ctx.settings.exits.minProfitUsd, this.ctx.settings.costs);
  }

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

  /**
   * Returns the booked trade, or undefined when the close has to be retried later. `seen` is the exchange's view of
   * the position when the caller has just read it, which saves a round trip on the way to the close order; `sent` is
   * a close already sent by `sendClose`, which is recorded instead of sending another.
   */
  async close(position: Position, reason: CloseReason, seen?: ExchangePosition, sent?: OrderResult): Promise<Trade | undefined> {
    const { store, exchange, clock, logger } = this.ctx;
    const closing = position.status === 'closing' ? position : await store.positions.update(position.id, { status: 'closing', closeReason: reason });
    const closeReason = closing.closeReason ?? reason;
    const closeId = clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'close');
    try {
      const onExchange = sent
        ? { quantity: sent.quantity }
        : (seen ?? (await exchange.positions()).find((p) => p.symbol === position.symbol && p.side === position.side));
      if (onExchange) {
        if (!(await store.orders.get(closeId))) {
          await store.orders.record({
            clientOrderId: closeId,
            positionId: position.id,
            symbol: position.symbol,
            purpose: 'close',
            side: exitOrderSide(position.side),
            type: 'market',
            quantity: onExchange.quantity,
            createdAt: clock.now(),
          });
        }
        // On a retry (the position was already closing: a timeout, a restart) the earlier close may have filled. A
        // first attempt cannot have one: the status is written before any close is sent, except by `sendClose`,
        // whose order comes in as `sent`.
        const earlier = position.status === 'closing' ? await exchange.findOrder(closeId, position.symbol) : undefined;
        const order =
          sent ??
          (earlier?.status === 'filled'
            ? earlier
            : await exchange.closePosition({ clientOrderId: closeId, symbol: position.symbol, positionSide: position.side, quantity: onExchange.quantity }));
        await store.orders.update(closeId, {
          status: order.status === 'filled' ? 'filled' : 'sent',
          exchangeOrderId: order.id,
          filledQuantity: order.filledQuantity,
          averagePrice: order.averagePrice,
          fee: order.fee,
          updatedAt: clock.now(),
        });
      }
    } catch (error) {
      if (error instanceof RejectedError && (await this.goneFromExchange(position))) {
        // Refused because nothing was left to close: the exchange-side stop, a liquidation or the owner got there
        // first. Nothing failed; the trade is booked as what closed it.
        logger.info({ positionId: position.id, symbol: position.symbol, error: describeError(error) }, 'the position was already closed on the exchange; booking it from the fills');
        await store.orders.update(closeId, { status: 'rejected', error: describeError(error), updatedAt: clock.now() }).catch(() => undefined);
        await this.cancelProtectiveOrders(closing);
        return this.settle(closing, await this.reasonForVanished(closing));
      }
      await this.incidents.raise(
        `close:${position.id}`,
        'critical',
        `Closing ${position.symbol} ${position.side.toUpperCase()} failed: ${describeError(error)}. Retrying every check; ${
          closeReason === 'stop_not_protected' ? 'this position has NO stop on the exchange.' : 'the exchange-side stop stays in place.'
        }`,
        CLOSE_ALERT_REPEAT_MS,
      );
      return undefined;
    }
    await this.cancelProtectiveOrders(closing);
    const trade = await this.settle(closing, closeReason);
    if (!trade) logger.warn({ positionId: position.id }, 'close sent but the fills do not show it yet; booking at the next check');
    return trade;
  }

  /** Books a position that is no longer on the exchange. */
  async settle(position: Position, reason: CloseReason): Promise<Trade | undefined> {
    const { store, exchange, notifier, clock } = this.ctx;
    const since = new Date(position.openedAt.getTime() - FILL_LOOKBACK_MS);
    const [fills, funding, entryOrder] = await Promise.all([
      exchange.fills(position.symbol, since),
      exchange.fundingPayments(position.symbol, since),
      store.orders.get(clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'entry')),
    ]);
    const trade = settleTrade({ position, entryOrderId: entryOrder?.exchangeOrderId, fills, funding, reason });
    if (!trade) return undefined;
    const balance = await exchange.balance();
    const transition = await store.transaction(async (tx) => {
      await tx.trades.record(trade);
      await tx.positions.update(position.id, {
        status: 'closed',
        closedAt: trade.closedAt,
        closeReason: reason,
        funding: trade.funding,
        entryFee: trade.entryFee,
      });
      await tx.dailyPerformance.addTrade(utcDay(trade.closedAt), trade, balance.total);
      return this.breakers.recordTrade(tx, trade.netPnl);
    });
    await this.breakers.adopt(transition);
    this.exits.record(trade.symbol, trade.closedAt);
    await this.incidents.clear(`close:${position.id}`, `${position.symbol} is closed now.`);
    await this.incidents.clear(`unprotected:${position.id}`, `${position.symbol} is closed; nothing left unprotected.`);
    this.ctx.logger.info({ positionId: position.id, symbol: position.symbol, reason, netPnl: trade.netPnl }, 'position closed');
    await notifier.notify({ type: 'position_closed', at: clock.now(), trade, capitalAfter: balance.total });
    return trade;
  }

  /** True only when the exchange answers and no longer holds the position; a failed read counts as still there. */
  private async goneFromExchange(position: Position): Promise<boolean> {
    const positions = await this.ctx.exchange.positions().catch(() => undefined);
    return positions !== undefined && !positions.some((p) => p.symbol === position.symbol && p.side === position.side);
  }

  /** Why a position vanished from the exchange while we were not closing it. */
  async reasonForVanished(position: Position): Promise<CloseReason> {
    const stopId = clientOrderId(this.ctx.settings.orderIdPrefix, position.id, 'stop');
    const stop = await this.ctx.exchange.findOrder(stopId, position.symbol).catch(() => undefined);
    if (stop?.status === 'filled' || (stop?.filledQuantity ?? 0) > 0) return 'stop_loss_on_exchange';
    const fills = await this.ctx.exchange.fills(position.symbol, position.openedAt).catch(() => []);
    const exits = fills.filter((fill) => fill.side === exitOrderSide(position.side));
    const last = exits[exits.length - 1];
    if (last && Math.abs(last.price - position.liquidationPrice) <= position.liquidationPrice * 0.01) return 'liquidation';
    if (last?.clientOrderId?.startsWith('autoclose')) return 'liquidation';
    return 'reconciled';
  }

  /**
   * Cancels orders of ours on `symbol` left by earlier positions (a stop whose cancel failed or was cut off by a
   * crash). Before an entry this is required: a leftover close-position stop would act on the new position at the
   * old position's price. Throws when one cannot be cancelled, so that the entry waits.
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
