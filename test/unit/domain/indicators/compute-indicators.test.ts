import { describe, expect, it } from 'vitest';
import { computeIndicators } from '../../../../src/domain/indicators/index.js';
import { adxSeries, atrSeries, bollingerSeries, emaSeries, macdSeries, rsiSeries, smaSeries } from './reference/index.js';
import type { Candle } from '../../../../src/domain/market.js';
import { HISTORY_SYMBOLS, columnsOf, loadRealCandles } from './real-candles.js';

const real = loadRealCandles('ETHUSDT').slice(0, 250);

function flatCandles(count: number, volume = 100): Candle[] {
  return Array.from({ length: count }, (_, i) => ({
    openTime: i * 900_000,
    open: 100 + (i % 3),
    high: 102 + (i % 3),
    low: 99 + (i % 3),
    close: 101 + (i % 3),
    volume,
  }));
}

describe('computeIndicators', () => {
  it('when there are no candles, then it refuses rather than inventing a close', () => {
    expect(() => computeIndicators([])).toThrow(RangeError);
  });

  it('when there are 10 candles, then only close and volume are known', () => {
    const set = computeIndicators(flatCandles(10));
    expect(set.close).toBe(101);
    expect(set.volume).toBe(100);
    const known = Object.entries(set).filter(([, value]) => value !== undefined).map(([key]) => key);
    expect(known.sort()).toEqual(['close', 'volume']);
  });

  it('when there are exactly 15 candles, then RSI exists but its previous value does not yet', () => {
    const set = computeIndicators(flatCandles(15));
    expect(set.rsi14).toBeDefined();
    expect(set.previousRsi14).toBeUndefined();
    expect(set.atr14).toBeDefined();
    expect(computeIndicators(flatCandles(16)).previousRsi14).toBeDefined();
  });

  it('when there are 34 candles, then MACD has its signal line but no previous MACD; at 35 it has both', () => {
    expect(computeIndicators(flatCandles(33)).macd).toBeUndefined();
    const at34 = computeIndicators(flatCandles(34));
    expect(at34.macd).toBeDefined();
    expect(at34.previousMacd).toBeUndefined();
    expect(computeIndicators(flatCandles(35)).previousMacd).toBeDefined();
  });

  it('when there are 27 candles ADX is unknown, and at 28 it is known', () => {
    expect(computeIndicators(flatCandles(27)).adx14).toBeUndefined();
    expect(computeIndicators(flatCandles(28)).adx14).toBeDefined();
  });

  it('when 199 candles are given, then the 200-period averages stay unknown', () => {
    const set = computeIndicators(flatCandles(199));
    expect(set.sma50).toBeDefined();
    expect(set.sma200).toBeUndefined();
    expect(set.ema200).toBeUndefined();
  });

  it('when the last candle trades 300 after nineteen of 100, then the 20-candle average is 110 and the ratio 2.73', () => {
    // (19*100 + 300) / 20 = 110; 300 / 110 = 2.7273
    const candles = flatCandles(25);
    candles[24] = { ...candles[24]!, volume: 300 };
    const set = computeIndicators(candles);
    expect(set.volume).toBe(300);
    expect(set.volumeSma20).toBeCloseTo(110, 10);
    expect(set.volumeRatio).toBeCloseTo(300 / 110, 10);
  });

  it('when run on 250 real candles, then every value is the last point of the matching series', () => {
    const prices = columnsOf(real);
    const last = real.length - 1;
    const set = computeIndicators(real);
    const macd = macdSeries(prices.close);
    const bands = bollingerSeries(prices.close);
    const adx = adxSeries(prices);
    const atr = atrSeries(prices)[last]!;

    expect(set.close).toBe(prices.close[last]);
    expect(set.sma20).toBeCloseTo(smaSeries(prices.close, 20)[last]!, 8);
    expect(set.sma200).toBeCloseTo(smaSeries(prices.close, 200)[last]!, 8);
    expect(set.ema50).toBe(emaSeries(prices.close, 50)[last]);
    expect(set.ema200).toBe(emaSeries(prices.close, 200)[last]);
    expect(set.rsi14).toBe(rsiSeries(prices.close)[last]);
    expect(set.previousRsi14).toBe(rsiSeries(prices.close)[last - 1]);
    expect(set.macd).toEqual({ macd: macd.line[last], signal: macd.signal[last], histogram: macd.histogram[last] });
    expect(set.previousMacd).toEqual({
      macd: macd.line[last - 1],
      signal: macd.signal[last - 1],
      histogram: macd.histogram[last - 1],
    });
    // The fused pass sums the band window in a different order than the stepper's ring buffer: equal to ~1e-12.
    expect(set.bollinger?.upper).toBeCloseTo(bands.upper[last]!, 6);
    expect(set.bollinger?.middle).toBeCloseTo(bands.middle[last]!, 6);
    expect(set.bollinger?.lower).toBeCloseTo(bands.lower[last]!, 6);
    expect(set.bollinger?.width).toBeCloseTo(bands.width[last]!, 12);
    expect(set.bollinger?.percentB).toBeCloseTo(bands.percentB[last]!, 9);
    expect(set.atr14).toBe(atr);
    expect(set.atrPct).toBeCloseTo(atr / prices.close[last]!, 14);
    expect(set.adx14).toEqual({ adx: adx.adx[last], plusDI: adx.plusDI[last], minusDI: adx.minusDI[last] });
  });

  it('when the series is cut at every length from 1 to 240, then each field is known exactly when its series is', () => {
    for (let length = 1; length <= 240; length += 1) {
      const window = real.slice(0, length);
      const prices = columnsOf(window);
      const set = computeIndicators(window);
      const at = length - 1;
      const expectKnown = (value: unknown, series: Float64Array, index = at): void => {
        expect(value === undefined, `length ${length}`).toBe(index < 0 || Number.isNaN(series[index]!));
      };
      expectKnown(set.rsi14, rsiSeries(prices.close));
      expectKnown(set.previousRsi14, rsiSeries(prices.close), at - 1);
      expectKnown(set.macd, macdSeries(prices.close).histogram);
      expectKnown(set.previousMacd, macdSeries(prices.close).histogram, at - 1);
      expectKnown(set.bollinger, bollingerSeries(prices.close).middle);
      expectKnown(set.ema200, emaSeries(prices.close, 200));
      expectKnown(set.sma50, smaSeries(prices.close, 50));
      expectKnown(set.atr14, atrSeries(prices));
      expectKnown(set.adx14, adxSeries(prices).adx);
      expectKnown(set.volumeSma20, smaSeries(prices.volume, 20));
    }
  });

  it('when run on windows of every bundled symbol, then it agrees with the series to 1e-9 relative', () => {
    const relative = (a: number | undefined, b: number): number => Math.abs(a! - b) / Math.max(Math.abs(b), 1e-12);
    let worst = 0;
    for (const symbol of HISTORY_SYMBOLS) {
      const candles = loadRealCandles(symbol);
      for (let start = 0; start + 250 <= candles.length; start += 1500) {
        const window = candles.slice(start, start + 250);
        const prices = columnsOf(window);
        const set = computeIndicators(window);
        const macd = macdSeries(prices.close);
        const adx = adxSeries(prices);
        worst = Math.max(
          worst,
          relative(set.ema20, emaSeries(prices.close, 20).at(-1)!),
          relative(set.ema200, emaSeries(prices.close, 200).at(-1)!),
          relative(set.sma200, smaSeries(prices.close, 200).at(-1)!),
          relative(set.rsi14, rsiSeries(prices.close).at(-1)!),
          relative(set.macd?.signal, macd.signal.at(-1)!),
          relative(set.previousMacd?.macd, macd.line.at(-2)!),
          relative(set.atr14, atrSeries(prices).at(-1)!),
          relative(set.adx14?.adx, adx.adx.at(-1)!),
          relative(set.adx14?.minusDI, adx.minusDI.at(-1)!),
          relative(set.bollinger?.lower, bollingerSeries(prices.close).lower.at(-1)!),
        );
      }
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('when called twice on the same candles, then it gives the same answer (no state leaks between calls)', () => {
    expect(computeIndicators(real)).toEqual(computeIndicators(real));
  });
});
