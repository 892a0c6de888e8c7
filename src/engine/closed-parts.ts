// What a position's exit orders have already closed before it is flat (take-profit steps, a stop or a close filled in
// part). Those parts are in the account's balance at once but in no booked trade until the whole position is: the
// trade is booked from every fill when it is flat. Both the protected band of the exit rules and the capped share of
// the drawdown switch need them counted with what is still held.
import { tradingFee } from '../domain/money.js';
import { partNetPnl } from '../domain/take-profit-plan.js';
import type { Position } from '../domain/trading.js';
import type { OrderRepository } from '../ports/store.js';

/** Net P&L of the parts the position's exit orders closed, as the ladder tells the owner each one. */
export async function closedPartsNetPnl(orders: OrderRepository, position: Position, takerFeeRate: number): Promise<number> {
  let taken = 0;
  for (const order of await orders.forPosition(position.id)) {
    const quantity = order.filledQuantity ?? 0;
    if (order.purpose === 'entry' || !(quantity > 0) || order.averagePrice === undefined) continue;
    taken += partNetPnl(position, quantity, order.averagePrice, order.fee ?? tradingFee(order.averagePrice, quantity, takerFeeRate));
  }
  return taken;
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
  const parts = await Promise.all(open.map((position) => closedPartsNetPnl(orders, position, takerFeeRate)));
  return Object.fromEntries(open.map((position, index) => [position.id, (parts[index] ?? 0) + position.funding - position.entryFee]));
}
