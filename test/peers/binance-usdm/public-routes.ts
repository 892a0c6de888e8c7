// Public market-data endpoints of the fake venue, answered from the recording at the venue's `now`.
import { INTERVAL_MS, klineRow, selectWindow } from './klines.js';
import type { ExchangeInfoSymbol } from './history.js';
import type { VenueState } from './venue-state.js';
import { VenueError, venueErrors } from './venue-error.js';

export type Params = Readonly<Record<string, string>>;
export type Route = (state: VenueState, params: Params) => unknown;

const DAY = 24 * 60 * 60_000;

function optionalNumber(params: Params, name: string): number | undefined {
  const raw = params[name];
  return raw === undefined || raw === '' ? undefined : Number(raw);
}

export function requireSymbol(state: VenueState, params: Params): string {
  const symbol = params['symbol'];
  if (!symbol) throw venueErrors.missingParameter('symbol');
  if (!state.isListed(symbol)) throw venueErrors.invalidSymbol();
  return symbol;
}

function symbolsFor(state: VenueState, params: Params): string[] {
  if (params['symbol']) return [requireSymbol(state, params)];
  return state.history.exchangeInfo.symbols.map((s) => s.symbol);
}

function ticker24h(state: VenueState, symbol: string): Record<string, unknown> {
  const dp = state.price(symbol);
  const day = state.candles(symbol, INTERVAL_MS['15m'] as number).filter((c) => c.openTime > state.now - DAY);
  const last = state.lastPrice(symbol) ?? 0;
  const open = day[0]?.open ?? last;
  const volume = day.reduce((total, c) => total + c.volume, 0);
  const quoteVolume = day.reduce((total, c) => total + c.volume * c.close, 0);
  return {
    symbol,
    priceChange: (last - open).toFixed(dp),
    priceChangePercent: open === 0 ? '0.000' : (((last - open) / open) * 100).toFixed(3),
    weightedAvgPrice: volume === 0 ? last.toFixed(dp) : (quoteVolume / volume).toFixed(dp),
    lastPrice: last.toFixed(dp),
    lastQty: '0.010',
    openPrice: open.toFixed(dp),
    highPrice: Math.max(last, ...day.map((c) => c.high)).toFixed(dp),
    lowPrice: Math.min(last, ...day.map((c) => c.low)).toFixed(dp),
    volume: volume.toFixed(3),
    quoteVolume: quoteVolume.toFixed(2),
    openTime: state.now - DAY,
    closeTime: state.now,
    firstId: 1,
    lastId: 2,
    count: day.length,
  };
}

function premiumIndex(state: VenueState, symbol: string): Record<string, unknown> {
  const mark = state.markPrice(symbol) ?? 0;
  return {
    symbol,
    markPrice: mark.toFixed(8),
    indexPrice: mark.toFixed(8),
    estimatedSettlePrice: mark.toFixed(8),
    lastFundingRate: state.currentFundingRate(symbol).toFixed(8),
    interestRate: '0.00010000',
    nextFundingTime: state.nextFundingTime(symbol),
    time: state.now,
  };
}

/** A market's filters as listed: the recorded ones, with the price step the test set, if any. */
function listedFilters(state: VenueState, info: ExchangeInfoSymbol): readonly Record<string, unknown>[] {
  const tickSize = state.tickSizes.get(info.symbol);
  if (tickSize === undefined) return info.filters;
  return info.filters.map((filter) => (filter['filterType'] === 'PRICE_FILTER' ? { ...filter, tickSize: String(tickSize) } : filter));
}

export const publicRoutes: Readonly<Record<string, Route>> = {
  'GET /fapi/v1/ping': () => ({}),
  'GET /fapi/v1/time': (state) => ({ serverTime: state.now }),
  'GET /fapi/v1/exchangeInfo': (state) => ({
    ...state.history.exchangeInfo,
    symbols: state.history.exchangeInfo.symbols.map((s) => ({ ...s, status: state.symbolStatus.get(s.symbol) ?? s.status, filters: listedFilters(state, s) })),
    serverTime: state.now,
  }),
  'GET /fapi/v1/klines': (state, params) => {
    const symbol = requireSymbol(state, params);
    const intervalMs = INTERVAL_MS[params['interval'] ?? ''];
    if (intervalMs === undefined) throw new VenueError(400, -1120, 'Invalid interval.');
    const limit = Math.min(optionalNumber(params, 'limit') ?? 500, 1500);
    const rows = selectWindow(state.candles(symbol, intervalMs), {
      startTime: optionalNumber(params, 'startTime'),
      endTime: optionalNumber(params, 'endTime'),
      limit,
    });
    return rows.map((row) => klineRow(row, intervalMs, state.price(symbol)));
  },
  'GET /fapi/v1/markPriceKlines': (state, params) => {
    const symbol = requireSymbol(state, params);
    const intervalMs = INTERVAL_MS[params['interval'] ?? ''];
    if (intervalMs === undefined) throw new VenueError(400, -1120, 'Invalid interval.');
    const limit = Math.min(optionalNumber(params, 'limit') ?? 500, 1500);
    const rows = selectWindow(state.markCandles(symbol, intervalMs), {
      startTime: optionalNumber(params, 'startTime'),
      endTime: optionalNumber(params, 'endTime'),
      limit,
    });
    return rows.map((row) => klineRow(row, intervalMs, state.price(symbol)));
  },
  'GET /fapi/v1/ticker/24hr': (state, params) => {
    const tickers = symbolsFor(state, params).map((symbol) => ticker24h(state, symbol));
    return params['symbol'] ? tickers[0] : tickers;
  },
  'GET /fapi/v1/premiumIndex': (state, params) => {
    const entries = symbolsFor(state, params).map((symbol) => premiumIndex(state, symbol));
    return params['symbol'] ? entries[0] : entries;
  },
  // Only the markets whose cap, floor or interval was adjusted, and no `symbol` parameter: the whole table at once.
  'GET /fapi/v1/fundingInfo': (state) =>
    state.adjustedFundingIntervals().map(([symbol, hours]) => ({
      symbol,
      adjustedFundingRateCap: '0.02000000',
      adjustedFundingRateFloor: '-0.02000000',
      fundingIntervalHours: hours,
      disclaimer: false,
    })),
  'GET /fapi/v1/fundingRate': (state, params) => {
    const symbol = requireSymbol(state, params);
    const limit = Math.min(optionalNumber(params, 'limit') ?? 100, 1000);
    const start = optionalNumber(params, 'startTime');
    const end = optionalNumber(params, 'endTime');
    let rows = state.fundingHistory(symbol).filter((f) => (start ?? 0) <= f.time && f.time <= (end ?? Infinity));
    rows = start === undefined ? rows.slice(-limit) : rows.slice(0, limit);
    return rows.map((f) => ({ symbol, fundingTime: f.time, fundingRate: f.rate.toFixed(8), markPrice: '' }));
  },
};
