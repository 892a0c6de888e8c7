// MACD: the gap between a fast and a slow EMA of the close (the "MACD line"), its own EMA (the signal line) and the
// histogram (line minus signal). All three EMAs are seeded with the simple mean of their first `period` inputs.
import { EmaStepper } from './moving-average.js';

export class MacdStepper {
  private readonly fast: EmaStepper;
  private readonly slow: EmaStepper;
  private readonly signalEma: EmaStepper;
  /** Latest values; NaN while not yet defined. The line exists from candle `slow - 1`, signal from `slow + signal - 2`. */
  line = Number.NaN;
  signal = Number.NaN;
  histogram = Number.NaN;

  constructor(fastPeriod = 12, slowPeriod = 26, signalPeriod = 9) {
    this.fast = new EmaStepper(fastPeriod);
    this.slow = new EmaStepper(slowPeriod);
    this.signalEma = new EmaStepper(signalPeriod);
  }

  /** Folds one close in; returns the histogram (NaN until the signal line exists). */
  next(close: number): number {
    const fast = this.fast.next(close);
    const slow = this.slow.next(close);
    this.line = fast - slow;
    this.signal = Number.isNaN(this.line) ? Number.NaN : this.signalEma.next(this.line);
    this.histogram = this.line - this.signal;
    return this.histogram;
  }
}

export interface MacdSeries {
  readonly line: Float64Array;
  readonly signal: Float64Array;
  readonly histogram: Float64Array;
}

export function macdSeries(closes: ArrayLike<number>, fastPeriod = 12, slowPeriod = 26, signalPeriod = 9): MacdSeries {
  const stepper = new MacdStepper(fastPeriod, slowPeriod, signalPeriod);
  const n = closes.length;
  const series = { line: new Float64Array(n), signal: new Float64Array(n), histogram: new Float64Array(n) };
  for (let i = 0; i < n; i += 1) {
    stepper.next(closes[i]!);
    series.line[i] = stepper.line;
    series.signal[i] = stepper.signal;
    series.histogram[i] = stepper.histogram;
  }
  return series;
}
