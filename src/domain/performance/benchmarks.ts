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

/** When the first candle of the history closes: a market listed inside the window is bought then. */
export function firstCloseAt(history: PriceHistory): Date | undefined {
  const first = history.candles.at(0);
  return first === undefined ? undefined : new Date(first.openTime + history.intervalMs);
}

/**
 * Buying `capital` worth and holding it, 1x, no funding. The first point is the money put in, so the return counts the
 * taker fee paid on the way in and, at each later point, the fee that selling then would pay on the way out. The
 * market is bought at the close known at `times[0]`, or, for a market listed later, at the close known at the first
 * point after its listing; until then the money waits as cash.
 */
export function buyAndHoldCurve(history: PriceHistory, times: readonly Date[], capital: number, feeRate: number, name = 'price'): EquityPoint[] {
  let units: number | undefined;
  return times.map((time, i) => {
    const close = closeAt(history, time);
    if (close === undefined) return { time, equity: capital };
    if (!(close > 0)) throw new RangeError(`${name}: the close known at ${time.toISOString()} is ${close}, not a price`);
    units ??= capital / (1 + feeRate) / close;
    return { time, equity: i === 0 ? capital : units * close * (1 - feeRate) };
  });
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
