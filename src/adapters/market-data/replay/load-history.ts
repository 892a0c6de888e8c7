// Loads a replay's data from a directory laid out like the bundled one:
//   <dir>/klines/SYMBOL-15m.csv, <dir>/fundingRate/SYMBOL-fundingRate.csv, optionally <dir>/exchangeInfo.json,
//   optionally <dir>/klines/SYMBOL-1m.csv (a finer traded path) and <dir>/markPriceKlines/SYMBOL-<interval>.csv
//   (Binance's mark-price candles, e.g. SYMBOL-1h.csv; stops and liquidation trigger on them), optionally
//   <dir>/leverageBrackets.json (the maintenance tables; the bundled one otherwise).
// Any CSV may be gzipped (`SYMBOL-15m.csv.gz`), but not both copies of one file.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarketSpec } from '../../../domain/market.js';
import { TIMEFRAME_MS } from '../../../domain/market.js';
import { MINUTE_MS } from '../../../domain/time.js';
import { marketSpecsFromExchangeInfo, type MarketSpecOptions } from './exchange-info.js';
import { loadFundingCsv, type FundingRow } from './funding-csv.js';
import { HistoryFormatError } from './history-format-error.js';
import { LEVERAGE_BRACKETS_FILE, loadLeverageBrackets } from './leverage-brackets-file.js';
import { CandleSeries } from './candle-series.js';
import { loadKlineSeries } from './kline-csv.js';
import { marketHistory, replayHistory, type MarkSeries, type ReplayHistory } from './replay-history.js';

const KLINE_SUFFIX = '-15m.csv';
const MINUTE_SUFFIX = '-1m.csv';
const FUNDING_SUFFIX = '-fundingRate.csv';
const GZIP = '.gz';
const BUNDLED_RELATIVE = join('history', 'binance-usdm');
/** Binance's kline intervals a mark-price file may carry, finest first: the finest one present is used. */
const MARK_INTERVALS: readonly (readonly [string, number])[] = [
  ['1m', MINUTE_MS],
  ['3m', 3 * MINUTE_MS],
  ['5m', 5 * MINUTE_MS],
  ['15m', 15 * MINUTE_MS],
  ['30m', 30 * MINUTE_MS],
  ['1h', 60 * MINUTE_MS],
  ['2h', 120 * MINUTE_MS],
  ['4h', 240 * MINUTE_MS],
];

export interface LoadHistoryOptions extends MarketSpecOptions {
  /** Unified (`BTC/USDT:USDT`) or exchange (`BTCUSDT`) symbols; all files in the directory when absent. */
  readonly symbols?: readonly string[];
  /** Keeps candles that lie entirely inside [from, to], and funding settled inside it. */
  readonly from?: Date | number;
  readonly to?: Date | number;
}

/** The history bundled with the project (`history/binance-usdm`), found by walking up from this module. */
export function bundledHistoryDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, BUNDLED_RELATIVE);
    if (existsSync(join(candidate, 'exchangeInfo.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`bundled history (${BUNDLED_RELATIVE}) not found above this module`);
    dir = parent;
  }
}

export async function loadHistory(dir: string, options: LoadHistoryOptions = {}): Promise<ReplayHistory> {
  const specs = await loadSpecs(dir, options);
  const klineFiles = await filesBySymbol(join(dir, 'klines'), KLINE_SUFFIX);
  const minuteFiles = await filesBySymbol(join(dir, 'klines'), MINUTE_SUFFIX);
  const wanted = selectIds([...klineFiles.keys()].sort(), specs, options.symbols, dir);
  const from = toMs(options.from) ?? Number.NEGATIVE_INFINITY;
  const to = toMs(options.to) ?? Number.POSITIVE_INFINITY;
  const markets = await Promise.all(
    wanted.map(async (id) => {
      const klineFile = join(dir, 'klines', klineFiles.get(id) as string);
      const spec = specs.get(id);
      if (spec === undefined) {
        throw new HistoryFormatError(klineFile, undefined, `${id} is not a USDT-margined perpetual in the exchangeInfo`);
      }
      const minuteName = minuteFiles.get(id);
      const markFile = await markFileOf(dir, id);
      const [candles, funding, minutes, mark] = await Promise.all([
        loadKlineSeries(klineFile, { intervalMs: TIMEFRAME_MS['15m'] }),
        loadFundingCsv(fundingFile(dir, id)),
        minuteName === undefined ? CandleSeries.empty : loadKlineSeries(join(dir, 'klines', minuteName), { intervalMs: MINUTE_MS }),
        markFile === undefined ? undefined : loadKlineSeries(markFile.file, { intervalMs: markFile.intervalMs }),
      ]);
      const markSeries: MarkSeries | undefined =
        markFile === undefined || mark === undefined ? undefined : { intervalMs: markFile.intervalMs, candles: within(mark, markFile.intervalMs, from, to) };
      return marketHistory(spec, within(candles, TIMEFRAME_MS['15m'], from, to), withinFunding(funding, from, to), {
        minutes: within(minutes, MINUTE_MS, from, to),
        ...(markSeries === undefined ? {} : { mark: markSeries }),
      });
    }),
  );
  return replayHistory(markets);
}

/** The finest `markPriceKlines/ID-<interval>.csv` (or `.csv.gz`) of a market, if the folder has one. */
async function markFileOf(dir: string, id: string): Promise<{ file: string; intervalMs: number } | undefined> {
  const folder = join(dir, 'markPriceKlines');
  if (!existsSync(folder)) return undefined;
  for (const [name, intervalMs] of MARK_INTERVALS) {
    const found = (await filesBySymbol(folder, `-${name}.csv`)).get(id);
    if (found !== undefined) return { file: join(folder, found), intervalMs };
  }
  return undefined;
}

async function loadSpecs(dir: string, options: MarketSpecOptions): Promise<Map<string, MarketSpec>> {
  const own = join(dir, 'exchangeInfo.json');
  const file = existsSync(own) ? own : join(bundledHistoryDir(), 'exchangeInfo.json');
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new HistoryFormatError(file, undefined, `cannot read exchangeInfo: ${(error as Error).message}`);
  }
  const specs = marketSpecsFromExchangeInfo(document, file, options);
  const ownBrackets = join(dir, LEVERAGE_BRACKETS_FILE);
  const brackets = await loadLeverageBrackets(existsSync(ownBrackets) ? ownBrackets : join(bundledHistoryDir(), LEVERAGE_BRACKETS_FILE));
  for (const [id, table] of brackets) {
    const spec = specs.get(id);
    if (spec !== undefined) specs.set(id, { ...spec, brackets: table });
  }
  return specs;
}

/** Exchange id -> file name of every `ID<suffix>` or `ID<suffix>.gz` in `folder`. */
async function filesBySymbol(folder: string, suffix: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of await readdir(folder)) {
    const plain = name.endsWith(suffix) ? name : name.endsWith(suffix + GZIP) ? name.slice(0, -GZIP.length) : undefined;
    if (plain === undefined) continue;
    const id = plain.slice(0, -suffix.length);
    // Two copies of one market could disagree, and nothing says which is the truth.
    if (files.has(id)) throw new HistoryFormatError(join(folder, plain), undefined, `both ${plain} and ${plain}${GZIP} exist; keep one`);
    files.set(id, name);
  }
  return files;
}

/** The market's funding file, gzipped or not; the plain name when neither exists, so the error names it. */
function fundingFile(dir: string, id: string): string {
  const plain = join(dir, 'fundingRate', id + FUNDING_SUFFIX);
  const gzipped = plain + GZIP;
  const [hasPlain, hasGzipped] = [existsSync(plain), existsSync(gzipped)];
  if (hasPlain && hasGzipped) throw new HistoryFormatError(plain, undefined, `both ${id + FUNDING_SUFFIX} and ${id + FUNDING_SUFFIX + GZIP} exist; keep one`);
  return hasGzipped ? gzipped : plain;
}

function selectIds(
  ids: readonly string[],
  specs: ReadonlyMap<string, MarketSpec>,
  symbols: readonly string[] | undefined,
  dir: string,
): string[] {
  if (symbols === undefined) return [...ids];
  const byUnified = new Map([...specs.values()].map((spec) => [spec.symbol, spec.id]));
  return symbols.map((symbol) => {
    const id = byUnified.get(symbol) ?? symbol;
    if (!ids.includes(id)) throw new HistoryFormatError(join(dir, 'klines'), undefined, `no ${id}${KLINE_SUFFIX} for ${symbol}`);
    return id;
  });
}

function toMs(time: Date | number | undefined): number | undefined {
  return time instanceof Date ? time.getTime() : time;
}

/** The candles lying entirely inside [from, to] (a series is sorted, so they are one stretch of it). */
function within(candles: CandleSeries, length: number, from: number, to: number): CandleSeries {
  if (from === Number.NEGATIVE_INFINITY && to === Number.POSITIVE_INFINITY) return candles;
  let start = 0;
  while (start < candles.length && candles.openTime(start) < from) start += 1;
  let end = start;
  while (end < candles.length && candles.openTime(end) + length <= to) end += 1;
  return candles.subseries(start, end);
}

function withinFunding(rows: FundingRow[], from: number, to: number): FundingRow[] {
  return rows.filter((row) => row.time >= from && row.time <= to);
}
