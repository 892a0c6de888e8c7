// Default endpoints and models of the three AI analysts. Every value here can be overridden through the analyst's options.

/**
 * The newest Sonnet in the installed @anthropic-ai/sdk model list (`Model` in resources/messages/messages.d.ts).
 * Sonnet 4.5 reaches end of life on 2026-11-30 and the SDK prints a deprecation warning on every call that uses it,
 * so the default follows the SDK's list rather than the original specification.
 */
export const CLAUDE_MODEL = 'claude-sonnet-5-5';
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export const DEEPSEEK_BASE_URL = 'https://api.deepseek.com';
/**
 * DeepSeek's current Flash model (V4.1 Flash). The older names `deepseek-chat` and `deepseek-reasoner` stopped working
 * on 2026-07-24 (DeepSeek's API docs, "Models & Pricing").
 */
export const DEEPSEEK_MODEL = 'deepseek-flash';
/** Model names DeepSeek has retired: a configuration naming one gets a start-up warning instead of failing calls. */
export const RETIRED_DEEPSEEK_MODELS: readonly string[] = ['deepseek-chat', 'deepseek-reasoner'];
/**
 * DeepSeek's V4 models think before answering unless told not to. The answer here is a small JSON object wanted
 * within the AI time budget, so thinking is switched off (DeepSeek's "Thinking Mode" guide: `thinking.type`).
 */
export const DEEPSEEK_REQUEST_EXTRAS: Readonly<Record<string, unknown>> = { thinking: { type: 'disabled' } };

export const GROK_BASE_URL = 'https://api.x.ai/v1';
/** xAI's low-cost model without a reasoning phase: the answer is a small JSON object, so latency matters more. */
export const GROK_MODEL = 'grok-4-1-fast-non-reasoning';

/** Per call, retries included: an analyst that has not answered by then is counted as failed for this scan. */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 2;
/** Room for the JSON answer with a few sentences of reasoning; thinking tokens, where enabled, count too. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1_024;
