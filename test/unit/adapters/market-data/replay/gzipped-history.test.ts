import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadFundingCsv } from '../../../../../src/adapters/market-data/replay/funding-csv.js';
import { loadKlineCsv } from '../../../../../src/adapters/market-data/replay/kline-csv.js';
import { loadHistory } from '../../../../../src/adapters/market-data/replay/load-history.js';

const BUNDLED = fileURLToPath(new URL('../../../../../history/binance-usdm', import.meta.url));
const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

/** A history directory with BTC gzipped and ETH plain, both copied from the bundled files. */
async function mixedDirectory(rewriteBtc?: (lines: string[]) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gz-history-'));
  await mkdir(join(dir, 'klines'));
  await mkdir(join(dir, 'fundingRate'));
  const lines = (await readFile(join(BUNDLED, 'klines', 'BTCUSDT-15m.csv'), 'utf8')).split('\n');
  rewriteBtc?.(lines);
  await writeFile(join(dir, 'klines', 'BTCUSDT-15m.csv.gz'), gzipSync(lines.join('\n')));
  await writeFile(join(dir, 'fundingRate', 'BTCUSDT-fundingRate.csv.gz'), gzipSync(await readFile(join(BUNDLED, 'fundingRate', 'BTCUSDT-fundingRate.csv'))));
  await copyFile(join(BUNDLED, 'klines', 'ETHUSDT-15m.csv'), join(dir, 'klines', 'ETHUSDT-15m.csv'));
  await copyFile(join(BUNDLED, 'fundingRate', 'ETHUSDT-fundingRate.csv'), join(dir, 'fundingRate', 'ETHUSDT-fundingRate.csv'));
  await copyFile(join(BUNDLED, 'exchangeInfo.json'), join(dir, 'exchangeInfo.json'));
  return dir;
}

describe('gzipped history files', () => {
  it('when a market is stored as .csv.gz beside a plain one, then both load, the gzipped one candle for candle as the original', async () => {
    const dir = await mixedDirectory();

    const mixed = await loadHistory(dir);
    const original = await loadHistory(BUNDLED, { symbols: [BTC, ETH] });

    expect([...mixed.markets.keys()].sort()).toEqual([BTC, ETH]);
    expect(mixed.markets.get(BTC)?.candles).toEqual(original.markets.get(BTC)?.candles);
    expect(mixed.markets.get(BTC)?.funding).toEqual(original.markets.get(BTC)?.funding);
    expect(mixed.markets.get(ETH)?.candles['15m']).toEqual(original.markets.get(ETH)?.candles['15m']);
  });

  it('when a symbol is asked for by name, then its gzipped file is found', async () => {
    const dir = await mixedDirectory();

    const history = await loadHistory(dir, { symbols: ['BTCUSDT'] });

    // 71 bundled days of 96 quarter hours.
    expect(history.markets.get(BTC)?.candles['15m']).toHaveLength(71 * 96);
  });

  it('when the readers are given a .gz file directly, then they decompress it', async () => {
    const dir = await mixedDirectory();

    const candles = await loadKlineCsv(join(dir, 'klines', 'BTCUSDT-15m.csv.gz'));
    const funding = await loadFundingCsv(join(dir, 'fundingRate', 'BTCUSDT-fundingRate.csv.gz'));

    expect(candles[0]).toEqual({ openTime: 1754784000000, open: 116422.1, high: 116549.7, low: 116413.2, close: 116532.5, volume: 450.284 });
    expect(funding[0]).toEqual({ time: 1754784000000, intervalHours: 8, rate: 0.00009849 });
  });

  it('when a row inside a gzipped file is corrupt, then the error names the file and the line of the decompressed text', async () => {
    const dir = await mixedDirectory((lines) => {
      const fields = (lines[10] as string).split(',');
      fields[3] = '-5';
      lines[10] = fields.join(',');
    });

    await expect(loadHistory(dir)).rejects.toThrow(`${join(dir, 'klines', 'BTCUSDT-15m.csv.gz')}, line 11: prices must be positive`);
  });

  it('when a .gz file is not gzip data, then loading fails naming it rather than parsing garbage', async () => {
    const dir = await mixedDirectory();
    await writeFile(join(dir, 'klines', 'BTCUSDT-15m.csv.gz'), 'open_time,open,high,low,close,volume\n');

    await expect(loadHistory(dir)).rejects.toThrow(`${join(dir, 'klines', 'BTCUSDT-15m.csv.gz')}: not a valid gzip file`);
  });

  it('when a market has both a plain and a gzipped kline file, then loading refuses to guess which is right', async () => {
    const dir = await mixedDirectory();
    await copyFile(join(BUNDLED, 'klines', 'BTCUSDT-15m.csv'), join(dir, 'klines', 'BTCUSDT-15m.csv'));

    await expect(loadHistory(dir)).rejects.toThrow(/both BTCUSDT-15m\.csv and BTCUSDT-15m\.csv\.gz exist/);
  });

  it('when a market has both a plain and a gzipped funding file, then loading refuses to guess which is right', async () => {
    const dir = await mixedDirectory();
    await copyFile(join(BUNDLED, 'fundingRate', 'BTCUSDT-fundingRate.csv'), join(dir, 'fundingRate', 'BTCUSDT-fundingRate.csv'));

    await expect(loadHistory(dir)).rejects.toThrow(/both BTCUSDT-fundingRate\.csv and BTCUSDT-fundingRate\.csv\.gz exist/);
  });

  it('when a gzipped kline file has no funding file in either form, then the error names the plain file', async () => {
    const dir = await mixedDirectory();
    await writeFile(join(dir, 'klines', 'SOLUSDT-15m.csv.gz'), gzipSync(await readFile(join(BUNDLED, 'klines', 'SOLUSDT-15m.csv'))));

    await expect(loadHistory(dir)).rejects.toThrow(`${join(dir, 'fundingRate', 'SOLUSDT-fundingRate.csv')}: file not found`);
  });
});
