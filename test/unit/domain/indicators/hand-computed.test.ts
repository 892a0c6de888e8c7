// One small example per indicator, worked out by hand in the comments so a reader can check the arithmetic.
import { describe, expect, it } from 'vitest';
import { trueRange } from '../../../../src/domain/indicators/index.js';
import { adxSeries, atrSeries, bollingerSeries, emaSeries, macdSeries, rsiSeries, smaSeries } from './reference/index.js';

const definedValues = (series: Float64Array): number[] => Array.from(series).filter((v) => !Number.isNaN(v));

describe('SMA', () => {
  it('when 3 values are averaged over 1..5, then the means are 2, 3, 4 after two empty slots', () => {
    // (1+2+3)/3 = 2, (2+3+4)/3 = 3, (3+4+5)/3 = 4
    const series = smaSeries([1, 2, 3, 4, 5], 3);
    expect(Number.isNaN(series[0]!) && Number.isNaN(series[1]!)).toBe(true);
    expect(Array.from(series.slice(2))).toEqual([2, 3, 4]);
  });
});

describe('EMA', () => {
  it('when seeded with the SMA of its first 3 values, then it moves half way (alpha 2/4) toward each new value', () => {
    // seed = (2+4+6)/3 = 4; then 4 + 0.5*(8-4) = 6; then 6 + 0.5*(10-6) = 8
    expect(definedValues(emaSeries([2, 4, 6, 8, 10], 3))).toEqual([4, 6, 8]);
  });
});

describe('RSI (Wilder)', () => {
  it('when closes go 10, 11, 10.5, 11.5, 11, 12 with period 3, then RSI reads 80, 61.54, 77.27', () => {
    // changes: +1, -0.5, +1, -0.5, +1
    // first averages over 3 changes: gain (1+0+1)/3 = 2/3, loss (0+0.5+0)/3 = 1/6, RS = 4, RSI = 100 - 100/5 = 80
    // next change -0.5: gain (2/3*2 + 0)/3 = 4/9, loss (1/6*2 + 0.5)/3 = 5/18, RS = 1.6, RSI = 100 - 100/2.6 = 61.538
    // next change +1: gain (4/9*2 + 1)/3 = 17/27, loss (5/18*2 + 0)/3 = 5/27, RS = 3.4, RSI = 100 - 100/4.4 = 77.273
    const values = definedValues(rsiSeries([10, 11, 10.5, 11.5, 11, 12], 3));
    expect(values).toHaveLength(3);
    expect(values[0]).toBeCloseTo(80, 10);
    expect(values[1]).toBeCloseTo(100 - 100 / 2.6, 10);
    expect(values[2]).toBeCloseTo(100 - 100 / 4.4, 10);
  });

  it('when price only rises, then RSI is 100; when it never moves, then RSI is a neutral 50', () => {
    expect(definedValues(rsiSeries([1, 2, 3, 4, 5], 3))).toEqual([100, 100]);
    expect(definedValues(rsiSeries([7, 7, 7, 7, 7], 3))).toEqual([50, 50]);
  });
});

describe('MACD', () => {
  it('when fast 2, slow 3, signal 2 run over 10, 12, 11, 14, 13, then line is 0, 0.5, 0.25 and histogram 0.25, 0', () => {
    // EMA2 (alpha 2/3): seed (10+12)/2 = 11; 11 + 2/3*(11-11) = 11; 11 + 2/3*(14-11) = 13; 13 + 2/3*(13-13) = 13
    // EMA3 (alpha 1/2): seed (10+12+11)/3 = 11; 11 + 1/2*(14-11) = 12.5; 12.5 + 1/2*(13-12.5) = 12.75
    // line = EMA2 - EMA3 from candle 2: 0, 0.5, 0.25
    // signal = EMA2 of the line: seed (0+0.5)/2 = 0.25; 0.25 + 2/3*(0.25-0.25) = 0.25; histogram 0.25, 0
    const series = macdSeries([10, 12, 11, 14, 13], 2, 3, 2);
    expect(definedValues(series.line)).toEqual([0, 0.5, 0.25]);
    expect(definedValues(series.signal)).toEqual([0.25, 0.25]);
    expect(definedValues(series.histogram)).toEqual([0.25, 0]);
  });
});

describe('Bollinger bands', () => {
  it('when 4 closes 2, 4, 4, 6 are banded at 2 deviations, then the bands are 4 ± 2*sqrt(2)', () => {
    // mean 4; deviations -2, 0, 0, 2; population variance (4+0+0+4)/4 = 2; sd = sqrt(2)
    // upper = 4 + 2*sqrt(2) = 6.828, lower = 4 - 2*sqrt(2) = 1.172, width = 4*sqrt(2)/4 = sqrt(2)
    // %B of the last close 6 = (6 - 1.172) / (6.828 - 1.172) = (2 + 2*sqrt(2)) / (4*sqrt(2)) = 0.8536
    const series = bollingerSeries([2, 4, 4, 6], 4, 2);
    const root2 = Math.SQRT2;
    expect(series.middle[3]).toBe(4);
    expect(series.upper[3]).toBeCloseTo(4 + 2 * root2, 12);
    expect(series.lower[3]).toBeCloseTo(4 - 2 * root2, 12);
    expect(series.width[3]).toBeCloseTo(root2, 12);
    expect(series.percentB[3]).toBeCloseTo((2 + 2 * root2) / (4 * root2), 12);
    expect(Number.isNaN(series.middle[2]!)).toBe(true);
  });

  it('when every close is equal, then the bands collapse and %B sits in the middle at 0.5', () => {
    const series = bollingerSeries([5, 5, 5], 3, 2);
    expect([series.upper[2], series.lower[2], series.width[2], series.percentB[2]]).toEqual([5, 5, 0, 0.5]);
  });
});

describe('ATR (Wilder)', () => {
  // candle: high / low / close
  const high = [10, 11, 12, 11.5, 9.5, 12];
  const low = [8, 9, 10.5, 8, 9, 11];
  const close = [9, 10, 11, 9, 9.2, 11.5];

  it('when a candle gaps past the previous close, then the true range reaches back to that close', () => {
    // candle 5 after close 9.2: max(12-11, |12-9.2|, |11-9.2|) = max(1, 2.8, 1.8) = 2.8
    expect(trueRange(12, 11, 9.2)).toBeCloseTo(2.8, 12);
  });

  it('when period is 3, then ATR starts at the mean of the true ranges of candles 1-3 and then smooths by 1/3', () => {
    // TR1 = max(2, |11-9|, |9-9|) = 2; TR2 = max(1.5, |12-10|, |10.5-10|) = 2; TR3 = max(3.5, |11.5-11|, |8-11|) = 3.5
    // ATR3 = (2+2+3.5)/3 = 2.5
    // TR4 = max(0.5, |9.5-9|, |9-9|) = 0.5 -> ATR4 = (2.5*2 + 0.5)/3 = 1.8333
    // TR5 = 2.8 (the gap above)          -> ATR5 = (1.8333*2 + 2.8)/3 = 2.1556
    const series = atrSeries({ high, low, close }, 3);
    expect(Number.isNaN(series[2]!)).toBe(true);
    expect(series[3]).toBeCloseTo(2.5, 12);
    expect(series[4]).toBeCloseTo(5.5 / 3, 12);
    expect(series[5]).toBeCloseTo(((5.5 / 3) * 2 + 2.8) / 3, 12);
  });
});

describe('ADX (Wilder)', () => {
  it('when period is 2, then +DI/-DI start on candle 2 and ADX (mean of the first two DX) on candle 3', () => {
    // candle  high  low   close  up move  down move  +DM  -DM  TR
    // 0       10    9     9.5
    // 1       11    9.5   10.5   1        -0.5       1    0    max(1.5, 1.5, 0)   = 1.5
    // 2       12    10    11.5   1        -0.5       1    0    max(2, 1.5, 0.5)   = 2
    // 3       11.5  9.5   10     -0.5     0.5        0    0.5  max(2, 0, 2)       = 2
    // 4       10.5  8.5   9      -1       1          0    1    max(2, 0.5, 1.5)   = 2
    // candle 2: TR avg (1.5+2)/2 = 1.75, +DM avg 1, -DM avg 0: +DI = 100*1/1.75 = 57.14, -DI = 0, DX = 100
    // candle 3: TR 1.75 + (2-1.75)/2 = 1.875, +DM 1 + (0-1)/2 = 0.5, -DM 0 + (0.5-0)/2 = 0.25
    //           +DI = 26.667, -DI = 13.333, DX = 100*13.333/40 = 33.333, ADX = (100 + 33.333)/2 = 66.667
    // candle 4: TR 1.9375, +DM 0.25, -DM 0.625: +DI = 12.903, -DI = 32.258,
    //           DX = 100*(0.625-0.25)/(0.625+0.25) = 42.857, ADX = 66.667 + (42.857-66.667)/2 = 54.762
    const series = adxSeries(
      { high: [10, 11, 12, 11.5, 10.5], low: [9, 9.5, 10, 9.5, 8.5], close: [9.5, 10.5, 11.5, 10, 9] },
      2,
    );
    expect(series.plusDI[2]).toBeCloseTo(100 / 1.75, 10);
    expect(series.minusDI[2]).toBe(0);
    expect(Number.isNaN(series.adx[2]!)).toBe(true);
    expect(series.plusDI[3]).toBeCloseTo(50 / 1.875, 10);
    expect(series.minusDI[3]).toBeCloseTo(25 / 1.875, 10);
    expect(series.adx[3]).toBeCloseTo((100 + 100 / 3) / 2, 10);
    expect(series.plusDI[4]).toBeCloseTo(25 / 1.9375, 10);
    expect(series.minusDI[4]).toBeCloseTo(62.5 / 1.9375, 10);
    expect(series.adx[4]).toBeCloseTo((100 + 100 / 3) / 2 + (300 / 7 - (100 + 100 / 3) / 2) / 2, 10);
  });

  it('when the candles never move, then there is no directional movement: +DI, -DI and ADX are all 0', () => {
    // every true range and every DM is 0; DI = 0 by definition when the range is 0, and DX = 0 when +DI + -DI = 0
    const flat = Array.from({ length: 6 }, () => 10);
    const series = adxSeries({ high: flat, low: flat, close: flat }, 2);
    expect([series.plusDI[5], series.minusDI[5], series.adx[5]]).toEqual([0, 0, 0]);
  });
});
