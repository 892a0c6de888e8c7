import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryFormatError } from '../../../../../src/adapters/market-data/replay/history-format-error.js';
import { loadKlineCsv, parseKlineCsv } from '../../../../../src/adapters/market-data/replay/kline-csv.js';

const FILE = 'klines/TESTUSDT-15m.csv';
const M15 = 15 * 60_000;
const T0 = Date.UTC(2025, 7, 10); // 2025-08-10 00:00 UTC

const BUNDLED = ['open_time,open,high,low,close,volume', `${T0},100,101,99,100.5,10`, `${T0 + M15},100.5,102,100,101,12.5`].join('\n');

function errorOf(work: () => unknown): HistoryFormatError {
  try {
    work();
  } catch (error) {
    if (error instanceof HistoryFormatError) return error;
    throw error;
  }
  throw new Error('expected a HistoryFormatError');
}

describe('parseKlineCsv', () => {
  it('reads the bundled six-column format', () => {
    const candles = parseKlineCsv(BUNDLED, FILE);

    expect(candles).toEqual([
      { openTime: T0, open: 100, high: 101, low: 99, close: 100.5, volume: 10 },
      { openTime: T0 + M15, open: 100.5, high: 102, low: 100, close: 101, volume: 12.5 },
    ]);
  });

  it("reads Binance's 12-column dump the same way, with and without its header, CRLF line ends included", () => {
    const rows = [
      `${T0},100,101,99,100.5,10,${T0 + M15 - 1},1005,42,5,502.5,0`,
      `${T0 + M15},100.5,102,100,101,12.5,${T0 + 2 * M15 - 1},1262.5,40,6,606,0`,
    ];
    const header =
      'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore';

    const withHeader = parseKlineCsv([header, ...rows].join('\r\n') + '\r\n', FILE);
    const withoutHeader = parseKlineCsv(rows.join('\n'), FILE);

    const expected = parseKlineCsv(BUNDLED, FILE);
    expect(withHeader).toEqual(expected);
    expect(withoutHeader).toEqual(expected);
  });

  it.each([
    ['a high below the close', `${T0 + M15},100.5,100.8,100,101,12.5`, /line 3: high 100.8 is below max\(open 100.5, close 101\)/],
    ['a low above the open', `${T0 + M15},100.5,102,100.6,101,12.5`, /line 3: low 100.6 is above min/],
    ['a blank price', `${T0 + M15},100.5,,100,101,12.5`, /line 3: high is not a finite number/],
    ['a word for a volume', `${T0 + M15},100.5,102,100,101,lots`, /line 3: volume is not a finite number/],
    ['a negative volume', `${T0 + M15},100.5,102,100,101,-1`, /line 3: volume -1 is negative/],
    ['a repeated open time', `${T0},100.5,102,100,101,12.5`, /line 3: open_time \d+ does not increase/],
    ['a missing column', `${T0 + M15},100.5,102,100,101`, /line 3: expected 6 columns, found 5/],
  ])('when the second candle has %s, then loading fails naming the file, the line and the problem', (_case, row, message) => {
    const text = ['open_time,open,high,low,close,volume', `${T0},100,101,99,100.5,10`, row].join('\n');

    const error = errorOf(() => parseKlineCsv(text, FILE));

    expect(error.file).toBe(FILE);
    expect(error.line).toBe(3);
    expect(error.message).toMatch(FILE);
    expect(error.message).toMatch(message);
  });

  it('when an open time is off the 15-minute grid, then the file is refused', () => {
    const text = `${T0 + 60_000},100,101,99,100.5,10`;

    expect(() => parseKlineCsv(text, FILE, { intervalMs: M15 })).toThrow(/line 1: open_time \d+ is not on a 15-minute boundary/);
  });

  it('when a blank line sits between candles, then the file is refused rather than the gap ignored', () => {
    const text = ['open_time,open,high,low,close,volume', `${T0},100,101,99,100.5,10`, '', `${T0 + M15},100.5,102,100,101,1`].join('\n');

    expect(() => parseKlineCsv(text, FILE)).toThrow(/line 3: empty line/);
  });

  it('when the header names other columns, then the file is refused', () => {
    expect(() => parseKlineCsv(`time,o,h,l,c,v\n${T0},100,101,99,100.5,10`, FILE)).toThrow(/line 1: header must start with/);
  });
});

describe('loadKlineCsv', () => {
  it('when the file does not exist, then the error names it', async () => {
    await expect(loadKlineCsv('/nonexistent/BTCUSDT-15m.csv')).rejects.toThrow('/nonexistent/BTCUSDT-15m.csv: file not found');
  });

  it('loads an 81,642-row file whole, every candle in place', async () => {
    const rows = 81_642;
    const lines = ['open_time,open,high,low,close,volume'];
    for (let index = 0; index < rows; index += 1) {
      const open = 100 + (index % 50) / 10;
      lines.push(`${T0 + index * M15},${open},${open + 0.7},${open - 0.4},${open + 0.2},${1000 + index}`);
    }
    const dir = await mkdtemp(join(tmpdir(), 'klines-'));
    const file = join(dir, 'BIGUSDT-15m.csv');
    await writeFile(file, lines.join('\n'));

    // Speed is the benchmark's to measure (bench/replay-child.ts reports the load time); here only that it all loads.
    const candles = await loadKlineCsv(file, { intervalMs: M15 });

    expect(candles).toHaveLength(rows);
    expect(candles[rows - 1]?.openTime).toBe(T0 + (rows - 1) * M15);
  });
});
