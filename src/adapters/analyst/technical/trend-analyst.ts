// Trend-following: trade in the direction the moving averages of 15m, 1h and 4h agree on, when ADX says the trend has
// strength, and enter as a pullback ends rather than at the top of a spike.
import type { MarketSnapshot } from '../../../domain/analysis.js';
import type { Side } from '../../../domain/market.js';
import { sideSign } from '../../../domain/money.js';
import { TREND_ADX } from '../../../domain/regime.js';
import { TechnicalAnalyst } from './technical-analyst.js';
import { factor, num } from './evidence.js';
import type { Penalty, SideCase } from './evidence.js';

/** Past this 1h RSI (below 100 minus it for shorts) the move is stretched and a late entry chases it. */
const STRETCHED_RSI = 75;
/** Entries within this many 1h ATRs of the 1h EMA20 (on the trend side) buy a pullback, not a spike. */
const MAX_ENTRY_STRETCH = 1.5;

/**
 * Applies only when the trends (see `trendOf`) of 15m, 1h and 4h all point the trade's way.
 * Evidence (weights): that alignment 0.30; 1h ADX >= 25 with the leading DI on the trade's side 0.15; 1h MACD line
 * and histogram on the trade's side 0.10; the 15m MACD histogram crossing to the trade's side on this candle, i.e. a
 * pullback just ended, 0.35; the close on the trend side of the 1h EMA20 but within 1.5 1h ATRs of it 0.10.
 * Penalties: VOLATILE regime -0.15; 1h RSI beyond 75 (25 for shorts) -0.15.
 * Without the pullback-ending candle the score stops at 0.65, so 0.75 needs aligned trends, the entry trigger and
 * ADX or MACD confirmation; that is a few candles a week per market, not the whole length of every trend.
 */
export class TrendAnalyst extends TechnicalAnalyst {
  readonly name = 'trend';
  protected readonly style = 'trend-following';
  protected readonly riskReward = 2;

  evaluate(snapshot: MarketSnapshot, side: Side): SideCase {
    const direction = side === 'long' ? 'up' : 'down';
    const sign = sideSign(side);
    const { '15m': quarter, '1h': hour, '4h': fourHour } = snapshot.timeframes;
    const h = hour.indicators;
    const adx = h.adx14;
    const diLeads = adx !== undefined && sign * (adx.plusDI - adx.minusDI) > 0;
    const macd = h.macd;
    const histogramNow = quarter.indicators.macd?.histogram;
    const histogramBefore = quarter.indicators.previousMacd?.histogram;
    const turned =
      histogramNow !== undefined &&
      histogramBefore !== undefined &&
      sign * histogramNow > 0 &&
      sign * histogramBefore <= 0;
    const stretch =
      h.ema20 !== undefined && h.atr14 !== undefined && h.atr14 > 0 ? (h.close - h.ema20) / h.atr14 : undefined;
    const aligned = quarter.trend === direction && hour.trend === direction && fourHour.trend === direction;

    const penalties: Penalty[] = [];
    if (snapshot.regime.kind === 'VOLATILE') {
      penalties.push({ label: `volatile market (${snapshot.regime.reason})`, amount: -0.15 });
    }
    if (h.rsi14 !== undefined && (side === 'long' ? h.rsi14 >= STRETCHED_RSI : h.rsi14 <= 100 - STRETCHED_RSI)) {
      penalties.push({ label: `1h RSI ${num(h.rsi14)} is stretched`, amount: -0.15 });
    }

    return {
      applies: aligned,
      blocker: `trends are ${quarter.trend} (15m), ${hour.trend} (1h), ${fourHour.trend} (4h)`,
      factors: [
        factor(
          `15m, 1h and 4h EMAs aligned ${direction} (1h EMA20 ${num(h.ema20, 4)}, EMA50 ${num(h.ema50, 4)})`,
          0.3,
          aligned,
        ),
        factor(
          `1h ADX ${num(adx?.adx)} >= ${TREND_ADX} (+DI ${num(adx?.plusDI)}, -DI ${num(adx?.minusDI)})`,
          0.15,
          adx !== undefined && adx.adx >= TREND_ADX && diLeads,
        ),
        factor(
          `1h MACD ${num(macd?.macd, 4)} with histogram ${num(macd?.histogram, 4)}`,
          0.1,
          macd !== undefined && sign * macd.macd > 0 && sign * macd.histogram > 0,
        ),
        factor(
          `15m MACD histogram turned ${direction} (${num(histogramBefore, 4)} -> ${num(histogramNow, 4)})`,
          0.35,
          turned,
        ),
        factor(
          `close ${num(stretch, 2)} 1h ATRs from the 1h EMA20, not extended`,
          0.1,
          stretch !== undefined && sign * stretch >= 0 && sign * stretch <= MAX_ENTRY_STRETCH,
        ),
      ],
      penalties,
    };
  }
}
