// Bybit v5 (unified trading account, linear perpetuals) in the venue's own shapes: `{ retCode, retMsg, result }`
// with HTTP 200 for refusals, HMAC-SHA256 over timestamp + key + recvWindow + (query | body) in X-BAPI-* headers,
// conditional orders in the same order list (`Untriggered` until they fire, then `Filled` under the same id).
import { createHmac } from 'node:crypto';
import type { AccountBook, AlgoOrder, BookOrder, TradeRecord } from '../binance-usdm/account-book.js';
import { INTERVAL_MS } from '../binance-usdm/klines.js';
import { VenueError } from '../binance-usdm/venue-error.js';
import type { DialectAnswer, PerpRequest, PerpVenueState, VenueDialect } from '../perp-venue/perp-venue.js';
import type { FaultAnswers } from '../venue-faults/random-faults.js';
import { BybitStream } from './bybit-stream.js';

export const BYBIT_API_KEY = 'bybit-test-key-0123456789';
export const BYBIT_SECRET = 'bybit-test-secret-do-not-leak-5a4b3c';

/** What `GET /v5/user/query-api` reports: a trade-only key bound to one IP unless a test says otherwise. */
export interface BybitKeyInfo {
  readOnly: number;
  ips: string[];
  permissions: Record<string, string[]>;
}

export const SAFE_BYBIT_KEY: BybitKeyInfo = {
  readOnly: 0,
  ips: ['127.0.0.1'],
  permissions: {
    ContractTrade: ['Order', 'Position'],
    Spot: [],
    Wallet: [],
    Options: [],
    Derivatives: [],
    CopyTrading: [],
    BlockTrade: [],
    Exchange: [],
    NFT: [],
    Affiliate: [],
  },
};

type Json = Record<string, unknown>;

/** One risk limit (Bybit's leverage bracket): positions up to `riskLimitValue` USDT, with its margins and leverage. */
export interface BybitRiskLimit {
  readonly riskLimitValue: number;
  readonly maintenanceMargin: number;
  readonly initialMargin: number;
  readonly maxLeverage: number;
}

/** A ladder in the shape of Bybit's linear tables: each step adds a notional, margin rates rise, leverage falls. */
function riskLadder(step: number, firstMaintenance: number): BybitRiskLimit[] {
  return [1, 2, 3, 4, 5].map((n) => ({
    riskLimitValue: step * n,
    maintenanceMargin: firstMaintenance + 0.005 * (n - 1),
    initialMargin: 0.01 + 0.005 * (n - 1),
    maxLeverage: Math.floor(10_000 / (1 + 0.5 * (n - 1))) / 100,
  }));
}

const bybitError = (code: number, message: string): VenueError => new VenueError(200, code, message);

/** The book's refusals (Binance codes) in Bybit's words. */
const TRANSLATED: Readonly<Record<number, [number, string]>> = {
  [-2019]: [110007, 'ab not enough for new order'],
  [-2022]: [110017, 'Reduce-only rule not satisfied'],
  [-2021]: [110092, 'expect Falling, but trigger_price is higher than current market price'],
  [-4164]: [110094, 'Order does not meet minimum order value 5USDT'],
  [-4116]: [110072, 'OrderLinkedID is duplicate'],
  [-2011]: [110001, 'Order does not exist'],
  [-2013]: [110001, 'Order does not exist'],
  [-1121]: [10001, 'params error: symbol invalid'],
};

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60_000;
const ok = (result: unknown, now: number): Json => ({ retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: now });
const str = (value: number): string => String(Number(value.toFixed(10)));
const side = (wire: 'BUY' | 'SELL'): string => (wire === 'BUY' ? 'Buy' : 'Sell');
const conditionalId = (algo: AlgoOrder): string => `c${algo.algoId}`;

/**
 * Bybit turning requests away: the account's rate limit is an HTTP 200 with retCode 10006 "Too many visits!" and the
 * X-Bapi-Limit-* headers; an IP over its limit gets HTTP 403 and is banned for a while (both per Bybit's v5 "Rate
 * Limit" page, bybit-exchange.github.io/docs/derivatives/rate-limit); an internal error is retCode 10016; the
 * gateway in front answers 503 when the service is away.
 */
const BYBIT_FAULT_ANSWERS: FaultAnswers = {
  rate_limit: {
    status: 200,
    headers: { 'X-Bapi-Limit': '10', 'X-Bapi-Limit-Status': '0' },
    body: { retCode: 10006, retMsg: 'Too many visits!', result: {}, retExtInfo: {} },
  },
  ip_ban: { status: 403, body: 'access too frequent' },
  server_error: { status: 200, body: { retCode: 10016, retMsg: 'Internal system error.', result: {}, retExtInfo: {} } },
  unavailable: { status: 503, body: 'Service Unavailable' },
};

export class BybitDialect implements VenueDialect {
  readonly name = 'bybit';
  // Bybit truncates a reduce-only quantity to the position: its v5 error table (bybit-exchange.github.io/docs/v5/error)
  // has 110017 "orderQty will be truncated to zero", whose message on the wire is "current position is zero, cannot fix
  // reduce-only order qty"; and closeOnTrigger "can be used to ensure your stop loss reduces your position"
  // (docs/v5/order/create-order). A triggered full-size stop therefore closes a smaller remainder.
  readonly oversizeReduceOnly = 'close';
  readonly faultAnswers = BYBIT_FAULT_ANSWERS;
  readonly filters = {
    BTCUSDT: { tickSize: 0.1, stepSize: 0.001, minQty: 0.001, minNotional: 5 },
    ETHUSDT: { tickSize: 0.01, stepSize: 0.01, minQty: 0.01, minNotional: 5 },
  };
  keyInfo: BybitKeyInfo = structuredClone(SAFE_BYBIT_KEY);
  /** One-way (0) or hedge (3) per symbol. */
  readonly positionMode = new Map<string, number>();
  marginMode = 'REGULAR_MARGIN';
  /** False: executions leave `orderLinkId` empty, so a client reads it from the order (`order/realtime` by orderId). */
  executionsCarryLinkId = true;
  /** `GET /v5/market/risk-limit` by symbol, smallest first; a test may replace a symbol's table. */
  readonly riskLimits = new Map<string, BybitRiskLimit[]>([
    ['BTCUSDT', riskLadder(2_000_000, 0.005)],
    ['ETHUSDT', riskLadder(1_000_000, 0.005)],
  ]);
  /** The private websocket: `order` and `execution` topics after `auth`. */
  readonly stream: BybitStream;

  constructor(
    private readonly apiKey = BYBIT_API_KEY,
    private readonly secret = BYBIT_SECRET,
  ) {
    this.stream = new BybitStream(this, apiKey, secret);
  }

  bookSymbol(symbol: string): string {
    return symbol.includes('/') ? symbol.replace(/\/(\w+):\w+$/, '$1') : symbol;
  }

  params(query: Record<string, string>, body: unknown): Record<string, unknown> {
    return { ...query, ...(body && typeof body === 'object' ? (body as Json) : {}) };
  }

  refusal(error: VenueError): DialectAnswer {
    const [code, message] = error.code > 0 ? [error.code, error.msg] : (TRANSLATED[error.code] ?? [10001, `params error: ${error.msg}`]);
    return { status: 200, body: { retCode: code, retMsg: message, result: {}, retExtInfo: {}, time: Date.now() } };
  }

  route(request: PerpRequest, venue: PerpVenueState): unknown {
    const key = `${request.method} ${request.path}`;
    const p = request.params;
    const now = venue.now;
    switch (key) {
      case 'GET /v5/market/time':
        return ok({ timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` }, now);
      case 'GET /v5/market/instruments-info':
        return ok({ category: 'linear', list: Object.keys(this.filters).map((id) => this.instrument(venue, id)), nextPageCursor: '' }, now);
      case 'GET /v5/market/tickers':
        return ok({ category: 'linear', list: this.symbols(venue, p).map((id) => this.ticker(venue, id)) }, now);
      case 'GET /v5/market/kline':
        return ok({ category: 'linear', symbol: p['symbol'], list: this.klines(venue, p, false) }, now);
      case 'GET /v5/market/mark-price-kline':
        return ok({ category: 'linear', symbol: p['symbol'], list: this.klines(venue, p, true) }, now);
      case 'GET /v5/market/funding/history':
        return ok({ category: 'linear', list: this.fundingRates(venue, p) }, now);
      case 'GET /v5/market/risk-limit':
        return ok({ category: 'linear', list: this.riskLimitList(p), nextPageCursor: '' }, now);
    }
    this.authenticate(request);
    switch (key) {
      case 'GET /v5/user/query-api':
        return ok({ id: '1', note: 'daemon', apiKey: this.apiKey, secret: '', type: 1, unified: 0, uta: 1, isMaster: true, ...this.keyInfo }, now);
      case 'GET /v5/account/info':
        return ok({ unifiedMarginStatus: 4, marginMode: this.marginMode, isMasterTrader: false, spotHedgingStatus: 'OFF', updatedTime: String(now) }, now);
      case 'GET /v5/account/wallet-balance':
        return ok({ list: [this.wallet(venue)] }, now);
      case 'POST /v5/account/set-margin-mode':
        this.marginMode = String(p['setMarginMode']);
        // On the unified account the margin mode is the account's: every symbol follows it.
        for (const id of Object.keys(this.filters)) venue.book.marginType.set(id, this.marginMode === 'ISOLATED_MARGIN' ? 'ISOLATED' : 'CROSSED');
        return ok({ reasons: [] }, now);
      case 'POST /v5/position/switch-mode': {
        const id = String(p['symbol'] ?? '');
        const mode = Number(p['mode']);
        if ((this.positionMode.get(id) ?? 0) === mode) throw bybitError(110025, 'Position mode is not modified');
        this.positionMode.set(id, mode);
        return ok({}, now);
      }
      case 'POST /v5/position/set-leverage': {
        const id = this.requireSymbol(p);
        const leverage = Number(p['buyLeverage']);
        if (venue.book.leverage.get(id) === leverage) throw bybitError(110043, 'Set leverage not modified');
        venue.book.leverage.set(id, leverage);
        return ok({}, now);
      }
      case 'POST /v5/order/create':
        return ok(this.create(venue, p), now);
      case 'POST /v5/order/cancel':
        return ok(this.cancel(venue, p), now);
      case 'GET /v5/order/realtime':
        return ok({ category: 'linear', list: this.orders(venue, p), nextPageCursor: '' }, now);
      case 'GET /v5/position/list':
        return ok({ category: 'linear', list: this.positions(venue, p), nextPageCursor: '' }, now);
      case 'GET /v5/execution/list':
        return ok({ category: 'linear', list: this.executions(venue, p, now), nextPageCursor: '' }, now);
    }
    throw bybitError(10001, `unknown path ${key}`);
  }

  private authenticate(request: PerpRequest): void {
    const h = request.headers;
    if (h['x-bapi-api-key'] !== this.apiKey) throw bybitError(10003, 'API key is invalid.');
    const payload = request.method === 'GET' ? (h['rawQuery'] ?? '') : (h['rawBody'] ?? '');
    const expected = createHmac('sha256', this.secret)
      .update(`${h['x-bapi-timestamp'] ?? ''}${this.apiKey}${h['x-bapi-recv-window'] ?? ''}${payload}`)
      .digest('hex');
    if (h['x-bapi-sign'] !== expected) throw bybitError(10004, 'error sign! origin_string[...]');
  }

  private requireSymbol(p: Readonly<Json>): string {
    const id = String(p['symbol'] ?? '');
    if (!(id in this.filters)) throw bybitError(10001, 'params error: symbol invalid');
    return id;
  }

  private symbols(venue: PerpVenueState, p: Readonly<Json>): string[] {
    return p['symbol'] ? [this.requireSymbol(p)] : Object.keys(this.filters).filter((id) => venue.lastPrice(id) !== undefined);
  }

  private instrument(venue: PerpVenueState, id: string): Json {
    const f = this.filters[id as keyof typeof this.filters];
    return {
      symbol: id,
      contractType: 'LinearPerpetual',
      status: 'Trading',
      baseCoin: id.replace(/USDT$/, ''),
      quoteCoin: 'USDT',
      settleCoin: 'USDT',
      launchTime: '1584230400000',
      deliveryTime: '0',
      deliveryFeeRate: '',
      priceScale: String(Math.max(0, -Math.log10(f.tickSize))),
      leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
      priceFilter: { minPrice: str(f.tickSize), maxPrice: '1999999.80', tickSize: str(f.tickSize) },
      lotSizeFilter: { maxOrderQty: '1190', minOrderQty: str(f.minQty), qtyStep: str(f.stepSize), postOnlyMaxOrderQty: '1190', maxMktOrderQty: '500', minNotionalValue: str(f.minNotional) },
      unifiedMarginTrade: true,
      // Minutes, as Bybit gives it.
      fundingInterval: venue.fundingIntervalHours(id) * 60,
      copyTrading: 'both',
      upperFundingRate: '0.00375',
      lowerFundingRate: '-0.00375',
    };
  }

  private ticker(venue: PerpVenueState, id: string): Json {
    const last = venue.lastPrice(id) ?? 0;
    const day = venue.candles(id, INTERVAL_MS['15m'] as number).filter((c) => c.openTime > venue.now - 86_400_000);
    const open = day[0]?.open ?? last;
    const volume = day.reduce((total, c) => total + c.volume, 0);
    const turnover = day.reduce((total, c) => total + c.volume * c.close, 0);
    return {
      symbol: id,
      lastPrice: str(last),
      markPrice: str(venue.markPrice(id) ?? last),
      indexPrice: str(venue.markPrice(id) ?? last),
      prevPrice24h: str(open),
      price24hPcnt: open === 0 ? '0' : str((last - open) / open),
      highPrice24h: str(Math.max(last, ...day.map((c) => c.high))),
      lowPrice24h: str(Math.min(last, ...day.map((c) => c.low))),
      volume24h: str(volume),
      turnover24h: str(turnover),
      fundingRate: str(venue.currentFundingRate(id)),
      nextFundingTime: String(venue.nextFundingTime(id)),
      bid1Price: str(last),
      ask1Price: str(last),
      bid1Size: '1',
      ask1Size: '1',
      openInterest: '1000',
    };
  }

  /** Bybit's window: candles from `start` (or the latest `limit` up to `end`), newest first. */
  private klines(venue: PerpVenueState, p: Readonly<Json>, mark: boolean): string[][] {
    const id = this.requireSymbol(p);
    const interval = String(p['interval']);
    const ms = interval === 'D' ? 86_400_000 : Number(interval) * 60_000;
    const rows = mark ? venue.markCandles(id, ms) : venue.candles(id, ms);
    const limit = Math.min(Number(p['limit'] ?? 200), 1000);
    const start = p['start'] === undefined ? undefined : Number(p['start']);
    const end = p['end'] === undefined ? undefined : Number(p['end']);
    const inRange = rows.filter((r) => (start === undefined || r.openTime >= start) && (end === undefined || r.openTime <= end));
    const chosen = start !== undefined && end === undefined ? inRange.slice(0, limit) : inRange.slice(-limit);
    return chosen
      .reverse()
      .map((r) => (mark ? [r.openTime, r.open, r.high, r.low, r.close] : [r.openTime, r.open, r.high, r.low, r.close, r.volume, r.volume * r.close]).map((v) => String(v)));
  }

  /** The risk limits of one symbol or of all, as Bybit lists them (ids counting up per symbol). */
  private riskLimitList(p: Readonly<Json>): Json[] {
    const ids = p['symbol'] ? [this.requireSymbol(p)] : [...this.riskLimits.keys()];
    return ids.flatMap((symbol) =>
      (this.riskLimits.get(symbol) ?? []).map((limit, index) => ({
        id: index + 1,
        symbol,
        riskLimitValue: str(limit.riskLimitValue),
        maintenanceMargin: str(limit.maintenanceMargin),
        initialMargin: str(limit.initialMargin),
        isLowestRisk: index === 0 ? 1 : 0,
        maxLeverage: limit.maxLeverage.toFixed(2),
        mmDeduction: '',
      })),
    );
  }

  /** The book's maintenance rate: the first risk limit's. */
  maintenanceRate(id: string): number | undefined {
    return this.riskLimits.get(id)?.[0]?.maintenanceMargin;
  }

  private fundingRates(venue: PerpVenueState, p: Readonly<Json>): Json[] {
    const id = this.requireSymbol(p);
    const start = Number(p['startTime'] ?? 0);
    const end = Number(p['endTime'] ?? venue.now);
    return venue
      .fundingHistory(id)
      .filter((f) => f.time >= start && f.time <= end)
      .slice(-Number(p['limit'] ?? 200))
      .reverse()
      .map((f) => ({ symbol: id, fundingRate: str(f.rate), fundingRateTimestamp: String(f.time) }));
  }

  private wallet(venue: PerpVenueState): Json {
    const book = venue.book;
    const upnl = book.openPositions().reduce((total, p) => total + book.unrealizedPnl(p), 0);
    return {
      accountType: 'UNIFIED',
      totalEquity: str(book.wallet + upnl),
      totalWalletBalance: str(book.wallet),
      totalMarginBalance: str(book.wallet + upnl),
      totalAvailableBalance: str(book.available()),
      totalPerpUPL: str(upnl),
      totalInitialMargin: str(book.usedMargin()),
      totalMaintenanceMargin: '0',
      accountIMRate: '0',
      accountMMRate: '0',
      accountLTV: '0',
      coin: [
        {
          coin: 'USDT',
          equity: str(book.wallet + upnl),
          walletBalance: str(book.wallet),
          unrealisedPnl: str(upnl),
          totalPositionIM: str(book.usedMargin()),
          totalOrderIM: '0',
          locked: '0',
          availableToWithdraw: str(book.available()),
          borrowAmount: '0',
          cumRealisedPnl: '0',
          usdValue: str(book.wallet + upnl),
          marginCollateral: true,
          collateralSwitch: true,
        },
      ],
    };
  }

  private create(venue: PerpVenueState, p: Readonly<Json>): Json {
    const id = this.requireSymbol(p);
    if ((this.positionMode.get(id) ?? 0) !== 0) throw bybitError(10001, 'position idx not match position mode');
    const wireSide = p['side'] === 'Buy' ? 'BUY' : p['side'] === 'Sell' ? 'SELL' : undefined;
    if (!wireSide) throw bybitError(10001, 'params error: side invalid');
    const quantity = Number(p['qty']);
    // Bybit's documented rule: up to 36 letters, digits, dashes and underscores.
    if (p['orderLinkId'] !== undefined && !/^[A-Za-z0-9_-]{1,36}$/.test(String(p['orderLinkId']))) throw bybitError(10001, 'params error: orderLinkId invalid');
    const clientOrderId = String(p['orderLinkId'] ?? `bybit-${venue.book.orders.length + venue.book.algoOrders.length}`);
    const reduceOnly = p['reduceOnly'] === true;
    const base = { symbol: id, side: wireSide as 'BUY' | 'SELL', quantity, reduceOnly, clientOrderId };
    if (p['triggerPrice'] !== undefined) {
      const direction = Number(p['triggerDirection']);
      // A falling trigger (2) is a sell's stop below the price; a rising one (1) a buy's stop above it.
      if (!(direction === 1 || direction === 2)) throw bybitError(10001, 'params error: triggerDirection invalid');
      // The venue triggers on the last price unless told otherwise; the index price is not modelled, so it is refused
      // rather than silently read as another source.
      const triggerBy = p['triggerBy'] ?? 'LastPrice';
      if (triggerBy !== 'LastPrice' && triggerBy !== 'MarkPrice') throw bybitError(10001, `params error: triggerBy ${String(triggerBy)} not supported here`);
      const algo = venue.book.placeAlgoOrder(
        {
          ...base,
          orderType: (direction === 2) === (wireSide === 'SELL') ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET',
          triggerPrice: Number(p['triggerPrice']),
          workingType: triggerBy === 'MarkPrice' ? 'MARK_PRICE' : 'CONTRACT_PRICE',
        },
        venue.now,
      );
      return { orderId: conditionalId(algo), orderLinkId: algo.clientAlgoId };
    }
    const order =
      p['orderType'] === 'Limit'
        ? venue.book.placeLimitIocOrder({ ...base, price: Number(p['price']), timeInForce: String(p['timeInForce'] ?? 'GTC').toUpperCase() }, venue.now)
        : venue.book.placeMarketOrder(base, venue.now);
    return { orderId: String(order.orderId), orderLinkId: order.clientOrderId };
  }

  private cancel(venue: PerpVenueState, p: Readonly<Json>): Json {
    const orderId = p['orderId'] === undefined ? undefined : String(p['orderId']);
    const link = p['orderLinkId'] === undefined ? undefined : String(p['orderLinkId']);
    const algo = venue.book.algoOrders.find((a) => a.algoStatus === 'NEW' && (conditionalId(a) === orderId || a.clientAlgoId === link));
    if (!algo) throw bybitError(110001, 'Order does not exist');
    algo.algoStatus = 'CANCELED';
    algo.updateTime = venue.now;
    return { orderId: conditionalId(algo), orderLinkId: algo.clientAlgoId };
  }

  /** Open orders, or (asked by id or link id) any recent order of any status. */
  private orders(venue: PerpVenueState, p: Readonly<Json>): Json[] {
    const symbol = p['symbol'] === undefined ? undefined : String(p['symbol']);
    const orderId = p['orderId'] ? String(p['orderId']) : undefined;
    const link = p['orderLinkId'] ? String(p['orderLinkId']) : undefined;
    const book = venue.book;
    const regular = book.orders.filter((o) => !o.clientOrderId.startsWith('triggered-')).map((o) => this.orderJson(o));
    const conditional = book.algoOrders.map((a) => this.conditionalJson(book, a));
    // Newest first, as the venue lists them.
    const all = [...regular, ...conditional]
      .map((o, index) => ({ o, index }))
      .filter(({ o }) => symbol === undefined || o['symbol'] === symbol)
      .sort((a, b) => Number(b.o['createdTime']) - Number(a.o['createdTime']) || b.index - a.index)
      .map(({ o }) => o);
    if (orderId !== undefined || link !== undefined) {
      return all.filter((o) => (orderId === undefined || o['orderId'] === orderId) && (link === undefined || o['orderLinkId'] === link));
    }
    return all.filter((o) => o['orderStatus'] === 'New' || o['orderStatus'] === 'Untriggered');
  }

  orderJson(o: BookOrder): Json {
    return {
      orderId: String(o.orderId),
      orderLinkId: o.clientOrderId,
      symbol: o.symbol,
      side: side(o.side),
      orderType: o.type === 'LIMIT' ? 'Limit' : 'Market',
      price: str(o.price),
      qty: str(o.origQty),
      cumExecQty: str(o.executedQty),
      cumExecValue: str(o.executedQty * o.avgPrice),
      cumExecFee: '0',
      avgPrice: o.executedQty > 0 ? str(o.avgPrice) : '',
      leavesQty: '0',
      orderStatus: o.status === 'FILLED' ? 'Filled' : o.status === 'NEW' ? 'New' : 'Cancelled',
      timeInForce: o.timeInForce === 'IOC' ? 'IOC' : 'GTC',
      reduceOnly: o.reduceOnly,
      closeOnTrigger: false,
      triggerPrice: '',
      triggerBy: '',
      triggerDirection: 0,
      stopOrderType: '',
      // Contract orders carry it (ccxt tells a pushed contract order from a spot one by it).
      tpslMode: 'UNKNOWN',
      positionIdx: 0,
      createdTime: String(o.time),
      updatedTime: String(o.updateTime),
    };
  }

  conditionalJson(book: AccountBook, a: AlgoOrder): Json {
    const fill = a.actualOrderId === undefined ? undefined : book.orders.find((o) => o.orderId === a.actualOrderId);
    const status = { NEW: 'Untriggered', FINISHED: 'Filled', CANCELED: 'Deactivated', EXPIRED: 'Deactivated' }[a.algoStatus];
    return {
      orderId: conditionalId(a),
      orderLinkId: a.clientAlgoId,
      symbol: a.symbol,
      side: side(a.side),
      orderType: 'Market',
      price: '0',
      qty: str(a.quantity),
      cumExecQty: str(fill?.executedQty ?? 0),
      cumExecValue: str((fill?.executedQty ?? 0) * (fill?.avgPrice ?? 0)),
      cumExecFee: '0',
      avgPrice: fill ? str(fill.avgPrice) : '',
      leavesQty: fill ? '0' : str(a.quantity),
      orderStatus: status,
      timeInForce: 'IOC',
      reduceOnly: a.reduceOnly,
      closeOnTrigger: false,
      triggerPrice: str(a.triggerPrice),
      triggerBy: a.workingType === 'MARK_PRICE' ? 'MarkPrice' : 'LastPrice',
      triggerDirection: (a.orderType === 'STOP_MARKET') === (a.side === 'SELL') ? 2 : 1,
      stopOrderType: 'Stop',
      tpslMode: 'UNKNOWN',
      positionIdx: 0,
      createdTime: String(a.createTime),
      updatedTime: String(a.updateTime),
    };
  }

  private positions(venue: PerpVenueState, p: Readonly<Json>): Json[] {
    const symbol = p['symbol'] === undefined ? undefined : String(p['symbol']);
    const book = venue.book;
    return book
      .openPositions()
      .filter((pos) => symbol === undefined || pos.symbol === symbol)
      .map((pos) => {
        const mark = venue.markPrice(pos.symbol) ?? pos.entryPrice;
        const quantity = Math.abs(pos.amount);
        return {
          symbol: pos.symbol,
          side: pos.amount > 0 ? 'Buy' : 'Sell',
          size: str(quantity),
          avgPrice: str(pos.entryPrice),
          positionValue: str(quantity * pos.entryPrice),
          leverage: String(book.leverageOf(pos.symbol)),
          markPrice: str(mark),
          liqPrice: str(book.liquidationPrice(pos)),
          bustPrice: '',
          positionIM: str(pos.isolatedWallet),
          positionMM: '0',
          positionBalance: str(pos.isolatedWallet),
          unrealisedPnl: str(book.unrealizedPnl(pos)),
          curRealisedPnl: '0',
          cumRealisedPnl: '0',
          positionIdx: 0,
          tradeMode: 1,
          riskId: 1,
          riskLimitValue: '2000000',
          positionStatus: 'Normal',
          autoAddMargin: 0,
          isReduceOnly: false,
          takeProfit: '',
          stopLoss: '',
          trailingStop: '0',
          createdTime: String(pos.updateTime),
          updatedTime: String(pos.updateTime),
          seq: 1,
        };
      });
  }

  /**
   * Executions of one symbol of the `execType` asked for, or of every type when none is: trades (Trade; BustTrade for
   * the liquidation engine's, AdlTrade for auto-deleveraging's) and funding settlements (Funding), as Bybit lists them.
   * As Bybit documents: at most 7 days a request (a start alone asks for the 7 days after it, an end alone for the 7
   * before, neither for the last 7), the window's newest `limit` rows (1 to 100, 50 by default), newest first.
   */
  private executions(venue: PerpVenueState, p: Readonly<Json>, now: number): Json[] {
    const symbol = p['symbol'] === undefined ? undefined : String(p['symbol']);
    const limit = p['limit'] === undefined ? 50 : Number(p['limit']);
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= 100)) throw bybitError(10001, 'params error: limit must be 1 to 100');
    const given = (name: string): number | undefined => (p[name] === undefined ? undefined : Number(p[name]));
    const [startTime, endTime] = [given('startTime'), given('endTime')];
    const start = startTime ?? (endTime === undefined ? now - SEVEN_DAYS_MS : endTime - SEVEN_DAYS_MS);
    const end = endTime ?? (startTime === undefined ? now : startTime + SEVEN_DAYS_MS);
    if (end - start > SEVEN_DAYS_MS) throw bybitError(10001, 'params error: the time range must not exceed 7 days');
    const wanted = p['execType'] === undefined ? undefined : String(p['execType']);
    const book = venue.book;
    const inWindow = (time: number, id: string): boolean => time >= start && time <= end && (symbol === undefined || id === symbol);
    const funding = book.income
      .filter((i) => i.incomeType === 'FUNDING_FEE' && inWindow(i.time, i.symbol))
      .map((i) => ({ symbol: i.symbol, execType: 'Funding', execId: `f${i.tranId}`, orderId: '', orderLinkId: '', side: 'Buy', execFee: str(-i.income), feeRate: '0', execPrice: '0', execQty: '0', execValue: '0', execTime: String(i.time), isMaker: false, orderType: 'UNKNOWN', stopOrderType: 'UNKNOWN', seq: i.tranId }) as Json);
    const trades = book.trades.filter((t) => inWindow(t.time, t.symbol)).map((t) => this.executionJson(book, t));
    return [...trades, ...funding]
      .filter((row) => wanted === undefined || row['execType'] === wanted)
      .sort((a, b) => Number(b['execTime']) - Number(a['execTime']))
      .slice(0, limit);
  }

  /** One trade as Bybit reports an execution (REST and the private `execution` topic alike). */
  executionJson(book: AccountBook, t: TradeRecord): Json {
    const order = book.orders.find((o) => o.orderId === t.orderId);
    const algo = book.algoOrders.find((a) => a.actualOrderId === t.orderId);
    return {
      symbol: t.symbol,
      orderId: algo ? conditionalId(algo) : String(t.orderId),
      orderLinkId: !this.executionsCarryLinkId ? '' : algo ? algo.clientAlgoId : (order?.clientOrderId ?? ''),
      side: side(t.side),
      orderPrice: str(order?.price ?? 0),
      orderQty: str(order?.origQty ?? t.qty),
      leavesQty: '0',
      orderType: order?.type === 'LIMIT' ? 'Limit' : 'Market',
      stopOrderType: algo ? 'Stop' : '',
      execFee: str(t.commission),
      feeCurrency: 'USDT',
      execId: String(t.id),
      execPrice: str(t.price),
      execQty: str(t.qty),
      // The liquidation engine's and auto-deleveraging's fills come under their own execution types.
      execType: order?.clientOrderId?.startsWith('autoclose-') ? 'BustTrade' : order?.clientOrderId === 'adl_autoclose' ? 'AdlTrade' : 'Trade',
      execValue: str(t.price * t.qty),
      execTime: String(t.time),
      feeRate: '0.00055',
      isMaker: false,
      markPrice: str(t.price),
      closedSize: '0',
      seq: t.id,
    };
  }
}
