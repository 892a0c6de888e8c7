// The backtest report states the rules the replay ran by, and which markets had mark-price data. A data folder
// without mark candles replays on the last price, says so, and gives the same trades every time.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../src/adapters/market-data/replay/index.js';
import { buildReport, formatSummary } from '../../src/cli/backtest-report.js';
import { runReplay, type ReplayResult } from '../../src/cli/replay-runner.js';
import { loadConfig } from '../../src/config/load-config.js';
import { InMemoryStore } from '../../src/testing/in-memory-store.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';

const config = loadConfig({ env: {} });
const WINDOW = { from: new Date('2025-10-01T00:00:00Z'), to: new Date('2025-10-05T00:00:00Z') };
let withoutMark: string;

async function replay(historyDir: string): Promise<ReplayResult> {
  return runReplay({ historyDir, config, store: new InMemoryStore(), logger: new RecordingLogger(), symbols: ['BTC/USDT:USDT', 'SOL/USDT:USDT'], ...WINDOW });
}

beforeAll(async () => {
  // The bundled history minus its markPriceKlines folder.
  withoutMark = await mkdtemp(join(tmpdir(), 'no-mark-'));
  for (const part of ['klines', 'fundingRate', 'exchangeInfo.json']) await cp(join(bundledHistoryDir(), part), join(withoutMark, part), { recursive: true });
});

afterAll(async () => {
  await rm(withoutMark, { recursive: true, force: true });
});

describe('the backtest report\'s rules', () => {
  it('opens with what the daemon could see, how the venue triggered and filled, and the mark data each market had', async () => {
    const result = await replay(bundledHistoryDir());

    const report = buildReport(result, config.initialCapital, 0);
    const text = formatSummary(report);

    expect(text.split('\n')[0]).toMatch(/^Replay rules/);
    expect(report.rules.priceSeen).toMatch(/its open/);
    expect(report.rules.fills).toContain('trigger ∓ 5 bps');
    expect(report.rules.fills).toContain("the bar's open ∓ 5 bps on a gap");
    expect(report.rules.funding).toMatch(/mark price/);
    expect(report.rules.data).toEqual([
      'BTC: 1h mark-price candles over 100% of the window; no 1m candles',
      'SOL: 1h mark-price candles over 100% of the window; no 1m candles',
    ]);
  });

  it('when the data has no mark candles, then it names the last price as the stand-in, and two runs trade alike', async () => {
    const first = await replay(withoutMark);
    const second = await replay(withoutMark);

    const report = buildReport(first, config.initialCapital, 0);

    expect(report.rules.data).toEqual([
      'BTC: no mark-price candles: the last price stands in for the mark; no 1m candles',
      'SOL: no mark-price candles: the last price stands in for the mark; no 1m candles',
    ]);
    expect(formatSummary(report)).toContain('the last price stands in for the mark');
    expect(first.trades.length).toBeGreaterThan(0);
    expect(second.trades).toEqual(first.trades);
    expect(second.balance).toEqual(first.balance);
  });
});
