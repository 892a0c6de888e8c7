// The fill model shared by paper trading and replays: market fills with slippage and taker fee, isolated margin,
// funding settlements, resting stop-market orders and liquidation, applied to the paper account's state. It is
// synchronous and knows nothing of where prices come from; the paper exchange feeds it bars and funding events.
import { RejectedError } from '../../../domain/errors.js';
import type { MarketSpec, OrderSide, PriceBar, Side } from '../../../domain/market.js';
import {
  entryOrderSide,
  exitOrderSide,
  fundingPayment,
  grossPnl,
  liquidationPrice,
  roundUsd,
  slippedPrice,
  tradingFee,
} from '../../../domain/money.js';
import type { Logger } from '../../../ports/logger.js';
import { appendHistory, type PaperAccountState, type PaperOrder, type PaperPosition } from './paper-account.js';

export interface FillSimulatorOptions {
  readonly takerFeeRate: number;
  readonly slippageBps: number;
  readonly logger: Logger;
}

export interface EntryFillInput {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly leverage: number;
  /** Price before slippage. */
  readonly price: number;
  /** The immediate-or-cancel limit: a buy fills at most, a sell at least at this price, or not at all. */
  readonly limitPrice?: number;
  readonly spec: MarketSpec;
  readonly time: number;
}

export interface StopInput {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly positionSide: Side;
  readonly quantity: number;
  readonly triggerPrice: number;
  readonly time: number;
}

export interface CloseFillInput {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly quantity: number;
  /** Price before slippage. */
  readonly price: number;
  readonly time: number;
}

/** A stretch of one market's history between two syncs: its bars, then possibly a funding settlement at its end. */
export interface PathSegment {
  readonly bars: readonly PriceBar[];
  readonly funding?: { readonly time: number; readonly rate: number };
}

export class FillSimulator {
  /** Increases with every change of the state, so the owner knows when to persist. */
  revision = 0;
  private readonly logger: Logger;

  constructor(
    readonly state: PaperAccountState,
    private readonly options: FillSimulatorOptions,
  ) {
    this.logger = options.logger;
  }

  /** Wallet minus posted margin. */
  available(): number {
    return roundUsd(this.state.wallet - this.state.positions.reduce((total, position) => total + position.margin, 0));
  }

  position(symbol: string): PaperPosition | undefined {
    return this.state.positions.find((position) => position.symbol === symbol);
  }

  /** Open orders and closed orders, looked up by client order id. */
  order(clientOrderId: string): PaperOrder | undefined {
    const matches = (order: PaperOrder): boolean => order.clientOrderId === clientOrderId;
    return this.state.openOrders.find(matches) ?? this.state.closedOrders.findLast(matches);
  }

  /** Markets that need the price path walked: an open position or a resting order. */
  activeSymbols(): string[] {
    return [...new Set([...this.state.positions, ...this.state.openOrders].map((item) => item.symbol))];
  }

  /**
   * A market entry, or with a limit an immediate-or-cancel one: the slipped fill capped at the limit, and an expired
   * order with nothing filled when the price itself is already beyond the limit.
   */
  openPosition(input: EntryFillInput): PaperOrder {
    if (this.position(input.symbol) !== undefined) throw new RejectedError(`${input.symbol}: a position is already open`);
    const orderSide = entryOrderSide(input.side);
    const slipped = slippedPrice(orderSide, input.price, this.options.slippageBps);
    const limit = input.limitPrice;
    if (limit !== undefined && (orderSide === 'buy' ? input.price > limit : input.price < limit)) return this.expiredEntry(input);
    const price = limit === undefined ? slipped : orderSide === 'buy' ? Math.min(slipped, limit) : Math.max(slipped, limit);
    const fee = roundUsd(tradingFee(price, input.quantity, this.options.takerFeeRate));
    const margin = roundUsd((price * input.quantity) / input.leverage);
    const available = this.available();
    if (margin + fee > available) {
      throw new RejectedError(
        `${input.symbol}: insufficient margin: needs ${margin} margin + ${fee} fee, ${available} available`,
      );
    }
    const position: PaperPosition = {
      symbol: input.symbol,
      side: input.side,
      quantity: input.quantity,
      entryPrice: price,
      margin,
      leverage: input.leverage,
      liquidationPrice: 0,
      maintenanceMarginRate: input.spec.maintenanceMarginRate,
      maintenanceAmount: input.spec.maintenanceAmount,
      openedAt: input.time,
    };
    position.liquidationPrice = liquidationOf(position);
    this.state.positions.push(position);
    this.state.wallet = roundUsd(this.state.wallet - fee);
    const { clientOrderId, symbol, quantity, time } = input;
    const order = this.filledOrder({ clientOrderId, symbol, side: orderSide, quantity, price, fee, reduceOnly: false, time });
    this.logger.info({ symbol, side: input.side, price, quantity, margin, fee }, 'paper entry filled');
    return order;
  }

  private expiredEntry(input: EntryFillInput): PaperOrder {
    const order: PaperOrder = {
      id: this.nextId('paper'),
      clientOrderId: input.clientOrderId,
      symbol: input.symbol,
      side: entryOrderSide(input.side),
      type: 'market',
      status: 'expired',
      quantity: input.quantity,
      filledQuantity: 0,
      reduceOnly: false,
      time: input.time,
    };
    appendHistory(this.state, { kind: 'order', entry: order });
    this.revision += 1;
    this.logger.info({ symbol: input.symbol, price: input.price, limit: input.limitPrice }, 'paper entry expired: the price is beyond its limit');
    return order;
  }

  placeStop(input: StopInput): PaperOrder {
    const order: PaperOrder = {
      id: this.nextId('paper'),
      clientOrderId: input.clientOrderId,
      symbol: input.symbol,
      side: exitOrderSide(input.positionSide),
      type: 'stop_market',
      status: 'open',
      quantity: input.quantity,
      filledQuantity: 0,
      triggerPrice: input.triggerPrice,
      reduceOnly: true,
      time: input.time,
    };
    this.state.openOrders.push(order);
    this.revision += 1;
    return order;
  }

  cancel(order: PaperOrder, time: number): PaperOrder {
    return this.finish(order, { status: 'cancelled', time });
  }

  /** Reduce-only market close of up to `quantity` (never more than the position). */
  closeMarket(input: CloseFillInput): PaperOrder {
    const position = this.position(input.symbol);
    if (position === undefined) throw new RejectedError(`${input.symbol}: reduce-only close rejected, no position`);
    const quantity = Math.min(input.quantity, position.quantity);
    const orderSide = exitOrderSide(position.side);
    const price = slippedPrice(orderSide, input.price, this.options.slippageBps);
    const fee = roundUsd(tradingFee(price, quantity, this.options.takerFeeRate));
    const { clientOrderId, symbol, time } = input;
    const order = this.filledOrder({ clientOrderId, symbol, side: orderSide, quantity, price, fee, reduceOnly: true, time });
    this.realize(position, quantity, price, fee);
    return order;
  }

  /** Applies one market's path since the last sync: bar by bar liquidation and stops, funding at its instants. */
  advance(symbol: string, segments: readonly PathSegment[]): void {
    let lastPrice: number | undefined;
    for (const segment of segments) {
      for (const bar of segment.bars) {
        this.processBar(symbol, bar);
        lastPrice = bar.close;
      }
      if (segment.funding !== undefined) this.settleFunding(symbol, segment.funding.time, segment.funding.rate, lastPrice);
    }
  }

  private settleFunding(symbol: string, time: number, rate: number, price: number | undefined): void {
    const position = this.position(symbol);
    if (position === undefined) return;
    if (price === undefined) {
      this.logger.warn({ symbol, time: new Date(time).toISOString() }, 'no price at a funding settlement; funding skipped');
      return;
    }
    const amount = roundUsd(fundingPayment(position.side, rate, position.quantity, price));
    this.state.wallet = roundUsd(this.state.wallet + amount);
    appendHistory(this.state, { kind: 'funding', entry: { symbol, time, amount } });
    this.revision += 1;
    this.logger.debug({ symbol, rate, price, amount }, 'paper funding settled');
  }

  /**
   * Everything the bar's range reaches, in the order the price gets there: levels nearer the open first, a gap
   * (the bar opening beyond a level) at distance zero, and liquidation before a stop on a tie.
   */
  private processBar(symbol: string, bar: PriceBar): void {
    for (;;) {
      const next = this.nextTrigger(symbol, bar);
      if (next === undefined) return;
      // A gap acts at the bar's first instant; a crossing somewhere inside it, dated at its end.
      const time = next.gap ? bar.start : bar.end;
      if (next.kind === 'liquidation') this.liquidate(next.position, time);
      else this.triggerStop(next.order, next.gap ? bar.open : (next.order.triggerPrice as number), time);
    }
  }

  private nextTrigger(symbol: string, bar: PriceBar): Trigger | undefined {
    let best: Trigger | undefined;
    const position = this.position(symbol);
    if (position !== undefined) {
      const hit = reach(position.side === 'long' ? 'sell' : 'buy', position.liquidationPrice, bar);
      if (hit !== undefined) best = { kind: 'liquidation', position, ...hit };
    }
    for (const order of this.state.openOrders) {
      if (order.symbol !== symbol || order.type !== 'stop_market' || order.triggerPrice === undefined) continue;
      const hit = reach(order.side, order.triggerPrice, bar);
      if (hit !== undefined && (best === undefined || hit.distance < best.distance)) best = { kind: 'stop', order, ...hit };
    }
    return best;
  }

  private triggerStop(order: PaperOrder, basePrice: number, time: number): void {
    const position = this.position(order.symbol);
    if (position === undefined || exitOrderSide(position.side) !== order.side) {
      // Nothing left to reduce: the venue lets a triggered reduce-only order expire.
      this.finish(order, { status: 'expired', time });
      this.logger.info({ symbol: order.symbol, orderId: order.id }, 'paper stop triggered without a position; expired');
      return;
    }
    const quantity = Math.min(order.quantity, position.quantity);
    const price = slippedPrice(order.side, basePrice, this.options.slippageBps);
    const fee = roundUsd(tradingFee(price, quantity, this.options.takerFeeRate));
    this.finish(order, { status: 'filled', filledQuantity: quantity, averagePrice: price, fee, time });
    this.recordFill(order, price, quantity, fee, time);
    this.realize(position, quantity, price, fee);
    this.logger.info({ symbol: order.symbol, orderId: order.id, price, quantity, fee }, 'paper stop filled');
  }

  /** Closes at the liquidation price; the isolated margin is lost, the remainder of it being the clearance fee. */
  private liquidate(position: PaperPosition, time: number): void {
    const price = position.liquidationPrice;
    const gross = roundUsd(grossPnl(position.side, position.entryPrice, price, position.quantity));
    const fee = roundUsd(position.margin + gross);
    this.filledOrder({
      clientOrderId: `autoclose-${this.nextNumber()}`,
      symbol: position.symbol,
      side: exitOrderSide(position.side),
      quantity: position.quantity,
      price,
      fee,
      reduceOnly: true,
      time,
    });
    this.state.positions = this.state.positions.filter((open) => open !== position);
    this.state.wallet = roundUsd(this.state.wallet - position.margin);
    this.logger.warn({ symbol: position.symbol, price, margin: position.margin }, 'paper position liquidated');
  }

  private realize(position: PaperPosition, quantity: number, price: number, fee: number): void {
    const gross = roundUsd(grossPnl(position.side, position.entryPrice, price, quantity));
    this.state.wallet = roundUsd(this.state.wallet + gross - fee);
    if (quantity >= position.quantity) {
      this.state.positions = this.state.positions.filter((open) => open !== position);
    } else {
      const released = roundUsd((position.margin * quantity) / position.quantity);
      position.quantity -= quantity;
      position.margin = roundUsd(position.margin - released);
      position.liquidationPrice = liquidationOf(position);
    }
    this.revision += 1;
  }

  /** A market order that filled completely on arrival, with its fill. */
  private filledOrder(fill: MarketOrderFill): PaperOrder {
    const { price, ...rest } = fill;
    const order: PaperOrder = {
      id: this.nextId('paper'),
      ...rest,
      type: 'market',
      status: 'filled',
      filledQuantity: fill.quantity,
      averagePrice: price,
    };
    appendHistory(this.state, { kind: 'order', entry: order });
    this.recordFill(order, price, fill.quantity, fill.fee, fill.time);
    return order;
  }

  private recordFill(order: PaperOrder, price: number, quantity: number, fee: number, time: number): void {
    const fill = { id: this.nextId('fill'), orderId: order.id, clientOrderId: order.clientOrderId, symbol: order.symbol };
    appendHistory(this.state, { kind: 'fill', entry: { ...fill, side: order.side, price, quantity, fee, time } });
    this.revision += 1;
  }

  private finish(order: PaperOrder, change: Partial<PaperOrder>): PaperOrder {
    const finished = { ...order, ...change };
    this.state.openOrders = this.state.openOrders.filter((open) => open.id !== order.id);
    appendHistory(this.state, { kind: 'order', entry: finished });
    this.revision += 1;
    return finished;
  }

  private nextNumber(): number {
    this.state.counter += 1;
    return this.state.counter;
  }

  private nextId(prefix: string): string {
    return `${prefix}-${this.nextNumber()}`;
  }
}

interface MarketOrderFill {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: number;
  readonly fee: number;
  readonly reduceOnly: boolean;
  readonly time: number;
}

type Trigger =
  | { kind: 'liquidation'; position: PaperPosition; gap: boolean; distance: number }
  | { kind: 'stop'; order: PaperOrder; gap: boolean; distance: number };

/** Whether a level that a `side` order triggers at is reached in the bar, and how far from the open it lies. */
function reach(side: OrderSide, level: number, bar: PriceBar): { gap: boolean; distance: number } | undefined {
  if (side === 'sell') {
    if (bar.open <= level) return { gap: true, distance: 0 };
    return bar.low <= level ? { gap: false, distance: bar.open - level } : undefined;
  }
  if (bar.open >= level) return { gap: true, distance: 0 };
  return bar.high >= level ? { gap: false, distance: level - bar.open } : undefined;
}

function liquidationOf(position: PaperPosition): number {
  return liquidationPrice({
    side: position.side,
    entryPrice: position.entryPrice,
    quantity: position.quantity,
    margin: position.margin,
    maintenanceMarginRate: position.maintenanceMarginRate,
    maintenanceAmount: position.maintenanceAmount,
  });
}
