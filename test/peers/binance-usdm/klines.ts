// Klines as Binance serves them at a given instant: closed candles, then the one still forming at `now`.
// Larger intervals are aggregated from the recorded 15-minute candles; nothing after `now` is ever visible.
import type { CandleRow } from './history.js';

const MINUTE = 60_000;
export const FIFTEEN_MINUTES = 15 * MINUTE;

export const INTERVAL_MS: Readonly<Record<string, number>> = {
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': FIFTEEN_MINUTES,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '4h': 240 * MINUTE,
  '6h': 360 * MINUTE,
  '8h': 480 * MINUTE,
  '12h': 720 * MINUTE,
  '1d': 1440 * MINUTE,
};

export interface KlineQuery {
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit: number;
}

/** Index of the first row whose open time is >= `time` (rows sorted by open time). */
function lowerBound(rows: readonly CandleRow[], time: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[mid] as CandleRow).openTime < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * 15m candles visible at `now`: the closed ones and, when the recording covers `now`, the forming one. The forming
 * candle opens at the recorded open and has travelled only to the current `price` (the recording has no intrabar path).
 */
export function visibleFifteenMinute(rows: readonly CandleRow[], now: number, price: number | undefined): CandleRow[] {
  return visibleCandles(rows, FIFTEEN_MINUTES, now, price);
}

/** Recorded candles of `intervalMs` visible at `now`, the forming one as in `visibleFifteenMinute`. */
export function visibleCandles(rows: readonly CandleRow[], intervalMs: number, now: number, price: number | undefined): CandleRow[] {
  const formingOpen = Math.floor(now / intervalMs) * intervalMs;
  const end = lowerBound(rows, formingOpen);
  const visible = rows.slice(0, end);
  const forming = rows[end];
  if (forming && forming.openTime === formingOpen) {
    const current = price ?? forming.open;
    visible.push({
      openTime: forming.openTime,
      open: forming.open,
      high: Math.max(forming.open, current),
      low: Math.min(forming.open, current),
      close: current,
      volume: 0,
    });
  }
  return visible;
}

/** Aggregates ascending candles into `intervalMs` buckets aligned to UTC (first open, max high, min low, last close). */
export function aggregate(rows: readonly CandleRow[], intervalMs: number): CandleRow[] {
  const out: CandleRow[] = [];
  for (const row of rows) {
    const bucket = Math.floor(row.openTime / intervalMs) * intervalMs;
    const last = out[out.length - 1];
    if (last && last.openTime === bucket) {
      out[out.length - 1] = {
        openTime: bucket,
        open: last.open,
        high: Math.max(last.high, row.high),
        low: Math.min(last.low, row.low),
        close: row.close,
        volume: last.volume + row.volume,
      };
    } else {
      out.push({ ...row, openTime: bucket });
    }
  }
  return out;
}

/** Binance's window rules: from `startTime` forwards when given, otherwise the last `limit` up to `endTime`. */
export function selectWindow(rows: readonly CandleRow[], query: KlineQuery): CandleRow[] {
  let from = query.startTime === undefined ? 0 : lowerBound(rows, query.startTime);
  let to = query.endTime === undefined ? rows.length : lowerBound(rows, query.endTime + 1);
  if (query.startTime !== undefined) to = Math.min(to, from + query.limit);
  else from = Math.max(from, to - query.limit);
  return rows.slice(from, to);
}

/** One kline row in Binance's wire format (numbers as strings, close time = next open - 1). */
export function klineRow(row: CandleRow, intervalMs: number, decimals: number): unknown[] {
  const quoteVolume = row.volume * row.close;
  return [
    row.openTime,
    row.open.toFixed(decimals),
    row.high.toFixed(decimals),
    row.low.toFixed(decimals),
    row.close.toFixed(decimals),
    String(row.volume),
    row.openTime + intervalMs - 1,
    quoteVolume.toFixed(5),
    0,
    '0',
    '0',
    '0',
  ];
}
