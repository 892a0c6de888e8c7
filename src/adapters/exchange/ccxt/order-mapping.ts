// ccxt's unified orders, positions, trades and income rows as the port's types, with every number checked.
import type { FundingHistory, Order, Position, Trade } from 'ccxt';
import { TemporaryError } from '../../../domain/errors.js';
import type { OrderSide, Side } from '../../../domain/market.js';
import type { Fill, FundingPayment } from '../../../domain/trading.js';
import type { ExchangeOrderStatus, ExchangePosition, OrderResult } from '../../../ports/exchange.js';
import { finite, optionalFinite, positive } from './wire-numbers.js';

const STATUS: Readonly<Record<string, ExchangeOrderStatus>> = {
  open: 'open',
  closed: 'filled',
  canceled: 'cancelled',
  canceling: 'open',
  rejected: 'rejected',
  expired: 'expired',
};

function orderSide(value: unknown, field: string): OrderSide {
  if (value === 'buy' || value === 'sell') return value;
  throw new TemporaryError(`venue field ${field} is not buy/sell (${JSON.stringify(value)})`);
}

/** Conditional orders come back from ccxt typed `market`; the venue's own type and the algo id tell them apart. */
export function isTriggerOrder(order: Order): boolean {
  const info = (order.info ?? {}) as Record<string, unknown>;
  const venueType = String(info['orderType'] ?? info['type'] ?? info['origType'] ?? '');
  return info['algoId'] !== undefined || /STOP|TAKE_PROFIT/.test(venueType) || (order.triggerPrice ?? 0) > 0;
}

function isTakeProfit(order: Order): boolean {
  const info = (order.info ?? {}) as Record<string, unknown>;
  // Binance's `TAKE_PROFIT_MARKET`, Hyperliquid's `Take Profit Market`.
  if (/TAKE[_ ]PROFIT/i.test(String(info['orderType'] ?? info['type'] ?? info['origType'] ?? order.type ?? ''))) return true;
  // Bybit types every conditional order `Market`; ccxt reads a reduce-only trigger that fires on the favourable side
  // (a sell's rising, a buy's falling) as a take-profit.
  return (order.takeProfitPrice ?? 0) > 0 && !((order.stopLossPrice ?? 0) > 0);
}

/** `settle` is the asset fees are counted in; a fee charged in another asset is left for the fills to convert. */
export function toOrderResult(order: Order, fallbackTime: Date, settle = 'USDT'): OrderResult {
  const field = `order ${order.id ?? order.clientOrderId ?? '?'}`;
  const status = STATUS[order.status ?? ''];
  if (status === undefined || !order.id || !order.symbol) {
    throw new TemporaryError(`${field}: incomplete order from the venue (status ${order.status}, id ${order.id})`);
  }
  const average = optionalFinite(order.average, `${field}.average`);
  const fee = order.fee?.currency === settle ? optionalFinite(order.fee.cost, `${field}.fee`) : undefined;
  return {
    id: order.id,
    clientOrderId: order.clientOrderId ?? undefined,
    symbol: order.symbol,
    side: orderSide(order.side, `${field}.side`),
    type: isTriggerOrder(order) ? (isTakeProfit(order) ? 'take_profit_market' : 'stop_market') : order.type === 'limit' ? 'limit' : 'market',
    status,
    quantity: positive(order.amount, `${field}.amount`),
    filledQuantity: optionalFinite(order.filled, `${field}.filled`) ?? 0,
    averagePrice: average !== undefined && average > 0 ? average : undefined,
    fee,
    triggerPrice: optionalFinite(order.triggerPrice, `${field}.triggerPrice`),
    reduceOnly: order.reduceOnly === true,
    time: new Date(order.timestamp ?? order.lastUpdateTimestamp ?? fallbackTime.getTime()),
  };
}

export function toExchangePosition(position: Position): ExchangePosition | undefined {
  const field = `position ${position.symbol}`;
  const info = (position.info ?? {}) as Record<string, unknown>;
  // A report without its size is broken, not flat: reading it as flat would make a live position look closed.
  const quantity = finite(position.contracts ?? info['positionAmt'], `${field}.contracts`);
  if (quantity === 0 || !position.symbol) return undefined;
  if (position.side !== 'long' && position.side !== 'short') {
    throw new TemporaryError(`${field}: side is ${JSON.stringify(position.side)}, expected long or short`);
  }
  const notional = Math.abs(optionalFinite(position.notional, `${field}.notional`) ?? 0);
  const initialMargin = optionalFinite(position.initialMargin, `${field}.initialMargin`);
  const isolatedWallet = optionalFinite(info['isolatedWallet'], `${field}.isolatedWallet`);
  // Binance's v3 position endpoint no longer reports leverage; notional / initial margin recovers it.
  const leverage =
    optionalFinite(position.leverage, `${field}.leverage`) ??
    (initialMargin && notional ? Math.round(notional / initialMargin) : undefined);
  const liquidation = optionalFinite(position.liquidationPrice, `${field}.liquidationPrice`);
  return {
    symbol: position.symbol,
    side: position.side as Side,
    quantity: Math.abs(quantity),
    entryPrice: positive(position.entryPrice, `${field}.entryPrice`),
    markPrice: optionalFinite(position.markPrice, `${field}.markPrice`),
    liquidationPrice: liquidation !== undefined && liquidation > 0 ? liquidation : undefined,
    leverage,
    margin: isolatedWallet !== undefined && isolatedWallet > 0 ? isolatedWallet : initialMargin,
    unrealizedPnl: optionalFinite(position.unrealizedPnl, `${field}.unrealizedPnl`),
  };
}

/** A trade as a Fill; `feeInUsdt` converts fees charged in another asset (e.g. BNB). */
export function toFill(trade: Trade, feeInUsdt: number, clientOrderId: string | undefined): Fill {
  const field = `trade ${trade.id ?? '?'}`;
  if (!trade.id || !trade.order || !trade.symbol) {
    throw new TemporaryError(`${field}: incomplete trade from the venue (order ${trade.order})`);
  }
  return {
    id: trade.id,
    orderId: trade.order,
    clientOrderId,
    symbol: trade.symbol,
    side: orderSide(trade.side, `${field}.side`),
    price: positive(trade.price, `${field}.price`),
    quantity: positive(trade.amount, `${field}.amount`),
    fee: feeInUsdt,
    time: new Date(finite(trade.timestamp, `${field}.timestamp`)),
  };
}

export function toFundingPayment(row: FundingHistory, symbol: string): FundingPayment {
  const field = `funding ${symbol}`;
  return {
    symbol: row.symbol ?? symbol,
    time: new Date(finite(row.timestamp, `${field}.timestamp`)),
    amount: finite(row.amount, `${field}.amount`),
  };
}
