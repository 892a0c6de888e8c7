// Live market data from a ccxt venue, public endpoints only: this client never holds a key, so paper mode can
// never place, cancel or even read anything private.
import type { Exchange, FundingRate, OHLCV, Ticker as CcxtTicker } from 'ccxt';
import { MarketClosedError, RejectedError, TemporaryError, describeError } from '../../../domain/errors.js';
import {
  type Candle,
  type FundingEvent,
  type FundingInfo,
  type MarketSpec,
  type PriceBar,
  TIMEFRAME_MS,
  type Ticker,
  type Timeframe,
} from '../../../domain/market.js';
import { MINUTE_MS } from '../../../domain/time.js';
import type { Clock } from '../../../ports/clock.js';
import type { Logger } from '../../../ports/logger.js';
import type { MarketData, PriceTick } from '../../../ports/market-data.js';
import { createCcxtClient } from '../../exchange/ccxt/ccxt-client.js';
import { type ErrorContext, guarded } from '../../exchange/ccxt/ccxt-errors.js';
import { MarketList, marketListMaxAgeMs } from '../../exchange/ccxt/market-list.js';
import { knownVenueProfile } from '../../exchange/ccxt/venues/index.js';
import { finite, optionalFinite, positive } from '../../exchange/ccxt/wire-numbers.js';
import type { MarketListing } from '../../../domain/universe.js';
import { FundingIntervals, intervalHoursOf, minutesAsHours } from './funding-intervals.js';
import { checkMarket, refusalReason, type RefusalKind } from './market-spec.js';
import { DEFAULT_PRICE_WATCH, type PriceWatchSettings, watchWithFallback } from './price-watch.js';
import { buildPricePath } from './price-path.js';

export interface CcxtMarketDataOptions {
  readonly exchangeId?: string;
  readonly apiOrigin?: string;
  readonly wsOrigin?: string;
  readonly sandbox?: boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timeoutMs?: number;
  readonly priceWatch?: Partial<PriceWatchSettings>;
  /** Called each time the venue answers a request or sends a streamed price; never for an answer from a cache. */
  readonly onVenueAnswer?: () => void;
}

export interface SymbolProblem {
  readonly symbol: string;
  /** `not-trading`: listed, but the venue has closed it for now; the others are errors of the configuration. */
  readonly kind: RefusalKind | 'unusable';
  readonly reason: string;
}

const MAX_KLINES = 1000;

export class CcxtMarketData implements MarketData {
  readonly exchangeId: string;
  private readonly clock: Clock;
  private readonly log: Logger;
  private client?: Promise<Exchange>;
  private readonly markets: MarketList;
  /** The last closed candles per market, timeframe and count, with the instant the next one closes. */
  private readonly closedCandles = new Map<string, { readonly candles: Candle[]; readonly nextCloseAt: number }>();
  private readonly premiumReads = new Map<string, Promise<FundingRate>>();
  private readonly intervals: FundingIntervals;

  constructor(private readonly options: CcxtMarketDataOptions) {
    this.exchangeId = options.exchangeId ?? 'binanceusdm';
    this.clock = options.clock;
    this.log = options.logger.child({ module: 'market-data.ccxt', exchange: this.exchangeId });
    this.markets = new MarketList(() => this.exchange(), this.clock, this.log, marketListMaxAgeMs(this.exchangeId));
    const usualHours = knownVenueProfile(this.exchangeId)?.fundingIntervalHours ?? 8;
    this.intervals = new FundingIntervals(() => this.fundingIntervalTable(), this.clock, this.log, usualHours);
  }

  async market(symbol: string): Promise<MarketSpec> {
    const check = checkMarket(symbol, await this.markets.find(symbol), this.exchangeId);
    if (check.ok) return check.spec;
    // Closed or gone from the list is the venue's doing (a delisting, a suspension), which a paper account settles and
    // the engine answers by leaving the market out of its scans; a market of the wrong kind is a plain refusal.
    if (check.kind === 'unsupported') throw new RejectedError(`cannot trade ${check.reason}`);
    throw new MarketClosedError(`cannot trade ${check.reason}`);
  }

  /**
   * Start-up check of the configured symbols: every problem at once, not the first. A venue that cannot be
   * reached is not a symbol problem; that failure is thrown as it is.
   */
  async validateSymbols(symbols: readonly string[]): Promise<{ specs: MarketSpec[]; problems: SymbolProblem[] }> {
    await this.markets.ready();
    const specs: MarketSpec[] = [];
    const problems: SymbolProblem[] = [];
    for (const symbol of symbols) {
      try {
        const check = checkMarket(symbol, await this.markets.find(symbol), this.exchangeId);
        if (check.ok) specs.push(check.spec);
        else problems.push({ symbol, kind: check.kind, reason: check.reason });
      } catch (error) {
        // A listed market with unusable limits (no tick size, say) is a problem of that symbol only.
        if (!(error instanceof TemporaryError)) throw error;
        problems.push({ symbol, kind: 'unusable', reason: describeError(error) });
      }
    }
    return { specs, problems };
  }

  /**
   * The tradeable linear perpetuals with their 24h volume (one request for all tickers) and funding (one for all
   * premium indexes; on Binance, one more for the markets' intervals, at most hourly): whatever the number of markets.
   */
  async listings(): Promise<MarketListing[]> {
    const exchange = await this.markets.ready();
    const perpetuals = Object.values(exchange.markets ?? {}).filter(
      (market) => market !== undefined && refusalReason(market.symbol, market, this.exchangeId) === undefined,
    );
    const symbols = perpetuals.map((market) => market.symbol);
    const [tickers, funding] = await Promise.all([
      this.request({ operation: 'listings' }, () => exchange.fetchTickers(symbols)),
      this.request({ operation: 'listings' }, () => exchange.fetchFundingRates(symbols)),
    ]);
    return Promise.all(
      perpetuals.map(async (market): Promise<MarketListing> => {
        const volume = tickers[market.symbol]?.quoteVolume;
        const rate = funding[market.symbol]?.fundingRate;
        const hasRate = typeof rate === 'number' && Number.isFinite(rate);
        const intervalHours = hasRate
          ? await this.intervals.hoursOf(market.symbol, intervalHoursOf(funding[market.symbol]?.interval), instrumentIntervalHours(market.info))
          : undefined;
        return {
          symbol: market.symbol,
          quoteVolume24h: typeof volume === 'number' && Number.isFinite(volume) ? volume : 0,
          ...(typeof market.created === 'number' && market.created > 0 ? { listedAt: new Date(market.created) } : {}),
          ...(hasRate ? { fundingRate: rate, fundingIntervalHours: intervalHours } : {}),
        };
      }),
    );
  }

  /**
   * Closed candles, asked from the venue only when one may have closed since the last answer: a scan every five
   * minutes re-reads a market's 15m candles every third scan and its 4h ones six times a day, which is most of the
   * request weight a wide universe would otherwise spend.
   */
  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    const spec = await this.market(symbol);
    const key = `${spec.symbol}|${timeframe}|${limit}`;
    const cached = this.closedCandles.get(key);
    if (cached !== undefined && this.clock.now().getTime() < cached.nextCloseAt) return cached.candles;
    const exchange = await this.exchange();
    // One extra: the venue's last kline is usually the one still forming, and it is dropped below.
    const now = this.clock.now().getTime();
    // Hyperliquid's candles are asked for by window, which ccxt would end at the machine's clock, not the daemon's.
    const window = this.exchangeId === 'hyperliquid' ? { until: now } : {};
    const rows = await this.request({ operation: 'candles', symbol }, () =>
      exchange.fetchOHLCV(spec.symbol, timeframe, undefined, Math.min(limit + 1, MAX_KLINES), window),
    );
    const length = TIMEFRAME_MS[timeframe];
    const candles = rows
      .map((row, i) => toCandle(row, `candles ${spec.symbol} ${timeframe}[${i}]`))
      .filter((candle) => candle.openTime + length <= now)
      .slice(-limit);
    const last = candles[candles.length - 1];
    // Until the candle after the last closed one closes, nothing new can arrive; an answer that lacks a candle which
    // has closed by now (the venue was late to publish it) has a time already past, and is asked again next time.
    if (last !== undefined) this.closedCandles.set(key, { candles, nextCloseAt: last.openTime + 2 * length });
    return candles;
  }

  async ticker(symbol: string): Promise<Ticker> {
    return (await this.tickerWithMark(symbol)).ticker;
  }

  /** The ticker, and the mark where the venue's ticker carries one (Bybit's, Hyperliquid's; not Binance's). */
  private async tickerWithMark(symbol: string): Promise<{ ticker: Ticker; mark: number | undefined }> {
    const spec = await this.market(symbol);
    const exchange = await this.exchange();
    const raw = await this.request({ operation: 'ticker', symbol }, () => exchange.fetchTicker(spec.symbol));
    const field = `ticker ${spec.symbol}`;
    const ticker = {
      symbol: spec.symbol,
      last: positive(raw.last, `${field}.last`),
      bid: optionalFinite(raw.bid, `${field}.bid`),
      ask: optionalFinite(raw.ask, `${field}.ask`),
      quoteVolume24h: finite(raw.quoteVolume, `${field}.quoteVolume`),
      time: new Date(optionalFinite(raw.timestamp, `${field}.timestamp`) ?? this.clock.now().getTime()),
    };
    return { ticker, mark: tickerMark(raw, field) };
  }

  /** The mark price from the funding read where the venue sends both at once (Binance's premium index). */
  async markPrice(symbol: string): Promise<number> {
    const spec = await this.market(symbol);
    const shared = (await this.premiumIndex(spec.symbol)).markPrice;
    if (typeof shared === 'number' && shared > 0) return shared;
    const exchange = await this.exchange();
    // Venues without a mark-price endpoint (Bybit, Hyperliquid) carry the mark in their ticker.
    const raw = await this.request({ operation: 'markPrice', symbol }, () =>
      exchange.has['fetchMarkPrice'] === true ? exchange.fetchMarkPrice(spec.symbol) : exchange.fetchTicker(spec.symbol),
    );
    return positive(tickerMark(raw, `markPrice ${spec.symbol}`), `markPrice ${spec.symbol}.markPrice`);
  }

  async fundingRate(symbol: string): Promise<FundingInfo> {
    const spec = await this.market(symbol);
    const raw = await this.premiumIndex(spec.symbol);
    const field = `fundingRate ${spec.symbol}`;
    const rate = finite(raw.fundingRate, `${field}.fundingRate`);
    const nextFundingTime = new Date(this.nextFunding(raw.nextFundingTimestamp ?? raw.fundingTimestamp, field));
    const instrument = (await this.markets.find(spec.symbol))?.info;
    const intervalHours = await this.intervals.hoursOf(spec.symbol, intervalHoursOf(raw.interval), instrumentIntervalHours(instrument));
    return { rate, intervalHours, nextFundingTime };
  }

  /** The venue's table of funding intervals (Binance's funding info), where ccxt reads one. */
  private async fundingIntervalTable(): Promise<Record<string, { interval?: string | undefined }> | undefined> {
    const exchange = await this.markets.ready();
    if (exchange.has['fetchFundingIntervals'] !== true) return undefined;
    return this.request({ operation: 'fundingIntervals' }, () => exchange.fetchFundingIntervals());
  }

  /** One funding read for the callers that ask at the same moment (a snapshot asks for mark price and funding together). */
  private premiumIndex(symbol: string): Promise<FundingRate> {
    const pending = this.premiumReads.get(symbol);
    if (pending !== undefined) return pending;
    const read = this.exchange()
      .then((exchange) => this.request({ operation: 'fundingRate', symbol }, () => exchange.fetchFundingRate(symbol)))
      .finally(() => this.premiumReads.delete(symbol));
    this.premiumReads.set(symbol, read);
    return read;
  }

  /** 1-minute traded and mark-price candles over (from, to], the forming minute completed with the current prices. */
  async pricePath(symbol: string, from: number, to: number): Promise<PriceBar[]> {
    const spec = await this.market(symbol);
    const exchange = await this.exchange();
    const hasMark = exchange.has['fetchMarkOHLCV'] === true;
    const [minutes, markMinutes] = await Promise.all([
      this.minutes(spec.symbol, 'pricePath', from, to, (since) => exchange.fetchOHLCV(spec.symbol, '1m', since, MAX_KLINES)),
      hasMark ? this.minutes(spec.symbol, 'markPath', from, to, (since) => exchange.fetchMarkOHLCV(spec.symbol, '1m', since, MAX_KLINES)) : [],
    ]);
    const now = this.clock.now().getTime();
    // Every venue here publishes a current mark, with or without mark candles (Hyperliquid has none): the live edge
    // at least carries the mark the venue triggers stops, liquidations and funding on.
    return buildPricePath(minutes, markMinutes, from, to, now, {
      last: () => this.ticker(spec.symbol).then((t) => t.last),
      mark: () => this.markPrice(spec.symbol),
    });
  }

  /** The 1-minute candles from the one holding `from` to the one opening at `to`, paged through the venue's limit. */
  private async minutes(symbol: string, operation: string, from: number, to: number, fetch: (since: number) => Promise<OHLCV[]>): Promise<Candle[]> {
    const minutes: Candle[] = [];
    let cursor = Math.floor(from / MINUTE_MS) * MINUTE_MS;
    while (cursor < to) {
      const since = cursor;
      const rows = await this.request({ operation, symbol }, () => fetch(since));
      const batch = rows.map((row, i) => toCandle(row, `${operation} ${symbol} 1m[${i}]`)).filter((c) => c.openTime <= to);
      minutes.push(...batch.filter((c) => c.openTime >= since));
      const last = batch[batch.length - 1];
      if (rows.length < MAX_KLINES || !last) break;
      cursor = last.openTime + MINUTE_MS;
    }
    return minutes;
  }

  async fundingEvents(symbol: string, from: number, to: number): Promise<FundingEvent[]> {
    const spec = await this.market(symbol);
    const exchange = await this.exchange();
    const events: FundingEvent[] = [];
    let since = from + 1;
    while (since <= to) {
      const start = since;
      const rows = await this.request({ operation: 'fundingEvents', symbol }, () =>
        exchange.fetchFundingRateHistory(spec.symbol, start, MAX_KLINES, { until: to }),
      );
      rows.forEach((row, i) => {
        const field = `fundingEvents ${spec.symbol}[${i}]`;
        const time = finite(row.timestamp, `${field}.timestamp`);
        if (time > from && time <= to) events.push({ time, rate: finite(row.fundingRate, `${field}.fundingRate`) });
      });
      const lastTime = rows[rows.length - 1]?.timestamp;
      if (rows.length < MAX_KLINES || lastTime === undefined) break;
      since = lastTime + 1;
    }
    return events.sort((a, b) => a.time - b.time);
  }

  /**
   * Each tick carries the mark, which the venue's stops and liquidations trigger on, and where it can the last trade,
   * which the profit rules read. Binance streams the mark apart from the trades, and ccxt cannot follow both streams of
   * one market at once: there the stream is the mark's, standing in for the last trade too. Elsewhere the ticker
   * carries both (Bybit's; Hyperliquid's gives the mid as its last). While the stream is down, the REST polls read both.
   */
  watchPrice(symbol: string, signal: AbortSignal): AsyncIterable<PriceTick> {
    const settings = { ...DEFAULT_PRICE_WATCH, ...this.options.priceWatch };
    const sources = {
      symbol,
      streamed: async (): Promise<PriceTick> => {
        const spec = await this.market(symbol);
        const exchange = await this.exchange();
        return this.request({ operation: 'watchPrice', symbol: spec.symbol }, () => this.nextStreamedPrice(exchange, spec.symbol));
      },
      polled: async (): Promise<PriceTick> => {
        const spec = await this.market(symbol);
        // One read where the ticker carries the mark; Binance's needs the premium index beside it. Either price alone
        // still wakes the monitor: a failing read must not throw the other away.
        const read = await this.tickerWithMark(symbol).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        const mark = ('value' in read ? read.value.mark : undefined) ?? (await this.markPrice(symbol).catch(() => undefined));
        const time = this.clock.now();
        if ('value' in read) return { symbol: spec.symbol, price: read.value.ticker.last, ...(mark === undefined ? {} : { markPrice: mark }), time };
        if (mark !== undefined) return { symbol: spec.symbol, price: mark, markPrice: mark, time };
        throw read.error;
      },
      reopen: () => this.dropStreamConnections(symbol),
    };
    return watchWithFallback(sources, signal, this.clock, this.log, settings);
  }

  /** The venue's next streamed price: its mark where it streams the mark on its own (Binance), else its ticker. */
  private async nextStreamedPrice(exchange: Exchange, symbol: string): Promise<PriceTick> {
    const field = `stream ${symbol}`;
    if (exchange.has['watchMarkPrice'] === true) {
      const raw = await exchange.watchMarkPrice(symbol);
      const mark = positive(raw.markPrice, `${field}.markPrice`);
      return { symbol, price: mark, markPrice: mark, time: this.tickTime(raw.timestamp) };
    }
    const raw = await exchange.watchTicker(symbol);
    const mark = tickerMark(raw, field);
    return { symbol, price: positive(raw.last, `${field}.last`), ...(mark === undefined ? {} : { markPrice: mark }), time: this.tickTime(raw.timestamp) };
  }

  /**
   * Drops the websocket connections that carry `symbol`'s price stream, so that the next watch dials a new one and
   * subscribes again: ccxt sends no new subscription on a socket that is still open, and a stalled stream (the venue
   * stops pushing, the socket still answers pings) would otherwise stay silent for good. Other symbols' streams on
   * their own connections are left alone.
   */
  private async dropStreamConnections(symbol: string): Promise<void> {
    if (this.client === undefined) return;
    const exchange = await this.client;
    const spec = await this.market(symbol);
    const reason = new TemporaryError(`price stream for ${spec.symbol} reopened after a silence`);
    for (const [url, client] of Object.entries(exchange.clients ?? {})) {
      // A client still waiting out ccxt's own reconnect backoff has no socket yet: closing it would not stop its dial.
      if (client.isConnected !== true) continue;
      const hashes = [...Object.keys(client.subscriptions), ...Object.keys(client.futures)];
      if (!hashes.some((hash) => namesSymbol(hash, spec.symbol))) continue;
      // Marked as failed first: ccxt's close handler then leaves `exchange.clients` alone, where the fresh
      // connection will sit under the same url; `reset` settles whatever still waits on the old one.
      client.error = reason;
      client.reset(reason);
      delete exchange.clients[url];
      // Not awaited: a peer that has gone silent can hold the closing handshake for half a minute.
      client.close();
    }
  }

  /** Closes websocket connections; the instance can be used again afterwards. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.markets.forget();
    if (client) await (await client).close();
  }

  /**
   * The venue's next settlement. Where ccxt derives it from the machine's clock (Hyperliquid settles every hour and
   * reports no time), it is the next boundary of the venue's interval on the daemon's clock.
   */
  private nextFunding(reported: number | undefined, field: string): number {
    const intervalMs = (knownVenueProfile(this.exchangeId)?.fundingIntervalHours ?? 8) * 3_600_000;
    const now = this.clock.now().getTime();
    if (this.exchangeId === 'hyperliquid') return (Math.floor(now / intervalMs) + 1) * intervalMs;
    return finite(reported, `${field}.fundingTimestamp`);
  }

  private tickTime(timestamp: number | undefined): Date {
    return typeof timestamp === 'number' && Number.isFinite(timestamp) ? new Date(timestamp) : this.clock.now();
  }

  /**
   * A request to the venue, its errors translated. Only here does a success reach `onVenueAnswer`: the health check
   * must hear that the venue answered, which a cached answer (closed candles, the market list) does not tell.
   */
  private async request<T>(context: ErrorContext, call: () => Promise<T>): Promise<T> {
    const answer = await guarded(context, call);
    this.options.onVenueAnswer?.();
    return answer;
  }

  private exchange(): Promise<Exchange> {
    this.client ??= createCcxtClient({
      exchangeId: this.exchangeId,
      apiOrigin: this.options.apiOrigin,
      wsOrigin: this.options.wsOrigin,
      sandbox: this.options.sandbox,
      timeoutMs: this.options.timeoutMs,
      role: 'market-data',
    });
    return this.client;
  }
}

/**
 * The mark a ticker carries: ccxt's field, or the venue's own where ccxt leaves it out (Hyperliquid's streamed ticker
 * keeps it only as `markPx`). Undefined when the ticker has none.
 */
function tickerMark(raw: CcxtTicker, field: string): number | undefined {
  const info = (raw.info ?? {}) as Record<string, unknown>;
  const mark = optionalFinite(raw.markPrice ?? info['markPx'] ?? info['markPrice'], `${field}.markPrice`);
  return mark !== undefined && mark > 0 ? mark : undefined;
}

/** Whether a ccxt subscription or message hash (`ticker:miniTicker@BTC/USDT:USDT`) ends in `symbol`, and not in `1000BTC/USDT:USDT`. */
function namesSymbol(hash: string, symbol: string): boolean {
  return hash.endsWith(symbol) && !/[A-Za-z0-9]/.test(hash.charAt(hash.length - symbol.length - 1));
}

/** Bybit's instruments carry their interval in minutes, which ccxt rounds to whole hours in its funding reads. */
function instrumentIntervalHours(info: unknown): number | undefined {
  return typeof info === 'object' && info !== null ? minutesAsHours((info as Record<string, unknown>)['fundingInterval']) : undefined;
}

function toCandle(row: OHLCV, field: string): Candle {
  return {
    openTime: finite(row[0], `${field}.openTime`),
    open: positive(row[1], `${field}.open`),
    high: positive(row[2], `${field}.high`),
    low: positive(row[3], `${field}.low`),
    close: positive(row[4], `${field}.close`),
    volume: finite(row[5], `${field}.volume`),
  };
}
