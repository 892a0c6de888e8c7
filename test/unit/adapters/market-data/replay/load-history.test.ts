import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledHistoryDir, loadHistory } from '../../../../../src/adapters/market-data/replay/load-history.js';

const BUNDLED = fileURLToPath(new URL('../../../../../history/binance-usdm', import.meta.url));
const SYMBOLS = ['BNB/USDT:USDT', 'BTC/USDT:USDT', 'DOGE/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT', 'XRP/USDT:USDT'];

/** A history directory holding a copy of one bundled market, with its klines optionally rewritten. */
async function copyOfBtc(rewrite?: (lines: string[]) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'history-'));
  await mkdir(join(dir, 'klines'));
  await mkdir(join(dir, 'fundingRate'));
  const lines = (await readFile(join(BUNDLED, 'klines', 'BTCUSDT-15m.csv'), 'utf8')).split('\n');
  rewrite?.(lines);
  await writeFile(join(dir, 'klines', 'BTCUSDT-15m.csv'), lines.join('\n'));
  await copyFile(join(BUNDLED, 'fundingRate', 'BTCUSDT-fundingRate.csv'), join(dir, 'fundingRate', 'BTCUSDT-fundingRate.csv'));
  return dir;
}

describe('loadHistory', () => {
  it('finds the bundled history from the module itself', () => {
    expect(bundledHistoryDir()).toBe(BUNDLED);
  });

  it('when the bundled directory is loaded, then all six markets come with 15m, 1h and 4h candles and funding', async () => {
    const history = await loadHistory(BUNDLED);

    expect([...history.markets.keys()].sort()).toEqual(SYMBOLS);
    for (const market of history.markets.values()) {
      // 2025-08-10 00:00 to 2025-10-19 23:45: 71 days of 96 quarters, 24 hours, 6 four-hour bars.
      expect(market.candles['15m']).toHaveLength(71 * 96);
      expect(market.candles['1h']).toHaveLength(71 * 24);
      expect(market.candles['4h']).toHaveLength(71 * 6);
      expect(market.funding).toHaveLength(71 * 3);
    }
    // How long loading takes is the replay benchmark's figure (reading the data), not a test's: a busy machine failed it.
  });

  it('takes market specs from the recorded exchangeInfo filters, and the brackets from the bundled table where it has one', async () => {
    const history = await loadHistory(BUNDLED, { symbols: ['BTC/USDT:USDT', 'SOLUSDT'] });

    const { brackets, ...btc } = history.markets.get('BTC/USDT:USDT')?.spec ?? expect.fail('no BTC');
    expect(brackets?.slice(0, 2)).toEqual([
      { notionalFloor: 0, notionalCap: 50_000, maintenanceMarginRate: 0.004, maintenanceAmount: 0 },
      { notionalFloor: 50_000, notionalCap: 250_000, maintenanceMarginRate: 0.005, maintenanceAmount: 50 },
    ]);
    expect(brackets).toHaveLength(10);
    expect(history.markets.get('SOL/USDT:USDT')?.spec.brackets).toBeUndefined();
    expect(btc).toEqual({
      symbol: 'BTC/USDT:USDT',
      id: 'BTCUSDT',
      base: 'BTC',
      quote: 'USDT',
      tickSize: 0.1,
      amountStep: 0.001,
      minAmount: 0.001,
      minNotional: 100,
      maintenanceMarginRate: 0.004,
      maintenanceAmount: 0,
      maxLeverage: 125,
    });
    expect(history.markets.get('SOL/USDT:USDT')?.spec).toMatchObject({ tickSize: 0.001, amountStep: 1, minNotional: 5 });
    expect(history.markets.size).toBe(2);
  });

  it('when from and to are given, then only candles wholly inside and funding inside are kept', async () => {
    const from = Date.UTC(2025, 9, 10, 0, 0);
    const to = Date.UTC(2025, 9, 11, 0, 0);

    const history = await loadHistory(BUNDLED, { symbols: ['BTCUSDT'], from: new Date(from), to: new Date(to) });

    const market = history.markets.get('BTC/USDT:USDT');
    expect(market?.candles['15m']).toHaveLength(96);
    expect(market?.candles['15m'].at(0)?.openTime).toBe(from);
    expect(market?.candles['4h']).toHaveLength(6);
    expect(market?.funding.map((row) => row.time)).toEqual([from, from + 8 * 3_600_000, from + 16 * 3_600_000, to]);
  });

  it('when a symbol has no kline file, then loading fails naming it', async () => {
    await expect(loadHistory(BUNDLED, { symbols: ['ADA/USDT:USDT'] })).rejects.toThrow(/no ADAUSDT-15m\.csv for ADA\/USDT:USDT/);
  });

  it('when the directory has no exchangeInfo, then the bundled one supplies the specs', async () => {
    const dir = await copyOfBtc();

    const history = await loadHistory(dir);

    expect(history.markets.get('BTC/USDT:USDT')?.spec.tickSize).toBe(0.1);
  });

  it('when one row in the middle of a real file is corrupted, then loading fails on that line instead of skipping it', async () => {
    // Line 1001 of the file is the candle at index 999; give it a high below its close.
    const dir = await copyOfBtc((lines) => {
      const fields = (lines[1000] as string).split(',');
      fields[2] = String(Number(fields[4]) - 1);
      lines[1000] = fields.join(',');
    });

    await expect(loadHistory(dir)).rejects.toThrow(
      new RegExp(`${join(dir, 'klines', 'BTCUSDT-15m.csv')}, line 1001: high [\\d.]+ is below max`),
    );
  });

  it('when the funding file is missing, then loading fails naming it', async () => {
    const dir = await copyOfBtc();
    await writeFile(join(dir, 'klines', 'ETHUSDT-15m.csv'), await readFile(join(BUNDLED, 'klines', 'ETHUSDT-15m.csv')));

    await expect(loadHistory(dir)).rejects.toThrow(`${join(dir, 'fundingRate', 'ETHUSDT-fundingRate.csv')}: file not found`);
  });

  it('when a kline file is for a USDC-margined contract, then it is refused as not a USDT perpetual', async () => {
    const dir = await copyOfBtc();
    await copyFile(join(dir, 'klines', 'BTCUSDT-15m.csv'), join(dir, 'klines', 'BTCUSDC-15m.csv'));

    await expect(loadHistory(dir)).rejects.toThrow(/BTCUSDC is not a USDT-margined perpetual/);
  });
});
