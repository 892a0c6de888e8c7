// Shared line handling of the history CSV readers: physical line numbers for error messages, CRLF tolerance, and
// number parsing that refuses the blanks `Number('')` would quietly turn into 0.
import { readFile } from 'node:fs/promises';
import { HistoryFormatError } from './history-format-error.js';

export interface CsvRow {
  /** 1-based physical line number in the file. */
  readonly line: number;
  readonly fields: readonly string[];
}

/** Splits text into rows; blank lines are allowed only at the end of the file. */
export function csvRows(text: string, file: string): CsvRow[] {
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && stripCr(lines[last] ?? '').trim() === '') last -= 1;
  const rows: CsvRow[] = [];
  for (let index = 0; index <= last; index += 1) {
    const raw = stripCr(lines[index] ?? '');
    if (raw.trim() === '') throw new HistoryFormatError(file, index + 1, 'empty line inside the data');
    rows.push({ line: index + 1, fields: raw.split(',') });
  }
  return rows;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** True when the first field is not a number, i.e. the row is a header. */
export function isHeader(row: CsvRow): boolean {
  const first = row.fields[0]?.trim() ?? '';
  return first === '' || !Number.isFinite(Number(first));
}

export function numberField(row: CsvRow, index: number, name: string, file: string): number {
  const text = row.fields[index] ?? '';
  const value = toNumber(text);
  if (!Number.isFinite(value)) {
    throw new HistoryFormatError(file, row.line, `${name} is not a finite number (${JSON.stringify(text.trim())})`);
  }
  return value;
}

/** Number(text), except that a blank field is NaN rather than 0. */
export function toNumber(text: string): number {
  const value = Number(text);
  return value === 0 && text.trim() === '' ? Number.NaN : value;
}

export function expectColumns(row: CsvRow, allowed: readonly number[], file: string): void {
  if (!allowed.includes(row.fields.length)) {
    const wanted = allowed.join(' or ');
    throw new HistoryFormatError(file, row.line, `expected ${wanted} columns, found ${row.fields.length}`);
  }
}

export function expectHeader(row: CsvRow, names: readonly string[], file: string): void {
  const found = row.fields.slice(0, names.length).map((field) => field.trim().toLowerCase());
  if (found.join(',') !== names.join(',')) {
    throw new HistoryFormatError(file, row.line, `header must start with ${names.join(',')}, found ${row.fields.join(',')}`);
  }
}

/** Reads a whole file, turning a missing or unreadable one into an error that names it. */
export async function readHistoryFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HistoryFormatError(file, undefined, code === 'ENOENT' ? 'file not found' : `cannot read: ${String(error)}`);
  }
}
