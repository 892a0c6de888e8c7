// Momentum: join a move that is accelerating — a widening MACD histogram, RSI moving the same way and volume
// confirming — before it is exhausted.
import type { MarketSnapshot } from '../../../domain/analysis.js';
import type { Candle, Side } from '../../../domain/market.js';
import { sideSign } from '../../../domain/money.js';
import { TechnicalAnalyst } from './technical-analyst.js';
import { factor, num } from './evidence.js';
import type { Penalty, SideCase } from './evidence.js';

/** Volume this many times its 20-candle average marks a breakout candle rather than ordinary trade (top ~3 %). */
const BREAKOUT_VOLUME_RATIO = 3;
/** 15m RSI beyond this (below 100 minus it for shorts) has usually spent the move already. */
const EXHAUSTED_RSI = 80;
/** A close beyond the range of this many prior 15m candles (twelve hours) is a breakout. */
const BREAKOUT_LOOKBACK = 48;

/**
 * Applies only when the 15m MACD histogram is on the trade's side and wider than on the candle before.
 * Evidence (weights): that expansion 0.15; 1h histogram on the trade's side 0.10 and widening 0.10; 15m RSI moving the
 * trade's way between 50 and 75 (25 and 50 for shorts) 0.10; 1h RSI on the trade's side of 50 0.05; 15m volume at
 * least 3x its 20-candle average on a candle closing the trade's way 0.30; 15m close beyond the range of the 48
 * candles before 0.15; 15m close beyond EMA20 0.05. Penalties: 15m RSI beyond 80 (20 for shorts) -0.15; VOLATILE
 * regime -0.10.
 * Without the volume candle the score stops at 0.70, so 0.75 means a breakout on heavy volume (about the top 3 % of
 * 15m candles on the bundled majors) with the 1h MACD behind it.
 */
export class MomentumAnalyst extends TechnicalAnalyst {
  readonly name = 'momentum';
  protected readonly style = 'momentum';
  protected readonly riskReward = 1.75;

  evaluate(snapshot: MarketSnapshot, side: Side): SideCase {
    const sign = sideSign(side);
    const long = side === 'long';
    const { '15m': quarter, '1h': hour } = snapshot.timeframes;
    const q = quarter.indicators;
    const h = hour.indicators;
    const histogram = q.macd?.histogram;
    const previousHistogram = q.previousMacd?.histogram;
    const expanding =
      histogram !== undefined &&
      previousHistogram !== undefined &&
      sign * histogram > 0 &&
      sign * (histogram - previousHistogram) > 0;
    const hourHistogram = h.macd?.histogram;
    const hourPrevious = h.previousMacd?.histogram;
    const rsi = q.rsi14;
    const previousRsi = q.previousRsi14;
    const rsiInBand = rsi !== undefined && (long ? rsi > 50 && rsi < 75 : rsi < 50 && rsi > 25);
    const rsiMoving = rsi !== undefined && previousRsi !== undefined && sign * (rsi - previousRsi) > 0;
    const lastCandle = quarter.candles[quarter.candles.length - 1];
    const candleWay = lastCandle !== undefined && sign * (lastCandle.close - lastCandle.open) > 0;
    const ratio = q.volumeRatio;
    const extreme = priorExtreme(quarter.candles, BREAKOUT_LOOKBACK, long);

    const penalties: Penalty[] = [];
    if (rsi !== undefined && (long ? rsi >= EXHAUSTED_RSI : rsi <= 100 - EXHAUSTED_RSI)) {
      penalties.push({ label: `15m RSI ${num(rsi)} is exhausted`, amount: -0.15 });
    }
    if (snapshot.regime.kind === 'VOLATILE') penalties.push({ label: 'volatile market', amount: -0.1 });

    return {
      applies: expanding,
      blocker:
        `15m MACD histogram ${num(previousHistogram, 4)} -> ${num(histogram, 4)} is not widening ${long ? 'up' : 'down'}`,
      factors: [
        factor(`15m MACD histogram widening ${num(previousHistogram, 4)} -> ${num(histogram, 4)}`, 0.15, expanding),
        factor(
          `1h MACD histogram ${num(hourHistogram, 4)}`,
          0.1,
          hourHistogram !== undefined && sign * hourHistogram > 0,
        ),
        factor(
          `1h histogram widening from ${num(hourPrevious, 4)}`,
          0.1,
          hourHistogram !== undefined && hourPrevious !== undefined && sign * (hourHistogram - hourPrevious) > 0,
        ),
        factor(`15m RSI ${num(previousRsi)} -> ${num(rsi)}`, 0.1, rsiInBand && rsiMoving),
        factor(
          `1h RSI ${num(h.rsi14)} ${long ? 'above' : 'below'} 50`,
          0.05,
          h.rsi14 !== undefined && sign * (h.rsi14 - 50) > 0,
        ),
        factor(
          `15m volume ${num(ratio, 2)}x its average on a ${long ? 'rising' : 'falling'} candle`,
          0.3,
          ratio !== undefined && ratio >= BREAKOUT_VOLUME_RATIO && candleWay,
        ),
        factor(
          `15m close ${num(q.close, 4)} ${long ? 'above the highest high' : 'below the lowest low'} ` +
            `${num(extreme, 4)} of the ${BREAKOUT_LOOKBACK} candles before`,
          0.15,
          extreme !== undefined && sign * (q.close - extreme) > 0,
        ),
        factor(
          `15m close ${long ? 'above' : 'below'} EMA20 ${num(q.ema20, 4)}`,
          0.05,
          q.ema20 !== undefined && sign * (q.close - q.ema20) > 0,
        ),
      ],
      penalties,
    };
  }
}

/** Highest high (for longs) or lowest low of the `lookback` candles before the last one; undefined if too few. */
function priorExtreme(candles: readonly Candle[], lookback: number, highest: boolean): number | undefined {
  const end = candles.length - 1;
  if (end < lookback) return undefined;
  let extreme = highest ? -Infinity : Infinity;
  for (let i = end - lookback; i < end; i += 1) {
    const candle = candles[i]!;
    extreme = highest ? Math.max(extreme, candle.high) : Math.min(extreme, candle.low);
  }
  return extreme;
}
