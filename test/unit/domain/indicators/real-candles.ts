// Reads the bundled Binance candles for tests. The production loader lives elsewhere; tests parse the CSV themselves
// so a bug there cannot hide one here.
import { readFileSync } from 'node:fs';
import type { Candle } from '../../../../src/domain/market.js';

export const HISTORY_SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT', 'XRPUSDT', 'DOGEUSDT'] as const;

/** 15-minute candles of `symbol` (an exchange id such as `BTCUSDT`), oldest first. */
export function loadRealCandles(symbol: string): Candle[] {
  const file = new URL(`../../../../history/binance-usdm/klines/${symbol}-15m.csv`, import.meta.url);
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  if (header?.trim() !== 'open_time,open,high,low,close,volume') throw new Error(`unexpected header in ${symbol}: ${header}`);
  return rows.map((row) => {
    const [openTime, open, high, low, close, volume] = row.split(',').map(Number);
    return { openTime: openTime!, open: open!, high: high!, low: low!, close: close!, volume: volume! };
  });
}

export interface PriceColumns {
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly volume: number[];
}

export function columnsOf(candles: readonly Candle[]): PriceColumns {
  return {
    open: candles.map((c) => c.open),
    high: candles.map((c) => c.high),
    low: candles.map((c) => c.low),
    close: candles.map((c) => c.close),
    volume: candles.map((c) => c.volume),
  };
}

/**
 * Groups consecutive 15m candles into `minutes`-long candles aligned to UTC (first open, highest high, lowest low, last
 * close, summed volume). Only complete groups are kept, as an exchange would report closed candles.
 */
export function aggregateCandles(candles: readonly Candle[], minutes: number): Candle[] {
  const span = minutes * 60_000;
  const perGroup = span / 900_000;
  const out: Candle[] = [];
  let i = 0;
  while (i < candles.length) {
    const start = Math.floor(candles[i]!.openTime / span) * span;
    const group: Candle[] = [];
    while (i < candles.length && candles[i]!.openTime < start + span) group.push(candles[i++]!);
    if (group.length !== perGroup) continue;
    out.push({
      openTime: start,
      open: group[0]!.open,
      high: Math.max(...group.map((c) => c.high)),
      low: Math.min(...group.map((c) => c.low)),
      close: group[group.length - 1]!.close,
      volume: group.reduce((sum, c) => sum + c.volume, 0),
    });
  }
  return out;
}
