// The bundled replay with each sizing mode, portfolio limit, the drawdown switch and the calendar blackout off and
// on: trades, win rate, profit factor and drawdown, as a Markdown table for BENCHMARKS.md. Facts for the user, not
// tuning targets. Run: node --import tsx bench/portfolio-features.ts
import { readCalendarFile } from '../src/adapters/calendar/calendar-file.js';
import { bundledHistoryDir } from '../src/adapters/market-data/replay/index.js';
import { runReplay } from '../src/cli/replay-runner.js';
import { loadConfig } from '../src/config/load-config.js';
import { summarizeTrades } from '../src/engine/summaries.js';
import { InMemoryStore } from '../src/testing/in-memory-store.js';
import { RecordingLogger } from '../src/testing/silent-logger.js';

/** As the end-to-end replay test: at the shipped 80 the technical analysts trade only 4 times in these five weeks. */
const BASE = { MIN_OPPORTUNITY_SCORE: '70', MAX_DRAWDOWN_PERCENT: '0.9' };
const ALL_OFF = { ...BASE, MAX_TOTAL_EXPOSURE: '25', MAX_ASSET_EXPOSURE: '25', CORRELATION_THRESHOLD: '1' };

const RUNS: readonly { name: string; env: Record<string, string>; calendar: boolean }[] = [
  { name: 'all off (fixed sizing, 1 position)', env: ALL_OFF, calendar: false },
  { name: 'calendar blackout (bundled FOMC dates, 30/60 min)', env: ALL_OFF, calendar: true },
  { name: 'drawdown kill switch at 25%', env: { ...ALL_OFF, MAX_DRAWDOWN_PERCENT: '0.25' }, calendar: false },
  { name: 'drawdown kill switch at 10%', env: { ...ALL_OFF, MAX_DRAWDOWN_PERCENT: '0.10', DRAWDOWN_WARNING_STEPS: '0.05' }, calendar: false },
  { name: 'POSITION_SIZING=atr_risk (2% at the stop)', env: { ...ALL_OFF, POSITION_SIZING: 'atr_risk' }, calendar: false },
  { name: 'POSITION_SIZING=kelly (quarter, after 30 scored votes)', env: { ...ALL_OFF, POSITION_SIZING: 'kelly' }, calendar: false },
  { name: '3 positions, no portfolio limits', env: { ...ALL_OFF, MAX_OPEN_POSITIONS: '3' }, calendar: false },
  {
    name: '3 positions, limits on (4x total, correlation 0.8, 4 entries a day)',
    env: { ...BASE, MAX_OPEN_POSITIONS: '3', MAX_ENTRIES_PER_DAY: '4' },
    calendar: false,
  },
];

const pct = (value: number | undefined): string => (value === undefined ? 'n/a' : `${(value * 100).toFixed(1)}%`);

async function main(): Promise<void> {
  const calendar = await readCalendarFile('calendar/economic-events.csv');
  const rows: string[] = [];
  for (const run of RUNS) {
    const config = loadConfig({ env: run.env });
    const result = await runReplay({
      historyDir: bundledHistoryDir(),
      config,
      store: new InMemoryStore(),
      logger: new RecordingLogger(),
      calendar: run.calendar ? calendar : [],
    });
    const summary = summarizeTrades(result.trades, result.start, result.end, config.initialCapital, 0);
    const pf = summary.profitFactor === undefined ? 'n/a' : Number.isFinite(summary.profitFactor) ? summary.profitFactor.toFixed(2) : '∞';
    const row = `| ${run.name} | ${summary.trades} | ${pct(summary.winRate)} | ${pf} | ${pct(summary.maxDrawdownPct)} | ${summary.netPnl >= 0 ? '+' : ''}${summary.netPnl.toFixed(2)} |`;
    rows.push(row);
    console.error(row);
  }
  console.log(['| Replay | Trades | Win rate | Profit factor | Max drawdown | Net P&L (USDT) |', '|---|---:|---:|---:|---:|---:|', ...rows].join('\n'));
}

await main();
