// The book's records in Binance USDⓈ-M's JSON shapes (numbers as strings, as the venue sends them).
import type { AccountBook, AlgoOrder, BookOrder, IncomeRecord, PositionState, TradeRecord } from './account-book.js';

export interface Precision {
  price(symbol: string): number;
  quantity(symbol: string): number;
}

const money = (value: number): string => value.toFixed(8);

export function orderJson(order: BookOrder, p: Precision): Record<string, unknown> {
  const priceDp = p.price(order.symbol);
  const qtyDp = p.quantity(order.symbol);
  return {
    orderId: order.orderId,
    symbol: order.symbol,
    status: order.status,
    clientOrderId: order.clientOrderId,
    price: order.price.toFixed(priceDp),
    avgPrice: order.avgPrice.toFixed(priceDp),
    origQty: order.origQty.toFixed(qtyDp),
    executedQty: order.executedQty.toFixed(qtyDp),
    cumQty: order.executedQty.toFixed(qtyDp),
    cumQuote: (order.executedQty * order.avgPrice).toFixed(5),
    timeInForce: order.timeInForce,
    type: order.type,
    reduceOnly: order.reduceOnly,
    closePosition: false,
    side: order.side,
    positionSide: 'BOTH',
    stopPrice: order.stopPrice.toFixed(priceDp),
    workingType: order.workingType,
    priceProtect: false,
    origType: order.origType,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    time: order.time,
    updateTime: order.updateTime,
  };
}

export function algoJson(algo: AlgoOrder, p: Precision, book: AccountBook): Record<string, unknown> {
  const priceDp = p.price(algo.symbol);
  const qtyDp = p.quantity(algo.symbol);
  const actual = algo.actualOrderId === undefined ? undefined : book.orders.find((o) => o.orderId === algo.actualOrderId);
  return {
    algoId: algo.algoId,
    clientAlgoId: algo.clientAlgoId,
    algoType: 'CONDITIONAL',
    orderType: algo.orderType,
    symbol: algo.symbol,
    side: algo.side,
    positionSide: 'BOTH',
    timeInForce: 'GTC',
    quantity: algo.quantity.toFixed(qtyDp),
    algoStatus: algo.algoStatus,
    actualOrderId: algo.actualOrderId === undefined ? '' : String(algo.actualOrderId),
    actualPrice: (algo.actualPrice ?? 0).toFixed(5),
    executedQty: (actual?.executedQty ?? 0).toFixed(qtyDp),
    triggerPrice: algo.triggerPrice.toFixed(priceDp),
    price: (0).toFixed(priceDp),
    icebergQuantity: null,
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: algo.workingType,
    priceMatch: 'NONE',
    closePosition: false,
    priceProtect: false,
    reduceOnly: algo.reduceOnly,
    createTime: algo.createTime,
    updateTime: algo.updateTime,
    triggerTime: algo.triggerTime,
    goodTillDate: 0,
  };
}

export function positionJson(position: PositionState, book: AccountBook, mark: number, p: Precision): Record<string, unknown> {
  const notional = position.amount * mark;
  const unrealized = book.unrealizedPnl(position);
  const initialMargin = Math.abs(notional) / book.leverageOf(position.symbol);
  const isolated = position.isolatedWallet > 0;
  return {
    symbol: position.symbol,
    positionSide: 'BOTH',
    positionAmt: position.amount.toFixed(p.quantity(position.symbol)),
    entryPrice: String(Number(position.entryPrice.toFixed(8))),
    breakEvenPrice: String(Number(position.entryPrice.toFixed(8))),
    markPrice: money(mark),
    unRealizedProfit: money(unrealized),
    liquidationPrice: money(book.liquidationPrice(position)),
    isolatedMargin: money(isolated ? position.isolatedWallet + unrealized : 0),
    notional: money(notional),
    marginAsset: 'USDT',
    isolatedWallet: money(position.isolatedWallet),
    initialMargin: money(initialMargin),
    maintMargin: money(0),
    positionInitialMargin: money(initialMargin),
    openOrderInitialMargin: '0',
    adl: 1,
    bidNotional: '0',
    askNotional: '0',
    updateTime: position.updateTime,
  };
}

export function tradeJson(trade: TradeRecord, p: Precision): Record<string, unknown> {
  return {
    symbol: trade.symbol,
    id: trade.id,
    orderId: trade.orderId,
    side: trade.side,
    price: trade.price.toFixed(p.price(trade.symbol)),
    qty: trade.qty.toFixed(p.quantity(trade.symbol)),
    realizedPnl: money(trade.realizedPnl),
    marginAsset: 'USDT',
    quoteQty: (trade.price * trade.qty).toFixed(5),
    commission: money(trade.commission),
    commissionAsset: trade.commissionAsset,
    time: trade.time,
    positionSide: 'BOTH',
    maker: false,
    buyer: trade.side === 'BUY',
  };
}

export function incomeJson(income: IncomeRecord): Record<string, unknown> {
  return {
    symbol: income.symbol,
    incomeType: income.incomeType,
    income: money(income.income),
    asset: income.asset,
    info: income.incomeType,
    time: income.time,
    tranId: income.tranId,
    tradeId: income.tradeId,
  };
}

export function accountJson(book: AccountBook, marks: (symbol: string) => number, p: Precision, now: number): Record<string, unknown> {
  const positions = book.openPositions();
  const unrealized = positions.reduce((total, position) => total + book.unrealizedPnl(position), 0);
  const used = book.usedMargin();
  const available = book.available();
  const asset = {
    asset: 'USDT',
    walletBalance: money(book.wallet),
    unrealizedProfit: money(unrealized),
    marginBalance: money(book.wallet + unrealized),
    maintMargin: money(0),
    initialMargin: money(used),
    positionInitialMargin: money(used),
    openOrderInitialMargin: money(0),
    crossWalletBalance: money(book.wallet - used),
    crossUnPnl: money(0),
    availableBalance: money(available),
    maxWithdrawAmount: money(available),
    updateTime: now,
  };
  return {
    totalInitialMargin: money(used),
    totalMaintMargin: money(0),
    totalWalletBalance: money(book.wallet),
    totalUnrealizedProfit: money(unrealized),
    totalMarginBalance: money(book.wallet + unrealized),
    totalPositionInitialMargin: money(used),
    totalOpenOrderInitialMargin: money(0),
    totalCrossWalletBalance: money(book.wallet - used),
    totalCrossUnPnl: money(0),
    availableBalance: money(available),
    maxWithdrawAmount: money(available),
    assets: [asset],
    positions: positions.map((position) => ({
      symbol: position.symbol,
      positionSide: 'BOTH',
      positionAmt: position.amount.toFixed(p.quantity(position.symbol)),
      unrealizedProfit: money(book.unrealizedPnl(position)),
      isolatedMargin: money(position.isolatedWallet),
      notional: money(position.amount * marks(position.symbol)),
      isolatedWallet: money(position.isolatedWallet),
      initialMargin: money(Math.abs(position.amount * marks(position.symbol)) / book.leverageOf(position.symbol)),
      maintMargin: money(0),
      updateTime: position.updateTime,
    })),
  };
}
