import type { OrderSide, Side } from '../domain/market.js';
import type { Fill, FundingPayment, OrderType } from '../domain/trading.js';

export type MarginMode = 'isolated' | 'cross';
export type ExchangeOrderStatus = 'open' | 'filled' | 'cancelled' | 'rejected' | 'expired';

export interface Balance {
  /** Wallet balance including posted margin, excluding unrealised P&L. */
  readonly total: number;
  /** What can be posted as new margin. */
  readonly available: number;
  readonly currency: string;
}

/**
 * An entry that fills at once or not at all. With `limitPrice` it is an immediate-or-cancel limit order: it fills
 * only at that price or better (a long at most, a short at least), any part it cannot fill at once expires, and a
 * partial fill is a smaller position. Without it, a plain market order.
 */
export interface EntryOrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  /** The worst price the entry may fill at, on the tick. */
  readonly limitPrice?: number;
}

/** A stop-market, reduce-only order that closes the position when the mark price crosses `triggerPrice`. */
export interface StopOrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly positionSide: Side;
  readonly quantity: number;
  readonly triggerPrice: number;
}

/**
 * A take-profit-market, reduce-only order that closes `quantity` of the position when the mark price reaches
 * `triggerPrice` in the trader's favour.
 */
export type TakeProfitOrderRequest = StopOrderRequest;

/** A reduce-only market order closing (part of) a position. */
export interface CloseOrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly positionSide: Side;
  readonly quantity: number;
}

export interface OrderResult {
  readonly id: string;
  readonly clientOrderId?: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly status: ExchangeOrderStatus;
  readonly quantity: number;
  readonly filledQuantity: number;
  readonly averagePrice?: number;
  /** Fee paid in USDT, when the venue reports it with the order. */
  readonly fee?: number;
  readonly triggerPrice?: number;
  readonly reduceOnly: boolean;
  readonly time: Date;
}

export interface ExchangePosition {
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly markPrice?: number;
  readonly liquidationPrice?: number;
  readonly leverage?: number;
  readonly margin?: number;
  readonly unrealizedPnl?: number;
}

/**
 * A futures account. Implementations translate their failures into the domain error tree
 * (TemporaryError, RejectedError, OperationalError).
 */
export interface Exchange {
  readonly name: string;
  balance(): Promise<Balance>;
  setLeverage(symbol: string, leverage: number, marginMode: MarginMode): Promise<void>;
  placeEntry(request: EntryOrderRequest): Promise<OrderResult>;
  placeProtectiveStop(request: StopOrderRequest): Promise<OrderResult>;
  placeTakeProfit(request: TakeProfitOrderRequest): Promise<OrderResult>;
  /** Open orders, protective (trigger) orders included. */
  openOrders(symbol?: string): Promise<OrderResult[]>;
  /** Looks an order up by our client order id (open or not); undefined if the venue never saw it. */
  findOrder(clientOrderId: string, symbol: string): Promise<OrderResult | undefined>;
  cancelOrder(id: string, symbol: string): Promise<void>;
  closePosition(request: CloseOrderRequest): Promise<OrderResult>;
  positions(): Promise<ExchangePosition[]>;
  /** Oldest first; fills with the same time stay in the exchange's own order (its trade ids). */
  fills(symbol: string, since: Date): Promise<Fill[]>;
  fundingPayments(symbol: string, since: Date): Promise<FundingPayment[]>;
  /**
   * The account's order changes as they happen, where the venue has a private stream (absent otherwise). Ends when
   * `signal` aborts; throws (a domain error) when the stream fails.
   */
  watchOrders?(signal: AbortSignal): AsyncIterable<OrderResult>;
}
