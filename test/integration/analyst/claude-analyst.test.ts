// What is particular to Claude: the Messages API request, Sonnet 5.5's thinking settings, 529 overload and the
// environment variables the SDK would otherwise honour.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaudeAnalyst } from '../../../src/adapters/analyst/ai/claude-analyst.js';
import { buildEntryPrompt } from '../../../src/adapters/analyst/ai/prompt.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { AnthropicServer } from '../../peers/anthropic/anthropic-server.js';
import { marketSnapshot } from '../../unit/adapters/analyst/ai/fixtures/market-snapshot.js';
import { longAnswer } from './provider-harness.js';

type MessagesBody = Record<string, unknown> & { messages: { role: string; content: string }[] };

describe('the Claude analyst', () => {
  let server: AnthropicServer;
  let logger: RecordingLogger;

  beforeEach(async () => {
    server = await AnthropicServer.start();
    logger = new RecordingLogger();
  });

  afterEach(async () => {
    await server.close();
  });

  function claude(overrides: Partial<ConstructorParameters<typeof ClaudeAnalyst>[0]> = {}): ClaudeAnalyst {
    return new ClaudeAnalyst({
      apiKey: server.apiKey,
      baseURL: server.baseURL,
      risk: DEFAULT_RISK,
      minConfidence: 0.75,
      logger,
      ...overrides,
    });
  }

  it('when assessing with defaults, then it sends the prompt to Sonnet 5.5 with thinking before the answer off', async () => {
    const snapshot = marketSnapshot();

    await claude().assess(snapshot);

    const expected = buildEntryPrompt(snapshot, { risk: DEFAULT_RISK, minConfidence: 0.75 });
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/messages');
    expect(request?.body).toEqual({
      model: 'claude-sonnet-5-5',
      max_tokens: 1_024,
      system: expected.system,
      messages: [{ role: 'user', content: expected.user }],
      thinking: { type: 'between_tools' },
      output_config: { effort: 'low' },
    });
    expect(request?.headers['anthropic-version']).toBeDefined();
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.authorized).toBe(true);
  });

  it('when an older model is configured, then no Sonnet 5.5 settings are sent unless asked for', async () => {
    await claude({ model: 'claude-sonnet-4-6', maxOutputTokens: 600 }).assess(marketSnapshot());
    await claude({ model: 'claude-sonnet-4-6', effort: 'high' }).assess(marketSnapshot());

    const [plain, withEffort] = server.requests.map((request) => request.body as MessagesBody);
    expect(plain).toMatchObject({ model: 'claude-sonnet-4-6', max_tokens: 600 });
    expect(plain).not.toHaveProperty('thinking');
    expect(plain).not.toHaveProperty('output_config');
    expect(withEffort).toMatchObject({ output_config: { effort: 'high' } });
  });

  it('when the API is overloaded (529) once, then the SDK retries and the answer counts', async () => {
    server.fail(529, undefined, { 'retry-after-ms': '10' }).reply(longAnswer());

    const vote = await claude().assess(marketSnapshot());

    expect(vote.outcome).toBe('valid');
    expect(server.requests).toHaveLength(2);
  });

  it('when the answer has a thinking block before the text, then only the text is read', async () => {
    server.respond(200, {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: '', signature: 'sig' },
        { type: 'text', text: longAnswer() },
      ],
      model: 'claude-sonnet-5-5',
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 1_800, output_tokens: 420 },
    });

    const vote = await claude().assess(marketSnapshot());

    expect(vote).toMatchObject({ outcome: 'valid', action: 'long', raw: longAnswer() });
    expect(vote.usage).toMatchObject({ inputTokens: 1_800, outputTokens: 420 });
  });

  it('when the answer was cut at max_tokens, then the rejection says the provider stopped early', async () => {
    server.respond(200, {
      id: 'msg_2',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: '{"action": "LONG", "confidence": 0.8, "reasoning": "The 4h' }],
      model: 'claude-sonnet-5-5',
      stop_reason: 'max_tokens',
      stop_sequence: null,
      usage: { input_tokens: 1_800, output_tokens: 1_024 },
    });

    const vote = await claude().assess(marketSnapshot());

    expect(vote).toMatchObject({
      outcome: 'rejected',
      reason: 'the provider stopped the answer before it was finished (max_tokens); an unfinished answer is no vote',
    });
  });

  it('when a complete LONG is followed by a withdrawal cut at max_tokens, or the model refused, then no vote counts', async () => {
    const long = '{"action": "LONG", "confidence": 0.81, "entry_price": 121500, "stop_loss": 114210, "take_profit": 132435, "leverage": 3, "reasoning": "breakout"}';
    for (const [text, stop] of [
      [`${long}\nWait, I withdraw that. Final answer: {"action": "HOLD", "confidence": 0.4, "reasoning": "4h RSI 78, the move is`, 'max_tokens'],
      [long, 'refusal'],
    ] as const) {
      server.respond(200, {
        id: 'msg_2b',
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text }],
        model: 'claude-sonnet-5-5',
        stop_reason: stop,
        stop_sequence: null,
        usage: { input_tokens: 1_800, output_tokens: 1_024 },
      });

      const vote = await claude().assess(marketSnapshot());

      expect(vote, stop).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining(`stopped the answer before it was finished (${stop})`) });
    }
  });

  it('when the 200 body lacks a content list, then the vote fails as malformed', async () => {
    server.respond(200, { id: 'msg_3', type: 'message', role: 'assistant' });

    const vote = await claude().assess(marketSnapshot());

    expect(vote).toMatchObject({ outcome: 'failed', reason: 'malformed response from the provider: the message has no content list' });
  });

  it('when ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY point elsewhere, then the configured server and key are still used', async () => {
    const saved = { url: process.env.ANTHROPIC_BASE_URL, key: process.env.ANTHROPIC_API_KEY };
    process.env.ANTHROPIC_BASE_URL = 'http://127.0.0.1:9';
    process.env.ANTHROPIC_API_KEY = 'sk-ant-from-environment';
    try {
      const vote = await claude().assess(marketSnapshot());

      expect(vote.outcome).toBe('valid');
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.authorized).toBe(true);
    } finally {
      if (saved.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
      else process.env.ANTHROPIC_BASE_URL = saved.url;
      if (saved.key === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved.key;
    }
  });

  it('when the model has no price on file, then the cost uses the conservative default and a warning names it', async () => {
    server.reply(longAnswer(), { inputTokens: 1_000, outputTokens: 100 });

    const vote = await claude({ model: 'claude-next-1' }).assess(marketSnapshot());

    // Fallback price: $15 in, $75 out per million.
    expect(vote.usage.costUsd).toBeCloseTo((1_000 * 15 + 100 * 75) / 1_000_000, 12);
    expect(logger.lines.some((line) => line.level === 'warn' && (line.context as { model?: string }).model === 'claude-next-1')).toBe(true);
  });
});
