// Signed (USER_DATA / TRADE) endpoints of the fake venue: orders, conditional orders, positions, account, income.
import type { AlgoOrder, BookOrder, WireSide } from './account-book.js';
import { type Params, type Route, requireSymbol } from './public-routes.js';
import type { VenueState } from './venue-state.js';
import { VenueError, venueErrors } from './venue-error.js';
import { accountJson, algoJson, incomeJson, orderJson, positionJson, tradeJson } from './wire-format.js';

let generatedIds = 0;

function side(params: Params): WireSide {
  const value = params['side'];
  if (value !== 'BUY' && value !== 'SELL') throw venueErrors.missingParameter('side');
  return value;
}

function quantity(params: Params): number {
  const value = Number(params['quantity']);
  if (!params['quantity'] || !Number.isFinite(value)) throw venueErrors.missingParameter('quantity');
  return value;
}

function findOrder(state: VenueState, params: Params): BookOrder | undefined {
  const symbol = requireSymbol(state, params);
  const orderId = params['orderId'];
  const clientId = params['origClientOrderId'];
  if (!orderId && !clientId) throw venueErrors.missingParameter('orderId');
  return state.book.orders.find(
    (o) =>
      o.symbol === symbol &&
      (orderId ? String(o.orderId) === orderId : true) &&
      (clientId ? o.clientOrderId === clientId : true),
  );
}

function findAlgo(state: VenueState, params: Params): AlgoOrder | undefined {
  const algoId = params['algoId'];
  const clientId = params['clientAlgoId'];
  if (!algoId && !clientId) throw venueErrors.missingParameter('algoId');
  return state.book.algoOrders.find(
    (a) => (algoId ? String(a.algoId) === algoId : true) && (clientId ? a.clientAlgoId === clientId : true),
  );
}

const bySymbol = (params: Params) => (entry: { symbol: string }) =>
  params['symbol'] === undefined || entry.symbol === params['symbol'];

const inTimeRange = (params: Params) => (time: number) =>
  time >= Number(params['startTime'] ?? 0) && time <= Number(params['endTime'] ?? Infinity);

export const privateRoutes: Readonly<Record<string, Route>> = {
  'POST /fapi/v1/order': (state, params) => {
    const symbol = requireSymbol(state, params);
    if (params['type'] !== 'MARKET' && params['type'] !== 'LIMIT') {
      throw new VenueError(
        400,
        -4120,
        'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.',
      );
    }
    const order = {
      symbol,
      side: side(params),
      quantity: quantity(params),
      reduceOnly: params['reduceOnly'] === 'true',
      clientOrderId: params['newClientOrderId'] ?? `fake-${++generatedIds}`,
    };
    if (params['type'] === 'MARKET') return orderJson(state.book.placeMarketOrder(order, state.now), state);
    if (!params['price']) throw venueErrors.missingParameter('price');
    if (!params['timeInForce']) throw venueErrors.missingParameter('timeInForce');
    const limit = { ...order, price: Number(params['price']), timeInForce: params['timeInForce'] };
    return orderJson(state.book.placeLimitIocOrder(limit, state.now), state);
  },
  'GET /fapi/v1/order': (state, params) => {
    const order = findOrder(state, params);
    if (!order) throw venueErrors.orderDoesNotExist();
    return orderJson(order, state);
  },
  'DELETE /fapi/v1/order': (state, params) => {
    const order = findOrder(state, params);
    if (!order || order.status !== 'NEW') throw venueErrors.unknownOrder();
    order.status = 'CANCELED';
    order.updateTime = state.now;
    return orderJson(order, state);
  },
  'GET /fapi/v1/openOrders': (state, params) =>
    state.book.orders.filter((o) => o.status === 'NEW' && bySymbol(params)(o)).map((o) => orderJson(o, state)),
  'GET /fapi/v1/allOrders': (state, params) => {
    requireSymbol(state, params);
    return state.book.orders.filter(bySymbol(params)).map((o) => orderJson(o, state));
  },
  'POST /fapi/v1/algoOrder': (state, params) => {
    const symbol = requireSymbol(state, params);
    if (params['algoType'] !== 'CONDITIONAL') throw venueErrors.missingParameter('algoType');
    const algo = state.book.placeAlgoOrder(
      {
        symbol,
        side: side(params),
        quantity: quantity(params),
        reduceOnly: params['reduceOnly'] === 'true',
        clientOrderId: params['clientAlgoId'] ?? `fake-algo-${++generatedIds}`,
        orderType: params['type'] ?? '',
        triggerPrice: Number(params['triggerPrice']),
        workingType: params['workingType'] ?? 'CONTRACT_PRICE',
      },
      state.now,
    );
    return algoJson(algo, state, state.book);
  },
  'GET /fapi/v1/algoOrder': (state, params) => {
    const algo = findAlgo(state, params);
    if (!algo) throw venueErrors.orderDoesNotExist();
    return algoJson(algo, state, state.book);
  },
  'DELETE /fapi/v1/algoOrder': (state, params) => {
    const algo = findAlgo(state, params);
    if (!algo || algo.algoStatus !== 'NEW') throw venueErrors.unknownOrder();
    algo.algoStatus = 'CANCELED';
    algo.updateTime = state.now;
    return { algoId: algo.algoId, clientAlgoId: algo.clientAlgoId, code: '200', msg: 'success' };
  },
  'GET /fapi/v1/openAlgoOrders': (state, params) =>
    state.book.algoOrders
      .filter((a) => a.algoStatus === 'NEW' && bySymbol(params)(a))
      .map((a) => algoJson(a, state, state.book)),
  'GET /fapi/v1/allAlgoOrders': (state, params) => {
    requireSymbol(state, params);
    return state.book.algoOrders.filter(bySymbol(params)).map((a) => algoJson(a, state, state.book));
  },
  'GET /fapi/v3/positionRisk': (state, params) =>
    state.book
      .openPositions()
      .filter(bySymbol(params))
      .map((p) => positionJson(p, state.book, state.markPrice(p.symbol) ?? p.entryPrice, state)),
  'POST /fapi/v1/leverage': (state, params) => {
    const symbol = requireSymbol(state, params);
    const leverage = Number(params['leverage']);
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > 125) throw venueErrors.invalidLeverage();
    state.book.leverage.set(symbol, leverage);
    return { leverage, maxNotionalValue: '1000000', symbol };
  },
  'POST /fapi/v1/marginType': (state, params) => {
    const symbol = requireSymbol(state, params);
    const wanted = params['marginType'];
    if (wanted !== 'ISOLATED' && wanted !== 'CROSSED') throw venueErrors.missingParameter('marginType');
    if ((state.book.marginType.get(symbol) ?? 'CROSSED') === wanted) throw venueErrors.noNeedToChangeMargin();
    if (state.book.position(symbol)) throw venueErrors.marginTypeWithPosition();
    state.book.marginType.set(symbol, wanted);
    return { code: 200, msg: 'success' };
  },
  'GET /fapi/v1/leverageBracket': (state, params) => {
    const entries = state.history.exchangeInfo.symbols.filter(bySymbol(params)).map((s) => ({
      symbol: s.symbol,
      notionalCoef: 1.0,
      brackets: [
        {
          bracket: 1,
          initialLeverage: 75,
          notionalCap: 50_000,
          notionalFloor: 0,
          maintMarginRatio: state.maintenanceRate(s.symbol),
          cum: 0.0,
        },
      ],
    }));
    return params['symbol'] ? entries[0] : entries;
  },
  'GET /fapi/v3/account': (state) =>
    accountJson(state.book, (s) => state.markPrice(s) ?? 0, state, state.now),
  'GET /fapi/v2/balance': (state) => {
    const account = accountJson(state.book, (s) => state.markPrice(s) ?? 0, state, state.now);
    const asset = (account['assets'] as Record<string, unknown>[])[0] ?? {};
    return [{ accountAlias: 'fake', asset: 'USDT', balance: asset['walletBalance'], ...asset }];
  },
  'GET /fapi/v1/userTrades': (state, params) => {
    requireSymbol(state, params);
    const limit = Math.min(Number(params['limit'] ?? 500), 1000);
    const inRange = inTimeRange(params);
    return state.book.trades
      .filter((t) => bySymbol(params)(t) && inRange(t.time))
      .slice(0, limit)
      .map((t) => tradeJson(t, state));
  },
  'GET /fapi/v1/income': (state, params) => {
    const limit = Math.min(Number(params['limit'] ?? 100), 1000);
    const inRange = inTimeRange(params);
    return state.book.income
      .filter(
        (i) =>
          bySymbol(params)(i) &&
          inRange(i.time) &&
          (params['incomeType'] === undefined || i.incomeType === params['incomeType']),
      )
      .slice(0, limit)
      .map(incomeJson);
  },
  'GET /fapi/v1/positionSide/dual': (state) => ({ dualSidePosition: state.dualSidePosition }),
  'GET /sapi/v1/account/apiRestrictions': (state) => ({
    ...state.restrictions,
    createTime: state.now - 30 * 24 * 60 * 60_000,
    tradingAuthorityExpirationTime: state.now + 365 * 24 * 60 * 60_000,
  }),
  'GET /sapi/v1/capital/config/getall': () => [],
};
