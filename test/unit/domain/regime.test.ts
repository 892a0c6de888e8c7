import { describe, expect, it } from 'vitest';
import type { IndicatorSet, TimeframeView, TrendDirection } from '../../../src/domain/analysis.js';
import type { Candle, Timeframe } from '../../../src/domain/market.js';
import { classifyRegime, trendOf } from '../../../src/domain/regime.js';

function indicators(values: Partial<IndicatorSet>): IndicatorSet {
  return { close: 100, volume: 1, ...values };
}

/**
 * `count` 1h candles that all open and close at 100 with high 100.78125 and low 99.21875: each true range is
 * 1.5625 = 1/64 of the close, so the "normal" range is exactly 0.015625 (binary fractions keep the boundaries exact).
 */
function steadyHours(count: number): Candle[] {
  return Array.from({ length: count }, (_, i) => ({
    openTime: i * 3_600_000,
    open: 100,
    high: 100.78125,
    low: 99.21875,
    close: 100,
    volume: 10,
  }));
}

interface Scene {
  hourTrend?: TrendDirection;
  fourHourTrend?: TrendDirection;
  hour?: Partial<IndicatorSet>;
  hourCandles?: Candle[];
}

const CALM_ATR = 0.015625;

function views(scene: Scene): Record<Timeframe, TimeframeView> {
  const view = (timeframe: Timeframe, trend: TrendDirection, values: Partial<IndicatorSet>, candles: Candle[] = []): TimeframeView => ({
    timeframe,
    candles,
    indicators: indicators(values),
    trend,
  });
  return {
    '15m': view('15m', 'flat', {}),
    '1h': view(
      '1h',
      scene.hourTrend ?? 'flat',
      { atrPct: CALM_ATR, adx14: { adx: 20, plusDI: 20, minusDI: 20 }, ...scene.hour },
      scene.hourCandles ?? steadyHours(100),
    ),
    '4h': view('4h', scene.fourHourTrend ?? 'flat', {}),
  };
}

describe('trendOf', () => {
  it('when EMA20 > EMA50, the close is above EMA50 and above EMA200, then the trend is up', () => {
    expect(trendOf(indicators({ close: 105, ema20: 103, ema50: 101, ema200: 99 }))).toBe('up');
  });

  it('when the close sits exactly on EMA50, then it is not yet a trend either way', () => {
    expect(trendOf(indicators({ close: 101, ema20: 103, ema50: 101, ema200: 99 }))).toBe('flat');
  });

  it('when the averages line up but the close is under EMA200, then the long-term picture vetoes the uptrend', () => {
    expect(trendOf(indicators({ close: 105, ema20: 103, ema50: 101, ema200: 106 }))).toBe('flat');
  });

  it('when EMA200 is not known yet, then EMA20/EMA50 and the close decide alone', () => {
    expect(trendOf(indicators({ close: 95, ema20: 97, ema50: 99 }))).toBe('down');
  });

  it('when EMA50 is unknown, then there is no trend', () => {
    expect(trendOf(indicators({ close: 105, ema20: 103 }))).toBe('flat');
  });
});

describe('classifyRegime', () => {
  describe('VOLATILE: 1h ATR against its normal range', () => {
    it('when the 1h ATR is exactly 1.75x the average 1h true range, then the market is VOLATILE', () => {
      // normal range 0.015625; 1.75 * 0.015625 = 0.02734375 (below the 3 % backstop, so only the ratio can trigger)
      const regime = classifyRegime(views({ hour: { atrPct: 0.02734375 } }));
      expect(regime.kind).toBe('VOLATILE');
      expect(regime.reason).toContain('1.75x');
    });

    it('when the 1h ATR is just under 1.75x its normal range, then it is not VOLATILE', () => {
      expect(classifyRegime(views({ hour: { atrPct: 0.0273 } })).kind).toBe('RANGING');
    });

    it('when there are fewer than 50 hours to judge "normal", then only the 3 % backstop applies', () => {
      const short = steadyHours(49);
      expect(classifyRegime(views({ hour: { atrPct: 0.0299 }, hourCandles: short })).kind).toBe('RANGING');
      expect(classifyRegime(views({ hour: { atrPct: 0.03 }, hourCandles: short })).kind).toBe('VOLATILE');
    });

    it('when the market is VOLATILE, then the direction still comes from the trends', () => {
      const regime = classifyRegime(views({ hour: { atrPct: 0.04 }, hourTrend: 'down', fourHourTrend: 'down' }));
      expect(regime).toMatchObject({ kind: 'VOLATILE', direction: 'down' });
    });
  });

  describe('TRENDING: ADX >= 25 with aligned trends', () => {
    const strongUp = { adx14: { adx: 25, plusDI: 30, minusDI: 12 } };

    it('when 1h ADX is exactly 25, +DI leads and 1h and 4h both trend up, then the market is TRENDING up', () => {
      const regime = classifyRegime(views({ hour: strongUp, hourTrend: 'up', fourHourTrend: 'up' }));
      expect(regime).toMatchObject({ kind: 'TRENDING', direction: 'up' });
      expect(regime.reason).toContain('ADX 25.0');
    });

    it('when 1h ADX is 24.99, then the same picture is only RANGING with an up lean', () => {
      const regime = classifyRegime(
        views({ hour: { adx14: { adx: 24.99, plusDI: 30, minusDI: 12 } }, hourTrend: 'up', fourHourTrend: 'up' }),
      );
      expect(regime).toMatchObject({ kind: 'RANGING', direction: 'up' });
    });

    it('when the 4h trend is flat, then a strong 1h trend is not enough', () => {
      const regime = classifyRegime(views({ hour: strongUp, hourTrend: 'up', fourHourTrend: 'flat' }));
      expect(regime).toMatchObject({ kind: 'RANGING', direction: 'up' });
    });

    it('when -DI leads although the EMAs point up, then the trend is not confirmed', () => {
      const regime = classifyRegime(
        views({ hour: { adx14: { adx: 40, plusDI: 15, minusDI: 25 } }, hourTrend: 'up', fourHourTrend: 'up' }),
      );
      expect(regime.kind).toBe('RANGING');
    });

    it('when 1h and 4h both trend down with -DI leading, then the market is TRENDING down', () => {
      const regime = classifyRegime(
        views({ hour: { adx14: { adx: 31, plusDI: 10, minusDI: 28 } }, hourTrend: 'down', fourHourTrend: 'down' }),
      );
      expect(regime).toMatchObject({ kind: 'TRENDING', direction: 'down' });
    });
  });

  describe('RANGING direction', () => {
    it('when 1h and 4h trends disagree, then the direction is flat', () => {
      expect(classifyRegime(views({ hourTrend: 'up', fourHourTrend: 'down' })).direction).toBe('flat');
    });

    it('when only the 4h trends, then the direction follows the 4h', () => {
      expect(classifyRegime(views({ hourTrend: 'flat', fourHourTrend: 'down' })).direction).toBe('down');
    });

    it('when ADX is not known yet, then the market is RANGING and the reason says so', () => {
      const regime = classifyRegime(views({ hour: { adx14: undefined } }));
      expect(regime.kind).toBe('RANGING');
      expect(regime.reason).toContain('ADX unknown');
    });
  });
});
