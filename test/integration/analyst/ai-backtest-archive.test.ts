// A backtest with the real AI SDKs against local provider servers: every answer is archived by prompt hash, so the
// second run of the same backtest asks no provider and trades exactly as the first.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAnswerArchive } from '../../../src/adapters/analyst/ai/index.js';
import { bundledHistoryDir } from '../../../src/adapters/market-data/replay/index.js';
import { createAiAnalysts, exitPanel, screenerOf } from '../../../src/cli/compose-analysts.js';
import { runReplay, type ReplayResult } from '../../../src/cli/replay-runner.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { AnthropicServer } from '../../peers/anthropic/anthropic-server.js';
import { marketAwareAnswer } from '../../peers/market-aware-answers.js';
import { OpenAiServer } from '../../peers/openai/openai-server.js';

let anthropic: AnthropicServer;
let openai: OpenAiServer;

beforeAll(async () => {
  anthropic = (await AnthropicServer.start()).answerByDefault(marketAwareAnswer);
  openai = (await OpenAiServer.start()).answerByDefault(marketAwareAnswer);
});

afterAll(async () => {
  await anthropic.close();
  await openai.close();
});

async function backtest(archivePath: string): Promise<{ result: ReplayResult; store: InMemoryStore }> {
  const config = loadConfig({
    env: {
      CLAUDE_API_KEY: AnthropicServer.DEFAULT_KEY,
      CLAUDE_BASE_URL: anthropic.origin,
      DEEPSEEK_API_KEY: OpenAiServer.DEFAULT_KEY,
      DEEPSEEK_BASE_URL: openai.origin,
    },
  });
  const logger = new RecordingLogger();
  const ai = createAiAnalysts(config, logger, await FileAnswerArchive.open(archivePath));
  const store = new InMemoryStore();
  const result = await runReplay({
    historyDir: bundledHistoryDir(),
    config,
    store,
    logger,
    symbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT'],
    from: new Date('2025-09-29T00:00:00Z'),
    to: new Date('2025-10-03T00:00:00Z'),
    analysts: () => ai,
    exitAnalysts: exitPanel(ai),
    panel: { ai: true, screener: screenerOf(ai) },
  });
  return { result, store };
}

const tradeShape = (result: ReplayResult) =>
  result.trades.map((t) => ({ symbol: t.symbol, side: t.side, openedAt: t.openedAt.toISOString(), closedAt: t.closedAt.toISOString(), netPnl: t.netPnl, reason: t.reason }));

describe('a backtest with the AI providers', () => {
  it('archives every answer, so a second run asks no provider and trades the same', async () => {
    const archive = join(await mkdtemp(join(tmpdir(), 'ai-archive-')), 'answers.jsonl');
    const first = await backtest(archive);
    const callsAfterFirst = anthropic.requests.length + openai.requests.length;
    expect(openai.requests.length).toBeGreaterThan(0);
    expect(anthropic.requests.length).toBeGreaterThan(0);
    expect(first.result.trades.length).toBeGreaterThan(0);
    expect(await first.store.decisions.costBetween(first.result.start, first.result.end)).toBeGreaterThan(0);

    const second = await backtest(archive);
    expect(anthropic.requests.length + openai.requests.length).toBe(callsAfterFirst);
    expect(tradeShape(second.result)).toEqual(tradeShape(first.result));
    expect(await second.store.decisions.costBetween(second.result.start, second.result.end)).toBe(0);
    // The decisions are on record in both runs: an archived answer is still this run's decision.
    expect((await second.store.decisions.list({})).length).toBe((await first.store.decisions.list({})).length);
  }, 300_000);
});
