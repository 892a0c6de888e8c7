// What the strategy is measured against, from candle closes only: holding each symbol, holding all of them in equal
// parts, and staying flat. At each instant a benchmark knows the close of the last candle finished by then.
import type { EquityPoint } from '../events.js';
import type { Candle, CandleList } from '../market.js';

export interface PriceHistory {
  /** Oldest first. */
  readonly candles: CandleList;
  readonly intervalMs: number;
}

/** The close of the last candle finished at or before `time`; undefined before the first one closes. */
export function closeAt(history: PriceHistory, time: Date): number | undefined {
  const { candles, intervalMs } = history;
  let low = 0;
  let high = candles.length - 1;
  let found: Candle | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candle = candles.at(middle) as Candle;
    if (candle.openTime + intervalMs <= time.getTime()) {
      found = candle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found?.close;
}

function closesAt(history: PriceHistory, times: readonly Date[], name: string): number[] {
  return times.map((time) => {
    const close = closeAt(history, time);
    if (close === undefined || !(close > 0)) throw new RangeError(`${name}: no candle had closed by ${time.toISOString()}`);
    return close;
  });
}

/**
 * Buying `capital` worth at the close known at `times[0]` and holding it, 1x, no funding: the taker fee is paid on
 * the way in, and each point is what selling at that instant would leave after the fee on the way out.
 */
export function buyAndHoldCurve(history: PriceHistory, times: readonly Date[], capital: number, feeRate: number, name = 'price'): EquityPoint[] {
  const closes = closesAt(history, times, name);
  const units = capital / (1 + feeRate) / (closes[0] ?? 1);
  return times.map((time, i) => ({ time, equity: units * (closes[i] as number) * (1 - feeRate) }));
}

/** `capital` split equally over the histories at the start and each part held (no rebalancing). */
export function equalWeightCurve(histories: readonly PriceHistory[], times: readonly Date[], capital: number, feeRate: number): EquityPoint[] {
  if (histories.length === 0) throw new RangeError('an equal-weight basket needs at least one market');
  const parts = histories.map((history, i) => buyAndHoldCurve(history, times, capital / histories.length, feeRate, `market ${i + 1}`));
  return times.map((time, i) => ({ time, equity: parts.reduce((total, part) => total + (part[i] as EquityPoint).equity, 0) }));
}

/** Cash that earns nothing and risks nothing. */
export function flatCurve(times: readonly Date[], capital: number): EquityPoint[] {
  return times.map((time) => ({ time, equity: capital }));
}
