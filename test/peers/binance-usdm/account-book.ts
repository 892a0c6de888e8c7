// The fake venue's book of one account: orders, conditional (algo) orders, one-way positions, trades and income.
// Rules follow Binance USDⓈ-M closely enough for an adapter to meet the refusals it will meet in production.
import { liquidationPrice } from '../../../src/domain/money.js';
import type { SymbolFilters } from './history.js';
import { venueErrors } from './venue-error.js';

export type WireSide = 'BUY' | 'SELL';

export interface BookOrder {
  orderId: number;
  symbol: string;
  clientOrderId: string;
  side: WireSide;
  type: string;
  origType: string;
  status: 'NEW' | 'FILLED' | 'CANCELED' | 'EXPIRED';
  /** Limit price (0 for market orders). */
  price: number;
  timeInForce: string;
  origQty: number;
  executedQty: number;
  avgPrice: number;
  reduceOnly: boolean;
  stopPrice: number;
  workingType: string;
  time: number;
  updateTime: number;
}

export interface AlgoOrder {
  algoId: number;
  clientAlgoId: string;
  symbol: string;
  side: WireSide;
  orderType: string;
  quantity: number;
  triggerPrice: number;
  workingType: string;
  reduceOnly: boolean;
  algoStatus: 'NEW' | 'CANCELED' | 'FINISHED' | 'EXPIRED';
  createTime: number;
  updateTime: number;
  triggerTime: number;
  actualOrderId?: number;
  actualPrice?: number;
}

export interface PositionState {
  readonly symbol: string;
  /** Signed: positive long, negative short. */
  amount: number;
  entryPrice: number;
  /** Margin posted to an isolated position (0 when cross). */
  isolatedWallet: number;
  updateTime: number;
}

export interface TradeRecord {
  readonly id: number;
  readonly orderId: number;
  readonly symbol: string;
  readonly side: WireSide;
  readonly price: number;
  readonly qty: number;
  readonly realizedPnl: number;
  /** In `commissionAsset`. */
  readonly commission: number;
  readonly commissionAsset: CommissionAsset;
  readonly time: number;
}

/**
 * What the account pays its commission in. `BNB`: Binance's "pay fees with BNB" setting; the commission is the USDT fee
 * converted at BNBUSDT's last price at the fill, and comes out of the BNB balance (not modelled), not the USDT wallet.
 */
export type CommissionAsset = 'USDT' | 'BNB';

export interface IncomeRecord {
  readonly tranId: number;
  readonly symbol: string;
  readonly incomeType: 'FUNDING_FEE' | 'COMMISSION' | 'REALIZED_PNL';
  readonly income: number;
  readonly asset: CommissionAsset;
  readonly time: number;
  readonly tradeId: string;
}

export interface MarketView {
  filters(symbol: string): SymbolFilters | undefined;
  lastPrice(symbol: string): number | undefined;
  markPrice(symbol: string): number | undefined;
  maintenanceRate(symbol: string): number;
}

export interface NewOrder {
  readonly symbol: string;
  readonly side: WireSide;
  readonly quantity: number;
  readonly reduceOnly: boolean;
  readonly clientOrderId: string;
}

export interface NewLimitOrder extends NewOrder {
  readonly price: number;
  readonly timeInForce: string;
}

export interface NewAlgoOrder extends NewOrder {
  readonly orderType: string;
  readonly triggerPrice: number;
  readonly workingType: string;
}

/**
 * Which earlier client ids a new order may not reuse. Binance documents "a unique id among open orders" (`open`);
 * `ever` refuses any id the account has used, which is stricter than the venue.
 */
export type ClientIdScope = 'ever' | 'open';

/**
 * What a reduce-only MARKET order (sent, or created by a triggered STOP_MARKET/TAKE_PROFIT_MARKET) does when its
 * quantity exceeds the open position on the right side.
 * - `close`: it fills the position's size only and the position is flat. Binance's FAQ "Summary of Failed Orders in
 *   Binance Futures" (support FAQ 360039707291) exempts reduce-only MARKET and STOP_MARKET orders whose size equals or
 *   exceeds the position from the reduce-only rejection rules; Bybit's v5 error table lists 110017 "orderQty will be
 *   truncated to zero" (retMsg "current position is zero, cannot fix reduce-only order qty"), i.e. it truncates a
 *   reduce-only quantity to the position and refuses only when there is none.
 * - `reject`: the order is refused (a triggered one expires). Kept where no venue document says otherwise.
 * Reduce-only LIMIT orders, reduce-only orders on the position's own side and reduce-only orders with no position are
 * refused either way.
 */
export type OversizeReduceOnly = 'close' | 'reject';

/**
 * A size on the market's lot. A venue keeps positions in whole lots; in binary fractions a position closed in parts
 * (2.781 - 2.085 - 0.696) would keep about 1e-16, a position no venue holds, which a reduce-only order would then
 * "close" for nothing.
 */
const onLot = (value: number, step: number | undefined): number =>
  step === undefined ? value : Number((Math.round(value / step) * step).toFixed(12));

const isMultipleOf = (value: number, step: number): boolean => Math.abs(value / step - Math.round(value / step)) < 1e-8;

export class AccountBook {
  wallet: number;
  readonly orders: BookOrder[] = [];
  readonly algoOrders: AlgoOrder[] = [];
  readonly trades: TradeRecord[] = [];
  readonly income: IncomeRecord[] = [];
  readonly leverage = new Map<string, number>();
  /** Quantity one order can take at the book price, per symbol (unset: any); the rest of an IOC order expires. */
  readonly depth = new Map<string, number>();
  readonly marginType = new Map<string, 'ISOLATED' | 'CROSSED'>();
  /** Symbols that take reduce-only orders only (delisting, settlement); set by the venue state. */
  refusesOpening?: (symbol: string) => boolean;
  /** See OversizeReduceOnly; Binance's rule by default, a venue dialect sets its own. */
  oversizeReduceOnly: OversizeReduceOnly = 'close';
  /** See CommissionAsset; set by `setCommissionAsset`. */
  commissionAsset: CommissionAsset = 'USDT';
  private readonly positionsBySymbol = new Map<string, PositionState>();
  private nextOrderId = 8_389_765_000;
  private nextAlgoId = 4_000;
  private nextTradeId = 5_000_000;
  private nextTranId = 9_000_000;

  constructor(
    private readonly market: MarketView,
    balance: number,
    private readonly takerFeeRate: number,
    private readonly defaultLeverage = 20,
    private readonly clientIdScope: ClientIdScope = 'ever',
  ) {
    this.wallet = balance;
  }

  leverageOf(symbol: string): number {
    return this.leverage.get(symbol) ?? this.defaultLeverage;
  }

  position(symbol: string): PositionState | undefined {
    const position = this.positionsBySymbol.get(symbol);
    return position && position.amount !== 0 ? position : undefined;
  }

  openPositions(): PositionState[] {
    return [...this.positionsBySymbol.values()].filter((p) => p.amount !== 0);
  }

  /** Margin locked by positions: isolated wallets plus the initial margin of cross positions. */
  usedMargin(): number {
    let used = 0;
    for (const p of this.openPositions()) {
      if (p.isolatedWallet > 0) used += p.isolatedWallet;
      else used += (Math.abs(p.amount) * (this.market.markPrice(p.symbol) ?? p.entryPrice)) / this.leverageOf(p.symbol);
    }
    return used;
  }

  available(): number {
    return this.wallet - this.usedMargin();
  }

  unrealizedPnl(p: PositionState): number {
    const mark = this.market.markPrice(p.symbol) ?? p.entryPrice;
    return (mark - p.entryPrice) * p.amount;
  }

  liquidationPrice(p: PositionState): number {
    const margin = p.isolatedWallet > 0 ? p.isolatedWallet : this.wallet;
    return liquidationPrice({
      side: p.amount > 0 ? 'long' : 'short',
      entryPrice: p.entryPrice,
      quantity: Math.abs(p.amount),
      margin,
      maintenanceMarginRate: this.market.maintenanceRate(p.symbol),
      maintenanceAmount: 0,
    });
  }

  isClientIdTaken(clientId: string): boolean {
    const counts = this.clientIdScope === 'ever';
    return (
      this.orders.some((o) => o.clientOrderId === clientId && (counts || o.status === 'NEW')) ||
      this.algoOrders.some((o) => o.clientAlgoId === clientId && (counts || o.algoStatus === 'NEW'))
    );
  }

  /** A market order: validated like Binance, then filled at the last price. */
  placeMarketOrder(order: NewOrder, now: number, triggeredBy?: AlgoOrder, byVenue = false): BookOrder {
    const filters = this.requireFilters(order.symbol, order.quantity);
    const price = this.market.lastPrice(order.symbol);
    if (price === undefined) throw venueErrors.invalidSymbol();
    if (!triggeredBy && !byVenue && this.isClientIdTaken(order.clientOrderId)) throw venueErrors.duplicateClientId();
    if (!order.reduceOnly && this.refusesOpening?.(order.symbol)) throw venueErrors.symbolNotOpening();
    const executed = this.checkReduceOnlyAndMargin(order, filters, price, this.oversizeReduceOnly);
    const record: BookOrder = {
      orderId: this.nextOrderId++,
      symbol: order.symbol,
      clientOrderId: order.clientOrderId,
      side: order.side,
      type: 'MARKET',
      origType: triggeredBy?.orderType ?? 'MARKET',
      status: 'FILLED',
      price: 0,
      timeInForce: 'GTC',
      origQty: order.quantity,
      executedQty: executed,
      avgPrice: price,
      reduceOnly: order.reduceOnly,
      stopPrice: 0,
      workingType: 'CONTRACT_PRICE',
      time: now,
      updateTime: now,
    };
    this.orders.push(record);
    this.fill(record, price, now);
    return record;
  }

  /**
   * A limit order with timeInForce IOC: it takes what it can at once at the book price (the last price, up to
   * `depth`) if that is within its limit, and the rest expires. The venue answers FILLED, or EXPIRED with the part
   * filled in executedQty (possibly 0). Resting limit orders (GTC, GTX) are not modelled.
   */
  placeLimitIocOrder(order: NewLimitOrder, now: number): BookOrder {
    const filters = this.requireFilters(order.symbol, order.quantity);
    if (order.timeInForce !== 'IOC') throw venueErrors.invalidTimeInForce();
    if (!(order.price > 0) || !isMultipleOf(order.price, filters.tickSize)) throw venueErrors.priceNotOnTick();
    const price = this.market.lastPrice(order.symbol);
    if (price === undefined) throw venueErrors.invalidSymbol();
    if (this.isClientIdTaken(order.clientOrderId)) throw venueErrors.duplicateClientId();
    if (!order.reduceOnly && this.refusesOpening?.(order.symbol)) throw venueErrors.symbolNotOpening();
    // The venue values a limit order at its own price for the minimum notional and the margin it needs.
    this.checkReduceOnlyAndMargin(order, filters, order.price, 'reject');
    const reachable = order.side === 'BUY' ? price <= order.price : price >= order.price;
    const executed = reachable ? Math.min(order.quantity, this.depth.get(order.symbol) ?? order.quantity) : 0;
    const record: BookOrder = {
      orderId: this.nextOrderId++,
      symbol: order.symbol,
      clientOrderId: order.clientOrderId,
      side: order.side,
      type: 'LIMIT',
      origType: 'LIMIT',
      status: executed === order.quantity ? 'FILLED' : 'EXPIRED',
      price: order.price,
      timeInForce: order.timeInForce,
      origQty: order.quantity,
      executedQty: executed,
      avgPrice: executed > 0 ? price : 0,
      reduceOnly: order.reduceOnly,
      stopPrice: 0,
      workingType: 'CONTRACT_PRICE',
      time: now,
      updateTime: now,
    };
    this.orders.push(record);
    if (executed > 0) this.fill(record, price, now);
    return record;
  }

  placeAlgoOrder(order: NewAlgoOrder, now: number): AlgoOrder {
    const filters = this.requireFilters(order.symbol, order.quantity);
    if (order.orderType !== 'STOP_MARKET' && order.orderType !== 'TAKE_PROFIT_MARKET') {
      throw venueErrors.unsupportedOrderType();
    }
    if (!(order.triggerPrice > 0) || !isMultipleOf(order.triggerPrice, filters.tickSize)) throw venueErrors.precision();
    if (this.isClientIdTaken(order.clientOrderId)) throw venueErrors.duplicateClientId();
    const algo: AlgoOrder = {
      algoId: this.nextAlgoId++,
      clientAlgoId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      orderType: order.orderType,
      quantity: order.quantity,
      triggerPrice: order.triggerPrice,
      workingType: order.workingType,
      reduceOnly: order.reduceOnly,
      algoStatus: 'NEW',
      createTime: now,
      updateTime: now,
      triggerTime: 0,
    };
    if (this.shouldTrigger(algo)) throw venueErrors.wouldTrigger();
    this.algoOrders.push(algo);
    return algo;
  }

  /** Fires every resting conditional order of `symbol` that the current prices have crossed. */
  evaluateTriggers(symbol: string, now: number): AlgoOrder[] {
    const fired: AlgoOrder[] = [];
    for (const algo of this.algoOrders) {
      if (algo.symbol !== symbol || algo.algoStatus !== 'NEW' || !this.shouldTrigger(algo)) continue;
      algo.triggerTime = now;
      algo.updateTime = now;
      try {
        const order = this.placeMarketOrder(
          {
            symbol,
            side: algo.side,
            quantity: algo.quantity,
            reduceOnly: algo.reduceOnly,
            // The venue gives the order it creates on trigger an id of its own.
            clientOrderId: `triggered-${algo.algoId}`,
          },
          now,
          algo,
        );
        algo.algoStatus = 'FINISHED';
        algo.actualOrderId = order.orderId;
        algo.actualPrice = order.avgPrice;
      } catch {
        // A reduce-only stop with nothing left to reduce expires, as on the venue.
        algo.algoStatus = 'EXPIRED';
      }
      fired.push(algo);
    }
    return fired;
  }

  /**
   * The liquidation engine taking over a position: the symbol's conditional orders are cancelled and the position
   * is closed reduce-only at the last price, under an `autoclose-` client id as on Binance.
   */
  liquidate(symbol: string, now: number): BookOrder | undefined {
    const position = this.position(symbol);
    if (!position) return undefined;
    for (const algo of this.algoOrders) {
      if (algo.symbol !== symbol || algo.algoStatus !== 'NEW') continue;
      algo.algoStatus = 'CANCELED';
      algo.updateTime = now;
    }
    const order = this.placeMarketOrder(
      {
        symbol,
        side: position.amount > 0 ? 'SELL' : 'BUY',
        quantity: Math.abs(position.amount),
        reduceOnly: true,
        clientOrderId: `autoclose-${now}`,
      },
      now,
      undefined,
      true,
    );
    order.origType = 'LIQUIDATION';
    return order;
  }

  settleFunding(symbol: string, rate: number, now: number): IncomeRecord | undefined {
    const position = this.position(symbol);
    if (!position) return undefined;
    const mark = this.market.markPrice(symbol) ?? position.entryPrice;
    const amount = -rate * position.amount * mark;
    this.wallet += amount;
    const record: IncomeRecord = {
      tranId: this.nextTranId++,
      symbol,
      incomeType: 'FUNDING_FEE',
      income: amount,
      asset: 'USDT',
      time: now,
      tradeId: '',
    };
    this.income.push(record);
    return record;
  }

  private shouldTrigger(algo: AlgoOrder): boolean {
    const reference =
      algo.workingType === 'MARK_PRICE' ? this.market.markPrice(algo.symbol) : this.market.lastPrice(algo.symbol);
    if (reference === undefined) return false;
    const stopBelow = (algo.orderType === 'STOP_MARKET') === (algo.side === 'SELL');
    return stopBelow ? reference <= algo.triggerPrice : reference >= algo.triggerPrice;
  }

  /** Refuses what the venue refuses; answers the quantity the order will fill (a reduce-only one may be trimmed). */
  private checkReduceOnlyAndMargin(
    order: NewOrder,
    filters: SymbolFilters,
    price: number,
    oversize: OversizeReduceOnly,
  ): number {
    const position = this.position(order.symbol);
    const signedQty = order.side === 'BUY' ? order.quantity : -order.quantity;
    if (order.reduceOnly) {
      if (!position || Math.sign(position.amount) === Math.sign(signedQty)) throw venueErrors.reduceOnlyRejected();
      const open = Math.abs(position.amount);
      if (order.quantity <= open + 1e-12) return order.quantity;
      if (oversize === 'reject') throw venueErrors.reduceOnlyRejected();
      return open;
    }
    const notional = order.quantity * price;
    if (notional < filters.minNotional) throw venueErrors.notionalTooSmall(filters.minNotional);
    const increases = !position || Math.sign(position.amount) === Math.sign(signedQty);
    const fee = notional * this.takerFeeRate;
    if (increases && notional / this.leverageOf(order.symbol) + fee > this.available()) {
      throw venueErrors.marginInsufficient();
    }
    return order.quantity;
  }

  private requireFilters(symbol: string, quantity: number): SymbolFilters {
    const filters = this.market.filters(symbol);
    if (!filters) throw venueErrors.invalidSymbol();
    if (!(quantity > 0)) throw venueErrors.quantityTooSmall();
    if (!isMultipleOf(quantity, filters.stepSize)) throw venueErrors.precision();
    if (quantity < filters.minQty) throw venueErrors.quantityTooSmall();
    return filters;
  }

  private bnbPrice(): number {
    const price = this.market.lastPrice('BNBUSDT');
    if (price === undefined || !(price > 0)) throw new Error('commission in BNB needs a BNBUSDT price (setPrice)');
    return price;
  }

  private fill(order: BookOrder, price: number, now: number): void {
    const symbol = order.symbol;
    const signedQty = order.side === 'BUY' ? order.executedQty : -order.executedQty;
    const position = this.positionsBySymbol.get(symbol) ?? {
      symbol,
      amount: 0,
      entryPrice: 0,
      isolatedWallet: 0,
      updateTime: now,
    };
    const fee = order.executedQty * price * this.takerFeeRate;
    const commissionAsset = this.commissionAsset;
    const commission = commissionAsset === 'USDT' ? fee : fee / this.bnbPrice();
    let realized = 0;
    if (position.amount === 0 || Math.sign(position.amount) === Math.sign(signedQty)) {
      const newAmount = position.amount + signedQty;
      position.entryPrice = (position.entryPrice * position.amount + price * signedQty) / newAmount;
      position.amount = newAmount;
      if (this.marginType.get(symbol) === 'ISOLATED') {
        position.isolatedWallet += (order.executedQty * price) / this.leverageOf(symbol);
      }
    } else {
      const closing = Math.min(Math.abs(signedQty), Math.abs(position.amount));
      realized = (price - position.entryPrice) * closing * Math.sign(position.amount);
      const remaining = onLot(Math.abs(position.amount) - closing, this.market.filters(symbol)?.stepSize);
      position.isolatedWallet = remaining === 0 ? 0 : position.isolatedWallet * (remaining / Math.abs(position.amount));
      position.amount = Math.sign(position.amount) * remaining;
      if (remaining === 0) position.entryPrice = 0;
    }
    position.updateTime = now;
    this.positionsBySymbol.set(symbol, position);
    this.wallet += realized - (commissionAsset === 'USDT' ? commission : 0);
    const trade: TradeRecord = {
      id: this.nextTradeId++,
      orderId: order.orderId,
      symbol,
      side: order.side,
      price,
      qty: order.executedQty,
      realizedPnl: realized,
      commission,
      commissionAsset,
      time: now,
    };
    this.trades.push(trade);
    this.income.push({
      tranId: this.nextTranId++,
      symbol,
      incomeType: 'COMMISSION',
      income: -commission,
      asset: commissionAsset,
      time: now,
      tradeId: String(trade.id),
    });
    if (realized !== 0) {
      this.income.push({
        tranId: this.nextTranId++,
        symbol,
        incomeType: 'REALIZED_PNL',
        income: realized,
        asset: 'USDT',
        time: now,
        tradeId: String(trade.id),
      });
    }
  }
}
