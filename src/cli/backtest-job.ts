// A backtest started from the dashboard, run in a child process so the daemon's loop never waits on it:
//   node dist/cli/backtest-job.js --data DIR [--from DATE] [--to DATE] [--symbols A,B] --report FILE
// Technical analysts only (a backtest with AI providers costs money and is started from the command line with
// --yes). Progress goes to stdout as JSON lines ({"progress":0.42}); the report is written like `backtest --json`,
// and the HTML report beside it.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createLogger } from '../adapters/logging/create-logger.js';
import { InMemoryStore } from '../adapters/store/memory/in-memory-store.js';
import { loadConfig } from '../config/load-config.js';
import { decryptSecret } from '../config/secrets.js';
import { buildReport, reportedEvent } from './backtest-report.js';
import { renderHtmlReport } from './backtest-html.js';
import { runReplay } from './replay-runner.js';

function date(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const value = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(value.getTime())) throw new Error(`${JSON.stringify(text)} is not a date (use YYYY-MM-DD)`);
  return value;
}

const say = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, symbols: { type: 'string' }, report: { type: 'string' } },
  });
  if (!values.data || !values.report) throw new Error('--data and --report are required');
  const config = loadConfig({ dotenvPath: '.env', decryptSecret });
  const logger = createLogger({ level: 'error', secrets: config.secrets, destination: process.stderr });
  // The report is all that is kept, so the record lives in memory (see backtest.ts).
  const store = new InMemoryStore();
  try {
    let shown = -1;
    const result = await runReplay({
      historyDir: values.data,
      config,
      store,
      logger,
      symbols: values.symbols?.split(',').map((symbol) => symbol.trim()).filter(Boolean),
      from: date(values.from),
      to: date(values.to),
      keepEvent: reportedEvent,
      onProgress: (fraction) => {
        const percent = Math.floor(fraction * 100);
        if (percent === shown) return;
        shown = percent;
        say({ progress: fraction });
      },
    });
    const aiCost = await store.decisions.costBetween(result.start, new Date(result.end.getTime() + 1));
    const report = buildReport(result, config.initialCapital, aiCost, await store.decisions.trackRecords());
    await writeFile(values.report, `${JSON.stringify({ ...report, initialCapital: config.initialCapital }, null, 2)}\n`);
    // The HTML report beside the JSON (same name, .html), for the owner to copy off the server and open.
    await writeFile(values.report.replace(/\.json$/, '') + '.html', await renderHtmlReport({ report, prices: result.prices }));
    say({ done: true });
  } finally {
    await store.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    say({ error: (error as Error).message });
    process.exit(1);
  },
);
