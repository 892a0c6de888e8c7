// The Claude analyst, through Anthropic's Messages API.
import { createRequire } from 'node:module';
import type Anthropic from '@anthropic-ai/sdk';
import type * as AnthropicSdk from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { AiAnalystOptions, Completion, CompletionRequest } from './ai-analyst.js';
import { AiAnalyst } from './ai-analyst.js';
import { MalformedResponseError, type SdkErrorClasses } from './provider-errors.js';
import { ANTHROPIC_BASE_URL, CLAUDE_MODEL } from './provider-defaults.js';
import { sdkLogger } from './sdk-logger.js';
import { watchedFetch } from './call-watch.js';

export type ClaudeEffort = 'low' | 'medium' | 'high';
/** `between_tools` turns off thinking before the answer on Sonnet 5.5; `adaptive` lets the model think first. */
export type ClaudeThinking = 'adaptive' | 'between_tools';

export interface ClaudeAnalystOptions extends Omit<AiAnalystOptions, 'name'> {
  readonly name?: string;
  /** `output_config.effort`; left out of the request when undefined (and the model is not the default). */
  readonly effort?: ClaudeEffort;
  readonly thinking?: ClaudeThinking;
}

/**
 * For the default model only: no thinking before the answer and low effort. The answer is a small JSON object, and
 * thinking tokens are billed as output (about five times the input price) on every scan. Older models reject these
 * fields, so for them nothing is sent unless configured.
 */
const DEFAULT_MODEL_SETTINGS = { effort: 'low', thinking: 'between_tools' } as const;

const messageSchema = z.object({
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  model: z.string().optional(),
  stop_reason: z.string().nullable().optional(),
  usage: z.unknown().optional(),
});

const usageSchema = z.object({
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_creation_input_tokens: z.number().int().nonnegative().nullable().optional(),
  cache_read_input_tokens: z.number().int().nonnegative().nullable().optional(),
});

const EARLY_STOPS = new Set(['max_tokens', 'refusal', 'model_context_window_exceeded']);

/**
 * Anthropic's SDK, loaded when the first analyst of this kind is made: a daemon without this provider's key
 * never needs it (the Anthropic and OpenAI SDKs together hold about 20 MB resident). Its CommonJS build, loaded once:
 * the client and the error classes it throws come from the same instance, so the error translation's instanceof
 * checks hold.
 */
function anthropicSdk(): typeof AnthropicSdk {
  return createRequire(import.meta.url)('@anthropic-ai/sdk') as typeof AnthropicSdk;
}

export class ClaudeAnalyst extends AiAnalyst {
  protected readonly sdkErrors: SdkErrorClasses;
  private readonly client: Anthropic;
  private readonly effort: ClaudeEffort | undefined;
  private readonly thinking: ClaudeThinking | undefined;

  constructor(options: ClaudeAnalystOptions) {
    super({ ...options, name: options.name ?? 'claude' }, CLAUDE_MODEL);
    const defaults = this.model === CLAUDE_MODEL ? DEFAULT_MODEL_SETTINGS : undefined;
    this.effort = options.effort ?? defaults?.effort;
    this.thinking = options.thinking ?? defaults?.thinking;
    // apiKey and baseURL are always explicit, so ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL can never redirect the calls.
    const sdk = anthropicSdk();
    this.sdkErrors = {
      APIError: sdk.APIError,
      APIConnectionError: sdk.APIConnectionError,
      APIConnectionTimeoutError: sdk.APIConnectionTimeoutError,
      APIUserAbortError: sdk.APIUserAbortError,
    };
    this.client = new sdk.Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? ANTHROPIC_BASE_URL,
      maxRetries: this.maxRetries,
      timeout: this.timeoutMs,
      logger: sdkLogger(this.logger),
      // Lets the analyst see what went over the wire when its deadline comes (call-watch.ts).
      fetch: watchedFetch(),
    });
  }

  protected async complete(request: CompletionRequest): Promise<Completion> {
    const response: unknown = await this.client.messages.create(
      {
        model: this.model,
        max_tokens: this.maxOutputTokens,
        system: request.system,
        messages: [{ role: 'user', content: request.user }],
        ...(this.thinking ? { thinking: { type: this.thinking } } : {}),
        ...(this.effort ? { output_config: { effort: this.effort } } : {}),
      },
      { signal: request.signal, timeout: this.timeoutMs, maxRetries: this.maxRetries },
    );
    const message = messageSchema.safeParse(response);
    if (!message.success) throw new MalformedResponseError('the message has no content list');
    const usage = usageSchema.safeParse(message.data.usage);
    const text = message.data.content
      .filter((block) => block.type === 'text')
      .map((block) => block.text ?? '')
      .join('\n');
    const stopReason = message.data.stop_reason ?? undefined;
    return {
      text,
      model: message.data.model,
      // Cached prompt tokens are billed too (at or below the input price); counting them at full price errs high.
      inputTokens: usage.success
        ? usage.data.input_tokens + (usage.data.cache_creation_input_tokens ?? 0) + (usage.data.cache_read_input_tokens ?? 0)
        : undefined,
      outputTokens: usage.success ? usage.data.output_tokens : undefined,
      stoppedEarly: stopReason !== undefined && EARLY_STOPS.has(stopReason) ? stopReason : undefined,
    };
  }
}
