// The AI analysts as the composition root wires them: Claude, OpenAI-compatible (DeepSeek, Grok) and the vote cache.
export type { AiAnalystOptions } from './ai-analyst.js';
export { AiAnalyst, MAX_RAW_CHARS } from './ai-analyst.js';
export type { AiBudgetOptions, BudgetCheck, SpendingGate } from './ai-budget.js';
export { AiBudget } from './ai-budget.js';
export { BudgetedAnalyst } from './budgeted-analyst.js';
export type { AnswersInFlight, CacheableAnalyst, CachedAnalystOptions, SharedAnswer } from './cached-analyst.js';
export { CachedAnalyst, cachedVoteSchema, DEFAULT_VOTE_TTL_MS, EXIT_OPINION_TTL_MS } from './cached-analyst.js';
export type { ClaudeAnalystOptions, ClaudeEffort, ClaudeThinking } from './claude-analyst.js';
export { ClaudeAnalyst } from './claude-analyst.js';
export type { OpenAiCompatibleAnalystOptions } from './openai-compatible-analyst.js';
export { DEEPSEEK_PRESET, GROK_PRESET, OpenAiCompatibleAnalyst } from './openai-compatible-analyst.js';
export type { ModelPrice, PriceTable } from './pricing.js';
export { callCostUsd, DEFAULT_PRICES, estimateTokens, FALLBACK_PRICE, priceFor } from './pricing.js';
export {
  ANTHROPIC_BASE_URL,
  CLAUDE_MODEL,
  DEEPSEEK_BASE_URL,
  DEEPSEEK_MODEL,
  DEFAULT_MAX_OUTPUT_TOKENS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  GROK_BASE_URL,
  GROK_MODEL,
  RETIRED_DEEPSEEK_MODELS,
} from './provider-defaults.js';
export { answerFacts, FileAnswerArchive, type AnswerArchive, type AnswerFacts } from './answer-archive.js';
export { answerInRealPrices, BLIND_START_LEVEL, blindPosition, blindSnapshot, PriceScale } from './blinding.js';
export { cutoffOf, MODEL_CUTOFFS, seenUntilInstant, type CutoffBasis, type CutoffLookup, type ModelCutoff } from './model-cutoffs.js';
export {
  contaminationReport,
  unknownCutoffWarning,
  warningFor,
  type ContaminationInput,
  type ContaminationReport,
  type ModelContamination,
  type TradeWindow,
} from './contamination.js';
