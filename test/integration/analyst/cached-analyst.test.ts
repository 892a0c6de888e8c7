// The vote cache in front of a real analyst: what it saves is provider calls, so count them at the server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachedAnalyst } from '../../../src/adapters/analyst/ai/cached-analyst.js';
import { ClaudeAnalyst } from '../../../src/adapters/analyst/ai/claude-analyst.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { AnthropicServer } from '../../peers/anthropic/anthropic-server.js';
import { DEFAULT_LAST_CLOSED, marketSnapshot } from '../../unit/adapters/analyst/ai/fixtures/market-snapshot.js';
import { MemoryCache } from '../../unit/adapters/analyst/ai/fixtures/memory-cache.js';
import { longAnswer } from './provider-harness.js';

describe('the vote cache in front of Claude', () => {
  let server: AnthropicServer;

  beforeEach(async () => {
    server = await AnthropicServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  function cachedClaude(cache: MemoryCache, maxRetries = 2): CachedAnalyst {
    const claude = new ClaudeAnalyst({
      apiKey: server.apiKey,
      baseURL: server.baseURL,
      maxRetries,
      risk: DEFAULT_RISK,
      minConfidence: 0.75,
      logger: new RecordingLogger(),
    });
    return new CachedAnalyst(claude, cache);
  }

  it('when the snapshot is unchanged, then the second assessment makes no provider call', async () => {
    server.replyByDefault(longAnswer(), { inputTokens: 1_900, outputTokens: 150 });
    const analyst = cachedClaude(new MemoryCache());

    const first = await analyst.assess(marketSnapshot());
    const second = await analyst.assess(marketSnapshot());

    expect(server.requests).toHaveLength(1);
    expect(first.usage.cached).toBe(false);
    expect(first.usage.costUsd).toBeGreaterThan(0);
    expect(second).toMatchObject({ outcome: 'valid', action: 'long', leverage: 3 });
    expect(second.usage).toMatchObject({ cached: true, costUsd: 0, latencyMs: 0, promptHash: first.usage.promptHash });
  });

  it('when a new 15m candle has closed, then the analyst is asked once more', async () => {
    const analyst = cachedClaude(new MemoryCache());

    await analyst.assess(marketSnapshot());
    await analyst.assess(marketSnapshot());
    await analyst.assess(marketSnapshot({ lastClosedCandle: DEFAULT_LAST_CLOSED + 15 * 60_000 }));

    expect(server.requests).toHaveLength(2);
  });

  it('when the provider failed, then the failure is not cached and the next scan calls again', async () => {
    server.fail(503).reply(longAnswer());
    const analyst = cachedClaude(new MemoryCache(), 0);

    const failed = await analyst.assess(marketSnapshot());
    const retried = await analyst.assess(marketSnapshot());

    expect(failed.outcome).toBe('failed');
    expect(retried.outcome).toBe('valid');
    expect(server.requests).toHaveLength(2);
  });
});
