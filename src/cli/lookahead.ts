// npm run lookahead -- [--data DIR] [--from DATE --to DATE] [--symbols A,B] [--cuts N] [--json FILE]
// Proves that a replay peeks at nothing: replays the history as it is and, for each cut point, on a copy whose data
// after the cut is perturbed or removed; anything the daemon did before a cut that differs is reported (exit code 1).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createLogger } from '../adapters/logging/create-logger.js';
import { bundledHistoryDir, loadHistory } from '../adapters/market-data/replay/index.js';
import { loadConfig } from '../config/load-config.js';
import { checkLookahead } from './lookahead-check.js';
import { UsageError, parseDateOption, runCli } from './command-line.js';
import { refuseStartInWarmup } from './replay-start.js';

const USAGE = `usage: npm run lookahead -- [--data DIR] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--symbols A,B] [--cuts N] [--json FILE]
  --data     folder laid out as for the backtest (default: the bundled history)
  --from/--to  replay window (UTC), as for the backtest
  --symbols  comma-separated, e.g. BTC/USDT:USDT,ETH/USDT:USDT (default: every file in --data)
  --cuts     how many cut points (default 8): half on 15-minute boundaries, half inside candles
  --json     write every cut's result to this file`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      symbols: { type: 'string' },
      cuts: { type: 'string', default: '8' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const cuts = Number(values.cuts);
  if (!Number.isInteger(cuts) || cuts < 1 || cuts > 200) throw new UsageError(`--cuts: ${values.cuts} is not a whole number from 1 to 200`);
  // Defaults, not the user's .env: the check is about the replay machinery, and must give the same answer anywhere.
  const config = loadConfig({ env: {}, dotenvPath: undefined });
  const logger = createLogger({ level: 'error', secrets: config.secrets });
  const symbols = values.symbols?.split(',').map((s) => s.trim()).filter(Boolean);
  const history = await loadHistory(values.data ?? bundledHistoryDir(), { symbols });
  const from = parseDateOption(values.from, 'from');
  refuseStartInWarmup(history, from);
  const started = performance.now();
  const report = await checkLookahead({
    history,
    config,
    logger,
    from,
    to: parseDateOption(values.to, 'to'),
    cuts,
    onProgress: (line) => console.log(line),
  });
  const differing = report.cuts.filter((cut) => cut.differences.length > 0);
  const inside = report.cuts.filter((cut) => cut.insideCandle).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${report.cuts.length} cuts (${inside} inside candles, ${report.cuts.length - inside} on boundaries) over ${report.symbols.length} symbols and ${report.trades} trades: ` +
      `${differing.length === 0 ? 'no look-ahead found' : `${differing.length} cut(s) with differences`} (${seconds} s)`,
  );
  if (values.json) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
  return differing.length === 0 ? 0 : 1;
}

runCli('lookahead', main, { failureCode: 2, stack: true });
