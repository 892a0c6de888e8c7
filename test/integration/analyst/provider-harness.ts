// One description per provider, so the same stories run against Claude (Anthropic Messages API) and an
// OpenAI-compatible analyst (Chat Completions), each through its real SDK and a local server.
import type { AiAnalyst, AiAnalystOptions } from '../../../src/adapters/analyst/ai/ai-analyst.js';
import { ClaudeAnalyst } from '../../../src/adapters/analyst/ai/claude-analyst.js';
import {
  DEEPSEEK_PRESET,
  OpenAiCompatibleAnalyst,
} from '../../../src/adapters/analyst/ai/openai-compatible-analyst.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';
import type { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { AnthropicServer } from '../../peers/anthropic/anthropic-server.js';
import type { RecordedRequest, ScriptedLlmServer } from '../../peers/anthropic/scripted-llm-server.js';
import { OpenAiServer } from '../../peers/openai/openai-server.js';

export type LocalServer = ScriptedLlmServer & { readonly baseURL: string };

export type AnalystOverrides = Partial<Omit<AiAnalystOptions, 'name'>>;

export interface ProviderHarness {
  readonly label: string;
  readonly analystName: string;
  readonly model: string;
  /** List price of the default model in USD per million tokens, as published by the provider. */
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
  start(): Promise<LocalServer>;
  analyst(server: LocalServer, logger: RecordingLogger, overrides?: AnalystOverrides): AiAnalyst;
  /** System and user prompt as they went over the wire. */
  promptOf(request: RecordedRequest): { system: string; user: string };
}

/** Fast enough for tests, long enough that a healthy local call never hits it. */
const TEST_TIMEOUT_MS = 5_000;

function baseOptions(server: LocalServer, logger: RecordingLogger, overrides: AnalystOverrides) {
  return {
    apiKey: server.apiKey,
    baseURL: server.baseURL,
    timeoutMs: TEST_TIMEOUT_MS,
    maxRetries: 2,
    risk: DEFAULT_RISK,
    minConfidence: 0.75,
    logger,
    ...overrides,
  };
}

export const claudeHarness: ProviderHarness = {
  label: 'Claude over the Anthropic Messages API',
  analystName: 'claude',
  model: 'claude-sonnet-5-5',
  inputPerMillion: 2,
  outputPerMillion: 10,
  start: () => AnthropicServer.start(),
  analyst: (server, logger, overrides = {}) => new ClaudeAnalyst(baseOptions(server, logger, overrides)),
  promptOf(request) {
    const body = request.body as { system: string; messages: { content: string }[] };
    return { system: body.system, user: body.messages[0]?.content ?? '' };
  },
};

export const deepSeekHarness: ProviderHarness = {
  label: 'DeepSeek over the OpenAI Chat Completions API',
  analystName: 'deepseek',
  model: 'deepseek-flash',
  inputPerMillion: 0.3,
  outputPerMillion: 1.2,
  start: () => OpenAiServer.start(),
  analyst: (server, logger, overrides = {}) =>
    new OpenAiCompatibleAnalyst({ ...DEEPSEEK_PRESET, ...baseOptions(server, logger, overrides) }),
  promptOf(request) {
    const body = request.body as { messages: { role: string; content: string }[] };
    const find = (role: string): string => body.messages.find((message) => message.role === role)?.content ?? '';
    return { system: find('system'), user: find('user') };
  },
};

export const PROVIDERS: readonly ProviderHarness[] = [claudeHarness, deepSeekHarness];

/** A LONG that respects DEFAULT_RISK at the default snapshot's price (121,493.2). */
export function longAnswer(changes: Record<string, unknown> = {}): string {
  return JSON.stringify({
    action: 'LONG',
    confidence: 0.81,
    leverage: 3,
    stop_loss_pct: 0.06,
    entry_price: 121_500,
    stop_loss_price: 114_210,
    take_profit_price: 133_650,
    risk_reward: 1.67,
    reasoning: 'Higher lows on 1h and 4h; MACD histogram rising.',
    key_factors: ['4h uptrend', 'volume 1.3x average'],
    ...changes,
  });
}
