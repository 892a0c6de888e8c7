// Gathers one market's data (candles on every timeframe, ticker, mark price, funding) into a snapshot.
import type { MarketSnapshot, TimeframeView } from '../domain/analysis.js';
import type { Candle, Timeframe } from '../domain/market.js';
import { assembleSnapshot, buildTimeframeView } from '../domain/snapshot.js';
import type { Clock } from '../ports/clock.js';
import type { MarketData } from '../ports/market-data.js';

export class SnapshotService {
  /** One entry per symbol and timeframe: bounded by the configured symbols. */
  private readonly views = new Map<string, { readonly lastOpenTime: number; readonly view: TimeframeView }>();

  constructor(
    private readonly marketData: MarketData,
    private readonly clock: Clock,
    private readonly candleLimit: number,
  ) {}

  async snapshot(symbol: string): Promise<MarketSnapshot> {
    const limit = this.candleLimit;
    const [m15, h1, h4, ticker, markPrice, funding] = await Promise.all([
      this.marketData.candles(symbol, '15m', limit),
      this.marketData.candles(symbol, '1h', limit),
      this.marketData.candles(symbol, '4h', limit),
      this.marketData.ticker(symbol),
      this.marketData.markPrice(symbol),
      this.marketData.fundingRate(symbol),
    ]);
    const views = { '15m': this.view(symbol, '15m', m15), '1h': this.view(symbol, '1h', h1), '4h': this.view(symbol, '4h', h4) };
    return assembleSnapshot({
      symbol,
      time: this.clock.now(),
      views,
      price: ticker.last,
      markPrice,
      quoteVolume24h: ticker.quoteVolume24h,
      fundingRate: funding.rate,
      fundingIntervalHours: funding.intervalHours,
    });
  }

  /** A view depends only on its closed candles: rebuilt when a new candle closes, reused by the scans in between. */
  private view(symbol: string, timeframe: Timeframe, candles: readonly Candle[]): TimeframeView {
    const key = `${symbol}:${timeframe}`;
    const last = candles[candles.length - 1];
    const known = this.views.get(key);
    if (known && last && known.lastOpenTime === last.openTime && known.view.candles.length === candles.length) return known.view;
    const view = buildTimeframeView(timeframe, candles, symbol);
    if (last) this.views.set(key, { lastOpenTime: last.openTime, view });
    return view;
  }
}
