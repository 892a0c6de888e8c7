// Bollinger bands: the simple mean of the last `period` closes plus and minus `deviations` population standard
// deviations (divide by N, as Bollinger defines it, not N - 1).
import { assertPeriod } from './moving-average.js';

export class BollingerStepper {
  private readonly window: Float64Array;
  private count = 0;
  private lastClose = Number.NaN;
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;
  /** (upper - lower) / middle */
  width = Number.NaN;
  /** 0 at the lower band, 1 at the upper band; 0.5 when the bands have collapsed onto the mean. */
  percentB = Number.NaN;

  constructor(
    readonly period = 20,
    readonly deviations = 2,
  ) {
    assertPeriod(period);
    this.window = new Float64Array(period);
  }

  /** O(1): remembers the close. Call `compute()` to get the bands; only the latest bands are usually needed. */
  push(close: number): void {
    this.window[this.count % this.period] = close;
    this.count += 1;
    this.lastClose = close;
  }

  /**
   * O(period): sets the fields from the window, two-pass (mean first, then squared deviations) because the
   * one-pass sum-of-squares formula loses digits when prices are large and the spread is small.
   * Returns false (fields NaN) while fewer than `period` closes have been pushed.
   */
  compute(): boolean {
    if (this.count < this.period) return false;
    let sum = 0;
    for (let i = 0; i < this.period; i += 1) sum += this.window[i]!;
    const mean = sum / this.period;
    let squares = 0;
    for (let i = 0; i < this.period; i += 1) {
      const d = this.window[i]! - mean;
      squares += d * d;
    }
    const spread = this.deviations * Math.sqrt(squares / this.period);
    this.middle = mean;
    this.upper = mean + spread;
    this.lower = mean - spread;
    this.width = (this.upper - this.lower) / mean;
    this.percentB = spread === 0 ? 0.5 : (this.lastClose - this.lower) / (this.upper - this.lower);
    return true;
  }
}

export interface BollingerSeries {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
  readonly width: Float64Array;
  readonly percentB: Float64Array;
}

export function bollingerSeries(closes: ArrayLike<number>, period = 20, deviations = 2): BollingerSeries {
  const stepper = new BollingerStepper(period, deviations);
  const n = closes.length;
  const series = {
    upper: new Float64Array(n).fill(Number.NaN),
    middle: new Float64Array(n).fill(Number.NaN),
    lower: new Float64Array(n).fill(Number.NaN),
    width: new Float64Array(n).fill(Number.NaN),
    percentB: new Float64Array(n).fill(Number.NaN),
  };
  for (let i = 0; i < n; i += 1) {
    stepper.push(closes[i]!);
    if (!stepper.compute()) continue;
    series.upper[i] = stepper.upper;
    series.middle[i] = stepper.middle;
    series.lower[i] = stepper.lower;
    series.width[i] = stepper.width;
    series.percentB[i] = stepper.percentB;
  }
  return series;
}
