// A blind backtest with the real AI SDKs against local provider servers, on real Binance candles: the prompts the
// providers receive name no market, carry no date or time and no real price, and yet the trades are the ones a plain
// run makes (the stand-in models only read the numbers shown), so the answers were mapped back to real prices.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contaminationReport, FileAnswerArchive, warningFor, type PriceScale } from '../../../src/adapters/analyst/ai/index.js';
import { formatPrice } from '../../../src/adapters/analyst/ai/market-summary.js';
import { bundledHistoryDir, loadKlineCsv } from '../../../src/adapters/market-data/replay/index.js';
import { blindScale } from '../../../src/cli/backtest-panel.js';
import { formatContamination, formatContaminationWarnings } from '../../../src/cli/backtest-report.js';
import { createAiAnalysts, exitPanel, screenerOf } from '../../../src/cli/compose-analysts.js';
import { runReplay, type ReplayResult } from '../../../src/cli/replay-runner.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { Candle } from '../../../src/domain/market.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { AnthropicServer } from '../../peers/anthropic/anthropic-server.js';
import type { RecordedRequest } from '../../peers/anthropic/scripted-llm-server.js';
import { marketAwareAnswer } from '../../peers/market-aware-answers.js';
import { OpenAiServer } from '../../peers/openai/openai-server.js';

const SYMBOLS = ['BTC/USDT:USDT', 'ETH/USDT:USDT'];
const FROM = new Date('2025-09-29T00:00:00Z');
const TO = new Date('2025-10-03T00:00:00Z');
const MONTHS =
  /\b(January|February|March|April|May|June|July|August|September|October|November|December)\b|\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b/;

let anthropic: AnthropicServer;
let openai: OpenAiServer;

/**
 * The stand-in trend follower with its target at 2.2R rather than 2R. The opportunity score gives full marks from a
 * risk/reward of 2, computed from the prices of the answer, and at exactly 2R float noise in those prices decides
 * (a price of 106.05 gives 1.9999999999999973, 4396.11 gives 2): the two runs would differ by the digits shown, not
 * by what the models were told.
 */
function clearOfTheScoreEdge(body: unknown): ReturnType<typeof marketAwareAnswer> {
  const { text, usage } = marketAwareAnswer(body);
  const answer = JSON.parse(text) as { action: string; entry_price?: number; stop_loss_price?: number };
  if (answer.entry_price === undefined || answer.stop_loss_price === undefined) return { text, usage };
  const target = answer.entry_price + 2.2 * (answer.entry_price - answer.stop_loss_price);
  return { text: JSON.stringify({ ...answer, take_profit_price: target, risk_reward: 2.2 }), usage };
}

beforeAll(async () => {
  anthropic = (await AnthropicServer.start()).answerByDefault(clearOfTheScoreEdge);
  openai = (await OpenAiServer.start()).answerByDefault(clearOfTheScoreEdge);
});

afterAll(async () => {
  await anthropic.close();
  await openai.close();
});

async function backtest(archivePath: string, blinding?: PriceScale): Promise<{ result: ReplayResult; store: InMemoryStore }> {
  const config = loadConfig({
    env: {
      CLAUDE_API_KEY: AnthropicServer.DEFAULT_KEY,
      CLAUDE_BASE_URL: anthropic.origin,
      DEEPSEEK_API_KEY: OpenAiServer.DEFAULT_KEY,
      DEEPSEEK_BASE_URL: openai.origin,
    },
  });
  const logger = new RecordingLogger();
  const ai = createAiAnalysts(config, logger, await FileAnswerArchive.open(archivePath), blinding);
  const store = new InMemoryStore();
  const result = await runReplay({
    historyDir: bundledHistoryDir(),
    config,
    store,
    logger,
    symbols: SYMBOLS,
    from: FROM,
    to: TO,
    analysts: () => ai,
    exitAnalysts: exitPanel(ai),
    panel: { ai: true, screener: screenerOf(ai) },
  });
  return { result, store };
}

/** Everything a provider was told: the system prompt and the messages. */
function promptText(request: RecordedRequest): string {
  const body = request.body as { system?: unknown; messages?: { content?: unknown }[] };
  const parts = [typeof body.system === 'string' ? body.system : '', ...(body.messages ?? []).map((message) => String(message.content ?? ''))];
  return parts.join('\n');
}

const prompts = (): string[] => [...anthropic.requests, ...openai.requests].map(promptText);

/** Every price of the real candles a prompt of this window can show, written as the plain prompt writes prices. */
async function realPrices(): Promise<Set<string>> {
  const prices = new Set<string>();
  for (const file of ['BTCUSDT-15m.csv', 'ETHUSDT-15m.csv']) {
    const candles: Candle[] = await loadKlineCsv(join(bundledHistoryDir(), 'klines', file));
    const shown = candles.filter((candle) => candle.openTime >= FROM.getTime() - 5 * 86_400_000 && candle.openTime < TO.getTime());
    for (const candle of shown) for (const price of [candle.open, candle.high, candle.low, candle.close]) prices.add(formatPrice(price));
  }
  return prices;
}

/** The real prices that appear in `text` as numbers of their own. */
function leakedPrices(text: string, real: ReadonlySet<string>): string[] {
  return [...new Set(text.match(/\d+(?:\.\d+)?/g) ?? [])].filter((number) => real.has(number));
}

const tradeShape = (result: ReplayResult) =>
  result.trades.map((t) => ({ symbol: t.symbol, side: t.side, openedAt: t.openedAt.toISOString(), entryPrice: t.entryPrice, stopPrice: t.stopPrice, netPnl: t.netPnl }));

describe('a blind backtest with the AI providers', () => {
  it('shows no symbol, date, time or real price, asks anew beside a plain archive, and trades as the plain run does', async () => {
    const archive = join(await mkdtemp(join(tmpdir(), 'ai-blind-')), 'answers.jsonl');
    const real = await realPrices();
    const plain = await backtest(archive);
    const plainPrompts = prompts();
    // The check below can fail: a plain prompt is full of the window's real prices.
    expect(plainPrompts.some((text) => leakedPrices(text, real).length > 0)).toBe(true);
    expect(plainPrompts.some((text) => text.includes('BTC/USDT:USDT'))).toBe(true);
    anthropic.requests.length = 0;
    openai.requests.length = 0;

    const blind = await backtest(archive, await blindScale(bundledHistoryDir(), SYMBOLS, FROM));

    // Blind prompts hash differently, so the plain answers in the same archive were not reused.
    const blindPrompts = prompts();
    expect(blindPrompts.length).toBeGreaterThan(0);
    expect(blindPrompts.some((text) => text.includes('should_exit'))).toBe(true);
    for (const text of blindPrompts) {
      expect(text).not.toMatch(/BTC|ETH|USDT:USDT/);
      expect(text).not.toMatch(/\d{4}-\d\d-\d\d|\d\d:\d\d|UTC/);
      // As a number of its own: a blind MACD of 0.2025 has those digits and says nothing about the year.
      expect(text).not.toMatch(/(?<![\d.])2025(?![\d.])/);
      expect(text).not.toMatch(MONTHS);
      expect(leakedPrices(text, real)).toEqual([]);
    }
    // The stand-in models answer from the numbers they are shown, in whatever units: mapped back, the same trades.
    expect(blind.result.trades.length).toBeGreaterThan(0);
    expect(tradeShape(blind.result)).toEqual(tradeShape(plain.result));
    for (const trade of blind.result.trades) expect(trade.entryPrice).toBeGreaterThan(1_000);

    const lines = (await readFile(archive, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.facts?.blind === true)).toHaveLength(blindPrompts.length);
    expect(lines.find((line) => line.facts?.model === 'claude-sonnet-5-5')?.facts.cutoff).toMatchObject({
      seenUntil: '2026-07-01',
      source: 'https://platform.claude.com/docs/en/models/sonnet-5-5/overview',
    });
    expect(lines.find((line) => line.facts?.model === 'deepseek-flash')?.facts.cutoff).toMatchObject({ seenUntil: '2026-10-18' });
  }, 300_000);

  it('reports every model answering about a period before its cutoff, loudly and first', async () => {
    const archive = join(await mkdtemp(join(tmpdir(), 'ai-blind-')), 'answers.jsonl');
    const { result, store } = await backtest(archive, await blindScale(bundledHistoryDir(), SYMBOLS, FROM));

    const report = contaminationReport({
      decisions: await store.decisions.list({}),
      trades: result.trades,
      aiAnalysts: ['claude', 'deepseek'],
      end: result.end,
      blind: true,
    });

    expect(report.warnings).toEqual([warningFor('claude-sonnet-5-5'), warningFor('deepseek-flash')]);
    expect(formatContaminationWarnings(report)[0]).toBe(`WARNING: ${warningFor('claude-sonnet-5-5')}`);
    const claude = report.models.find((entry) => entry.model === 'claude-sonnet-5-5');
    expect(claude?.answers.afterCutoff).toBe(0);
    expect(claude?.trades.beforeCutoff?.trades).toBe(result.trades.length);
    expect(formatContamination(report)).toContain('claude-sonnet-5-5 (claude): may have seen data before 2026-07-01 [published: ');
  }, 300_000);
});
