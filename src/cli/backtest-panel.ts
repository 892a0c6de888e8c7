// Which analysts a backtest uses: the built-in technical ones, or real AI providers (two at least) whose answers are
// archived by prompt hash, asked plainly or blind.
import { FileAnswerArchive, PriceScale, type AiAnalyst } from '../adapters/analyst/ai/index.js';
import { loadHistory, ReplayMarketData } from '../adapters/market-data/replay/index.js';
import { ManualClock } from '../adapters/clock/index.js';
import type { AppConfig } from '../config/app-config.js';
import type { Logger } from '../ports/logger.js';
import { AI_PROVIDERS, createAiAnalysts, exitPanel, screenerOf } from './compose-analysts.js';
import { UsageError } from './command-line.js';
import { DEFAULT_WARMUP_MS } from './replay-runner.js';

export interface BacktestPanel {
  /** Undefined for the technical analysts. */
  readonly ai?: { readonly entry: readonly AiAnalyst[]; readonly exit: readonly AiAnalyst[]; readonly screener?: string };
}

export interface PanelOptions {
  /** Blind prompts (`--blind`): no symbol, no dates, prices rescaled by this scale. */
  readonly blinding?: PriceScale;
}

const KEY_NAMES: Record<string, string> = { claude: 'CLAUDE_API_KEY', deepseek: 'DEEPSEEK_API_KEY', grok: 'GROK_API_KEY (and ENABLE_GROK=true)' };

export async function backtestPanel(
  list: string,
  config: AppConfig,
  archivePath: string | undefined,
  logger: Logger,
  options: PanelOptions = {},
): Promise<BacktestPanel> {
  const names = [...new Set(list.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))];
  if (names.length === 1 && names[0] === 'technical') {
    if (options.blinding) throw new UsageError('--blind hides the market from AI models; use it with --analysts naming two or more of them');
    return {};
  }
  const unknown = names.filter((name) => !(AI_PROVIDERS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new UsageError(`--analysts: unknown ${unknown.join(', ')}; use technical, or two or more of ${AI_PROVIDERS.join(', ')}`);
  if (names.length < 2) throw new UsageError('--analysts: a trade needs two agreeing voices; name at least two AI providers');
  const archive = archivePath ? await FileAnswerArchive.open(archivePath) : undefined;
  const available = createAiAnalysts(config, logger, archive, options.blinding);
  const missing = names.filter((name) => !available.some((analyst) => analyst.name === name));
  if (missing.length > 0) throw new UsageError(`--analysts: set ${missing.map((name) => KEY_NAMES[name]).join(', ')} to use ${missing.join(', ')}`);
  const entry = available.filter((analyst) => names.includes(analyst.name));
  return { ai: { entry, exit: exitPanel(entry) as AiAnalyst[], screener: screenerOf(entry) } };
}

/** How many symbols and how long a replay with these options would run, for the estimate. */
export async function replayWindow(historyDir: string, symbols: readonly string[] | undefined, from?: Date, to?: Date) {
  const history = await loadHistory(historyDir, { symbols });
  const data = new ReplayMarketData(history, new ManualClock(new Date(0)));
  const range = data.range();
  const start = Math.max(range.from.getTime() + DEFAULT_WARMUP_MS, from?.getTime() ?? 0);
  const end = Math.min(range.to.getTime(), to?.getTime() ?? Infinity);
  return { symbols: data.symbols().length, durationMs: Math.max(0, end - start) };
}

/**
 * Each market's price when the replay starts (as the replay computes its start): the level a blind prompt shows as
 * 100. Taken from the history rather than from the first question, so every model sees the same scale whichever of
 * them is asked first.
 */
export async function blindStartPrices(historyDir: string, symbols: readonly string[] | undefined, from?: Date): Promise<Map<string, number>> {
  const history = await loadHistory(historyDir, { symbols });
  const range = new ReplayMarketData(history, new ManualClock(new Date(0))).range();
  const start = new Date(Math.max(range.from.getTime() + DEFAULT_WARMUP_MS, from?.getTime() ?? 0));
  const data = new ReplayMarketData(history, new ManualClock(start));
  const prices = new Map<string, number>();
  for (const symbol of data.symbols()) {
    // A market whose data begins later is anchored on the first price a prompt shows (see PriceScale).
    const price = await data.markPrice(symbol).catch(() => undefined);
    if (price !== undefined) prices.set(symbol, price);
  }
  return prices;
}

/** The scale of a blind backtest. */
export async function blindScale(historyDir: string, symbols: readonly string[] | undefined, from?: Date): Promise<PriceScale> {
  return new PriceScale(await blindStartPrices(historyDir, symbols, from));
}
