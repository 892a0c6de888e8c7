// How far each model's training data reaches. A backtest over history the model was trained on may be flattered by
// memory: the model can recall what happened next. Each entry names the provider page it was taken from; a model
// missing here has an unknown cutoff, and reports say so rather than guess.
import { CLAUDE_MODEL, DEEPSEEK_MODEL, GROK_MODEL } from './provider-defaults.js';

/**
 * `published`: the provider states this cutoff. `upper-bound`: the provider publishes none, so the date is one the
 * model cannot have been trained past (its release, or the last day its alias answered), which errs towards
 * "may have seen it".
 */
export type CutoffBasis = 'published' | 'upper-bound';

export interface ModelCutoff {
  /** The first UTC day the model cannot have seen (YYYY-MM-DD): the day after the stated month or date. */
  readonly seenUntil: string;
  readonly basis: CutoffBasis;
  /** What the provider says, in a few words, e.g. `training data to Jul 2025`. */
  readonly stated: string;
  /** The provider's page it was taken from. */
  readonly source: string;
}

/** Read on 2026-12-04 from the pages named. Re-check them when a model is added or an alias changes. */
export const MODEL_CUTOFFS: Readonly<Record<string, ModelCutoff>> = {
  [CLAUDE_MODEL]: {
    seenUntil: '2026-07-01',
    basis: 'published',
    stated: 'knowledge cutoff Jun 2026',
    source: 'https://platform.claude.com/docs/en/models/sonnet-5-5/overview',
  },
  'claude-sonnet-5': {
    seenUntil: '2026-02-01',
    basis: 'published',
    stated: 'training data to Jan 2026 (reliable knowledge Jan 2026)',
    source: 'https://platform.claude.com/docs/en/models/sonnet-5/overview',
  },
  'claude-sonnet-4-6': {
    seenUntil: '2026-02-18',
    basis: 'upper-bound',
    stated: 'reliable knowledge May 2025; training-data cutoff not found on the provider pages read, release date 2026-02-17 used',
    source: 'https://www.anthropic.com/transparency/model-report',
  },
  'claude-sonnet-4-5': {
    seenUntil: '2025-08-01',
    basis: 'published',
    stated: 'training data to Jul 2025 (reliable knowledge Jan 2025)',
    source: 'https://platform.claude.com/docs/en/about-claude/models/overview',
  },
  [DEEPSEEK_MODEL]: {
    seenUntil: '2026-10-18',
    basis: 'upper-bound',
    stated:
      'unpublished; the alias is served by DeepSeek-V4.1-Flash-1017 (Models & Pricing page, read 2026-12-04), so its checkpoint date bounds what it saw; a later checkpoint behind the same alias would move this',
    source: 'https://api-docs.deepseek.com/quick_start/pricing',
  },
  'deepseek-chat': {
    seenUntil: '2026-07-25',
    basis: 'upper-bound',
    stated: 'unpublished; the alias served DeepSeek-V4-Flash (non-thinking) from 2026-04-24 and was retired on 2026-07-24',
    source: 'https://api-docs.deepseek.com/',
  },
  [GROK_MODEL]: {
    seenUntil: '2025-11-20',
    basis: 'upper-bound',
    stated: 'unpublished; Grok 4.1 Fast released 2025-11-19',
    source: 'https://x.ai/news/grok-4-1-fast',
  },
  'grok-4-1-fast': {
    seenUntil: '2025-11-20',
    basis: 'upper-bound',
    stated: 'unpublished; Grok 4.1 Fast released 2025-11-19',
    source: 'https://x.ai/news/grok-4-1-fast',
  },
  'grok-4-1-fast-reasoning': {
    seenUntil: '2025-11-20',
    basis: 'upper-bound',
    stated: 'unpublished; Grok 4.1 Fast released 2025-11-19',
    source: 'https://x.ai/news/grok-4-1-fast',
  },
  'grok-4-fast': {
    seenUntil: '2025-09-20',
    basis: 'upper-bound',
    stated: 'unpublished; Grok 4 Fast released 2025-09-19',
    source: 'https://x.ai/news/grok-4-fast',
  },
  'grok-4-fast-reasoning': {
    seenUntil: '2025-09-20',
    basis: 'upper-bound',
    stated: 'unpublished; Grok 4 Fast released 2025-09-19',
    source: 'https://x.ai/news/grok-4-fast',
  },
  'grok-4-fast-non-reasoning': {
    seenUntil: '2025-09-20',
    basis: 'upper-bound',
    stated: 'unpublished; Grok 4 Fast released 2025-09-19',
    source: 'https://x.ai/news/grok-4-fast',
  },
};

export type CutoffLookup =
  | { readonly known: true; readonly model: string; readonly cutoff: ModelCutoff }
  | { readonly known: false; readonly model: string };

/** A dated snapshot (`-20250929`) or `-latest` of a listed model is the same model. */
const SNAPSHOT_SUFFIX = /^-(?:\d{8}|latest)$/;

/**
 * The cutoff of `model` as the provider named it in its answer (or as it was asked for). A merely similar name is not
 * matched: `claude-sonnet-5-7` is a different model whose cutoff nobody has looked up.
 */
export function cutoffOf(model: string, table: Readonly<Record<string, ModelCutoff>> = MODEL_CUTOFFS): CutoffLookup {
  const exact = table[model];
  if (exact) return { known: true, model, cutoff: exact };
  const base = Object.keys(table).find((name) => model.startsWith(name) && SNAPSHOT_SUFFIX.test(model.slice(name.length)));
  const bySnapshot = base === undefined ? undefined : table[base];
  return bySnapshot ? { known: true, model, cutoff: bySnapshot } : { known: false, model };
}

/** The first instant the model cannot have seen. */
export function seenUntilInstant(cutoff: ModelCutoff): Date {
  return new Date(`${cutoff.seenUntil}T00:00:00Z`);
}
