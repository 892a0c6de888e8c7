// Wilder's Directional Movement System: +DI and -DI (how much of the average true range was spent moving up or down)
// and ADX (the Wilder average of DX = |+DI - -DI| / (+DI + -DI), i.e. trend strength regardless of direction).
// +DI/-DI appear on candle `period`, ADX on candle `2 * period - 1` (the mean of the first `period` DX values).
import { trueRange } from '../../../../../src/domain/indicators/primitives.js';
import type { HighLowClose } from './average-true-range.js';
import { EmaStepper } from './moving-average.js';

export class AdxStepper {
  private readonly smoothedRange: EmaStepper;
  private readonly smoothedPlus: EmaStepper;
  private readonly smoothedMinus: EmaStepper;
  private readonly smoothedDx: EmaStepper;
  private previousHigh = Number.NaN;
  private previousLow = Number.NaN;
  private previousClose = Number.NaN;
  /** Latest values in percent (0-100); NaN while not yet defined. */
  plusDI = Number.NaN;
  minusDI = Number.NaN;
  adx = Number.NaN;

  constructor(readonly period = 14) {
    this.smoothedRange = EmaStepper.wilder(period);
    this.smoothedPlus = EmaStepper.wilder(period);
    this.smoothedMinus = EmaStepper.wilder(period);
    this.smoothedDx = EmaStepper.wilder(period);
  }

  /** Folds one candle in; returns ADX (NaN until defined). */
  next(high: number, low: number, close: number): number {
    const first = Number.isNaN(this.previousClose);
    const upMove = high - this.previousHigh;
    const downMove = this.previousLow - low;
    const range = trueRange(high, low, this.previousClose);
    this.previousHigh = high;
    this.previousLow = low;
    this.previousClose = close;
    if (first) return Number.NaN;

    // Only the larger of the two moves counts, and only if it is an actual extension of the previous bar.
    const plusMove = upMove > downMove && upMove > 0 ? upMove : 0;
    const minusMove = downMove > upMove && downMove > 0 ? downMove : 0;
    const averageRange = this.smoothedRange.next(range);
    const averagePlus = this.smoothedPlus.next(plusMove);
    const averageMinus = this.smoothedMinus.next(minusMove);
    if (Number.isNaN(averageRange)) return Number.NaN;

    this.plusDI = averageRange === 0 ? 0 : (100 * averagePlus) / averageRange;
    this.minusDI = averageRange === 0 ? 0 : (100 * averageMinus) / averageRange;
    const diSum = this.plusDI + this.minusDI;
    const dx = diSum === 0 ? 0 : (100 * Math.abs(this.plusDI - this.minusDI)) / diSum;
    this.adx = this.smoothedDx.next(dx);
    return this.adx;
  }
}

export interface AdxSeries {
  readonly adx: Float64Array;
  readonly plusDI: Float64Array;
  readonly minusDI: Float64Array;
}

export function adxSeries(prices: HighLowClose, period = 14): AdxSeries {
  const stepper = new AdxStepper(period);
  const n = prices.close.length;
  const series = { adx: new Float64Array(n), plusDI: new Float64Array(n), minusDI: new Float64Array(n) };
  for (let i = 0; i < n; i += 1) {
    series.adx[i] = stepper.next(prices.high[i]!, prices.low[i]!, prices.close[i]!);
    series.plusDI[i] = stepper.plusDI;
    series.minusDI[i] = stepper.minusDI;
  }
  return series;
}
