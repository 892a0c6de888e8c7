// What is particular to the OpenAI-compatible analysts (DeepSeek, Grok): the Chat Completions request with JSON mode,
// the presets, and the environment variables the SDK would otherwise honour.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenAiCompatibleAnalystOptions } from '../../../src/adapters/analyst/ai/openai-compatible-analyst.js';
import {
  DEEPSEEK_PRESET,
  GROK_PRESET,
  OpenAiCompatibleAnalyst,
} from '../../../src/adapters/analyst/ai/openai-compatible-analyst.js';
import { buildEntryPrompt } from '../../../src/adapters/analyst/ai/prompt.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { OpenAiServer } from '../../peers/openai/openai-server.js';
import { marketSnapshot } from '../../unit/adapters/analyst/ai/fixtures/market-snapshot.js';
import { longAnswer } from './provider-harness.js';

describe('the OpenAI-compatible analyst', () => {
  let server: OpenAiServer;
  let logger: RecordingLogger;

  beforeEach(async () => {
    server = await OpenAiServer.start();
    logger = new RecordingLogger();
  });

  afterEach(async () => {
    await server.close();
  });

  function analyst(overrides: Partial<OpenAiCompatibleAnalystOptions> = {}): OpenAiCompatibleAnalyst {
    return new OpenAiCompatibleAnalyst({
      ...DEEPSEEK_PRESET,
      apiKey: server.apiKey,
      baseURL: server.baseURL,
      risk: DEFAULT_RISK,
      minConfidence: 0.75,
      logger,
      ...overrides,
    });
  }

  it('when DeepSeek assesses, then it posts system and user prompt in JSON mode to chat/completions, with thinking off', async () => {
    const snapshot = marketSnapshot();

    await analyst().assess(snapshot);

    const expected = buildEntryPrompt(snapshot, { risk: DEFAULT_RISK, minConfidence: 0.75 });
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.body).toEqual({
      // DeepSeek's V4 models think first unless told not to; the answer is a small JSON object wanted quickly.
      thinking: { type: 'disabled' },
      model: 'deepseek-flash',
      messages: [
        { role: 'system', content: expected.system },
        { role: 'user', content: expected.user },
      ],
      response_format: { type: 'json_object' },
      max_tokens: 1_024,
    });
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.authorized).toBe(true);
  });

  it('when a temperature is configured, then it is sent', async () => {
    await analyst({ temperature: 0.2 }).assess(marketSnapshot());

    expect(server.requests[0]?.body).toMatchObject({ temperature: 0.2 });
  });

  it('when the Grok preset is used, then votes carry its name and model and cost at its list price', async () => {
    server.reply(longAnswer(), { inputTokens: 2_000, outputTokens: 300 });

    const vote = await analyst({ ...GROK_PRESET, baseURL: server.baseURL }).assess(marketSnapshot());

    expect(vote).toMatchObject({ analyst: 'grok', outcome: 'valid', usage: { model: 'grok-4-1-fast-non-reasoning' } });
    // $0.20 per million in, $0.50 per million out.
    expect(vote.usage.costUsd).toBeCloseTo((2_000 * 0.2 + 300 * 0.5) / 1_000_000, 12);
    expect(server.requests[0]?.body).toMatchObject({ model: 'grok-4-1-fast-non-reasoning' });
  });

  it('when a reasoning model reports its reasoning beside the completion (as xAI does), then the reasoning is billed too, and never twice', async () => {
    const grok = () => analyst({ ...GROK_PRESET, model: 'grok-4-1-fast-reasoning', baseURL: server.baseURL });
    const body = (usage: Record<string, unknown>) => ({
      id: 'chatcmpl-r',
      object: 'chat.completion',
      created: 1_760_000_000,
      model: 'grok-4-1-fast-reasoning',
      choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(longAnswer()) }, finish_reason: 'stop' }],
      usage,
    });
    // xAI: total = prompt + completion + reasoning.
    server.respond(200, body({ prompt_tokens: 1_800, completion_tokens: 50, total_tokens: 2_550, completion_tokens_details: { reasoning_tokens: 700 } }));
    const beside = await grok().assess(marketSnapshot());
    // OpenAI's convention: the reasoning is inside completion_tokens already.
    server.respond(200, body({ prompt_tokens: 1_800, completion_tokens: 750, total_tokens: 2_550, completion_tokens_details: { reasoning_tokens: 700 } }));
    const inside = await grok().assess(marketSnapshot());

    for (const vote of [beside, inside]) {
      expect(vote.usage).toMatchObject({ inputTokens: 1_800, outputTokens: 750 });
      expect(vote.usage.costUsd).toBeCloseTo((1_800 * 0.2 + 750 * 0.5) / 1_000_000, 12);
    }
  });

  it('when the answer was cut at the length limit, then the rejection says the provider stopped early', async () => {
    server.respond(200, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_760_000_000,
      model: 'deepseek-chat',
      choices: [{ index: 0, message: { role: 'assistant', content: '{"action": "SHORT", "conf' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 1_700, completion_tokens: 1_024, total_tokens: 2_724 },
    });

    const vote = await analyst().assess(marketSnapshot());

    expect(vote).toMatchObject({
      outcome: 'rejected',
      reason: 'the provider stopped the answer before it was finished (length); an unfinished answer is no vote',
    });
  });

  it('when the message content is null, then the answer is rejected as empty', async () => {
    server.respond(200, {
      id: 'chatcmpl-2',
      object: 'chat.completion',
      created: 1_760_000_000,
      model: 'deepseek-chat',
      choices: [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'stop' }],
    });

    const vote = await analyst().assess(marketSnapshot());

    expect(vote).toMatchObject({ outcome: 'rejected', reason: 'the answer is empty' });
  });

  it('when the 200 body has no choices, then the vote fails as malformed', async () => {
    server.respond(200, { id: 'chatcmpl-3', object: 'chat.completion', choices: [] });

    const vote = await analyst().assess(marketSnapshot());

    expect(vote).toMatchObject({
      outcome: 'failed',
      reason: 'malformed response from the provider: the completion has no choices with a message',
    });
  });

  it('when OPENAI_BASE_URL and OPENAI_API_KEY point elsewhere, then the configured server and key are still used', async () => {
    const saved = { url: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:9/v1';
    process.env.OPENAI_API_KEY = 'sk-from-environment';
    try {
      const vote = await analyst().assess(marketSnapshot());

      expect(vote.outcome).toBe('valid');
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.authorized).toBe(true);
    } finally {
      if (saved.url === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = saved.url;
      if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved.key;
    }
  });
});
