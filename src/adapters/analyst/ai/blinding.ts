// Blind backtests: the model is shown a market it cannot recognise, so it cannot recall what happened next. Prices
// are rescaled to 100 at the start of the replay (one factor per market for the whole run, so levels stay comparable
// from one question to the next), volumes become multiples of their own recent average, and the prompt leaves out
// the symbol, every date, the tick grid (market-summary.ts) and the liquidation price (prompt.ts). Ratios (RSI, %B,
// band width, ATR %, ADX, DI, volume ratio) carry no level and stay as they are; so does the funding rate, which is
// shared by many markets and names none of them.
import type { IndicatorSet, MarketSnapshot, TimeframeView } from '../../../domain/analysis.js';
import type { Candle } from '../../../domain/market.js';
import { TIMEFRAMES } from '../../../domain/market.js';
import type { Position } from '../../../domain/trading.js';
import type { TradeAnswer } from './response-parser.js';

/** The level every market starts at in a blind prompt. */
export const BLIND_START_LEVEL = 100;
/** Candles in the volume average a candle's volume is divided by (its own moving average, as the indicators use). */
export const VOLUME_AVERAGE_CANDLES = 20;

/**
 * One factor per market, fixed for the run: 100 / the price at the replay's start. Markets without a known start
 * price are anchored on the first price a prompt shows, which is the start price when every analyst is asked from
 * the start on.
 */
export class PriceScale {
  private readonly anchors: Map<string, number>;

  constructor(startPrices: ReadonlyMap<string, number> = new Map()) {
    this.anchors = new Map([...startPrices].filter(([, price]) => Number.isFinite(price) && price > 0));
  }

  /** Multiply a real price by this to get the price the model is shown. */
  factorFor(symbol: string, currentPrice: number): number {
    let anchor = this.anchors.get(symbol);
    if (anchor === undefined) {
      if (!(Number.isFinite(currentPrice) && currentPrice > 0)) throw new RangeError(`${symbol}: no price to anchor the blind scale on`);
      anchor = currentPrice;
      this.anchors.set(symbol, anchor);
    }
    return BLIND_START_LEVEL / anchor;
  }
}

const scaled = (value: number | undefined, factor: number): number | undefined => (value === undefined ? undefined : value * factor);

/** Price-unit indicators are multiplied by the factor; ratios are left alone; volumes become relative to their average. */
function blindIndicators(indicators: IndicatorSet, factor: number): IndicatorSet {
  const { macd, previousMacd, bollinger } = indicators;
  const scaleMacd = (value: typeof macd) =>
    value && { macd: value.macd * factor, signal: value.signal * factor, histogram: value.histogram * factor };
  const relativeVolume =
    indicators.volumeSma20 !== undefined && indicators.volumeSma20 > 0 ? indicators.volume / indicators.volumeSma20 : 1;
  return {
    ...indicators,
    close: indicators.close * factor,
    macd: scaleMacd(macd),
    previousMacd: scaleMacd(previousMacd),
    bollinger: bollinger && {
      ...bollinger,
      upper: bollinger.upper * factor,
      middle: bollinger.middle * factor,
      lower: bollinger.lower * factor,
    },
    sma20: scaled(indicators.sma20, factor),
    sma50: scaled(indicators.sma50, factor),
    sma200: scaled(indicators.sma200, factor),
    ema20: scaled(indicators.ema20, factor),
    ema50: scaled(indicators.ema50, factor),
    ema200: scaled(indicators.ema200, factor),
    atr14: scaled(indicators.atr14, factor),
    volume: relativeVolume,
    volumeSma20: indicators.volumeSma20 === undefined ? undefined : 1,
  };
}

/** Each candle's volume as a multiple of the mean of its own last VOLUME_AVERAGE_CANDLES volumes (itself included). */
export function relativeVolumes(candles: readonly Candle[]): number[] {
  const result: number[] = [];
  let sum = 0;
  for (let index = 0; index < candles.length; index += 1) {
    sum += (candles[index] as Candle).volume;
    if (index >= VOLUME_AVERAGE_CANDLES) sum -= (candles[index - VOLUME_AVERAGE_CANDLES] as Candle).volume;
    const mean = sum / Math.min(index + 1, VOLUME_AVERAGE_CANDLES);
    result.push(mean > 0 ? (candles[index] as Candle).volume / mean : 1);
  }
  return result;
}

function blindView(view: TimeframeView, factor: number): TimeframeView {
  const volumes = relativeVolumes(view.candles);
  const candles = view.candles.map((candle, index) => ({
    openTime: candle.openTime,
    open: candle.open * factor,
    high: candle.high * factor,
    low: candle.low * factor,
    close: candle.close * factor,
    volume: volumes[index] ?? 1,
  }));
  return { ...view, candles, indicators: blindIndicators(view.indicators, factor) };
}

/**
 * The regime's reason without the number of hourly candles it averaged over: for a market listed less than the view's
 * length ago that number is its age in hours, which narrows down which listing it is.
 */
export function blindRegimeReason(reason: string): string {
  return reason.replace(/its \d+-hour average/g, 'its average');
}

/**
 * The snapshot in blind units. Times stay in it (the cache and the clock need them) but the blind summary never
 * prints them; the 24h quote volume is an absolute size that would name the market, so it is left out (NaN).
 */
export function blindSnapshot(snapshot: MarketSnapshot, factor: number): MarketSnapshot {
  const timeframes = Object.fromEntries(TIMEFRAMES.map((timeframe) => [timeframe, blindView(snapshot.timeframes[timeframe], factor)]));
  return {
    ...snapshot,
    symbol: '',
    price: snapshot.price * factor,
    markPrice: snapshot.markPrice * factor,
    quoteVolume24h: Number.NaN,
    regime: { ...snapshot.regime, reason: blindRegimeReason(snapshot.regime.reason) },
    timeframes: timeframes as MarketSnapshot['timeframes'],
  };
}

/** The position in blind units: its price levels scaled, its quantity scaled inversely so its P&L in USDT is unchanged. */
export function blindPosition(position: Position, factor: number): Position {
  return {
    ...position,
    symbol: '',
    entryPrice: position.entryPrice * factor,
    stopPrice: position.stopPrice * factor,
    liquidationPrice: position.liquidationPrice * factor,
    takeProfitPrice: scaled(position.takeProfitPrice, factor),
    bestPrice: scaled(position.bestPrice, factor),
    quantity: position.quantity / factor,
  };
}

/** A trade answer given in blind units, in real prices. Its fractions (stop %, take-profit %, risk/reward) are unitless. */
export function answerInRealPrices(answer: TradeAnswer, factor: number): TradeAnswer {
  return {
    ...answer,
    entryPrice: answer.entryPrice / factor,
    stopPrice: answer.stopPrice / factor,
    takeProfitPrice: answer.takeProfitPrice / factor,
  };
}
