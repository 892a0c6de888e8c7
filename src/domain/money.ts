// Money and leverage arithmetic for linear USDT-margined perpetuals. Prices and amounts are numbers in memory;
// rounding to exchange precision happens only in `roundToStep`.
import type { OrderSide, Side } from './market.js';

/** +1 for long, -1 for short: the sign of P&L per unit of price rise. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'long' ? 1 : -1;
}

export function oppositeSide(side: Side): Side {
  return side === 'long' ? 'short' : 'long';
}

/** The order side that opens a position of `side`. */
export function entryOrderSide(side: Side): OrderSide {
  return side === 'long' ? 'buy' : 'sell';
}

/** The order side that closes a position of `side`. */
export function exitOrderSide(side: Side): OrderSide {
  return side === 'long' ? 'sell' : 'buy';
}

export function grossPnl(side: Side, entryPrice: number, exitPrice: number, quantity: number): number {
  return sideSign(side) * (exitPrice - entryPrice) * quantity;
}

export function tradingFee(price: number, quantity: number, feeRate: number): number {
  return price * quantity * feeRate;
}

/** Funding settled to a position: positive rate means longs pay shorts. Returns received (+) or paid (-). */
export function fundingPayment(side: Side, rate: number, quantity: number, markPrice: number): number {
  return -sideSign(side) * rate * quantity * markPrice;
}

/** Market-order fill price after `slippageBps` against the trader. */
export function slippedPrice(orderSide: OrderSide, price: number, slippageBps: number): number {
  const factor = slippageBps / 10_000;
  return orderSide === 'buy' ? price * (1 + factor) : price * (1 - factor);
}

/**
 * The worst price an entry may fill at: `slippageBps` against the trader, on the tick, rounded back towards `price`
 * so the cap never allows more slippage than configured. Sent as the limit of the immediate-or-cancel entry.
 */
export function entryLimitPrice(side: Side, price: number, slippageBps: number, tickSize: number): number {
  const orderSide = entryOrderSide(side);
  return roundToStep(slippedPrice(orderSide, price, slippageBps), tickSize, orderSide === 'buy' ? 'down' : 'up');
}

/**
 * What a stop-out costs per unit of entry notional: the move to the stop `stopDistance` away, the stop's own fill
 * `slippageBps` beyond it, and the taker fee on both fills.
 */
export function lossAtStopShare(side: Side, stopDistance: number, slippageBps: number, takerFeeRate: number): number {
  const slip = slippageBps / 10_000;
  const exit = side === 'long' ? (1 - stopDistance) * (1 - slip) : (1 + stopDistance) * (1 + slip);
  const move = side === 'long' ? 1 - exit : exit - 1;
  return move + takerFeeRate * (1 + exit);
}

export interface LiquidationInput {
  readonly side: Side;
  readonly entryPrice: number;
  readonly quantity: number;
  /** Isolated margin of the position. */
  readonly margin: number;
  readonly maintenanceMarginRate: number;
  /** Maintenance amount of the leverage bracket ("cum"). */
  readonly maintenanceAmount: number;
}

/**
 * Liquidation price of an isolated, one-way position (Binance USDⓈ-M formula):
 *   LP = (margin + cum - s·Q·entry) / (Q·MMR - s·Q),  s = +1 long, -1 short.
 * Liquidation happens where margin + unrealised P&L equals the maintenance margin at that price.
 */
export function liquidationPrice(input: LiquidationInput): number {
  const s = sideSign(input.side);
  const q = input.quantity;
  const price =
    (input.margin + input.maintenanceAmount - s * q * input.entryPrice) / (q * input.maintenanceMarginRate - s * q);
  return Math.max(0, price);
}

/** Signed fraction from `price` to `target` as seen from a position: how far price must travel against it. */
export function adverseDistance(side: Side, price: number, target: number): number {
  return side === 'long' ? (price - target) / price : (target - price) / price;
}

/** Stop price `stopLossPct` away from entry on the losing side. */
export function stopPriceFor(side: Side, entryPrice: number, stopLossPct: number): number {
  return side === 'long' ? entryPrice * (1 - stopLossPct) : entryPrice * (1 + stopLossPct);
}

/** Take-profit price `takeProfitPct` away from entry on the winning side. */
export function takeProfitPriceFor(side: Side, entryPrice: number, takeProfitPct: number): number {
  return side === 'long' ? entryPrice * (1 + takeProfitPct) : entryPrice * (1 - takeProfitPct);
}

function decimalsOf(step: number): number {
  if (!Number.isFinite(step) || step <= 0) throw new RangeError(`invalid step ${step}`);
  const text = step.toExponential();
  const [mantissa, exponent] = text.split('e');
  const mantissaDecimals = (mantissa?.split('.')[1] ?? '').length;
  return Math.max(0, mantissaDecimals - Number(exponent));
}

/**
 * Rounds to a multiple of `step` (tick size or lot step), exactly in decimal: 0.1 + 0.2 style errors never reach
 * an order. `down` for quantities (never more than intended), `up`/`down` for limits on the side that keeps them
 * (stops: `protectiveStopPrice`), `nearest` where no limit depends on the price (a take-profit target).
 */
export function roundToStep(value: number, step: number, mode: 'down' | 'up' | 'nearest'): number {
  const decimals = decimalsOf(step);
  const units = value / step;
  // A small tolerance keeps 0.3 / 0.1 = 2.9999999999999996 from rounding down to 2. It grows with the count of
  // steps, as a float's noise does (2697.0132 on a 0.0001 tick is 26,970,132 ticks, give or take 4e-9), but stays
  // some fifty units in the last place: a price a millionth of a tick off the grid is off it, and rounds as asked.
  const tolerance = Math.max(1e-9, Math.abs(units) * 1e-14);
  const nudged = Math.abs(units - Math.round(units)) < tolerance ? Math.round(units) : units;
  const rounded = mode === 'down' ? Math.floor(nudged) : mode === 'up' ? Math.ceil(nudged) : Math.round(nudged);
  return Number((rounded * step).toFixed(decimals));
}

/** Rounds a USDT amount to 1e-8 for storage and comparison; display rounding belongs to renderers. */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e8) / 1e8;
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** An amount in dollars for the owner's messages and the risk manager's reasons: `$12.34`. */
export function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}
