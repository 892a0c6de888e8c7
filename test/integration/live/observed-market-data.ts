// The real ccxt market data, passed through unchanged, with one thing added for tests: it remembers every streamed
// price it handed to the engine. A test that pushes a price on the venue's stream must first know that the engine
// is listening, or the push can land before the engine asks for the next tick and be missed.
import type { Candle, FundingEvent, FundingInfo, MarketSpec, PriceBar, Ticker, Timeframe } from '../../../src/domain/market.js';
import type { MarketData, PriceTick } from '../../../src/ports/market-data.js';

export class ObservedMarketData implements MarketData {
  /** Every tick the engine received from `watchPrice`, in order. */
  readonly delivered: PriceTick[] = [];

  constructor(private readonly inner: MarketData) {}

  market(symbol: string): Promise<MarketSpec> {
    return this.inner.market(symbol);
  }

  candles(symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    return this.inner.candles(symbol, timeframe, limit);
  }

  ticker(symbol: string): Promise<Ticker> {
    return this.inner.ticker(symbol);
  }

  markPrice(symbol: string): Promise<number> {
    return this.inner.markPrice(symbol);
  }

  fundingRate(symbol: string): Promise<FundingInfo> {
    return this.inner.fundingRate(symbol);
  }

  pricePath(symbol: string, from: number, to: number): Promise<PriceBar[]> {
    return this.inner.pricePath(symbol, from, to);
  }

  fundingEvents(symbol: string, from: number, to: number): Promise<FundingEvent[]> {
    return this.inner.fundingEvents(symbol, from, to);
  }

  async *watchPrice(symbol: string, signal: AbortSignal): AsyncIterable<PriceTick> {
    const stream = this.inner.watchPrice?.(symbol, signal);
    if (!stream) return;
    for await (const tick of stream) {
      this.delivered.push(tick);
      yield tick;
    }
  }
}
