// Simple and exponential moving averages as streaming steppers: `next(value)` folds one value in and returns the
// current average, or NaN while fewer than `period` values have been seen. Steppers let `computeIndicators` walk the
// candles once without building intermediate arrays; the `*Series` functions exist for tests and charts.

/** Arithmetic mean of the last `period` values. */
export class SmaStepper {
  private readonly window: Float64Array;
  private count = 0;
  private sum = 0;

  constructor(readonly period: number) {
    assertPeriod(period);
    this.window = new Float64Array(period);
  }

  next(value: number): number {
    const slot = this.count % this.period;
    this.sum += value - this.window[slot]!;
    this.window[slot] = value;
    this.count += 1;
    // Re-add the window from scratch once per lap so rounding errors of the running sum cannot pile up over long runs.
    if (slot === this.period - 1) {
      let exact = 0;
      for (let i = 0; i < this.period; i += 1) exact += this.window[i]!;
      this.sum = exact;
    }
    return this.count >= this.period ? this.sum / this.period : Number.NaN;
  }
}

/**
 * Exponential moving average with smoothing factor `alpha`, seeded with the simple mean of the first `period` values
 * (the usual convention; seeding with the first value would make the early readings depend on one candle).
 */
export class EmaStepper {
  private count = 0;
  private seedSum = 0;
  private value = Number.NaN;

  constructor(
    readonly period: number,
    private readonly alpha: number = 2 / (period + 1),
  ) {
    assertPeriod(period);
  }

  /** Wilder's smoothing is an EMA with alpha 1/period; RSI, ATR and ADX use it. */
  static wilder(period: number): EmaStepper {
    return new EmaStepper(period, 1 / period);
  }

  next(input: number): number {
    this.count += 1;
    if (this.count < this.period) {
      this.seedSum += input;
      return Number.NaN;
    }
    if (this.count === this.period) {
      this.value = (this.seedSum + input) / this.period;
      return this.value;
    }
    this.value += this.alpha * (input - this.value);
    return this.value;
  }
}

/** Every value of an SMA over `values`; NaN where fewer than `period` values were available. */
export function smaSeries(values: ArrayLike<number>, period: number): Float64Array {
  const stepper = new SmaStepper(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i += 1) out[i] = stepper.next(values[i]!);
  return out;
}

/** Every value of an SMA-seeded EMA over `values`; NaN before index `period - 1`. */
export function emaSeries(values: ArrayLike<number>, period: number): Float64Array {
  const stepper = new EmaStepper(period);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i += 1) out[i] = stepper.next(values[i]!);
  return out;
}

export function assertPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`indicator period must be a positive integer, got ${period}`);
  }
}
