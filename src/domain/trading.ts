// Entities of the trading record: positions, orders, fills, trades.
import type { OrderSide, Side } from './market.js';

export type PositionStatus = 'opening' | 'open' | 'closing' | 'closed' | 'failed';
export const ACTIVE_POSITION_STATUSES: readonly PositionStatus[] = ['opening', 'open', 'closing'];

export type CloseReason =
  | 'stop_loss'
  | 'stop_loss_on_exchange'
  | 'liquidation'
  | 'liquidation_risk'
  | 'take_profit'
  | 'take_profit_on_exchange'
  | 'ai_exit'
  | 'trailing_stop'
  | 'time_exit'
  | 'drawdown'
  | 'manual'
  | 'shutdown'
  | 'stop_not_protected'
  /** The entry filled beyond the prices its limits were checked for, and no size on the lot kept them at that price. */
  | 'entry_beyond_limits'
  /** Filled so small a part of its plan that it could not net the minimum profit within the move the rules allow. */
  | 'entry_too_small'
  | 'reconciled'
  /** Closed on the venue by an order that is not ours: the owner by hand. */
  | 'manual_on_exchange'
  /** The venue's auto-deleveraging took the position. */
  | 'adl'
  /** The venue settled the position (delisting or delivery). */
  | 'settlement';

/** Why the engine opened this position: the consensus that it acted on. */
export interface EntryRationale {
  readonly confidence: number;
  readonly opportunityScore: number;
  readonly agreeing: readonly string[];
  readonly dissenting: readonly string[];
}

export interface Position {
  readonly id: string;
  readonly symbol: string;
  readonly side: Side;
  readonly status: PositionStatus;
  readonly leverage: number;
  /** Base-coin quantity; positive for both sides. */
  readonly quantity: number;
  /** Average fill price (the planned price while `opening`). */
  readonly entryPrice: number;
  /** Isolated margin posted. */
  readonly margin: number;
  readonly stopPrice: number;
  readonly stopLossPct: number;
  readonly liquidationPrice: number;
  readonly takeProfitPrice?: number;
  readonly entryFee: number;
  /** Funding received (+) or paid (-) so far. */
  readonly funding: number;
  readonly openedAt: Date;
  readonly rationale: EntryRationale;
  /** Exchange id of the protective stop order once verified. */
  readonly stopOrderId?: string;
  /**
   * Client id of the stop that protects the position now, once a replacement (trailing move, re-arm after a partial
   * fill) was placed and verified; absent while the first stop (`…-stop`) is the current one.
   */
  readonly stopClientOrderId?: string;
  /** Best price seen since entry, for the optional trailing stop. */
  readonly bestPrice?: number;
  readonly lastUpdateAt?: Date;
  readonly lastExitCheckAt?: Date;
  readonly closedAt?: Date;
  readonly closeReason?: CloseReason;
}

/** `tp`: the reduce-only take-profit order resting on the venue with the stop. */
export type OrderPurpose = 'entry' | 'stop' | 'close' | 'tp';
/** `limit`: an entry sent immediate-or-cancel at the worst price it was sized for. */
export type OrderType = 'market' | 'stop_market' | 'limit' | 'take_profit_market';
export type OrderStatus = 'intent' | 'sent' | 'open' | 'filled' | 'cancelled' | 'rejected' | 'unknown';

/** An order as we record it: written before it is sent, keyed by our client order id. */
export interface OrderRecord {
  readonly clientOrderId: string;
  readonly positionId: string;
  readonly symbol: string;
  readonly purpose: OrderPurpose;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: number;
  readonly triggerPrice?: number;
  /** The most a buy may pay, or the least a sell may take (limit orders). */
  readonly limitPrice?: number;
  /** Entries: the most notional their size was checked for (the quantity at the top of the range of fills sized for). */
  readonly checkedNotional?: number;
  readonly status: OrderStatus;
  readonly exchangeOrderId?: string;
  readonly filledQuantity?: number;
  readonly averagePrice?: number;
  readonly fee?: number;
  readonly error?: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One execution reported by the exchange (or the fill simulator). */
export interface Fill {
  readonly id: string;
  readonly orderId: string;
  readonly clientOrderId?: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly price: number;
  readonly quantity: number;
  /** Fee in USDT, positive = paid. */
  readonly fee: number;
  readonly time: Date;
}

export interface FundingPayment {
  readonly symbol: string;
  readonly time: Date;
  /** Received (+) or paid (-), in USDT. */
  readonly amount: number;
}

/** A closed position, with its money settled. `netPnl = grossPnl - entryFee - exitFee + funding`. */
/**
 * How a trade ended for the owner: won when its net P&L (after fees and funding) is above zero, lost when below, and
 * even at exactly zero. The summaries, the statistics, the dashboard's filter and the losing-streak breaker all count
 * by this one rule, so an even trade is never a loss in one place and not in another.
 */
export type TradeResult = 'win' | 'loss' | 'even';
export const tradeResult = (netPnl: number): TradeResult => (netPnl > 0 ? 'win' : netPnl < 0 ? 'loss' : 'even');

export interface Trade {
  readonly positionId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly leverage: number;
  readonly quantity: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly margin: number;
  readonly stopPrice: number;
  readonly liquidationPrice: number;
  readonly entryFee: number;
  readonly exitFee: number;
  readonly funding: number;
  readonly grossPnl: number;
  readonly netPnl: number;
  /** Net P&L as a fraction of the margin. */
  readonly pnlPct: number;
  readonly reason: CloseReason;
  readonly openedAt: Date;
  readonly closedAt: Date;
  readonly rationale: EntryRationale;
  readonly fills: readonly Fill[];
}
