// What kind of market this is right now, read from the 1h and 4h views. Analysts use it to decide which playbook
// applies: trend-following wants TRENDING, mean reversion wants RANGING, and everyone is more careful when VOLATILE.
import type { IndicatorSet, Regime, TimeframeView, TrendDirection } from './analysis.js';
import { trueRange } from './indicators/primitives.js';
import type { Candle, Timeframe } from './market.js';

/** Wilder's own line between a trending and a directionless market. */
export const TREND_ADX = 25;
/**
 * The 1h ATR(14) against the average 1h true range of the whole view (about ten days at 250 candles). On the bundled
 * ten weeks of six majors this is above 1.75 in roughly 3-5 % of hours, the 10 October cascade among them; below it
 * the move is ordinary for that coin, whatever its usual volatility.
 */
export const VOLATILE_ATR_RATIO = 1.75;
/**
 * Absolute backstop for short histories: hourly ranges averaging 3 % can take out a 5 % stop within two candles.
 * Normal hours of the bundled majors sit at 0.5-1.3 %.
 */
export const VOLATILE_ATR_PCT = 0.03;
/** Fewer 1h candles than this and the "normal" true range is not trusted; only the absolute backstop applies. */
const MIN_CANDLES_FOR_NORMAL = 50;

/**
 * Trend of one timeframe from its moving averages:
 * - up: EMA20 above EMA50, the close above EMA50, and the close above EMA200 when EMA200 is known;
 * - down: the mirror image;
 * - flat: anything else, including too little history for EMA50.
 * The close is checked against EMA50 rather than EMA20 so that an ordinary pullback inside a trend does not flip it.
 */
export function trendOf(indicators: IndicatorSet): TrendDirection {
  const { close, ema20, ema50, ema200 } = indicators;
  if (ema20 === undefined || ema50 === undefined) return 'flat';
  if (ema20 > ema50 && close > ema50 && (ema200 === undefined || close > ema200)) return 'up';
  if (ema20 < ema50 && close < ema50 && (ema200 === undefined || close < ema200)) return 'down';
  return 'flat';
}

/**
 * The market's regime, decided in this order:
 * 1. VOLATILE when the 1h ATR(14) is at least 1.75x the average 1h true range of the view, or at least 3 % of price.
 * 2. TRENDING when the 1h ADX(14) is at least 25, the 1h and 4h trends (see `trendOf`) point the same way, and the
 *    1h directional indicators agree (+DI above -DI for an uptrend).
 * 3. RANGING otherwise.
 * The direction is the 1h and 4h trend when they agree, the non-flat one when the other is flat, and flat when they
 * disagree.
 */
export function classifyRegime(views: Readonly<Record<Timeframe, TimeframeView>>): Regime {
  const hourly = views['1h'].indicators;
  const fourHourly = views['4h'].indicators;
  const hourTrend = views['1h'].trend;
  const fourHourTrend = views['4h'].trend;
  const direction = combinedDirection(hourTrend, fourHourTrend);

  const atrPct = hourly.atrPct;
  if (atrPct !== undefined) {
    const normalRangePct = averageTrueRangePct(views['1h'].candles);
    const ratio = normalRangePct === undefined ? undefined : atrPct / normalRangePct;
    if (atrPct >= VOLATILE_ATR_PCT || (ratio !== undefined && ratio >= VOLATILE_ATR_RATIO)) {
      const against = ratio === undefined ? '' : `, ${ratio.toFixed(2)}x its ${views['1h'].candles.length}-hour average`;
      return { kind: 'VOLATILE', direction, reason: `1h ATR is ${percent(atrPct)} of price${against}.` };
    }
  }

  const adx = hourly.adx14;
  const diAgrees =
    adx !== undefined && (hourTrend === 'up' ? adx.plusDI > adx.minusDI : adx.minusDI > adx.plusDI);
  if (adx !== undefined && adx.adx >= TREND_ADX && hourTrend !== 'flat' && hourTrend === fourHourTrend && diAgrees) {
    return {
      kind: 'TRENDING',
      direction: hourTrend,
      reason:
        `1h ADX ${adx.adx.toFixed(1)} (+DI ${adx.plusDI.toFixed(1)} / -DI ${adx.minusDI.toFixed(1)}) ` +
        `with 1h and 4h EMAs both pointing ${hourTrend}${emaNote(fourHourly)}.`,
    };
  }

  const adxText = adx === undefined ? 'unknown' : adx.adx.toFixed(1);
  return {
    kind: 'RANGING',
    direction,
    reason: `1h ADX ${adxText} with 1h trend ${hourTrend} and 4h trend ${fourHourTrend}: no aligned trend.`,
  };
}

function combinedDirection(hour: TrendDirection, fourHour: TrendDirection): TrendDirection {
  if (hour === fourHour) return hour;
  if (hour === 'flat') return fourHour;
  if (fourHour === 'flat') return hour;
  return 'flat';
}

/**
 * The normal range of a 1h window, by the window itself: a window changes once an hour while the regime is asked at
 * every scan (three times a 15m candle per market in a replay), and candle windows are never changed in place.
 */
const normalRanges = new WeakMap<readonly Candle[], number | undefined>();

/** Mean true range of the candles as a fraction of each close; undefined when the history is too short to call normal. */
function averageTrueRangePct(candles: readonly Candle[]): number | undefined {
  if (normalRanges.has(candles)) return normalRanges.get(candles);
  const pct = meanTrueRangePct(candles);
  normalRanges.set(candles, pct);
  return pct;
}

function meanTrueRangePct(candles: readonly Candle[]): number | undefined {
  if (candles.length < MIN_CANDLES_FOR_NORMAL) return undefined;
  let sum = 0;
  for (let i = 1; i < candles.length; i += 1) {
    const candle = candles[i]!;
    const previousClose = candles[i - 1]!.close;
    sum += trueRange(candle.high, candle.low, previousClose) / candle.close;
  }
  return sum / (candles.length - 1);
}

function emaNote(indicators: IndicatorSet): string {
  const { close, ema200 } = indicators;
  if (ema200 === undefined) return '';
  return `, 4h close ${close > ema200 ? 'above' : 'below'} its EMA200`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
