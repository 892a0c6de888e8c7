// Market data served from history at the time of an injected clock. Everything it returns had happened by
// `clock.now()`: closed candles only; inside a forming candle its open (see known-prices.ts), and the mark price
// from the mark candles where the data has them. The venue's view (`pricePath`) is in venue-bars.ts.
//
// A market whose data ends before the replay does is taken for delisted from then on, as a contract vanishes from
// the venue: gone from the listings, its last price and mark standing still, and `delisting` tells the simulated
// venue to settle what is held there. Only once the clock has passed the last candle's close: that no candle opened
// there is known then, and not a moment sooner.
import type { MarketListing } from '../../../domain/universe.js';
import { RejectedError } from '../../../domain/errors.js';
import type { Candle, FundingEvent, FundingInfo, MarketSettlement, MarketSpec, PriceBar, Ticker, Timeframe } from '../../../domain/market.js';
import { TIMEFRAME_MS } from '../../../domain/market.js';
import { HOUR_MS, MINUTE_MS } from '../../../domain/time.js';
import type { Clock } from '../../../ports/clock.js';
import type { MarketData } from '../../../ports/market-data.js';
import type { CandleSeries } from './candle-series.js';
import { dataEnd, markAt, priceAt, upperBound } from './known-prices.js';
import type { MarketHistory, ReplayHistory } from './replay-history.js';
import { markMetBy, venueBars } from './venue-bars.js';

const BASE_MS = TIMEFRAME_MS['15m'];
const CANDLES_PER_DAY = 96;
const DEFAULT_FUNDING_INTERVAL_HOURS = 8;

export interface ReplayRange {
  readonly from: Date;
  readonly to: Date;
}

/** What a replay of one market rests on besides its 15m candles, over a window: the backtest report states it. */
export interface DataCoverage {
  readonly symbol: string;
  /** Length of the mark-price candles, when the data has any. */
  readonly markIntervalMs?: number;
  /** Share of the window covered by mark candles (0 when none: the last price stands in for the mark). */
  readonly markShare: number;
  /** Share of the window covered by 1-minute traded candles. */
  readonly minuteShare: number;
}

export class ReplayMarketData implements MarketData {
  /** The last window handed out per symbol and timeframe; its candle objects are reused by the next window. */
  private readonly windows = new Map<string, Map<Timeframe, { readonly start: number; readonly end: number; readonly candles: Candle[] }>>();
  /** The last 24h quote volume per symbol with the closed candles it summed: it changes once per 15m candle. */
  private readonly volumes = new Map<string, { readonly end: number; readonly quoteVolume24h: number }>();
  /** The prices of the last instant asked per symbol: a scan reads ticker and mark of every market at one instant. */
  private readonly seen = new Map<string, { readonly time: number; readonly last: number; mark?: number }>();
  /** Per delisted market, the mark it settled at: found once. */
  private readonly settlementMarks = new Map<string, number>();
  constructor(
    private readonly history: ReplayHistory,
    private readonly clock: Clock,
  ) {}

  symbols(): string[] {
    return [...this.history.markets.keys()];
  }

  /** First and last instant with data in any market: the earliest candle open to the latest candle close. */
  range(): ReplayRange {
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    for (const market of this.history.markets.values()) {
      const series = market.candles['15m'];
      if (series.length === 0) continue;
      from = Math.min(from, series.openTime(0));
      to = Math.max(to, series.openTime(series.length - 1) + BASE_MS);
    }
    if (!Number.isFinite(from)) throw new RangeError('the replay history holds no candles');
    return { from: new Date(from), to: new Date(to) };
  }

  /** Per market, how much of [from, to) the mark-price and 1-minute candles cover. */
  coverage(from: Date, to: Date): DataCoverage[] {
    const span = Math.max(1, to.getTime() - from.getTime());
    const share = (candles: CandleSeries, intervalMs: number): number => {
      const first = candles.upperBound(from.getTime() - intervalMs);
      let covered = 0;
      for (let index = first; index < candles.length; index += 1) {
        const openTime = candles.openTime(index);
        if (openTime >= to.getTime()) break;
        covered += Math.min(openTime + intervalMs, to.getTime()) - Math.max(openTime, from.getTime());
      }
      return covered / span;
    };
    return [...this.history.markets.values()].map((market) => ({
      symbol: market.spec.symbol,
      ...(market.mark ? { markIntervalMs: market.mark.intervalMs } : {}),
      markShare: market.mark ? share(market.mark.candles, market.mark.intervalMs) : 0,
      minuteShare: share(market.minutes, MINUTE_MS),
    }));
  }

  async market(symbol: string): Promise<MarketSpec> {
    return this.marketOf(symbol).spec;
  }

  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    const series = this.marketOf(symbol).candles[timeframe];
    const length = TIMEFRAME_MS[timeframe];
    // A candle is visible once it has closed: openTime + length <= now.
    const end = series.upperBound(this.now() - length);
    const count = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
    const start = Math.max(0, end - count);
    // Scans ask every few simulated minutes while the window moves once per candle: the same window is handed back
    // (callers treat candle arrays as read-only) instead of copying up to `limit` candles on every call. When it has
    // moved, the candles it shares with the last window are that window's objects: only the new ones are made.
    let windows = this.windows.get(symbol);
    if (windows === undefined) this.windows.set(symbol, (windows = new Map()));
    const last = windows.get(timeframe);
    if (last && last.start === start && last.end === end) return last.candles;
    const candles = windowOf(series, start, end, last);
    windows.set(timeframe, { start, end, candles });
    return candles;
  }

  private pricesAt(symbol: string, market: MarketHistory, time: number): { readonly time: number; readonly last: number; mark?: number } {
    const known = this.seen.get(symbol);
    if (known !== undefined && known.time === time) return known;
    const delisted = this.delistingOf(market, time);
    const fresh = delisted === undefined ? { time, last: priceAt(market, time) } : { time, last: priceAt(market, delisted.time), mark: delisted.markPrice };
    this.seen.set(symbol, fresh);
    return fresh;
  }

  /** The market's settlement, once the clock has passed the end of its data; undefined while it trades. */
  delisting(symbol: string): MarketSettlement | undefined {
    return this.delistingOf(this.marketOf(symbol), this.now());
  }

  /** The end of each market's data, the close of its last 15m candle; markets without candles left out. */
  dataEnds(): { readonly symbol: string; readonly end: Date }[] {
    return [...this.history.markets.values()].flatMap((market) => {
      const end = dataEnd(market);
      return end === undefined ? [] : [{ symbol: market.spec.symbol, end: new Date(end) }];
    });
  }

  private delistingOf(market: MarketHistory, time: number): MarketSettlement | undefined {
    const end = dataEnd(market);
    if (end === undefined || time <= end) return undefined;
    const symbol = market.spec.symbol;
    let markPrice = this.settlementMarks.get(symbol);
    if (markPrice === undefined) this.settlementMarks.set(symbol, (markPrice = markMetBy(market, end) ?? priceAt(market, end)));
    return { time: end, markPrice };
  }

  async ticker(symbol: string): Promise<Ticker> {
    const market = this.marketOf(symbol);
    const now = this.now();
    const series = market.candles['15m'];
    const end = series.upperBound(now - BASE_MS);
    const known = this.volumes.get(symbol);
    let quoteVolume24h = known?.end === end ? known.quoteVolume24h : 0;
    if (known?.end !== end) {
      for (let index = Math.max(0, end - CANDLES_PER_DAY); index < end; index += 1) {
        quoteVolume24h += series.close(index) * series.volume(index);
      }
      this.volumes.set(symbol, { end, quoteVolume24h });
    }
    return { symbol: market.spec.symbol, last: this.pricesAt(symbol, market, now).last, quoteVolume24h, time: new Date(now) };
  }

  /**
   * The replay's markets as the universe pick sees them at this instant: 24h volume of the closed candles, the last
   * settled funding, and as listing date the first candle of the data (the earliest the history can vouch for). A
   * market not started yet or delisted (see the top) is not listed.
   */
  async listings(): Promise<MarketListing[]> {
    const now = this.now();
    const listed = [...this.history.markets.values()].filter(
      (market) => firstOpen(market.candles['15m'], Number.POSITIVE_INFINITY) <= now && this.delistingOf(market, now) === undefined,
    );
    return Promise.all(
      listed.map(async (market) => {
        const funding = await this.fundingRate(market.spec.symbol);
        return {
          symbol: market.spec.symbol,
          quoteVolume24h: (await this.ticker(market.spec.symbol)).quoteVolume24h ?? 0,
          listedAt: new Date(firstOpen(market.candles['15m'], now)),
          fundingRate: funding.rate,
          fundingIntervalHours: funding.intervalHours,
        };
      }),
    );
  }

  async markPrice(symbol: string): Promise<number> {
    const market = this.marketOf(symbol);
    const prices = this.pricesAt(symbol, market, this.now());
    prices.mark ??= markAt(market, prices.time);
    return prices.mark;
  }

  /**
   * The last settlement's rate and interval. Before the first settlement of the data, the venue's usual 8 hours: the
   * rows ahead would tell the interval, but they lie in the future.
   */
  async fundingRate(symbol: string): Promise<FundingInfo> {
    const rows = this.marketOf(symbol).funding;
    const now = this.now();
    const latest = rows[upperBound(rows, (row) => row.time, now) - 1];
    const intervalHours = latest?.intervalHours ?? DEFAULT_FUNDING_INTERVAL_HOURS;
    const intervalMs = intervalHours * HOUR_MS;
    const nextFundingTime = new Date(Math.floor(now / intervalMs) * intervalMs + intervalMs);
    return { rate: latest?.rate ?? 0, intervalHours, nextFundingTime };
  }

  async pricePath(symbol: string, from: number, to: number): Promise<PriceBar[]> {
    return venueBars(this.marketOf(symbol), from, to);
  }

  async fundingEvents(symbol: string, from: number, to: number): Promise<FundingEvent[]> {
    const rows = this.marketOf(symbol).funding;
    const first = upperBound(rows, (row) => row.time, from);
    const end = upperBound(rows, (row) => row.time, to);
    return rows.slice(first, end).map((row) => ({ time: row.time, rate: row.rate }));
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private marketOf(symbol: string): MarketHistory {
    const market = this.history.markets.get(symbol);
    if (market === undefined) {
      const known = this.symbols().join(', ');
      throw new RejectedError(`${symbol} is not a linear USDT perpetual in the replay history (known: ${known})`);
    }
    return market;
  }
}

function firstOpen(series: CandleSeries, otherwise: number): number {
  return series.length > 0 ? series.openTime(0) : otherwise;
}

/** Candles [start, end) of `series`, taking the objects of the last window where the two overlap. */
function windowOf(series: CandleSeries, start: number, end: number, last: { readonly start: number; readonly end: number; readonly candles: Candle[] } | undefined): Candle[] {
  if (last !== undefined && start >= last.start && start <= last.end && end >= last.end) {
    // The usual move: the window slid forward by the candles that closed since.
    const candles = last.candles.slice(start - last.start);
    for (let index = last.end; index < end; index += 1) candles.push(series.at(index) as Candle);
    return candles;
  }
  const candles = new Array<Candle>(Math.max(0, end - start));
  for (let index = start; index < end; index += 1) {
    candles[index - start] = last !== undefined && index >= last.start && index < last.end ? (last.candles[index - last.start] as Candle) : (series.at(index) as Candle);
  }
  return candles;
}
