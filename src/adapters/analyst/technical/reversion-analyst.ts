// Mean reversion: in a market without a trend, fade a close outside the 15m Bollinger band when RSI agrees the move is
// overdone. It stands aside in TRENDING and VOLATILE regimes, where a band touch is a breakout, not an extreme.
import type { MarketSnapshot } from '../../../domain/analysis.js';
import type { Side } from '../../../domain/market.js';
import { TechnicalAnalyst } from './technical-analyst.js';
import { factor, num } from './evidence.js';
import type { SideCase } from './evidence.js';

/** %B at or beyond which the close counts as at the band (0.05 = within 5 % of the band width). */
const BAND_EDGE = 0.05;
/** A 1h ADX this high is a strong trend whatever the regime says; reversion stays out. */
const STRONG_TREND_ADX = 30;
/** Below this the 1h market is clearly directionless, the best ground for reversion. */
const QUIET_ADX = 20;

/**
 * Applies only in a RANGING regime with 1h ADX below 30 and the 15m close at the band on the trade's opposite side
 * (%B <= 0.05 for a long, >= 0.95 for a short). Evidence (weights): close at the band 0.25, 15m RSI <= 30 (>= 70)
 * 0.20, 1h %B <= 0.2 (>= 0.8) 0.15, 1h RSI <= 40 (>= 60) 0.10, 1h ADX < 20 0.15, 15m RSI turning back 0.10, 4h trend
 * not against the trade 0.05. So 0.75 takes the band, a 15m RSI extreme and most of the 1h picture together.
 */
export class ReversionAnalyst extends TechnicalAnalyst {
  readonly name = 'reversion';
  protected readonly style = 'mean-reversion';
  protected readonly riskReward = 1.5;

  evaluate(snapshot: MarketSnapshot, side: Side): SideCase {
    const long = side === 'long';
    const { '15m': quarter, '1h': hour, '4h': fourHour } = snapshot.timeframes;
    const q = quarter.indicators;
    const h = hour.indicators;
    const percentB = q.bollinger?.percentB;
    const hourPercentB = h.bollinger?.percentB;
    const adx = h.adx14?.adx;
    const atBand = percentB !== undefined && (long ? percentB <= BAND_EDGE : percentB >= 1 - BAND_EDGE);
    const band = long ? 'lower' : 'upper';

    let blocker: string | undefined;
    if (snapshot.regime.kind !== 'RANGING') blocker = `regime is ${snapshot.regime.kind} (${snapshot.regime.reason})`;
    else if (adx !== undefined && adx >= STRONG_TREND_ADX) blocker = `1h ADX ${num(adx)} shows a strong trend`;
    else if (!atBand) blocker = `15m %B ${num(percentB, 2)} is not at the ${band} band`;

    const rsi = q.rsi14;
    const previousRsi = q.previousRsi14;
    const turning =
      rsi !== undefined && previousRsi !== undefined && (long ? rsi > previousRsi : rsi < previousRsi);
    return {
      applies: blocker === undefined,
      blocker,
      factors: [
        factor(`15m close at the ${band} band (%B ${num(percentB, 2)})`, 0.25, atBand),
        factor(`15m RSI ${num(rsi)} ${long ? '<= 30' : '>= 70'}`, 0.2, rsi !== undefined && (long ? rsi <= 30 : rsi >= 70)),
        factor(
          `1h %B ${num(hourPercentB, 2)} ${long ? '<= 0.2' : '>= 0.8'}`,
          0.15,
          hourPercentB !== undefined && (long ? hourPercentB <= 0.2 : hourPercentB >= 0.8),
        ),
        factor(
          `1h RSI ${num(h.rsi14)} ${long ? '<= 40' : '>= 60'}`,
          0.1,
          h.rsi14 !== undefined && (long ? h.rsi14 <= 40 : h.rsi14 >= 60),
        ),
        factor(`1h ADX ${num(adx)} < ${QUIET_ADX}`, 0.15, adx !== undefined && adx < QUIET_ADX),
        factor(`15m RSI turning ${long ? 'up' : 'down'} (${num(previousRsi)} -> ${num(rsi)})`, 0.1, turning),
        factor(`4h trend ${fourHour.trend}`, 0.05, fourHour.trend !== (long ? 'down' : 'up')),
      ],
      penalties: [],
    };
  }
}
