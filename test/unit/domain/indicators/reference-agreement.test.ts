// Our indicators against the `technicalindicators` package, used here only as an independent reference, over real
// Binance candles. The package's conventions, read from its source (v3.1):
// - SMA, EMA, MACD, Bollinger, ATR and ADX return only defined values, so its array starts at our first defined index;
// - EMA is seeded with the SMA of its first `period` values (same as ours); MACD uses SMAs unless told
//   `SimpleMAOscillator: false, SimpleMASignal: false`, and then its signal line is undefined for the first 8 rows;
// - Bollinger uses the population standard deviation (divide by N) and reports %B as `pb`;
// - ATR skips the first candle (no previous close) and smooths with an SMA-seeded Wilder average (same as ours);
// - ADX reports rows only once ADX exists (candle 2 * period - 1) although +DI/-DI exist from candle `period`;
// - RSI is rounded to 2 decimals (`toFixed(2)`), so it is compared to 2 decimals here.
// Where the package returns 100 or NaN for a market that did not move at all (RSI with no gains and no losses, %B of
// collapsed bands, DX with no directional movement), ours returns the neutral 50, 0.5 and 0; real candles never hit
// these cases, and hand-computed.test.ts covers them.
import { ADX, ATR, BollingerBands, EMA, MACD, RSI, SMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { adxSeries, atrSeries, bollingerSeries, emaSeries, macdSeries, rsiSeries, smaSeries } from './reference/index.js';
import { columnsOf, loadRealCandles } from './real-candles.js';

const candles = loadRealCandles('BTCUSDT');
const prices = columnsOf(candles);
const n = candles.length;

/** Largest relative difference between the tail of `ours` and the whole of `reference` (aligned at the end). */
function worstRelativeGap(ours: Float64Array, reference: readonly (number | undefined)[]): number {
  const offset = n - reference.length;
  let worst = 0;
  reference.forEach((expected, i) => {
    const actual = ours[offset + i]!;
    if (expected === undefined) {
      worst = Number.isNaN(actual) ? worst : Infinity;
      return;
    }
    const gap = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
    worst = Math.max(worst, gap);
  });
  return worst;
}

function firstDefinedIndex(series: Float64Array): number {
  return series.findIndex((value) => !Number.isNaN(value));
}

describe('indicators agree with the technicalindicators package on real BTCUSDT 15m candles', () => {
  it('uses enough real data to mean something', () => {
    expect(n).toBeGreaterThan(6000);
  });

  it.each([20, 50, 200])('SMA(%i) matches to 1e-6 and starts on the same candle', (period) => {
    const ours = smaSeries(prices.close, period);
    const reference = SMA.calculate({ period, values: prices.close });
    expect(firstDefinedIndex(ours)).toBe(n - reference.length);
    expect(worstRelativeGap(ours, reference)).toBeLessThan(1e-6);
  });

  it.each([20, 50, 200])('EMA(%i) matches to 1e-6 and starts on the same candle', (period) => {
    const ours = emaSeries(prices.close, period);
    const reference = EMA.calculate({ period, values: prices.close });
    expect(firstDefinedIndex(ours)).toBe(n - reference.length);
    expect(worstRelativeGap(ours, reference)).toBeLessThan(1e-6);
  });

  it('RSI(14) matches to 2 decimals, the precision the package rounds to', () => {
    const ours = rsiSeries(prices.close, 14);
    const reference = RSI.calculate({ period: 14, values: prices.close });
    const offset = n - reference.length;
    expect(firstDefinedIndex(ours)).toBe(offset);
    // A value rounded to 2 decimals is within 0.005 of the exact one.
    const mismatches = reference.filter((value, i) => Math.abs(ours[offset + i]! - value) > 0.005 + 1e-9);
    expect(mismatches).toEqual([]);
  });

  it('MACD(12,26,9) line, signal and histogram match to 1e-6', () => {
    const ours = macdSeries(prices.close, 12, 26, 9);
    const reference = MACD.calculate({
      values: prices.close,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    expect(firstDefinedIndex(ours.line)).toBe(n - reference.length);
    expect(worstRelativeGap(ours.line, reference.map((row) => row.MACD))).toBeLessThan(1e-6);
    expect(worstRelativeGap(ours.signal, reference.map((row) => row.signal))).toBeLessThan(1e-6);
    expect(worstRelativeGap(ours.histogram, reference.map((row) => row.histogram))).toBeLessThan(1e-6);
  });

  it('Bollinger(20, 2) bands and %B match to 1e-6', () => {
    const ours = bollingerSeries(prices.close, 20, 2);
    const reference = BollingerBands.calculate({ period: 20, stdDev: 2, values: prices.close });
    expect(firstDefinedIndex(ours.middle)).toBe(n - reference.length);
    expect(worstRelativeGap(ours.upper, reference.map((row) => row.upper))).toBeLessThan(1e-6);
    expect(worstRelativeGap(ours.middle, reference.map((row) => row.middle))).toBeLessThan(1e-6);
    expect(worstRelativeGap(ours.lower, reference.map((row) => row.lower))).toBeLessThan(1e-6);
    expect(worstRelativeGap(ours.percentB, reference.map((row) => row.pb))).toBeLessThan(1e-6);
  });

  it('ATR(14) matches to 1e-6 and starts on candle 14', () => {
    const ours = atrSeries(prices, 14);
    const reference = ATR.calculate({ period: 14, high: prices.high, low: prices.low, close: prices.close });
    expect(firstDefinedIndex(ours)).toBe(14);
    expect(n - reference.length).toBe(14);
    expect(worstRelativeGap(ours, reference)).toBeLessThan(1e-6);
  });

  it('ADX(14), +DI and -DI match to 1e-6, with ADX starting on candle 27', () => {
    const ours = adxSeries(prices, 14);
    const reference = ADX.calculate({ period: 14, high: prices.high, low: prices.low, close: prices.close });
    expect(firstDefinedIndex(ours.adx)).toBe(27);
    expect(n - reference.length).toBe(27);
    expect(worstRelativeGap(ours.adx, reference.map((row) => row.adx))).toBeLessThan(1e-6);
    expect(worstRelativeGap(ours.plusDI, reference.map((row) => row.pdi))).toBeLessThan(1e-6);
    expect(worstRelativeGap(ours.minusDI, reference.map((row) => row.mdi))).toBeLessThan(1e-6);
  });
});
