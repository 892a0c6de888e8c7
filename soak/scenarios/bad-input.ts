// Bad input at every door: configuration values the daemon must refuse (exit code 2, the variable named, nothing
// traded), a corrupted row in a replay's CSV (a clear error naming file and line, no trade), and venue answers with
// missing fields or non-finite numbers while the daemon trades (see bad-venue-data.ts).
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeBinance } from '../../test/peers/binance-usdm/index.js';
import { HISTORY_DIR } from '../../test/peers/binance-usdm/history.js';
import { runOnce } from '../support/run-once.js';
import { type Scenario, type ScenarioContext, ScenarioReport, type ScenarioResult } from '../support/scenario.js';
import { checkBadVenueData } from './bad-venue-data.js';

interface ConfigCase {
  readonly why: string;
  readonly env: Readonly<Record<string, string>>;
  /** The variable the error must name. */
  readonly variable: string;
  /** A secret's value that must not be echoed. */
  readonly secret?: string;
}

const CONFIG_CASES: readonly ConfigCase[] = [
  { why: 'a word where a number belongs', env: { MAX_LEVERAGE: 'five' }, variable: 'MAX_LEVERAGE' },
  { why: 'an accelerated clock against a real venue', env: { USE_PAPER_TRADING: 'false', LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS', BINANCE_API_KEY: 'k', BINANCE_SECRET_KEY: 's', SIMULATION_SPEED: '60', EXCHANGE_API_ORIGIN: 'https://fapi.binance.com' }, variable: 'SIMULATION_SPEED' },
  { why: 'NaN as a number', env: { INITIAL_CAPITAL: 'NaN' }, variable: 'INITIAL_CAPITAL' },
  { why: 'a symbol without its settlement currency', env: { SYMBOLS: 'BTCUSDT' }, variable: 'SYMBOLS' },
  { why: 'a share above 100%', env: { POSITION_SIZE_PERCENT: '1.5' }, variable: 'POSITION_SIZE_PERCENT' },
  { why: 'Infinity as a number', env: { MIN_PROFIT_USD: 'Infinity' }, variable: 'MIN_PROFIT_USD' },
  { why: 'a stop range upside down', env: { MIN_STOP_LOSS_PERCENT: '0.08', MAX_STOP_LOSS_PERCENT: '0.04' }, variable: 'MIN_STOP_LOSS_PERCENT' },
  { why: 'a database URL of another kind (a secret)', env: { DATABASE_URL: 'mysql://trader:soak-hidden-pw@db/x' }, variable: 'DATABASE_URL', secret: 'soak-hidden-pw' },
  { why: 'a bot token without its chat', env: { TELEGRAM_BOT_TOKEN: '1:soak-token' }, variable: 'TELEGRAM_CHAT_ID' },
];

interface CsvCase {
  readonly why: string;
  /** Line of the file (the header is line 1). */
  readonly line: number;
  readonly corrupt: (fields: string[]) => string[];
}

const CSV_CASES: readonly CsvCase[] = [
  { why: 'a close that is not a number', line: 1_500, corrupt: (f) => [f[0] ?? '', f[1] ?? '', f[2] ?? '', f[3] ?? '', 'abc', f[5] ?? ''] },
  { why: 'a high below the low', line: 2_500, corrupt: (f) => [f[0] ?? '', f[1] ?? '', String(Number(f[3]) * 0.9), ...f.slice(3)] },
  { why: 'a column missing', line: 3_500, corrupt: (f) => f.slice(0, 5) },
  { why: 'a candle out of order', line: 4_500, corrupt: (f) => [String(Number(f[0]) - 30 * 60_000), ...f.slice(1)] },
];

async function checkConfig(report: ScenarioReport, context: ScenarioContext): Promise<void> {
  const cases = context.quick ? CONFIG_CASES.slice(0, 3) : CONFIG_CASES;
  const venue = await startFakeBinance();
  try {
    const cwd = join(context.dir, 'config');
    await mkdir(cwd, { recursive: true });
    const base = { EXCHANGE_API_ORIGIN: venue.origin, EXCHANGE_WS_ORIGIN: venue.wsOrigin, DATA_DIR: join(cwd, 'data'), HTTP_PORT: '0', SYMBOLS: 'BTC/USDT:USDT' };
    const runs = await Promise.all(cases.map((c) => runOnce('daemon', [], { ...base, ...c.env }, cwd)));
    report.inject(`${cases.length} malformed configurations: ${cases.map((c) => `${c.why} (${Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(' ')})`).join('; ')}`, cases.length);
    cases.forEach((c, i) => {
      const run = runs[i];
      const named = run?.stderr.includes(c.variable) === true;
      const hidden = c.secret === undefined || !`${run?.stdout}${run?.stderr}`.includes(c.secret);
      const firstLine = run?.stderr.split('\n').find((line) => line.includes(c.variable))?.trim() ?? run?.stderr.trim().slice(0, 200);
      report.check(`refused: ${c.why}`, run?.code === 2 && named && hidden, `exit code ${run?.code}; ${named ? 'names' : 'does not name'} ${c.variable}${c.secret === undefined ? '' : hidden ? ', value not shown' : ', SHOWS THE SECRET'}: "${firstLine}"`);
    });
    report.check('nothing reached the venue from a refused configuration', venue.requests.length === 0, `${venue.requests.length} requests`);
  } finally {
    await venue.close();
  }
}

async function corruptedHistory(dir: string, csvCase: CsvCase): Promise<string> {
  await mkdir(join(dir, 'klines'), { recursive: true });
  await mkdir(join(dir, 'fundingRate'), { recursive: true });
  await copyFile(join(HISTORY_DIR, 'exchangeInfo.json'), join(dir, 'exchangeInfo.json'));
  await copyFile(join(HISTORY_DIR, 'fundingRate', 'BTCUSDT-fundingRate.csv'), join(dir, 'fundingRate', 'BTCUSDT-fundingRate.csv'));
  const lines = (await readFile(join(HISTORY_DIR, 'klines', 'BTCUSDT-15m.csv'), 'utf8')).split('\n');
  lines[csvCase.line - 1] = csvCase.corrupt((lines[csvCase.line - 1] ?? '').split(',')).join(',');
  const file = join(dir, 'klines', 'BTCUSDT-15m.csv');
  await writeFile(file, lines.join('\n'));
  return file;
}

async function checkCsv(report: ScenarioReport, context: ScenarioContext): Promise<void> {
  const cases = context.quick ? CSV_CASES.slice(0, 1) : CSV_CASES;
  const runs = await Promise.all(
    cases.map(async (csvCase, i) => {
      const cwd = join(context.dir, `replay-${i}`);
      const data = join(cwd, 'history');
      await corruptedHistory(data, csvCase);
      return runOnce('backtest', ['--data', data, '--symbols', 'BTC/USDT:USDT'], {}, cwd);
    }),
  );
  report.inject(`${cases.length} replays (npm run backtest -- --data DIR) of a history with one corrupted row: ${cases.map((c) => `${c.why} at line ${c.line}`).join('; ')}`, cases.length);
  cases.forEach((csvCase, i) => {
    const run = runs[i];
    const message = run?.stderr.trim().split('\n').pop() ?? '';
    const names = message.includes('BTCUSDT-15m.csv') && message.includes(`line ${csvCase.line}`);
    const traded = run?.stdout.includes('Replayed') === true;
    report.check(`replay refused: ${csvCase.why}`, run?.code !== 0 && names && !traded, `exit code ${run?.code}; ${traded ? 'A REPORT WAS PRINTED' : 'no report'}; "${message.replace(context.dir, '…').slice(0, 240)}"`);
  });
}

export const badInput: Scenario = {
  name: 'bad-input',
  title: 'Bad input (configuration, history files, venue answers)',
  quick: true,
  async run(context: ScenarioContext): Promise<ScenarioResult> {
    const report = new ScenarioReport(this.name, this.title, context.log);
    try {
      await checkConfig(report, context);
      await checkCsv(report, context);
      await checkBadVenueData(report, context);
    } catch (error) {
      report.fail(error);
    }
    return report.result();
  },
};
