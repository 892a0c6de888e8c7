// Analysts behind an OpenAI-compatible Chat Completions API: DeepSeek and Grok.
import { createRequire } from 'node:module';
import type OpenAI from 'openai';
import type * as OpenAISdk from 'openai';
import { z } from 'zod';
import type { AiAnalystOptions, Completion, CompletionRequest } from './ai-analyst.js';
import { AiAnalyst } from './ai-analyst.js';
import { MalformedResponseError, type SdkErrorClasses } from './provider-errors.js';
import { DEEPSEEK_BASE_URL, DEEPSEEK_MODEL, DEEPSEEK_REQUEST_EXTRAS, GROK_BASE_URL, GROK_MODEL } from './provider-defaults.js';
import { sdkLogger } from './sdk-logger.js';
import { watchedFetch } from './call-watch.js';

export interface OpenAiCompatibleAnalystOptions extends AiAnalystOptions {
  /** There is no sensible default host for "OpenAI-compatible": name it, or spread a preset below. */
  readonly baseURL: string;
  readonly model: string;
  /** Sent only when set; some reasoning models reject sampling parameters. */
  readonly temperature?: number;
  /** Provider-specific body fields beyond the OpenAI schema (DeepSeek's thinking switch). */
  readonly requestExtras?: Readonly<Record<string, unknown>>;
}

/** Spread into the options: `new OpenAiCompatibleAnalyst({ ...DEEPSEEK_PRESET, apiKey, risk, ... })`. */
export const DEEPSEEK_PRESET = { name: 'deepseek', baseURL: DEEPSEEK_BASE_URL, model: DEEPSEEK_MODEL, requestExtras: DEEPSEEK_REQUEST_EXTRAS } as const;
export const GROK_PRESET = { name: 'grok', baseURL: GROK_BASE_URL, model: GROK_MODEL } as const;

const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  model: z.string().optional(),
  usage: z.unknown().optional(),
});

const usageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
  completion_tokens_details: z.object({ reasoning_tokens: z.number().int().nonnegative().optional() }).nullable().optional(),
});

/**
 * The output tokens billed. OpenAI counts a reasoning model's reasoning inside `completion_tokens`; xAI reports it
 * beside them, so that its total is prompt + completion + reasoning. The total tells the two apart: reasoning is
 * added only where the total shows it was left out, and never counted twice.
 */
function billedOutputTokens(usage: z.infer<typeof usageSchema>): number {
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  const outside = reasoning > 0 && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens + reasoning;
  return usage.completion_tokens + (outside ? reasoning : 0);
}

const EARLY_STOPS = new Set(['length', 'content_filter']);

/**
 * OpenAI's SDK, loaded when the first analyst of this kind is made: a daemon without this provider's key
 * never needs it (the Anthropic and OpenAI SDKs together hold about 20 MB resident). Its CommonJS build, loaded once:
 * the client and the error classes it throws come from the same instance, so the error translation's instanceof
 * checks hold.
 */
function openaiSdk(): typeof OpenAISdk {
  return createRequire(import.meta.url)('openai') as typeof OpenAISdk;
}

export class OpenAiCompatibleAnalyst extends AiAnalyst {
  protected readonly sdkErrors: SdkErrorClasses;
  private readonly client: OpenAI;
  private readonly temperature: number | undefined;
  private readonly requestExtras: Readonly<Record<string, unknown>>;

  constructor(options: OpenAiCompatibleAnalystOptions) {
    super(options, options.model);
    this.temperature = options.temperature;
    this.requestExtras = options.requestExtras ?? {};
    // Explicit values (and nulls) keep OPENAI_BASE_URL, OPENAI_ORG_ID and friends in the environment out of the calls.
    const sdk = openaiSdk();
    this.sdkErrors = {
      APIError: sdk.APIError,
      APIConnectionError: sdk.APIConnectionError,
      APIConnectionTimeoutError: sdk.APIConnectionTimeoutError,
      APIUserAbortError: sdk.APIUserAbortError,
    };
    this.client = new sdk.OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      organization: null,
      project: null,
      maxRetries: this.maxRetries,
      timeout: this.timeoutMs,
      logger: sdkLogger(this.logger),
      // Lets the analyst see what went over the wire when its deadline comes (call-watch.ts).
      fetch: watchedFetch(),
    });
  }

  protected async complete(request: CompletionRequest): Promise<Completion> {
    const response: unknown = await this.client.chat.completions.create(
      {
        // Fields the OpenAI schema does not know travel in the body as they are; the SDK passes them through.
        ...(this.requestExtras as object),
        model: this.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        response_format: { type: 'json_object' },
        // `max_tokens` rather than `max_completion_tokens`: it is the field DeepSeek and xAI both document.
        max_tokens: this.maxOutputTokens,
        ...(this.temperature === undefined ? {} : { temperature: this.temperature }),
      },
      { signal: request.signal, timeout: this.timeoutMs, maxRetries: this.maxRetries },
    );
    const parsed = completionSchema.safeParse(response);
    if (!parsed.success) throw new MalformedResponseError('the completion has no choices with a message');
    const [choice] = parsed.data.choices;
    const usage = usageSchema.safeParse(parsed.data.usage);
    const finishReason = choice?.finish_reason ?? undefined;
    return {
      text: choice?.message.content ?? '',
      model: parsed.data.model,
      inputTokens: usage.success ? usage.data.prompt_tokens : undefined,
      outputTokens: usage.success ? billedOutputTokens(usage.data) : undefined,
      stoppedEarly: finishReason !== undefined && EARLY_STOPS.has(finishReason) ? finishReason : undefined,
    };
  }
}
