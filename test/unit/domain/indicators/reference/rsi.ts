// Relative Strength Index with Wilder's smoothing: average gain and average loss start as the plain means of the first
// `period` price changes, then each new change is folded in with weight 1/period.
import { rsiFrom } from '../../../../../src/domain/indicators/primitives.js';
import { EmaStepper } from './moving-average.js';

export class RsiStepper {
  private readonly averageGain: EmaStepper;
  private readonly averageLoss: EmaStepper;
  private previousClose = Number.NaN;

  constructor(readonly period = 14) {
    this.averageGain = EmaStepper.wilder(period);
    this.averageLoss = EmaStepper.wilder(period);
  }

  /** Returns RSI in 0..100, or NaN until `period` changes (period + 1 closes) have been seen. */
  next(close: number): number {
    const previous = this.previousClose;
    this.previousClose = close;
    if (Number.isNaN(previous)) return Number.NaN;
    const change = close - previous;
    const gain = this.averageGain.next(change > 0 ? change : 0);
    const loss = this.averageLoss.next(change < 0 ? -change : 0);
    return rsiFrom(gain, loss);
  }
}

/** RSI for every close; NaN for the first `period` closes. */
export function rsiSeries(closes: ArrayLike<number>, period = 14): Float64Array {
  const stepper = new RsiStepper(period);
  const out = new Float64Array(closes.length);
  for (let i = 0; i < closes.length; i += 1) out[i] = stepper.next(closes[i]!);
  return out;
}
