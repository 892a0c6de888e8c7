// Reads 15-minute (or other) klines: the bundled `open_time,open,high,low,close,volume` files and Binance's public
// 12-column kline dumps (open_time … ignore), with or without their header row, plain or gzipped (`.csv.gz`).
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Candle } from '../../../domain/market.js';
import { CandleSeriesBuilder, type CandleSeries } from './candle-series.js';
import { expectColumns, expectHeader, isHeader, numberField, readHistoryFile, toNumber, type CsvRow } from './csv-lines.js';
import { HistoryFormatError } from './history-format-error.js';

const KLINE_COLUMNS = ['open_time', 'open', 'high', 'low', 'close', 'volume'] as const;
const BUNDLED_WIDTH = 6;
const BINANCE_DUMP_WIDTH = 12;
// Binance's newer spot dumps count microseconds; anything this large cannot be a millisecond time before year 5000.
const MICROSECOND_THRESHOLD = 1e14;

export interface KlineParseOptions {
  /** When set, every open time must sit on a multiple of it (e.g. 15 minutes), which catches mislabelled files. */
  readonly intervalMs?: number;
}

const gunzipAsync = promisify(gunzip);

export async function loadKlineCsv(file: string, options: KlineParseOptions = {}): Promise<Candle[]> {
  return (await loadKlineSeries(file, options)).slice();
}

/** As `loadKlineCsv`, in the replay's compact form (no object per candle). */
export async function loadKlineSeries(file: string, options: KlineParseOptions = {}): Promise<CandleSeries> {
  const text = await readHistoryText(file);
  return parseKlineSeries(text, file, options);
}

/**
 * The text of a history file; a name ending in `.gz` is gunzipped first. A year of 15m candles is ~1.7 MB per
 * symbol as CSV and under half of that gzipped, which is what lets a year of several markets sit in the repository.
 */
export async function readHistoryText(file: string): Promise<string> {
  if (!file.endsWith('.gz')) return readHistoryFile(file);
  let compressed: Buffer;
  try {
    compressed = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HistoryFormatError(file, undefined, code === 'ENOENT' ? 'file not found' : `cannot read: ${String(error)}`);
  }
  try {
    return (await gunzipAsync(compressed)).toString('utf8');
  } catch (error) {
    throw new HistoryFormatError(file, undefined, `not a valid gzip file (${(error as Error).message})`);
  }
}

/**
 * Parses and validates every row; the first bad row raises a HistoryFormatError naming file, line and problem.
 */
export function parseKlineCsv(text: string, file: string, options: KlineParseOptions = {}): Candle[] {
  return parseKlineSeries(text, file, options).slice();
}

/** As `parseKlineCsv`, into the compact form: one pass over the text, no object per candle (files run to ~100k rows). */
export function parseKlineSeries(text: string, file: string, options: KlineParseOptions = {}): CandleSeries {
  const lines = text.split('\n');
  let end = lines.length;
  while (end > 0 && (lines[end - 1] as string).trim() === '') end -= 1;
  if (end === 0) throw new HistoryFormatError(file, undefined, 'the file has no rows');
  let start = 0;
  const firstRow = row(lines, 0);
  if (isHeader(firstRow)) {
    expectHeader(firstRow, KLINE_COLUMNS, file);
    start = 1;
  }
  if (start >= end) throw new HistoryFormatError(file, undefined, 'the file has a header but no candles');
  // A header fixes the width; without one, the first candle row does, and every row must then agree.
  const widthSource = start === 1 ? firstRow : row(lines, start);
  expectColumns(widthSource, [BUNDLED_WIDTH, BINANCE_DUMP_WIDTH], file);
  const width = widthSource.fields.length;
  const interval = options.intervalMs ?? 0;
  const candles = new CandleSeriesBuilder(end - start);
  let previousOpen = Number.NEGATIVE_INFINITY;
  for (let index = start; index < end; index += 1) {
    const line = lines[index] as string;
    const fields = (line.endsWith('\r') ? line.slice(0, -1) : line).split(',');
    let openTime = toNumber(fields[0] ?? '');
    if (openTime > MICROSECOND_THRESHOLD) openTime = Math.floor(openTime / 1000);
    const open = toNumber(fields[1] ?? '');
    const high = toNumber(fields[2] ?? '');
    const low = toNumber(fields[3] ?? '');
    const close = toNumber(fields[4] ?? '');
    const volume = toNumber(fields[5] ?? '');
    const plausible =
      fields.length === width &&
      Number.isInteger(openTime) &&
      openTime >= 0 &&
      openTime > previousOpen &&
      (interval === 0 || openTime % interval === 0) &&
      low > 0 &&
      low <= open &&
      low <= close &&
      high >= open &&
      high >= close &&
      volume >= 0 &&
      Number.isFinite(high) &&
      Number.isFinite(volume);
    // The fast check above only decides whether to look closer; `explain` finds and names the problem.
    if (!plausible) explain({ line: index + 1, fields }, file, width, previousOpen, interval);
    candles.push(openTime, open, high, low, close, volume);
    previousOpen = openTime;
  }
  return candles.build();
}

function row(lines: readonly string[], index: number): CsvRow {
  const line = lines[index] as string;
  return { line: index + 1, fields: (line.endsWith('\r') ? line.slice(0, -1) : line).split(',') };
}

function explain(row: CsvRow, file: string, width: number, previousOpen: number, interval: number): never {
  const fail = (problem: string): never => {
    throw new HistoryFormatError(file, row.line, problem);
  };
  if (row.fields.length === 1 && (row.fields[0] ?? '').trim() === '') fail('empty line inside the data');
  expectColumns(row, [width], file);
  let openTime = numberField(row, 0, 'open_time', file);
  if (openTime > MICROSECOND_THRESHOLD) openTime = Math.floor(openTime / 1000);
  const open = numberField(row, 1, 'open', file);
  const high = numberField(row, 2, 'high', file);
  const low = numberField(row, 3, 'low', file);
  const close = numberField(row, 4, 'close', file);
  const volume = numberField(row, 5, 'volume', file);
  if (!Number.isInteger(openTime) || openTime < 0) fail(`open_time ${openTime} is not a time in ms`);
  if (openTime <= previousOpen) fail(`open_time ${openTime} does not increase (previous row ${previousOpen})`);
  if (interval !== 0 && openTime % interval !== 0) fail(`open_time ${openTime} is not on a ${interval / 60_000}-minute boundary`);
  if (open <= 0 || close <= 0 || low <= 0) fail('prices must be positive');
  if (low > Math.min(open, close)) fail(`low ${low} is above min(open ${open}, close ${close})`);
  if (high < Math.max(open, close)) fail(`high ${high} is below max(open ${open}, close ${close})`);
  if (volume < 0) fail(`volume ${volume} is negative`);
  throw new HistoryFormatError(file, row.line, 'invalid row');
}
