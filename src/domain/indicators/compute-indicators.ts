// The latest value of every indicator for one timeframe. Replays call this tens of times per simulated step, so it is
// one fused pass over the candles with every running average held in a local number: no arrays, no per-candle objects,
// no calls the JIT cannot inline. The arithmetic is the same, operation for operation, as the textbook steppers in
// the tests' reference implementation, and the tests hold the two to each other.
import type { AdxValue, BollingerValue, IndicatorSet, MacdValue } from '../analysis.js';
import type { Candle } from '../market.js';
import { rsiFrom, trueRange } from './primitives.js';

/** Period settings shared by every timeframe; they are the textbook defaults the analysts' thresholds assume. */
export const INDICATOR_PERIODS = {
  rsi: 14,
  macd: { fast: 12, slow: 26, signal: 9 },
  bollinger: { period: 20, deviations: 2 },
  atr: 14,
  adx: 14,
  volume: 20,
} as const;

const { rsi: RSI, atr: ATR, adx: ADX, volume: VOLUME } = INDICATOR_PERIODS;
const { fast: FAST, slow: SLOW, signal: SIGNAL } = INDICATOR_PERIODS.macd;
const { period: BANDS, deviations: DEVIATIONS } = INDICATOR_PERIODS.bollinger;

/**
 * One step of an SMA-seeded exponential average whose `index`-th input is `input`. While seeding, `state` holds the
 * running sum; on input `period - 1` it becomes the mean; from then on it is the average. Valid once index >= period - 1.
 */
function average(state: number, input: number, index: number, period: number, alpha: number): number {
  if (index < period - 1) return state + input;
  if (index === period - 1) return (state + input) / period;
  return state + alpha * (input - state);
}

/**
 * Latest indicator values over `candles` (oldest first). A field is `undefined` while the series is too short for it:
 * SMA/EMA n need n candles, RSI 15 (its previous value 16), MACD 34 (previous 35), Bollinger 20, ATR 15, ADX 28.
 */
export function computeIndicators(candles: readonly Candle[]): IndicatorSet {
  const count = candles.length;
  const lastCandle = candles[count - 1];
  if (lastCandle === undefined) throw new RangeError('computeIndicators needs at least one candle');
  const last = count - 1;

  let ema20 = 0;
  let ema50 = 0;
  let ema200 = 0;
  let emaFast = 0;
  let emaSlow = 0;
  let macdLine = NaN;
  let macdSignal = 0;
  let previousLine = NaN;
  let previousSignal = NaN;
  let averageGain = 0;
  let averageLoss = 0;
  let rsiNow = NaN;
  let rsiBefore = NaN;
  let atr = 0;
  let adxRange = 0;
  let adxPlus = 0;
  let adxMinus = 0;
  let plusDI = NaN;
  let minusDI = NaN;
  let adx = 0;
  let previousHigh = 0;
  let previousLow = 0;
  let previousClose = 0;

  for (let i = 0; i < count; i += 1) {
    const candle = candles[i]!;
    const high = candle.high;
    const low = candle.low;
    const close = candle.close;

    ema20 = average(ema20, close, i, 20, 2 / 21);
    ema50 = average(ema50, close, i, 50, 2 / 51);
    ema200 = average(ema200, close, i, 200, 2 / 201);
    emaFast = average(emaFast, close, i, FAST, 2 / (FAST + 1));
    emaSlow = average(emaSlow, close, i, SLOW, 2 / (SLOW + 1));
    if (i >= SLOW - 1) {
      previousLine = macdLine;
      previousSignal = macdSignal;
      macdLine = emaFast - emaSlow;
      macdSignal = average(macdSignal, macdLine, i - (SLOW - 1), SIGNAL, 2 / (SIGNAL + 1));
    }

    if (i > 0) {
      // Everything below works on changes from the previous candle; change k belongs to candle k + 1.
      const k = i - 1;
      const change = close - previousClose;
      averageGain = average(averageGain, change > 0 ? change : 0, k, RSI, 1 / RSI);
      averageLoss = average(averageLoss, change < 0 ? -change : 0, k, RSI, 1 / RSI);
      if (k >= RSI - 1) {
        rsiBefore = rsiNow;
        rsiNow = rsiFrom(averageGain, averageLoss);
      }

      const range = trueRange(high, low, previousClose);
      atr = average(atr, range, k, ATR, 1 / ATR);

      const upMove = high - previousHigh;
      const downMove = previousLow - low;
      adxRange = average(adxRange, range, k, ADX, 1 / ADX);
      adxPlus = average(adxPlus, upMove > downMove && upMove > 0 ? upMove : 0, k, ADX, 1 / ADX);
      adxMinus = average(adxMinus, downMove > upMove && downMove > 0 ? downMove : 0, k, ADX, 1 / ADX);
      if (k >= ADX - 1) {
        plusDI = adxRange === 0 ? 0 : (100 * adxPlus) / adxRange;
        minusDI = adxRange === 0 ? 0 : (100 * adxMinus) / adxRange;
        const diSum = plusDI + minusDI;
        const dx = diSum === 0 ? 0 : (100 * Math.abs(plusDI - minusDI)) / diSum;
        adx = average(adx, dx, k - (ADX - 1), ADX, 1 / ADX);
      }
    }
    previousHigh = high;
    previousLow = low;
    previousClose = close;
  }

  // The signal line exists from candle SLOW + SIGNAL - 2; `count` candles reach index `last`.
  const signalFrom = SLOW + SIGNAL - 2;
  const atrKnown = last >= ATR;
  const volumeSma = meanOfLast(candles, VOLUME, volumeOf);
  return {
    close: lastCandle.close,
    rsi14: defined(rsiNow),
    previousRsi14: defined(rsiBefore),
    macd: last >= signalFrom ? macdValue(macdLine, macdSignal) : undefined,
    previousMacd: last - 1 >= signalFrom ? macdValue(previousLine, previousSignal) : undefined,
    bollinger: bollingerOfLast(candles),
    sma20: defined(meanOfLast(candles, 20, closeOf)),
    sma50: defined(meanOfLast(candles, 50, closeOf)),
    sma200: defined(meanOfLast(candles, 200, closeOf)),
    ema20: count >= 20 ? ema20 : undefined,
    ema50: count >= 50 ? ema50 : undefined,
    ema200: count >= 200 ? ema200 : undefined,
    atr14: atrKnown ? atr : undefined,
    atrPct: atrKnown && lastCandle.close !== 0 ? atr / lastCandle.close : undefined,
    adx14: last >= 2 * ADX - 1 ? adxValue(adx, plusDI, minusDI) : undefined,
    volume: lastCandle.volume,
    volumeSma20: defined(volumeSma),
    volumeRatio: Number.isNaN(volumeSma) || volumeSma === 0 ? undefined : lastCandle.volume / volumeSma,
  };
}

const closeOf = (candle: Candle): number => candle.close;
const volumeOf = (candle: Candle): number => candle.volume;

/** Mean of `field` over the last `period` candles; NaN when there are fewer. Window averages only need the tail. */
function meanOfLast(candles: readonly Candle[], period: number, field: (candle: Candle) => number): number {
  if (candles.length < period) return NaN;
  let sum = 0;
  for (let i = candles.length - period; i < candles.length; i += 1) sum += field(candles[i]!);
  return sum / period;
}

/** Same definition as `BollingerStepper.compute`: two-pass population deviation, %B 0.5 when the bands collapse. */
function bollingerOfLast(candles: readonly Candle[]): BollingerValue | undefined {
  const middle = meanOfLast(candles, BANDS, closeOf);
  if (Number.isNaN(middle)) return undefined;
  let squares = 0;
  for (let i = candles.length - BANDS; i < candles.length; i += 1) {
    const d = candles[i]!.close - middle;
    squares += d * d;
  }
  const spread = DEVIATIONS * Math.sqrt(squares / BANDS);
  const upper = middle + spread;
  const lower = middle - spread;
  const close = candles[candles.length - 1]!.close;
  return {
    upper,
    middle,
    lower,
    width: (upper - lower) / middle,
    percentB: spread === 0 ? 0.5 : (close - lower) / (upper - lower),
  };
}

function defined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}

function macdValue(line: number, signal: number): MacdValue {
  return { macd: line, signal, histogram: line - signal };
}

function adxValue(adx: number, plusDI: number, minusDI: number): AdxValue {
  return { adx, plusDI, minusDI };
}
