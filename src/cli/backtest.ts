// npm run backtest -- --data DIR [--from DATE --to DATE] [--symbols BTC/USDT:USDT,...] [--json FILE] [--html FILE] [--db DIR]
// Replays Binance kline CSVs through the unmodified engine with the paper exchange, prints a summary and writes the
// HTML report with the benchmarks and plots.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { openStore } from '../adapters/store/open-store.js';
import { InMemoryStore } from '../adapters/store/memory/in-memory-store.js';
import { createLogger } from '../adapters/logging/create-logger.js';
import { bundledHistoryDir, loadHistory } from '../adapters/market-data/replay/index.js';
import { loadConfig } from '../config/load-config.js';
import { decryptSecret } from '../config/secrets.js';
import { buildReport, reportedEvent, formatContamination, formatContaminationWarnings, formatSummary } from './backtest-report.js';
import { contaminationReport } from '../adapters/analyst/ai/index.js';
import { runReplay } from './replay-runner.js';
import { refuseStartInWarmup } from './replay-start.js';
import { progressBar } from './progress-bar.js';
import { backtestPanel, blindScale, replayWindow } from './backtest-panel.js';
import { readCommandLine, UsageError, parseDateOption, runCli } from './command-line.js';
import { estimateBacktestCost } from './backtest-cost.js';
import { dirname, join } from 'node:path';
import { renderHtmlReport } from './backtest-html.js';

const USAGE = `usage: npm run backtest -- [--data DIR] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--symbols A,B] [--json FILE] [--db DIR]
  --data     folder with klines/SYMBOL-15m.csv and fundingRate/SYMBOL-fundingRate.csv (default: the bundled history)
  --from/--to  replay window (UTC); the first 35 days of data warm up the indicators, so --from comes no earlier
  --symbols  comma-separated, e.g. BTC/USDT:USDT,ETH/USDT:USDT or BTCUSDT,ETHUSDT (default: every file in --data)
  --json     write the full report (every trade, rejection and breaker event) to this file
  --html     write the HTML report with the benchmarks and plots here (default: reports/backtest.html)
  --seed     seed of the bootstrap interval (default 1): the same seed gives the same interval
  --db       record into the embedded database (PGlite) in this folder, which must be new or empty (default: an
             in-memory store, nothing kept)
  --analysts technical (default) or two or more of claude,deepseek,grok (their API keys from .env)
  --archive  file of AI answers kept by prompt hash (default: data/ai-answers.jsonl); a rerun asks no provider again
  --blind    AI prompts without symbol or dates, prices rescaled to 100 at the start (answers archived apart)
  --yes      confirm the estimated AI cost (required with AI analysts)
  --log-level  JSON log lines on stdout from this level (default: warn)
  --help     print this and exit`;

async function main(): Promise<number> {
  const line = readCommandLine(USAGE, {
    options: {
      data: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      symbols: { type: 'string' },
      json: { type: 'string' },
      html: { type: 'string', default: join('reports', 'backtest.html') },
      seed: { type: 'string', default: '1' },
      db: { type: 'string' },
      analysts: { type: 'string', default: 'technical' },
      archive: { type: 'string', default: join('data', 'ai-answers.jsonl') },
      yes: { type: 'boolean', default: false },
      blind: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'warn' },
      help: { type: 'boolean' },
    },
  });
  if ('exitCode' in line) return line.exitCode;
  const { values } = line;
  // Secrets in .env may be encrypted (`npm run secrets`), as the daemon reads them: the AI panel needs the plain keys.
  const config = loadConfig({ dotenvPath: '.env', decryptSecret });
  const logger = createLogger({ level: values['log-level'] ?? 'warn', secrets: config.secrets });
  const symbols = values.symbols?.split(',').map((s) => s.trim()).filter(Boolean);
  const from = parseDateOption(values.from, 'from');
  const to = parseDateOption(values.to, 'to');
  const historyDir = values.data ?? bundledHistoryDir();
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed: ${JSON.stringify(values.seed)} is not a whole number`);
  if (values.db !== undefined) await refuseUsedFolder(values.db);
  const history = await loadHistory(historyDir, { symbols });
  refuseStartInWarmup(history, from);
  const blinding = values.blind ? await blindScale(historyDir, symbols, from) : undefined;
  const panel = await backtestPanel(values.analysts ?? 'technical', config, values.archive, logger, { blinding });
  if (panel.ai) {
    const window = await replayWindow(historyDir, symbols, from, to);
    const estimate = estimateBacktestCost(panel.ai.entry, panel.ai.exit, window.symbols, window.durationMs, logger, { blind: values.blind, maxOpenPositions: config.risk.maxOpenPositions });
    console.log(estimate.lines.join('\n'));
    if (!values.yes) {
      console.log('Nothing was asked yet. Run again with --yes to accept this cost.');
      return 3;
    }
  }
  // A backtest's record lives as long as its report: the in-memory store has the database's rules without starting a
  // Postgres in this process (about 3 s and 400 MB for PGlite). --db keeps the record in PGlite for SQL afterwards.
  const store = values.db ? await openStore({ dataDir: values.db, logger }) : new InMemoryStore();
  try {
    const bar = progressBar(process.stderr);
    const result = await runReplay({
      history,
      config,
      store,
      logger,
      from,
      to,
      onProgress: bar.update,
      keepEvent: reportedEvent,
      ...(panel.ai
        ? { analysts: () => [...(panel.ai?.entry ?? [])], exitAnalysts: panel.ai.exit, panel: { ai: true, screener: panel.ai.screener } }
        : {}),
    });
    bar.done();
    const aiCost = await store.decisions.costBetween(result.start, new Date(result.end.getTime() + 1));
    const aiAnalysts = panel.ai ? [...new Set([...panel.ai.entry, ...panel.ai.exit].map((analyst) => analyst.name))] : [];
    const contamination = panel.ai
      ? contaminationReport({
          decisions: await store.decisions.list({ from: result.start, to: new Date(result.end.getTime() + 1) }),
          trades: result.trades,
          aiAnalysts,
          end: result.end,
          blind: values.blind,
        })
      : undefined;
    const report = { ...buildReport(result, config.initialCapital, aiCost, await store.decisions.trackRecords(), { bootstrapSeed: seed }), contamination };
    // Said before anything else: a reader who stops at the first lines must not miss it.
    if (contamination && contamination.warnings.length > 0) console.log(formatContaminationWarnings(contamination).join('\n'));
    console.log(formatSummary(report));
    if (contamination) console.log(formatContamination(contamination));
    if (values.json) {
      await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`report written to ${values.json}`);
    }
    const html = values.html ?? join('reports', 'backtest.html');
    await mkdir(dirname(html), { recursive: true });
    await writeFile(html, await renderHtmlReport({ report, prices: result.prices }));
    console.log(`HTML report written to ${html}`);
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * The record of an earlier run would be taken for this one's: its paper account is restored as it ended, so nothing new
 * is opened, and its trades and decisions fill this report.
 */
async function refuseUsedFolder(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) {
    throw new UsageError(`--db ${dir} is not empty: an earlier run's paper account and trades there would be counted in this backtest. Give an empty or new folder, or delete this one.`);
  }
}

runCli('backtest', main);
