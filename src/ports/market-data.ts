import type { Candle, FundingEvent, FundingInfo, MarketSpec, PriceBar, Ticker, Timeframe } from '../domain/market.js';
import type { MarketListing } from '../domain/universe.js';

export interface PriceTick {
  readonly symbol: string;
  /** The last traded price; the mark where the venue streams only the mark (Binance's mark-price stream). */
  readonly price: number;
  /** The mark, where the stream carries it: stops and liquidations trigger on it, not on the last trade. */
  readonly markPrice?: number;
  readonly time: Date;
}

export interface MarketData {
  /** Contract details; rejects with a clear message for a symbol that is not a linear USDT perpetual. */
  market(symbol: string): Promise<MarketSpec>;
  /** Up to `limit` closed candles, oldest first. Never a candle still forming at the current time. */
  candles(symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]>;
  ticker(symbol: string): Promise<Ticker>;
  markPrice(symbol: string): Promise<number>;
  fundingRate(symbol: string): Promise<FundingInfo>;
  /**
   * The market over (from, to] (epoch ms) as the venue learns it, oldest first; used by the fill simulator. Bars that
   * end in (from, to] come whole; a bar still forming at `to` comes as its opening instant alone (start = end = its
   * open time) when that lies in (from, to]. Nothing in a bar is later than `to`.
   */
  pricePath(symbol: string, from: number, to: number): Promise<PriceBar[]>;
  /** Funding settlements with from < time <= to. */
  fundingEvents(symbol: string, from: number, to: number): Promise<FundingEvent[]>;
  /**
   * Every linear perpetual the daemon could trade here, with its 24h volume, listing date and funding, for picking
   * the universe (UNIVERSE=top_volume); absent where the source cannot list its markets. A replay answers from the
   * past only.
   */
  listings?(): Promise<MarketListing[]>;
  /** A live price stream, where the source has one. Ends when `signal` aborts or the stream fails. */
  watchPrice?(symbol: string, signal: AbortSignal): AsyncIterable<PriceTick>;
}
