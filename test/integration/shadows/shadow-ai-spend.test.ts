// Who pays for an AI answer the main account and its shadow strategies share. Each account is an engine of its own
// scanning the same market at the same instant, on one cache and one map of questions in flight, asking the local
// Anthropic and OpenAI-compatible servers through the real SDKs. The main account must pay for every call its own
// configuration needs, whoever asked first; a shadow pays only for the calls the main account did not make.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnswersInFlight } from '../../../src/adapters/analyst/ai/index.js';
import { callCostUsd, DEFAULT_PRICES } from '../../../src/adapters/analyst/ai/pricing.js';
import { CLAUDE_MODEL, DEEPSEEK_MODEL } from '../../../src/adapters/analyst/ai/provider-defaults.js';
import { InProcessCache } from '../../../src/adapters/cache/in-process-cache.js';
import { openCache } from '../../../src/adapters/cache/open-cache.js';
import { composeAnalysts, type AnalystPanel } from '../../../src/cli/compose-analysts.js';
import { shadowPanel } from '../../../src/cli/compose-shadows.js';
import type { AppConfig } from '../../../src/config/app-config.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { buildEngine, type Engine } from '../../../src/engine/build-engine.js';
import type { ShadowAccount } from '../../../src/engine/shadow-leaderboard.js';
import type { Cache } from '../../../src/ports/cache.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import type { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { AnthropicServer } from '../../peers/anthropic/anthropic-server.js';
import { DEFAULT_USAGE } from '../../peers/anthropic/scripted-llm-server.js';
import { OpenAiServer } from '../../peers/openai/openai-server.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { redisUrl, required, skipWithout, uniqueName } from '../../support/services.js';

const AT = new Date('2025-10-01T12:00:00Z');
const SYMBOL = 'BTC/USDT:USDT';
/** DeepSeek's legacy model name, served and priced like the default: another model, the same price. */
const OTHER_DEEPSEEK_MODEL = 'deepseek-v4-flash';
const SHADOWS = [
  // Only the sizing differs: the same questions to the same models as the main account.
  { name: 'twin', settings: { POSITION_SIZE_PERCENT: 0.4 } },
  // Claude's question is the main account's; DeepSeek is asked with another model, a call of its own.
  { name: 'other', settings: { DEEPSEEK_MODEL: OTHER_DEEPSEEK_MODEL } },
  // Its own prompt: every question is its own.
  { name: 'noted', promptNote: 'Only trade in the direction of the 4h trend.' },
];

let claude: AnthropicServer;
let deepseek: OpenAiServer;

/** A call's cost as the analysts price it: every local answer reports the same token counts. */
const callCost = (model: string) => callCostUsd(DEFAULT_PRICES[model] ?? { inputPerMillion: NaN, outputPerMillion: NaN }, DEFAULT_USAGE.inputTokens, DEFAULT_USAGE.outputTokens);
const CLAUDE_CALL = callCost(CLAUDE_MODEL);
const DEEPSEEK_CALL = callCost(DEEPSEEK_MODEL);
/** Money compared exactly, to the 12 decimals the stores keep. */
const usd = (value: number) => Number(value.toFixed(12));

function config(): AppConfig {
  return loadConfig({
    env: {
      CLAUDE_API_KEY: AnthropicServer.DEFAULT_KEY,
      CLAUDE_BASE_URL: claude.origin,
      DEEPSEEK_API_KEY: OpenAiServer.DEFAULT_KEY,
      DEEPSEEK_BASE_URL: deepseek.origin,
      SHADOW_STRATEGIES: JSON.stringify(SHADOWS),
    },
  });
}

interface Account {
  readonly engine: Engine;
  readonly store: InMemoryStore;
  readonly exchange: Exchange;
  readonly clock: ManualClock;
  scan(): Promise<unknown>;
}

type AccountName = 'main' | 'twin' | 'other' | 'noted';
type Process = Record<AccountName, Account>;

/**
 * One process's accounts: the main one and each shadow, their analysts wired as src/main.ts and compose-shadows.ts
 * wire them. `earlier` hands over the records of a process that ran before, as a restart finds them.
 */
async function startProcess(cache: Cache, earlier?: Process): Promise<Process> {
  const settings = config();
  const logger = new RecordingLogger();
  const inFlight: AnswersInFlight = new Map();
  const account = async (name: AccountName, panel: AnalystPanel, shadows: readonly ShadowAccount[] = []): Promise<Account> => {
    const store = earlier?.[name].store;
    const fixture = await engineFixture({ start: AT, analysts: panel.entry, settings: { aiMode: 'full', symbols: [SYMBOL] }, ...(store ? { store } : {}) });
    const engine = buildEngine(fixture.ctx, { orphanPolicy: 'adopt', settingsView: {}, shadows });
    return { engine, store: fixture.store, exchange: fixture.ctx.exchange, clock: fixture.clock, scan: () => engine.daemon.parts.scanner.scan([SYMBOL]) };
  };
  const shadows = await Promise.all(
    settings.shadows.map(async (strategy) => ({ strategy, account: await account(strategy.name as AccountName, shadowPanel(strategy, { cache, inFlight }, logger)) })),
  );
  const shadowAccounts = shadows.map(({ strategy, account: { store, exchange } }) => ({ name: strategy.name, changes: strategy.changes, store, exchange }));
  const main = await account('main', composeAnalysts(settings, cache, logger, { inFlight }), shadowAccounts);
  const byName = (name: AccountName): Account => {
    const found = shadows.find(({ strategy }) => strategy.name === name);
    if (!found) throw new Error(`no shadow ${name}`);
    return found.account;
  };
  return { main, twin: byName('twin'), other: byName('other'), noted: byName('noted') };
}

/** What /cost and the dashboard show: the main account's spend and each shadow's, as of the scans' instant. */
async function spend(main: Account) {
  // A moment after the scans: the figures cover the calls made before now.
  if (main.clock.now().getTime() < AT.getTime() + 1_000) main.clock.advanceTo(new Date(AT.getTime() + 1_000));
  const cost = await main.engine.control.aiCost();
  const shadow = (name: string) => cost.shadows.find((entry) => entry.name === name)?.monthToDate;
  return { main: cost.monthToDate, mainToday: cost.today, twin: shadow('twin'), other: shadow('other'), noted: shadow('noted') };
}

/** What the main account alone pays (one question to each model), and what each shadow adds to it. */
const EXPECTED = {
  main: usd(CLAUDE_CALL + DEEPSEEK_CALL),
  twin: 0,
  other: usd(callCost(OTHER_DEEPSEEK_MODEL)),
  noted: usd(CLAUDE_CALL + DEEPSEEK_CALL),
};

function expectProviderCalls() {
  // Sharing made one call per distinct question: the main account's two, 'other''s DeepSeek, 'noted''s two.
  expect(claude.requests).toHaveLength(2);
  expect(deepseek.requests).toHaveLength(3);
  expect(deepseek.requests.filter((request) => (request.body as { model?: string }).model === OTHER_DEEPSEEK_MODEL)).toHaveLength(1);
}

beforeAll(async () => {
  [claude, deepseek] = await Promise.all([AnthropicServer.start(), OpenAiServer.start()]);
  expect(DEFAULT_PRICES[OTHER_DEEPSEEK_MODEL]).toBeDefined();
});

afterAll(async () => {
  await Promise.all([claude.close(), deepseek.close()]);
});

beforeEach(() => {
  claude.reset();
  deepseek.reset();
});

describe('AI spend with shadow strategies on the same scans', () => {
  it('when the shadows scan before the main account, then the main account still pays for its own questions and each shadow only for its extra calls', async () => {
    const accounts = await startProcess(new InProcessCache(engineClock()));
    for (const shadow of [accounts.twin, accounts.other, accounts.noted]) await shadow.scan();
    await accounts.main.scan();

    expectProviderCalls();
    expect((await accounts.main.store.decisions.list({})).map((decision) => decision.usage.takenOverFrom)).toEqual(['twin', 'twin']);
    const shown = await spend(accounts.main);
    expect(shown).toEqual({ ...EXPECTED, mainToday: EXPECTED.main });
    // Nothing is lost or counted twice: together they are every call the providers answered.
    expect(usd(shown.main + (shown.twin ?? NaN) + (shown.other ?? NaN) + (shown.noted ?? NaN))).toBe(usd(2 * CLAUDE_CALL + 3 * DEEPSEEK_CALL));
  });

  it('when a shadow and the main account ask at the same moment and the shadow asked first, then one call answers both and the main account pays for it', async () => {
    const accounts = await startProcess(new InProcessCache(engineClock()));
    await Promise.all([accounts.twin.scan(), accounts.other.scan(), accounts.main.scan(), accounts.noted.scan()]);

    expectProviderCalls();
    // 'twin' asked both questions while the main account waited on them: the main account took both over.
    expect((await accounts.main.store.decisions.list({})).map((decision) => decision.usage.takenOverFrom)).toEqual(['twin', 'twin']);
    expect(await spend(accounts.main)).toEqual({ ...EXPECTED, mainToday: EXPECTED.main });
  });

  it('when the main account scans first, then the split is the same', async () => {
    const accounts = await startProcess(new InProcessCache(engineClock()));
    await accounts.main.scan();
    for (const shadow of [accounts.noted, accounts.other, accounts.twin]) await shadow.scan();

    expectProviderCalls();
    expect(await spend(accounts.main)).toEqual({ ...EXPECTED, mainToday: EXPECTED.main });
  });
});

const redis = redisUrl();

describe.skipIf(skipWithout(redis))('AI spend with shadow strategies on a Redis cache', () => {
  it('when the process restarts between a shadow\'s call and the main account\'s question, then the main account still pays for it', async () => {
    const keyPrefix = `${uniqueName('shadow_spend')}:`;
    const open = () => openCache({ redisUrl: required(redis, 'REDIS_URL'), clock: engineClock(), logger: new RecordingLogger(), keyPrefix });
    const before = await open();
    let first: Process;
    try {
      first = await startProcess(before);
      await first.twin.scan();
      expect((await spend(first.main)).twin).toBe(EXPECTED.main);
    } finally {
      await before.close();
    }
    // A new process: nothing in flight and nothing in memory, only the entries in Redis and the accounts' records.
    const after = await open();
    try {
      const second = await startProcess(after, first);
      await second.main.scan();
      await second.twin.scan();
      expect(claude.requests).toHaveLength(1);
      expect(deepseek.requests).toHaveLength(1);
      expect(await spend(second.main)).toMatchObject({ main: EXPECTED.main, twin: 0 });
      // The main account's records name the shadow whose calls it took over.
      const taken = await second.main.store.decisions.list({});
      expect(taken.map((decision) => decision.usage.takenOverFrom)).toEqual(['twin', 'twin']);
    } finally {
      await after.close();
    }
  });
});

/** The cache's entries expire on the engines' clock, which stands still at AT in these scans. */
function engineClock(): Clock {
  return new ManualClock(AT);
}
