// Reads Binance's funding-rate files: `calc_time,funding_interval_hours,last_funding_rate`, one settlement a row;
// plain or gzipped (`.csv.gz`).
import { csvRows, expectColumns, expectHeader, isHeader, numberField, type CsvRow } from './csv-lines.js';
import { HistoryFormatError } from './history-format-error.js';
import { readHistoryText } from './kline-csv.js';

const FUNDING_COLUMNS = ['calc_time', 'funding_interval_hours', 'last_funding_rate'] as const;

export interface FundingRow {
  /** Settlement time, epoch ms. */
  readonly time: number;
  readonly intervalHours: number;
  readonly rate: number;
}

export async function loadFundingCsv(file: string): Promise<FundingRow[]> {
  const text = await readHistoryText(file);
  return parseFundingCsv(text, file);
}

export function parseFundingCsv(text: string, file: string): FundingRow[] {
  const rows = csvRows(text, file);
  let start = 0;
  const first = rows[0];
  if (first !== undefined && isHeader(first)) {
    expectHeader(first, FUNDING_COLUMNS, file);
    start = 1;
  }
  const result: FundingRow[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (let index = start; index < rows.length; index += 1) {
    const row = rows[index] as CsvRow;
    expectColumns(row, [FUNDING_COLUMNS.length], file);
    const time = numberField(row, 0, 'calc_time', file);
    const intervalHours = numberField(row, 1, 'funding_interval_hours', file);
    const rate = numberField(row, 2, 'last_funding_rate', file);
    if (!Number.isInteger(time) || time < 0) {
      throw new HistoryFormatError(file, row.line, `calc_time ${time} is not a time in ms`);
    }
    if (time <= previous) {
      throw new HistoryFormatError(file, row.line, `calc_time ${time} does not increase (previous row ${previous})`);
    }
    if (intervalHours <= 0) {
      throw new HistoryFormatError(file, row.line, `funding_interval_hours ${intervalHours} must be positive`);
    }
    previous = time;
    result.push({ time, intervalHours, rate });
  }
  return result;
}
