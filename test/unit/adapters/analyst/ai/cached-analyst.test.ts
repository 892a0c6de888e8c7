import { describe, expect, it } from 'vitest';
import { CachedAnalyst, DEFAULT_VOTE_TTL_MS } from '../../../../../src/adapters/analyst/ai/cached-analyst.js';
import type { AnswersInFlight } from '../../../../../src/adapters/analyst/ai/cached-analyst.js';
import type { ExitVote, MarketSnapshot, Vote } from '../../../../../src/domain/analysis.js';
import type { Analyst } from '../../../../../src/ports/analyst.js';
import type { Cache } from '../../../../../src/ports/cache.js';
import { RecordingLogger } from '../../../../../src/testing/silent-logger.js';
import { DEFAULT_LAST_CLOSED, marketSnapshot, openLong } from './fixtures/market-snapshot.js';
import { MemoryCache } from './fixtures/memory-cache.js';

const usage = {
  model: 'model-a',
  latencyMs: 1_800,
  inputTokens: 1_500,
  outputTokens: 120,
  costUsd: 0.0042,
  promptHash: 'abc123',
  cached: false,
};

const longVote: Vote = {
  analyst: 'claude',
  outcome: 'valid',
  action: 'long',
  confidence: 0.8,
  leverage: 3,
  stopLossPct: 0.06,
  takeProfitPct: 0.1,
  riskReward: 1.67,
  reasoning: 'Trend and momentum agree.',
  keyFactors: ['4h trend up'],
  usage,
  raw: '{"action":"LONG"}',
};

const failedVote: Vote = {
  analyst: 'claude',
  outcome: 'failed',
  action: 'hold',
  confidence: 0,
  reasoning: '',
  keyFactors: [],
  reason: 'timed out after 30000 ms',
  usage: { ...usage, inputTokens: 0, outputTokens: 0, costUsd: 0 },
};

/** Answers with the scripted votes in order (the last one repeats) and counts the calls. */
class ScriptedAnalyst implements Analyst {
  kind: Analyst['kind'] = 'ai';
  readonly model = 'model-a';
  calls = 0;
  exitCalls = 0;

  constructor(
    private readonly votes: readonly Vote[],
    readonly name = 'claude',
  ) {}

  async assess(_snapshot: MarketSnapshot): Promise<Vote> {
    const vote = this.votes[Math.min(this.calls, this.votes.length - 1)] as Vote;
    this.calls += 1;
    return vote;
  }

  async exitOpinion(): Promise<ExitVote> {
    this.exitCalls += 1;
    return { analyst: this.name, outcome: 'valid', shouldExit: false, confidence: 0.6, reason: 'Hold on.', usage };
  }
}

describe('the vote cache', () => {
  it('when the same snapshot is assessed twice, then the analyst is asked once and the repeat is marked cached and free', async () => {
    const inner = new ScriptedAnalyst([longVote]);
    const analyst = new CachedAnalyst(inner, new MemoryCache());

    const first = await analyst.assess(marketSnapshot());
    const second = await analyst.assess(marketSnapshot());

    expect(inner.calls).toBe(1);
    expect(first).toEqual(longVote);
    expect(second).toEqual({ ...longVote, usage: { ...usage, cached: true, costUsd: 0, latencyMs: 0 } });
  });

  it('when the next 15m candle has closed, then the analyst is asked again', async () => {
    const inner = new ScriptedAnalyst([longVote]);
    const analyst = new CachedAnalyst(inner, new MemoryCache());

    await analyst.assess(marketSnapshot());
    await analyst.assess(marketSnapshot({ lastClosedCandle: DEFAULT_LAST_CLOSED + 15 * 60_000 }));

    expect(inner.calls).toBe(2);
  });

  it('when the vote is stored, then it lives as long as its 15m candle under a key of analyst, model, prompt, symbol and candle', async () => {
    const cache = new MemoryCache();
    const analyst = new CachedAnalyst(new ScriptedAnalyst([longVote]), cache);

    await analyst.assess(marketSnapshot());

    expect(cache.sets).toEqual([
      { key: `analyst-vote:claude:model-a:-:BTC%2FUSDT%3AUSDT:${DEFAULT_LAST_CLOSED}`, ttlMs: 15 * 60_000 },
    ]);
    expect(DEFAULT_VOTE_TTL_MS).toBe(900_000);
  });

  it('when scans every 5 minutes meet the same closed candle, then the provider is asked once for it, as in a replay', async () => {
    const cache = new MemoryCache();
    const inner = new ScriptedAnalyst([longVote]);
    const analyst = new CachedAnalyst(inner, cache);

    for (const minute of [2, 7, 12]) {
      // Each scan reads its snapshot and asks a few seconds after it starts.
      cache.now = minute * 60_000 + 4_500;
      await analyst.assess(marketSnapshot());
    }

    expect(inner.calls).toBe(1);
  });

  it('when two analysts ask with different prompts, then neither is served the other\'s answer', async () => {
    const cache = new MemoryCache();
    const strict = Object.assign(new ScriptedAnalyst([longVote]), { promptKey: 'strict' });
    const plain = Object.assign(new ScriptedAnalyst([longVote]), { promptKey: 'plain' });
    await new CachedAnalyst(plain, cache).assess(marketSnapshot());
    await new CachedAnalyst(strict, cache).assess(marketSnapshot());
    await new CachedAnalyst(Object.assign(new ScriptedAnalyst([longVote]), { promptKey: 'plain' }), cache).assess(marketSnapshot());
    expect([plain.calls, strict.calls]).toEqual([1, 1]);
    expect(cache.sets.map((set) => set.key.split(':')[3])).toEqual(['plain', 'strict']);
  });

  it('when the same question is asked twice at once through a shared in-flight map, then one call answers both and only the first pays', async () => {
    const inFlight: AnswersInFlight = new Map();
    const first = new ScriptedAnalyst([longVote]);
    const second = new ScriptedAnalyst([longVote]);
    const [a, b] = await Promise.all([
      new CachedAnalyst(first, new MemoryCache(), { inFlight }).assess(marketSnapshot()),
      new CachedAnalyst(second, new MemoryCache(), { inFlight }).assess(marketSnapshot()),
    ]);
    expect([first.calls, second.calls]).toEqual([1, 0]);
    expect(a.usage).toMatchObject({ cached: false, costUsd: usage.costUsd });
    expect(b.usage).toMatchObject({ cached: true, costUsd: 0 });
    expect(b.action).toBe('long');
    expect(inFlight.size).toBe(0);
  });

  it('when a call cut off by the deadline (billed) is shared by two askers at once, then only the first pays for it', async () => {
    const inFlight: AnswersInFlight = new Map();
    const billed: Vote = { ...failedVote, usage: { ...usage, inputTokens: 1_200, outputTokens: 1_024 } };
    const first = new ScriptedAnalyst([billed]);
    const [a, b] = await Promise.all([
      new CachedAnalyst(first, new MemoryCache(), { inFlight }).assess(marketSnapshot()),
      new CachedAnalyst(new ScriptedAnalyst([billed]), new MemoryCache(), { inFlight }).assess(marketSnapshot()),
    ]);
    expect(first.calls).toBe(1);
    expect([a.outcome, b.outcome]).toEqual(['failed', 'failed']);
    expect(a.usage.costUsd).toBe(usage.costUsd);
    expect(b.usage.costUsd).toBe(0);
  });

  it('when the entry has expired, then the analyst is asked again', async () => {
    const cache = new MemoryCache();
    const inner = new ScriptedAnalyst([longVote]);
    const analyst = new CachedAnalyst(inner, cache, { ttlMs: 60_000 });

    await analyst.assess(marketSnapshot());
    cache.now += 60_000;
    await analyst.assess(marketSnapshot());

    expect(inner.calls).toBe(2);
  });

  it('when the analyst failed, then nothing is cached and the next scan asks again', async () => {
    const cache = new MemoryCache();
    const inner = new ScriptedAnalyst([failedVote, longVote]);
    const analyst = new CachedAnalyst(inner, cache);

    const first = await analyst.assess(marketSnapshot());
    const second = await analyst.assess(marketSnapshot());

    expect(first.outcome).toBe('failed');
    expect(second.outcome).toBe('valid');
    expect(inner.calls).toBe(2);
    expect(cache.sets).toHaveLength(1);
  });

  it('when the answer was rejected, then the rejection is cached like a valid vote', async () => {
    const rejected: Vote = { ...failedVote, outcome: 'rejected', reason: 'leverage 25 exceeds the maximum 5' };
    const inner = new ScriptedAnalyst([rejected]);
    const analyst = new CachedAnalyst(inner, new MemoryCache());

    await analyst.assess(marketSnapshot());
    const second = await analyst.assess(marketSnapshot());

    expect(inner.calls).toBe(1);
    expect(second).toMatchObject({ outcome: 'rejected', reason: 'leverage 25 exceeds the maximum 5' });
  });

  it.each([
    ['a valid vote with leverage 50.5', { ...longVote, leverage: 50.5 }],
    ['a failed vote', failedVote],
    ['a rejected vote that still acts', { ...longVote, outcome: 'rejected' }],
    ['confidence 1.7', { ...longVote, confidence: 1.7 }],
    ['a vote without usage', { ...longVote, usage: undefined }],
    ['another analyst’s vote', { ...longVote, analyst: 'grok' }],
  ])('when the cache holds %s, then it is ignored and the analyst is asked', async (_case, planted) => {
    const cache = new MemoryCache();
    const inner = new ScriptedAnalyst([longVote]);
    const analyst = new CachedAnalyst(inner, cache);
    cache.plant(analyst.keyFor(marketSnapshot()), planted);

    const vote = await analyst.assess(marketSnapshot());

    expect(inner.calls).toBe(1);
    expect(vote).toEqual(longVote);
  });

  it('when the cache is down, then votes still come from the analyst and the failure is logged', async () => {
    const broken: Cache = {
      get: () => Promise.reject(new Error('connection refused')),
      set: () => Promise.reject(new Error('connection refused')),
    };
    const logger = new RecordingLogger();
    const inner = new ScriptedAnalyst([longVote]);
    const analyst = new CachedAnalyst(inner, broken, { logger });

    const vote = await analyst.assess(marketSnapshot());

    expect(vote).toEqual(longVote);
    expect(logger.lines.map((line) => line.level)).toEqual(['warn', 'warn']);
  });

  it('when an exit opinion is asked twice on the same closed candle, then the model is paid once and the repeat is free', async () => {
    const inner = new ScriptedAnalyst([longVote]);
    const cache = new MemoryCache();
    const analyst = new CachedAnalyst(inner, cache);

    const first = await analyst.exitOpinion(openLong(), marketSnapshot());
    const second = await analyst.exitOpinion(openLong(), marketSnapshot());

    expect(inner.exitCalls).toBe(1);
    expect(second).toEqual({ ...first, usage: { ...first.usage, cached: true, costUsd: 0, latencyMs: 0 } });
    expect(cache.sets).toEqual([{ key: `analyst-exit:claude:model-a:-:pos-1:${DEFAULT_LAST_CLOSED}`, ttlMs: 15 * 60_000 }]);
  });

  it('when a new candle has closed or another position asks, then the exit opinion is asked again', async () => {
    const inner = new ScriptedAnalyst([longVote]);
    const analyst = new CachedAnalyst(inner, new MemoryCache());

    await analyst.exitOpinion(openLong(), marketSnapshot());
    await analyst.exitOpinion(openLong(), marketSnapshot({ lastClosedCandle: DEFAULT_LAST_CLOSED + 15 * 60_000 }));
    await analyst.exitOpinion(openLong({ id: 'pos-2' }), marketSnapshot());

    expect(inner.exitCalls).toBe(3);
  });

  it('when the analyst is a free technical one, then its exit opinions are never cached', async () => {
    const inner = new ScriptedAnalyst([longVote]);
    inner.kind = 'technical';
    const cache = new MemoryCache();
    const analyst = new CachedAnalyst(inner, cache);

    await analyst.exitOpinion(openLong(), marketSnapshot());
    await analyst.exitOpinion(openLong(), marketSnapshot());

    expect(inner.exitCalls).toBe(2);
    expect(cache.sets).toEqual([]);
  });
});

describe('who pays for an answer the main account and a shadow share', () => {
  const paid = { cached: false, costUsd: usage.costUsd };
  const free = { cached: true, costUsd: 0 };

  it('when a shadow asks first and the main account asks the same question later, then the main account pays and names the shadow', async () => {
    const cache = new MemoryCache();
    const shadowModel = new ScriptedAnalyst([longVote]);
    const mainModel = new ScriptedAnalyst([longVote]);
    const shadow = new CachedAnalyst(shadowModel, cache, { shadow: 'twin' });
    const main = new CachedAnalyst(mainModel, cache);

    const shadowVote = await shadow.assess(marketSnapshot());
    const mainVote = await main.assess(marketSnapshot());
    const mainAgain = await main.assess(marketSnapshot());
    const shadowAgain = await shadow.assess(marketSnapshot());

    expect([shadowModel.calls, mainModel.calls]).toEqual([1, 0]);
    expect(shadowVote.usage).toMatchObject(paid);
    expect(mainVote.usage).toMatchObject({ ...paid, takenOverFrom: 'twin' });
    // Taken over once: the entry is the main account's from then on, for both.
    expect(mainAgain.usage).toMatchObject(free);
    expect(mainAgain.usage.takenOverFrom).toBeUndefined();
    expect(shadowAgain.usage).toMatchObject(free);
  });

  it('when the main account asks first, then a shadow asking the same question pays nothing and takes nothing over', async () => {
    const cache = new MemoryCache();
    const main = new CachedAnalyst(new ScriptedAnalyst([longVote]), cache);
    const shadow = new CachedAnalyst(new ScriptedAnalyst([longVote]), cache, { shadow: 'twin' });

    expect((await main.assess(marketSnapshot())).usage).toMatchObject(paid);
    expect((await shadow.assess(marketSnapshot())).usage).toMatchObject(free);
    expect((await main.assess(marketSnapshot())).usage).toMatchObject(free);
  });

  it('when a shadow and the main account ask at the same moment and the shadow asked first, then one call answers both and the main account pays for it', async () => {
    const inFlight: AnswersInFlight = new Map();
    const cache = new MemoryCache();
    const shadowModel = new ScriptedAnalyst([longVote]);
    const mainModel = new ScriptedAnalyst([longVote]);
    const [shadowVote, mainVote] = await Promise.all([
      new CachedAnalyst(shadowModel, cache, { inFlight, shadow: 'twin' }).assess(marketSnapshot()),
      new CachedAnalyst(mainModel, cache, { inFlight }).assess(marketSnapshot()),
    ]);
    expect([shadowModel.calls, mainModel.calls]).toEqual([1, 0]);
    expect(shadowVote.usage).toMatchObject(paid);
    expect(mainVote.usage).toMatchObject({ ...paid, takenOverFrom: 'twin' });
    // The entry left behind is the main account's: nothing is taken over twice.
    expect((await new CachedAnalyst(mainModel, cache).assess(marketSnapshot())).usage).toMatchObject(free);
  });

  it('when two shadows share an answer, then the first pays and the main account takes nothing over', async () => {
    const cache = new MemoryCache();
    const first = await new CachedAnalyst(new ScriptedAnalyst([longVote]), cache, { shadow: 'one' }).assess(marketSnapshot());
    const second = await new CachedAnalyst(new ScriptedAnalyst([longVote]), cache, { shadow: 'two' }).assess(marketSnapshot());
    expect(first.usage).toMatchObject(paid);
    expect(second.usage).toMatchObject(free);
  });

  it('when a shadow and the main account hold positions with the same id, then neither is served the other\'s exit opinion', async () => {
    const cache = new MemoryCache();
    const mainModel = new ScriptedAnalyst([longVote]);
    const shadowModel = new ScriptedAnalyst([longVote]);
    await new CachedAnalyst(mainModel, cache).exitOpinion(openLong(), marketSnapshot());
    await new CachedAnalyst(shadowModel, cache, { shadow: 'twin' }).exitOpinion(openLong(), marketSnapshot());
    expect([mainModel.exitCalls, shadowModel.exitCalls]).toEqual([1, 1]);
  });
});
