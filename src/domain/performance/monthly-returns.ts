// A monthly returns table: each UTC calendar month's change of equity, from the level at its start (or the curve's
// start, for the first month) to the level at its end (or the curve's end, for the last).
import type { EquityPoint } from '../events.js';
import { sampleEquity } from './equity-curve.js';

export interface MonthReturn {
  /** `YYYY-MM` (UTC). */
  readonly month: string;
  readonly return: number;
  /** True when the curve covers only part of the month. */
  readonly partial: boolean;
}

const monthStart = (time: number): number => {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
};
const nextMonthStart = (time: number): number => {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
};

/** Month by month over `from`..`to`, equity read as the last point at or before each boundary. */
export function monthlyReturns(points: readonly EquityPoint[], from: Date, to: Date): MonthReturn[] {
  const months: MonthReturn[] = [];
  for (let start = from.getTime(); start < to.getTime(); start = nextMonthStart(start)) {
    const end = Math.min(nextMonthStart(start), to.getTime());
    const [open, close] = sampleEquity(points, [new Date(start), new Date(end)]) as [number, number];
    months.push({
      month: new Date(start).toISOString().slice(0, 7),
      return: open > 0 ? close / open - 1 : 0,
      partial: start !== monthStart(start) || end !== nextMonthStart(start),
    });
  }
  return months;
}
