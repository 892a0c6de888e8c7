// What a call costs: list prices per model, and a token estimate for providers that do not report usage.
import type { Logger } from '../../../ports/logger.js';
import { CLAUDE_MODEL, DEEPSEEK_MODEL, GROK_MODEL } from './provider-defaults.js';

/** US dollars per million tokens. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Public list prices (standard tier, no batch or cache discounts), taken on 2026-11-21 from Anthropic's model pages
 * (Sonnet 5.5 and Sonnet 5: $2 / $10; Sonnet 4.6 and 4.5: $3 / $15) and xAI's model list (Grok 4.1 Fast and
 * Grok 4 Fast: $0.20 / $0.50 up to 128k context), and on 2026-12-04 from DeepSeek's "Models & Pricing" page
 * (deepseek-flash: $0.30 / $1.20 at peak hours, half that off-peak; the peak rate is used, so reports err high).
 * Re-check them before reading the cost reports as invoices.
 */
export const DEFAULT_PRICES: PriceTable = {
  [CLAUDE_MODEL]: { inputPerMillion: 2, outputPerMillion: 10 },
  'claude-sonnet-5': { inputPerMillion: 2, outputPerMillion: 10 },
  'claude-sonnet-4-6': { inputPerMillion: 3, outputPerMillion: 15 },
  'claude-sonnet-4-5': { inputPerMillion: 3, outputPerMillion: 15 },
  [DEEPSEEK_MODEL]: { inputPerMillion: 0.3, outputPerMillion: 1.2 },
  // Legacy name still accepted by DeepSeek and served by the same Flash model, at the Flash price.
  'deepseek-v4-flash': { inputPerMillion: 0.3, outputPerMillion: 1.2 },
  [GROK_MODEL]: { inputPerMillion: 0.2, outputPerMillion: 0.5 },
  'grok-4-1-fast': { inputPerMillion: 0.2, outputPerMillion: 0.5 },
  'grok-4-1-fast-reasoning': { inputPerMillion: 0.2, outputPerMillion: 0.5 },
  'grok-4-fast': { inputPerMillion: 0.2, outputPerMillion: 0.5 },
  'grok-4-fast-non-reasoning': { inputPerMillion: 0.2, outputPerMillion: 0.5 },
  'grok-4-fast-reasoning': { inputPerMillion: 0.2, outputPerMillion: 0.5 },
};

/**
 * For a model missing from the table: priced like a top-tier model so that the daily cost report errs high, never
 * low.
 */
export const FALLBACK_PRICE: ModelPrice = { inputPerMillion: 15, outputPerMillion: 75 };

/** A dated snapshot (`-20250929`) or `-latest` of a priced alias costs what the alias costs. */
const ALIAS_SUFFIX = /^-(?:\d{8}|latest)$/;

/**
 * The price of `model`: an exact entry, else the entry it is a dated snapshot of (`claude-sonnet-4-5-20250929` is
 * billed like `claude-sonnet-4-5`), else the fallback with a warning. A merely similar name (`claude-sonnet-5-7`)
 * is not matched: its price is unknown, and the warning should say so.
 */
export function priceFor(model: string, table: PriceTable, logger: Logger): ModelPrice {
  const exact = table[model];
  if (exact) return exact;
  const alias = Object.keys(table).find(
    (name) => model.startsWith(name) && ALIAS_SUFFIX.test(model.slice(name.length)),
  );
  const byAlias = alias === undefined ? undefined : table[alias];
  if (byAlias) return byAlias;
  logger.warn(
    { model, inputPerMillion: FALLBACK_PRICE.inputPerMillion, outputPerMillion: FALLBACK_PRICE.outputPerMillion },
    'no price for this model; costs are computed with a conservative default',
  );
  return FALLBACK_PRICE;
}

export function callCostUsd(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}

/**
 * A rough token count from text length. Prompts here are dense with numbers, which tokenise at about three
 * characters per token rather than the four of English prose, so three is used to err on the high side.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}
