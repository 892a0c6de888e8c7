// True range and Wilder's Average True Range. The first candle has no previous close, so its true range is undefined
// (as in Wilder's book and TA-Lib); the first ATR is the plain mean of the true ranges of candles 1..period and appears
// on candle `period`.
import { trueRange } from '../../../../../src/domain/indicators/primitives.js';
import { EmaStepper } from './moving-average.js';

export class AtrStepper {
  private readonly average: EmaStepper;
  private previousClose = Number.NaN;

  constructor(readonly period = 14) {
    this.average = EmaStepper.wilder(period);
  }

  next(high: number, low: number, close: number): number {
    const previous = this.previousClose;
    this.previousClose = close;
    if (Number.isNaN(previous)) return Number.NaN;
    return this.average.next(trueRange(high, low, previous));
  }
}

export interface HighLowClose {
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
}

export function atrSeries(prices: HighLowClose, period = 14): Float64Array {
  const stepper = new AtrStepper(period);
  const out = new Float64Array(prices.close.length);
  for (let i = 0; i < out.length; i += 1) out[i] = stepper.next(prices.high[i]!, prices.low[i]!, prices.close[i]!);
  return out;
}
