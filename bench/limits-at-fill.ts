// A year of history replayed through the unmodified engine, and its trades checked against the limits at their fills:
// stops nearer than MIN_STOP_LOSS_PERCENT (or farther than MAX_STOP_LOSS_PERCENT) from the entry fill, and margins above
// POSITION_SIZE_PERCENT of the capital at entry. Exits 1 when any is found.
//   node --import tsx bench/limits-at-fill.ts [--history bench/data/binance-usdm] [--symbols BTC,ETH,XRP,DOGE]
//                                            [--set NAME=VALUE ...]   (any configuration variable, e.g. MIN_OPPORTUNITY_SCORE=75)
import { join, relative } from 'node:path';
import { openStore } from '../src/adapters/store/open-store.js';
import { runReplay } from '../src/cli/replay-runner.js';
import { loadConfig } from '../src/config/load-config.js';
import { limitBreaches } from '../test/support/limit-invariants.js';
import { PROJECT_ROOT, argument } from './child-process.js';
import { QuietLogger } from './harness.js';

/** Two majors and the two coarsest ticks of the data (XRP 0.0001, DOGE 0.00001). */
const DEFAULT_SYMBOLS = ['BTC', 'ETH', 'XRP', 'DOGE'];
const pct = (fraction: number): string => `${(fraction * 100).toFixed(3)}%`;

/** `--set NAME=VALUE` pairs, as environment variables for the configuration. */
function settings(args: readonly string[]): Record<string, string> {
  const pairs = args.flatMap((arg, index) => (arg === '--set' && args[index + 1] ? [args[index + 1] as string] : []));
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--set takes NAME=VALUE, got ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

async function main(): Promise<number> {
  const historyDir = argument('history') ?? join(PROJECT_ROOT, 'bench', 'data', 'binance-usdm');
  const symbols = (argument('symbols')?.split(',') ?? DEFAULT_SYMBOLS).map((base) => `${base.trim().toUpperCase()}/USDT:USDT`);
  const config = loadConfig({ env: { ...settings(process.argv), SYMBOLS: symbols.join(',') } });
  const logger = new QuietLogger();
  const store = await openStore({ logger });
  const started = performance.now();
  try {
    process.stderr.write(`replaying ${symbols.join(', ')} from ${relative(PROJECT_ROOT, historyDir) || '.'} (a minute or two for a year)\n`);
    const result = await runReplay({ historyDir, config, store, logger, symbols });
    const found = limitBreaches(result.trades, config.initialCapital, config.risk);
    const { minStopLossPct, maxStopLossPct, positionSizePct } = config.risk;
    console.log(`${result.start.toISOString().slice(0, 10)} → ${result.end.toISOString().slice(0, 10)}, ${symbols.length} symbols: ${found.trades} trades in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    console.log(`stops under ${pct(minStopLossPct)} from the entry fill: ${found.stopsUnderMin} (closest ${pct(found.closestStop)})`);
    console.log(`stops over ${pct(maxStopLossPct)} from the entry fill: ${found.stopsOverMax} (farthest ${pct(found.farthestStop)})`);
    console.log(`margins over ${pct(positionSizePct)} of the capital at entry: ${found.marginsOverCap} (largest ${pct(found.largestMarginShare)})`);
    if (logger.errors > 0) console.log(`engine errors logged: ${logger.errors} (last: ${logger.lastProblems.join(' | ')})`);
    const clean = found.stopsUnderMin === 0 && found.stopsOverMax === 0 && found.marginsOverCap === 0 && found.trades > 0;
    console.log(clean ? 'limits at the fill: ok' : 'limits at the fill: FAILED');
    return clean ? 0 : 1;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`limits-at-fill failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(2);
  },
);
