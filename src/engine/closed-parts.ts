// What a position's exit orders have already closed before it is flat (take-profit steps, a stop or a close filled in
// part). Those parts are in the account's balance at once but in no booked trade until the whole position is: the
// trade is booked from every fill when it is flat. Both the protected band of the exit rules and the capped share of
// the drawdown switch need them counted with what is still held.
import { describeError } from '../domain/errors.js';
import { exitOrderSide, tradingFee } from '../domain/money.js';
import { partNetPnl } from '../domain/take-profit-plan.js';
import { closeVersionOf } from '../domain/order-ids.js';
import type { OrderRecord, Position } from '../domain/trading.js';
import type { OrderRepository } from '../ports/store.js';
import type { EngineContext } from './engine-context.js';

/** A part of the position that an exit of ours or of another's took off, as filled. */
export interface ClosedPart {
  readonly clientOrderId: string;
  readonly quantity: number;
  readonly filledQuantity: number;
  readonly averagePrice?: number;
  readonly fee?: number;
  readonly exchangeOrderId?: string;
}

/**
 * Writes a part taken off as a filled exit of the position, which the readers below count. Never throws: a part not
 * written is only missing from those counts (the trade is booked from the fills), and `what` names it in the log.
 */
export async function recordClosedPart(ctx: Pick<EngineContext, 'store' | 'clock' | 'logger'>, position: Position, part: ClosedPart, what: string): Promise<void> {
  const { store, clock, logger } = ctx;
  const now = clock.now();
  try {
    await store.orders.record({
      clientOrderId: part.clientOrderId,
      positionId: position.id,
      symbol: position.symbol,
      purpose: 'close',
      side: exitOrderSide(position.side),
      type: 'market',
      quantity: part.quantity,
      ...(part.exchangeOrderId === undefined ? {} : { exchangeOrderId: part.exchangeOrderId }),
      createdAt: now,
    });
    await store.orders.update(part.clientOrderId, {
      status: 'filled',
      filledQuantity: part.filledQuantity,
      ...(part.averagePrice === undefined ? {} : { averagePrice: part.averagePrice }),
      ...(part.fee === undefined ? {} : { fee: part.fee }),
      updatedAt: now,
    });
  } catch (error) {
    logger.warn({ positionId: position.id, error: describeError(error) }, `${what} could not be written; the exit rules will not count it`);
  }
}

/** Net P&L of the parts the position's exit orders closed, as the ladder tells the owner each one. */
export async function closedPartsNetPnl(orders: OrderRepository, position: Position, takerFeeRate: number): Promise<number> {
  return partsNetPnl(await orders.forPosition(position.id), position, takerFeeRate);
}

function partsNetPnl(orders: readonly OrderRecord[], position: Position, takerFeeRate: number): number {
  let taken = 0;
  for (const order of orders) {
    const quantity = order.filledQuantity ?? 0;
    if (order.purpose === 'entry' || !(quantity > 0) || order.averagePrice === undefined) continue;
    taken += partNetPnl(position, quantity, order.averagePrice, order.fee ?? tradingFee(order.averagePrice, quantity, takerFeeRate));
  }
  return taken;
}

/** A close whose answer is written, as the parts above can value it: what it filled, and its price when it filled. */
const answered = (order: OrderRecord): boolean =>
  order.filledQuantity !== undefined && (order.filledQuantity === 0 || order.averagePrice !== undefined);

/**
 * What of the record's size is still held, as its own orders tell. The exits the engine follows shrink the record (the
 * stop re-armed for the rest), but the position's last close does not: a close of ours that filled is a part above
 * while the record keeps its size until the trade is booked from the fills, which may take a check or two. The close
 * was sized from what the venue held, so what it left is that less what it filled. A close whose answer is not
 * written yet (sent, its answer lost, or a fill without its price) tells nothing: the last one answered does, or else
 * the record's size.
 */
function heldByRecord(position: Position, orders: readonly OrderRecord[]): number {
  if (position.status !== 'closing') return position.quantity;
  let last: { readonly version: number; readonly order: OrderRecord } | undefined;
  for (const order of orders) {
    const version = closeVersionOf(order.clientOrderId, position.id);
    if (version !== undefined && answered(order) && (last === undefined || version > last.version)) last = { version, order };
  }
  if (!last) return position.quantity;
  return Math.min(position.quantity, Math.max(0, last.order.quantity - (last.order.filledQuantity ?? 0)));
}

/**
 * All that open positions have put into or taken from the wallet which no booked trade holds yet: the parts their exit
 * orders closed, their funding, and the entry fee of what is still held. A wallet less this is the wallet as the
 * booked trades alone account for it.
 */
export async function unbookedResults(orders: OrderRepository, open: readonly Position[], takerFeeRate: number): Promise<number> {
  return Object.values(await unbookedByPosition(orders, open, takerFeeRate)).reduce((sum, amount) => sum + amount, 0);
}

/** The same, position by position (by id). */
export async function unbookedByPosition(orders: OrderRepository, open: readonly Position[], takerFeeRate: number): Promise<Record<string, number>> {
  const amounts = await Promise.all(
    open.map(async (position) => {
      const records = await orders.forPosition(position.id);
      // Each part carries its share of the entry fee; what is held carries the rest, once.
      const heldShare = position.quantity > 0 ? heldByRecord(position, records) / position.quantity : 1;
      return [position.id, partsNetPnl(records, position, takerFeeRate) + position.funding - position.entryFee * heldShare] as const;
    }),
  );
  return Object.fromEntries(amounts);
}
