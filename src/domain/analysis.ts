// What the analysts see (a snapshot of one market at one instant) and what they answer (votes).
import type { Candle, Side, Timeframe } from './market.js';

export interface MacdValue {
  readonly macd: number;
  readonly signal: number;
  readonly histogram: number;
}

export interface BollingerValue {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
  /** (upper - lower) / middle */
  readonly width: number;
  /** Where the close sits in the band: 0 = lower, 1 = upper. */
  readonly percentB: number;
}

export interface AdxValue {
  readonly adx: number;
  /** +DI and -DI as percentages (0-100). */
  readonly plusDI: number;
  readonly minusDI: number;
}

/** Latest values of every indicator on one timeframe; `undefined` while there are too few candles. */
export interface IndicatorSet {
  readonly close: number;
  readonly rsi14?: number;
  /** RSI of the candle before, to see direction. */
  readonly previousRsi14?: number;
  readonly macd?: MacdValue;
  readonly previousMacd?: MacdValue;
  readonly bollinger?: BollingerValue;
  readonly sma20?: number;
  readonly sma50?: number;
  readonly sma200?: number;
  readonly ema20?: number;
  readonly ema50?: number;
  readonly ema200?: number;
  readonly atr14?: number;
  /** ATR as a fraction of the close. */
  readonly atrPct?: number;
  readonly adx14?: AdxValue;
  readonly volume: number;
  readonly volumeSma20?: number;
  /** Last volume / its 20-candle average. */
  readonly volumeRatio?: number;
}

export type TrendDirection = 'up' | 'down' | 'flat';

export type RegimeKind = 'TRENDING' | 'RANGING' | 'VOLATILE';

export interface Regime {
  readonly kind: RegimeKind;
  readonly direction: TrendDirection;
  /** One sentence a trader can read: which numbers made the call. */
  readonly reason: string;
}

export interface TimeframeView {
  readonly timeframe: Timeframe;
  /** Closed candles only, oldest first. */
  readonly candles: readonly Candle[];
  readonly indicators: IndicatorSet;
  readonly trend: TrendDirection;
}

/** One market at one instant, as every analyst sees it. Contains nothing that had not happened at `time`. */
export interface MarketSnapshot {
  readonly symbol: string;
  readonly time: Date;
  /** Open time of the last closed 15m candle: the identity of the data (cache key). */
  readonly lastClosedCandle: number;
  readonly price: number;
  readonly markPrice: number;
  readonly quoteVolume24h: number;
  /** The current funding rate per settlement of this market (see `fundingIntervalHours`). */
  readonly fundingRate: number;
  /**
   * Hours between the market's settlements: 0.01% every hour carries eight times what 0.01% every 8 h does. Absent
   * in snapshots made before the interval was known (test fixtures, recorded scans): read as unknown, not as 8.
   */
  readonly fundingIntervalHours?: number;
  readonly regime: Regime;
  readonly timeframes: Readonly<Record<Timeframe, TimeframeView>>;
}

export type VoteAction = Side | 'hold';

/** valid: a validated answer; rejected: answered, but invalid; failed: no answer (timeout, outage). */
export type VoteOutcome = 'valid' | 'rejected' | 'failed';

export interface CallUsage {
  readonly model: string;
  readonly latencyMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Hash of the prompt; identical data gives the same hash. Empty for rule-based analysts. */
  readonly promptHash: string;
  /** Served from the cache: no provider call was made, and the same answer is already on record. */
  readonly cached: boolean;
  /** Served from a backtest's answer archive: a decision of this run, made without a provider call. */
  readonly archived?: boolean;
  /**
   * The shadow strategy that made this call before the main account needed the same answer: the cost is the main
   * account's, and that shadow's spend is lower by as much.
   */
  readonly takenOverFrom?: string;
}

export interface Vote {
  readonly analyst: string;
  readonly outcome: VoteOutcome;
  /** `hold` whenever the outcome is not `valid`. */
  readonly action: VoteAction;
  /** 0..1 */
  readonly confidence: number;
  readonly leverage?: number;
  /** Distance from entry to stop as a fraction, e.g. 0.06. */
  readonly stopLossPct?: number;
  /** Distance from entry to take-profit as a fraction. */
  readonly takeProfitPct?: number;
  readonly riskReward?: number;
  readonly reasoning: string;
  readonly keyFactors: readonly string[];
  /** Why the answer was rejected or failed, for the record. */
  readonly reason?: string;
  readonly usage: CallUsage;
  /** The raw answer text, kept for the decisions table (bounded by the adapter). */
  readonly raw?: string;
}

export interface ExitVote {
  readonly analyst: string;
  readonly outcome: VoteOutcome;
  readonly shouldExit: boolean;
  readonly confidence: number;
  readonly reason: string;
  readonly usage: CallUsage;
  readonly raw?: string;
}
