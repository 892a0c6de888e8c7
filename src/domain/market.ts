// Market data as the domain sees it. Series times are epoch milliseconds (UTC) for speed; entities use Date.

export type Side = 'long' | 'short';
export type OrderSide = 'buy' | 'sell';

export const TIMEFRAMES = ['15m', '1h', '4h'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '4h': 4 * 60 * 60_000,
};

/** A closed (or, only inside adapters, forming) candle. `openTime` is the bar's open in epoch ms UTC. */
export interface Candle {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Volume in the base coin. */
  readonly volume: number;
}

/**
 * Candles read by position, oldest first: an array, or a compact store of the same candles that makes each candle
 * object only when it is read (a replay's year of history).
 */
export interface CandleList {
  readonly length: number;
  at(index: number): Candle | undefined;
  slice(start?: number, end?: number): Candle[];
}

/** Open, high, low and close of one price over a stretch of time. */
export interface PriceRange {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * A stretch of the market between two instants, as the venue lives it: its open is known at `start`, its range and
 * close at `end`. The traded (last) price fills orders; the mark price, where the source has it, triggers stops and
 * liquidation, as on Binance. A bar with `start === end` is an opening instant alone.
 */
export interface PriceBar extends PriceRange {
  readonly start: number;
  readonly end: number;
  /** The mark price over the same stretch; absent where the source has none, and the traded price stands in. */
  readonly mark?: PriceRange;
}

export interface Ticker {
  readonly symbol: string;
  readonly last: number;
  readonly bid?: number;
  readonly ask?: number;
  /** 24 h traded value in the quote currency (USDT). */
  readonly quoteVolume24h: number;
  readonly time: Date;
}

export interface FundingInfo {
  /** Rate per funding interval, e.g. 0.0001 = 0.01 %. Positive: longs pay shorts. */
  readonly rate: number;
  /** Hours between the market's settlements (8 on most Binance markets, 4 or 1 on some, 1 on Hyperliquid). */
  readonly intervalHours: number;
  readonly nextFundingTime: Date;
}

/** The interval funding is compared over, whatever a market settles every: the venues' most common one. */
export const FUNDING_REFERENCE_HOURS = 8;

/**
 * A rate settled every `intervalHours` as the rate of 8 hours: 0.01% every hour carries as much as 0.08% every 8 h.
 * An unknown (or unusable) interval is taken for 8 hours.
 */
export function fundingPer8Hours(rate: number, intervalHours: number | undefined): number {
  return intervalHours !== undefined && intervalHours > 0 && Number.isFinite(intervalHours) ? (rate * FUNDING_REFERENCE_HOURS) / intervalHours : rate;
}

/** A funding settlement that happened at `time` (epoch ms). */
export interface FundingEvent {
  readonly time: number;
  readonly rate: number;
}

/** What the risk manager and the order path need to know about a contract. */
/** A delisted market's settlement: its instant (epoch ms) and the mark price what was held there closed at. */
export interface MarketSettlement {
  readonly time: number;
  readonly markPrice: number;
}

export interface MarketSpec {
  /** Unified symbol, e.g. `BTC/USDT:USDT`. */
  readonly symbol: string;
  /** The exchange's id, e.g. `BTCUSDT`. */
  readonly id: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: number;
  readonly amountStep: number;
  readonly minAmount: number;
  /** Smallest order value in USDT the exchange accepts. */
  readonly minNotional: number;
  /** Maintenance margin rate of the first leverage bracket (e.g. 0.004 for BTC). */
  readonly maintenanceMarginRate: number;
  /** The bracket's maintenance amount ("cum"); 0 for the first bracket. */
  readonly maintenanceAmount: number;
  readonly maxLeverage: number;
  /**
   * The venue's leverage brackets by position size, smallest first, when known (the venue's table live, a bundled
   * file in replay). Unknown: only positions inside the first bracket are allowed (see leverage-brackets.ts).
   */
  readonly brackets?: readonly LeverageBracket[];
}

/** One tier of the venue's maintenance margin table: the rate and amount that apply to positions of this size. */
export interface LeverageBracket {
  /** Position notional (USDT) from which this bracket applies, inclusive. */
  readonly notionalFloor: number;
  /** Position notional up to which it applies, exclusive; Infinity for the last. */
  readonly notionalCap: number;
  readonly maintenanceMarginRate: number;
  /** "cum": makes the maintenance margin continuous across brackets. */
  readonly maintenanceAmount: number;
  /** Highest initial leverage the venue allows in this bracket, when known. */
  readonly maxLeverage?: number;
}

export function baseOf(symbol: string): string {
  return symbol.split('/')[0] ?? symbol;
}
