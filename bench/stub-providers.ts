// The three AI providers as local servers speaking their real protocols (Anthropic Messages for Claude, OpenAI Chat
// Completions for DeepSeek and Grok), answering like a simple trend follower with realistic token counts, optionally
// only after a fixed delay. The analysts reach them through the real SDKs, exactly as they reach the real APIs.
import { loadConfig } from '../src/config/load-config.js';
import type { AppConfig } from '../src/config/app-config.js';
import { AnthropicServer } from '../test/peers/anthropic/anthropic-server.js';
import type { ScriptedLlmServer } from '../test/peers/anthropic/scripted-llm-server.js';
import { marketAwareAnswer } from '../test/peers/market-aware-answers.js';
import { OpenAiServer } from '../test/peers/openai/openai-server.js';

/** More than any benchmark asks in one phase; the rest is dropped by the next `answerAfter`. */
const QUEUED_DELAYS = 5_000;

export interface ProviderCalls {
  readonly claude: number;
  readonly deepseek: number;
  readonly grok: number;
}

export class StubProviders {
  private constructor(
    readonly claude: AnthropicServer,
    readonly deepseek: OpenAiServer,
    readonly grok: OpenAiServer,
  ) {}

  static async start(): Promise<StubProviders> {
    const [claude, deepseek, grok] = await Promise.all([AnthropicServer.start(), OpenAiServer.start(), OpenAiServer.start()]);
    const providers = new StubProviders(claude, deepseek, grok);
    providers.answerAfter(0);
    return providers;
  }

  private get servers(): ScriptedLlmServer[] {
    return [this.claude, this.deepseek, this.grok];
  }

  /** Forgets what was asked; from now on every call is answered from its prompt, after `delayMs` when above zero. */
  answerAfter(delayMs: number): void {
    for (const server of this.servers) {
      server.reset().answerByDefault(marketAwareAnswer);
      // The servers delay one scripted request at a time; queueing plenty delays every call of a phase.
      if (delayMs > 0) for (let i = 0; i < QUEUED_DELAYS; i += 1) server.delay(delayMs);
    }
  }

  /** Provider calls received since the last `answerAfter`. */
  calls(): ProviderCalls {
    return { claude: this.claude.requests.length, deepseek: this.deepseek.requests.length, grok: this.grok.requests.length };
  }

  /** A configuration with all three analysts pointed at the local servers; `env` adds or overrides variables. */
  config(env: Readonly<Record<string, string>> = {}): AppConfig {
    return loadConfig({
      env: {
        CLAUDE_API_KEY: AnthropicServer.DEFAULT_KEY,
        CLAUDE_BASE_URL: this.claude.origin,
        DEEPSEEK_API_KEY: OpenAiServer.DEFAULT_KEY,
        DEEPSEEK_BASE_URL: this.deepseek.origin,
        ENABLE_GROK: 'true',
        GROK_API_KEY: OpenAiServer.DEFAULT_KEY,
        GROK_BASE_URL: this.grok.origin,
        ...env,
      },
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.close()));
  }
}
