// The analyst panel as the daemon composes it, with a monthly AI budget, against local Anthropic and OpenAI-compatible
// servers: once the month's spend reaches the budget no request leaves the process, for entries and exits alike.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AiBudget } from '../../../src/adapters/analyst/ai/index.js';
import { InProcessCache } from '../../../src/adapters/cache/in-process-cache.js';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { composeAnalysts } from '../../../src/cli/compose-analysts.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { monthAiSpendOfAll } from '../../../src/engine/ai-spend.js';
import { SnapshotService } from '../../../src/engine/snapshots.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../src/testing/recording-notifier.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { AnthropicServer } from '../../peers/anthropic/anthropic-server.js';
import { OpenAiServer } from '../../peers/openai/openai-server.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { paidDecision } from '../../support/factories.js';
import { openLong } from '../../unit/adapters/analyst/ai/fixtures/market-snapshot.js';

const AT = new Date('2025-10-01T12:00:00Z');
const SYMBOL = 'BTC/USDT:USDT';
let claude: AnthropicServer;
let deepseek: OpenAiServer;

beforeAll(async () => {
  [claude, deepseek] = await Promise.all([AnthropicServer.start(), OpenAiServer.start()]);
});

afterAll(async () => {
  await Promise.all([claude.close(), deepseek.close()]);
});

beforeEach(() => {
  for (const server of [claude, deepseek]) server.reset().reply(JSON.stringify({ action: 'HOLD', confidence: 0.5, reasoning: 'nothing clear' }));
});

async function panelWithSpend(spentUsd: number, budgetUsd = '1') {
  const config = loadConfig({
    env: {
      CLAUDE_API_KEY: AnthropicServer.DEFAULT_KEY,
      CLAUDE_BASE_URL: claude.origin,
      DEEPSEEK_API_KEY: OpenAiServer.DEFAULT_KEY,
      DEEPSEEK_BASE_URL: deepseek.origin,
      AI_MONTHLY_BUDGET_USD: budgetUsd,
    },
  });
  const store = new InMemoryStore();
  await store.decisions.recordMany([paidDecision(AT, spentUsd, { symbol: SYMBOL, price: 1 })]);
  const clock = new ManualClock(AT);
  const logger = new RecordingLogger();
  const budget = new AiBudget({
    limitUsd: config.ai.monthlyBudgetUsd,
    clock,
    spentThisMonth: (now) => monthAiSpendOfAll(store, [], now),
    notifier: new RecordingNotifier(),
    state: store.state,
    logger,
  });
  const panel = composeAnalysts(config, new InProcessCache(clock), logger, { budget });
  const fixture = await engineFixture({ start: AT, analysts: [] });
  const snapshot = await new SnapshotService(fixture.marketData, fixture.clock, 250).snapshot(SYMBOL);
  return { panel, snapshot };
}

const requests = () => claude.requests.length + deepseek.requests.length;

describe('the composed AI panel under a monthly budget', () => {
  it('when the month has cost less than the budget, then every model is asked', async () => {
    const { panel, snapshot } = await panelWithSpend(0.5);

    const votes = await Promise.all(panel.entry.map((analyst) => analyst.assess(snapshot)));

    expect(votes.map((vote) => vote.outcome)).toEqual(['valid', 'valid']);
    expect(requests()).toBe(2);
  });

  it('when the month has cost the budget, then no request is sent, for an entry vote or an exit opinion', async () => {
    const { panel, snapshot } = await panelWithSpend(1);

    const votes = await Promise.all(panel.entry.map((analyst) => analyst.assess(snapshot)));
    const exits = await Promise.all(panel.exit.map((analyst) => analyst.exitOpinion(openLong(), snapshot)));

    expect(requests()).toBe(0);
    expect(votes.map((vote) => vote.reason)).toEqual(Array(2).fill('monthly AI budget of $1.00 reached ($1.00 spent); AI calls resume on 1 Nov (UTC)'));
    expect(exits.map((exit) => [exit.outcome, exit.shouldExit])).toEqual([['failed', false]]);
  });

  it('when the budget is 0, then there is no cap, whatever the month has cost', async () => {
    const { panel, snapshot } = await panelWithSpend(1_000, '0');

    await Promise.all(panel.entry.map((analyst) => analyst.assess(snapshot)));

    expect(requests()).toBe(2);
  });
});
