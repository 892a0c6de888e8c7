// What the venue does to an account on its own, outside any request of the account: cancel or expire conditional
// orders, auto-deleverage, settle a delisted symbol. Binance marks the orders it creates by client id prefix:
// `autoclose-` (liquidation), `adl_autoclose` (auto-deleveraging), `settlement_autoclose-` (delivery, delisting).
import type { AccountBook, AlgoOrder, BookOrder } from './account-book.js';

/** Cancels (or expires) every resting conditional order of `symbol`, as after a leverage or margin change. */
export function dropConditionalOrders(book: AccountBook, symbol: string, status: 'CANCELED' | 'EXPIRED', now: number): AlgoOrder[] {
  const dropped = book.algoOrders.filter((a) => a.symbol === symbol && a.algoStatus === 'NEW');
  for (const algo of dropped) {
    algo.algoStatus = status;
    algo.updateTime = now;
  }
  return dropped;
}

/** Auto-deleveraging: the venue takes `quantity` (all when omitted) of the position at the last price. */
export function autoDeleverage(book: AccountBook, symbol: string, now: number, quantity?: number): BookOrder | undefined {
  const position = book.position(symbol);
  if (!position) return undefined;
  const order = book.placeMarketOrder(
    {
      symbol,
      side: position.amount > 0 ? 'SELL' : 'BUY',
      quantity: quantity ?? Math.abs(position.amount),
      reduceOnly: true,
      clientOrderId: 'adl_autoclose',
    },
    now,
    undefined,
    true,
  );
  order.origType = 'MARKET';
  return order;
}

/**
 * Settlement of a delisted symbol: conditional orders cancelled, the position closed at the last price (the test sets
 * it to the settlement price first) by a `settlement_autoclose-` order.
 */
export function settle(book: AccountBook, symbol: string, now: number): BookOrder | undefined {
  const position = book.position(symbol);
  dropConditionalOrders(book, symbol, 'CANCELED', now);
  if (!position) return undefined;
  return book.placeMarketOrder(
    {
      symbol,
      side: position.amount > 0 ? 'SELL' : 'BUY',
      quantity: Math.abs(position.amount),
      reduceOnly: true,
      clientOrderId: `settlement_autoclose-${now}`,
    },
    now,
    undefined,
    true,
  );
}
