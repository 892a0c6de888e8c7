// Market data served from history at the time of an injected clock. Everything it returns had happened by
// `clock.now()`: closed candles only, and inside the forming 15m candle a price read off the assumed intra-candle path.
import { RejectedError } from '../../../domain/errors.js';
import type { Candle, FundingEvent, FundingInfo, MarketSpec, PriceBar, Ticker, Timeframe } from '../../../domain/market.js';
import { TIMEFRAME_MS } from '../../../domain/market.js';
import { HOUR_MS } from '../../../domain/time.js';
import type { Clock } from '../../../ports/clock.js';
import type { MarketData } from '../../../ports/market-data.js';
import { candleBar, priceInCandle } from './price-path.js';
import type { MarketHistory, ReplayHistory } from './replay-history.js';

const BASE_MS = TIMEFRAME_MS['15m'];
const CANDLES_PER_DAY = 96;
const DEFAULT_FUNDING_INTERVAL_HOURS = 8;

export interface ReplayRange {
  readonly from: Date;
  readonly to: Date;
}

export class ReplayMarketData implements MarketData {
  /** The last window handed out per symbol and timeframe. */
  private readonly windows = new Map<string, { readonly start: number; readonly end: number; readonly candles: Candle[] }>();
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
      const first = series[0];
      const last = series[series.length - 1];
      if (first === undefined || last === undefined) continue;
      from = Math.min(from, first.openTime);
      to = Math.max(to, last.openTime + BASE_MS);
    }
    if (!Number.isFinite(from)) throw new RangeError('the replay history holds no candles');
    return { from: new Date(from), to: new Date(to) };
  }

  async market(symbol: string): Promise<MarketSpec> {
    return this.marketOf(symbol).spec;
  }

  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    const series = this.marketOf(symbol).candles[timeframe];
    const length = TIMEFRAME_MS[timeframe];
    // A candle is visible once it has closed: openTime + length <= now.
    const end = upperBound(series, (candle) => candle.openTime, this.now() - length);
    const count = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
    const start = Math.max(0, end - count);
    // Scans ask every few simulated minutes while the window moves once per candle: the same window is handed back
    // (callers treat candle arrays as read-only) instead of copying up to `limit` candles on every call.
    const key = `${symbol}|${timeframe}`;
    const last = this.windows.get(key);
    if (last && last.start === start && last.end === end) return last.candles;
    const candles = series.slice(start, end);
    this.windows.set(key, { start, end, candles });
    return candles;
  }

  async ticker(symbol: string): Promise<Ticker> {
    const market = this.marketOf(symbol);
    const now = this.now();
    const series = market.candles['15m'];
    const end = upperBound(series, (candle) => candle.openTime, now - BASE_MS);
    let quoteVolume24h = 0;
    for (let index = Math.max(0, end - CANDLES_PER_DAY); index < end; index += 1) {
      const candle = series[index] as Candle;
      quoteVolume24h += candle.close * candle.volume;
    }
    return { symbol: market.spec.symbol, last: priceAt(market, now), quoteVolume24h, time: new Date(now) };
  }

  /** Replays have no separate mark price: the traded path stands in for it. */
  async markPrice(symbol: string): Promise<number> {
    return priceAt(this.marketOf(symbol), this.now());
  }

  async fundingRate(symbol: string): Promise<FundingInfo> {
    const rows = this.marketOf(symbol).funding;
    const now = this.now();
    const latest = rows[upperBound(rows, (row) => row.time, now) - 1];
    const intervalMs = (latest?.intervalHours ?? DEFAULT_FUNDING_INTERVAL_HOURS) * HOUR_MS;
    const nextFundingTime = new Date(Math.floor(now / intervalMs) * intervalMs + intervalMs);
    return { rate: latest?.rate ?? 0, nextFundingTime };
  }

  async pricePath(symbol: string, from: number, to: number): Promise<PriceBar[]> {
    const series = this.marketOf(symbol).candles['15m'];
    const bars: PriceBar[] = [];
    // First candle that can overlap (from, to]: the one containing `from`, or the next.
    let index = Math.max(0, upperBound(series, (candle) => candle.openTime, from) - 1);
    for (; index < series.length; index += 1) {
      const candle = series[index] as Candle;
      if (candle.openTime >= to) break;
      const start = Math.max(from, candle.openTime);
      const end = Math.min(to, candle.openTime + BASE_MS);
      if (end > start) bars.push(candleBar(candle, BASE_MS, start, end));
    }
    return bars;
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

/** Price at `time` on the intra-candle path; the last close across a gap in the data; an error outside the data. */
function priceAt(market: MarketHistory, time: number): number {
  const series = market.candles['15m'];
  const index = upperBound(series, (candle) => candle.openTime, time) - 1;
  const candle = series[index];
  if (candle === undefined) {
    throw new RangeError(`${market.spec.symbol}: no replay data at ${new Date(time).toISOString()} (before the first candle)`);
  }
  const closeTime = candle.openTime + BASE_MS;
  if (time <= closeTime) return priceInCandle(candle, BASE_MS, time);
  if (index === series.length - 1) {
    throw new RangeError(
      `${market.spec.symbol}: no replay data at ${new Date(time).toISOString()} (data ends ${new Date(closeTime).toISOString()})`,
    );
  }
  return candle.close;
}

/** Index of the first item whose key is greater than `value` (items sorted by key). */
function upperBound<T>(items: readonly T[], key: (item: T) => number, value: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (key(items[middle] as T) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
