// One market's history ends before the replay window does (a delisted coin, or a file downloaded short): the bundled
// history with ETH's 15m candles cut at 2025-09-25 15:00, while the daemon holds an ETH short opened at 12:30.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../../src/adapters/market-data/replay/index.js';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { runReplay } from '../../../src/cli/replay-runner.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { tempTree } from '../../support/temp-tree.js';

const ETH = 'ETH/USDT:USDT';
const CUT = Date.parse('2025-09-25T15:00:00Z');
const WINDOW_END = new Date('2025-10-01T00:00:00Z');

/** A copy of the bundled history whose ETH 15m file ends at CUT. */
async function historyWithEthCut(): Promise<string> {
  const dir = await tempTree('eth-cut-', {});
  await cp(bundledHistoryDir(), dir, { recursive: true });
  const file = join(dir, 'klines', 'ETHUSDT-15m.csv');
  const [header, ...rows] = (await readFile(file, 'utf8')).trim().split('\n');
  await writeFile(file, [header, ...rows.filter((row) => Number(row.split(',')[0]) < CUT)].join('\n') + '\n');
  return dir;
}

async function replay(env: Record<string, string>) {
  const logger = new RecordingLogger();
  const store = await openStore({ logger: new RecordingLogger() });
  const run = runReplay({ historyDir: await historyWithEthCut(), config: loadConfig({ env }), store, logger, to: WINDOW_END });
  return { run, logger };
}

describe('a replay where one market\u2019s data ends before the window\u2019s', () => {
  it('when the markets are picked by volume, then the ETH short is settled at the cut and booked, ETH leaves the picks, and the replay runs to the end', async () => {
    const { run, logger } = await replay({ UNIVERSE: 'top_volume', UNIVERSE_ASK_TOP: '6' });

    const result = await run;

    const settled = result.trades.find((trade) => trade.symbol === ETH && trade.side === 'short');
    expect(settled).toMatchObject({ reason: 'settlement', closedAt: new Date(CUT) });
    expect(result.end).toEqual(WINDOW_END);
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(logger.lines.filter((line) => line.message === 'symbol skipped in this scan')).toEqual([]);
    const picksAfter = logger.lines.filter((line) => line.message === 'universe picked' && (line.context as { symbols: string[] }).symbols.length > 0).slice(-1);
    expect((picksAfter[0]?.context as { symbols: string[] }).symbols).not.toContain(ETH);
  }, 120_000);

  it('when the symbol list is fixed, then the replay is refused up front, naming the market, where its data ends and what to do', async () => {
    const { run, logger } = await replay({});

    await expect(run).rejects.toThrow(/ETH\/USDT:USDT: its data ends 2025-09-25T15:00:00\.000Z[\s\S]*--to/);
    expect(logger.lines.filter((line) => line.message === 'engine step failed')).toEqual([]);
  }, 120_000);
});
