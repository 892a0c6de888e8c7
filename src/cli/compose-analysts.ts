// Who votes: the AI providers that have keys, cached per closed candle; with fewer than two of them, the built-in
// technical analysts take their place, because a trade must never rest on one voice.
import {
  BudgetedAnalyst,
  CachedAnalyst,
  ClaudeAnalyst,
  CLAUDE_MODEL,
  DEEPSEEK_PRESET,
  DEFAULT_VOTE_TTL_MS,
  GROK_PRESET,
  OpenAiCompatibleAnalyst,
  RETIRED_DEEPSEEK_MODELS,
  type AiAnalyst,
  type AiBudget,
  type AnswerArchive,
  type AnswersInFlight,
  type PriceScale,
} from '../adapters/analyst/ai/index.js';
import { createTechnicalAnalysts } from '../adapters/analyst/technical/index.js';
import type { AppConfig } from '../config/app-config.js';
import type { Analyst } from '../ports/analyst.js';
import type { Cache } from '../ports/cache.js';
import type { Logger } from '../ports/logger.js';

export const AI_PROVIDERS = ['claude', 'deepseek', 'grok'] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];

export interface AnalystPanel {
  readonly entry: readonly Analyst[];
  readonly exit: readonly Analyst[];
  readonly warnings: readonly string[];
  /** True when the entry analysts are AI models. */
  readonly ai: boolean;
  /** The cheap model that screens first in cascade mode (DeepSeek when configured). */
  readonly screener?: string;
}

/**
 * The AI analysts whose keys are configured, in a fixed order. Backtests only: `archive` keeps their answers, and
 * `blinding` makes their prompts blind.
 */
export function createAiAnalysts(config: AppConfig, logger: Logger, archive?: AnswerArchive, blinding?: PriceScale, promptNote?: string): AiAnalyst[] {
  const common = { risk: config.risk, minConfidence: config.consensus.minConfidence, timeoutMs: config.ai.timeoutMs, logger, archive, blinding, promptNote };
  const { claude, deepseek, grok } = config.ai;
  const ai: AiAnalyst[] = [];
  if (claude) ai.push(new ClaudeAnalyst({ ...common, name: 'claude', apiKey: claude.apiKey, baseURL: claude.baseUrl, model: claude.model ?? CLAUDE_MODEL }));
  if (deepseek) {
    ai.push(new OpenAiCompatibleAnalyst({ ...common, ...DEEPSEEK_PRESET, apiKey: deepseek.apiKey, baseURL: deepseek.baseUrl ?? DEEPSEEK_PRESET.baseURL, model: deepseek.model ?? DEEPSEEK_PRESET.model }));
  }
  if (grok) {
    ai.push(new OpenAiCompatibleAnalyst({ ...common, ...GROK_PRESET, apiKey: grok.apiKey, baseURL: grok.baseUrl ?? GROK_PRESET.baseURL, model: grok.model ?? GROK_PRESET.model }));
  }
  return ai;
}

/** Claude decides exits when it is configured (the spec's cost plan); otherwise every AI analyst is asked. */
export function exitPanel(ai: readonly Analyst[]): Analyst[] {
  const claude = ai.filter((analyst) => analyst.name === 'claude');
  return claude.length > 0 ? claude : [...ai];
}

export function screenerOf(ai: readonly Analyst[]): string | undefined {
  return ai.find((analyst) => analyst.name === 'deepseek')?.name;
}

/** Configured model names the provider no longer serves: every call would fail, so start-up says so plainly. */
export function retiredModelWarnings(config: AppConfig): string[] {
  const model = config.ai.deepseek?.model;
  if (model === undefined || !RETIRED_DEEPSEEK_MODELS.includes(model)) return [];
  return [`DEEPSEEK_MODEL=${model} was retired by DeepSeek on 2026-07-24 and every call to it fails: set DEEPSEEK_MODEL=${DEEPSEEK_PRESET.model} (or unset it).`];
}

/** What a shadow strategy changes about the panel; the main account passes only the shared in-flight map. */
export interface PanelVariant {
  /** Shared by the main account and every shadow, so a question asked by several at once is paid for once. */
  readonly inFlight?: AnswersInFlight;
  /** The shadow strategy the panel asks for (its name); absent: the main account, which pays for every answer it uses. */
  readonly shadow?: string;
  /** Only these providers (they must have keys). */
  readonly providers?: readonly AiProvider[];
  readonly promptNote?: string;
  /**
   * AI_MONTHLY_BUDGET_USD, checked before every paid call: one for the main account and its shadows, as they are
   * billed to the same keys. Absent (replays, tools) or uncapped: no check.
   */
  readonly budget?: AiBudget;
}

export function composeAnalysts(config: AppConfig, cache: Cache, logger: Logger, variant: PanelVariant = {}): AnalystPanel {
  const all = createAiAnalysts(config, logger, undefined, undefined, variant.promptNote);
  const ai = variant.providers ? all.filter((analyst) => variant.providers?.includes(analyst.name as AiProvider)) : all;
  if (ai.length >= 2) {
    const sharing = { ...(variant.inFlight ? { inFlight: variant.inFlight } : {}), ...(variant.shadow === undefined ? {} : { shadow: variant.shadow }) };
    const budget = variant.budget?.capped ? variant.budget : undefined;
    // Under the cache: an answer already paid for is still used once the budget is spent.
    const gated = budget ? ai.map((analyst) => new BudgetedAnalyst(analyst, budget)) : ai;
    const cached = gated.map((analyst) => new CachedAnalyst(analyst, cache, { ttlMs: DEFAULT_VOTE_TTL_MS, logger, ...sharing }));
    return { entry: cached, exit: exitPanel(cached), warnings: retiredModelWarnings(config), ai: true, screener: screenerOf(ai) };
  }
  const technical = createTechnicalAnalysts(config.risk);
  const warning =
    ai.length === 1
      ? `Only one AI provider (${ai[0]?.name}) has a key: one voice can never make a trade, so the built-in technical analysts vote instead. Add a second key to use the AI analysts.`
      : 'No AI provider keys set: the built-in technical analysts (trend, reversion, momentum) vote instead.';
  return { entry: technical, exit: technical, warnings: [warning], ai: false };
}
