import { describe, expect, it } from 'vitest';
import { cutoffOf, MODEL_CUTOFFS, seenUntilInstant } from '../../../../../src/adapters/analyst/ai/model-cutoffs.js';
import { CLAUDE_MODEL, DEEPSEEK_MODEL, GROK_MODEL } from '../../../../../src/adapters/analyst/ai/provider-defaults.js';

describe('the model cutoff table', () => {
  it('when a default model is looked up, then its cutoff is known', () => {
    for (const model of [CLAUDE_MODEL, DEEPSEEK_MODEL, GROK_MODEL]) expect(cutoffOf(model).known, model).toBe(true);
  });

  it('when any entry is read, then it names a provider page, a real day, and what the provider says', () => {
    for (const [model, cutoff] of Object.entries(MODEL_CUTOFFS)) {
      expect(cutoff.source, model).toMatch(/^https:\/\/(platform\.claude\.com|www\.anthropic\.com|api-docs\.deepseek\.com|x\.ai)\//);
      expect(seenUntilInstant(cutoff).toISOString().slice(0, 10), model).toBe(cutoff.seenUntil);
      expect(cutoff.stated.length, model).toBeGreaterThan(10);
      if (cutoff.basis === 'upper-bound') expect(cutoff.stated, model).toMatch(/unpublished|not found/);
    }
  });

  it('when a published month is stated, then the model may have seen all of that month', () => {
    const lookup = cutoffOf('claude-sonnet-4-5');

    expect(lookup.known && lookup.cutoff.stated).toContain('Jul 2025');
    expect(lookup.known && lookup.cutoff.seenUntil).toBe('2025-08-01');
  });

  it('when the provider answers with a dated snapshot of a listed model, then the listed cutoff applies', () => {
    const lookup = cutoffOf('claude-sonnet-4-5-20250929');

    expect(lookup.known).toBe(true);
    expect(lookup.known && lookup.cutoff).toBe(MODEL_CUTOFFS['claude-sonnet-4-5']);
  });

  it('when a model is not in the table, even with a similar name, then its cutoff is unknown rather than guessed', () => {
    expect(cutoffOf('claude-sonnet-5-7')).toEqual({ known: false, model: 'claude-sonnet-5-7' });
    expect(cutoffOf('deepseek-v4-flash')).toEqual({ known: false, model: 'deepseek-v4-flash' });
  });
});
