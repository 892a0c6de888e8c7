import { describe, expect, it } from 'vitest';
import {
  callCostUsd,
  DEFAULT_PRICES,
  estimateTokens,
  FALLBACK_PRICE,
  priceFor,
} from '../../../../../src/adapters/analyst/ai/pricing.js';
import { CLAUDE_MODEL, DEEPSEEK_MODEL, GROK_MODEL } from '../../../../../src/adapters/analyst/ai/provider-defaults.js';
import { RecordingLogger } from '../../../../../src/testing/silent-logger.js';

describe('pricing a call', () => {
  it('when a call uses a million input and a hundred thousand output tokens at $2 / $10, then it costs $3', () => {
    expect(callCostUsd({ inputPerMillion: 2, outputPerMillion: 10 }, 1_000_000, 100_000)).toBeCloseTo(3, 10);
  });

  it('when the three default models are looked up, then each has a list price and nothing is logged', () => {
    const logger = new RecordingLogger();

    const prices = [CLAUDE_MODEL, DEEPSEEK_MODEL, GROK_MODEL].map((model) => priceFor(model, DEFAULT_PRICES, logger));

    expect(prices).toEqual([
      { inputPerMillion: 2, outputPerMillion: 10 },
      { inputPerMillion: 0.3, outputPerMillion: 1.2 },
      { inputPerMillion: 0.2, outputPerMillion: 0.5 },
    ]);
    expect(logger.lines).toEqual([]);
  });

  it('when the model is a dated snapshot of a priced alias, then it is billed like the alias', () => {
    const logger = new RecordingLogger();

    expect(priceFor('claude-sonnet-4-5-20250929', DEFAULT_PRICES, logger)).toEqual({ inputPerMillion: 3, outputPerMillion: 15 });
    expect(logger.lines).toEqual([]);
  });

  it.each(['mystery-model-9', 'claude-sonnet-5-7'])(
    'when the model %s has no price on file, then the conservative default applies and a warning names it',
    (model) => {
      const logger = new RecordingLogger();

      const price = priceFor(model, DEFAULT_PRICES, logger);

      expect(price).toEqual(FALLBACK_PRICE);
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]).toMatchObject({ level: 'warn', context: { model } });
    },
  );

  it('when a configured table overrides a price, then the configured one is used', () => {
    const table = { ...DEFAULT_PRICES, [DEEPSEEK_MODEL]: { inputPerMillion: 0.5, outputPerMillion: 1 } };

    expect(priceFor(DEEPSEEK_MODEL, table, new RecordingLogger())).toEqual({ inputPerMillion: 0.5, outputPerMillion: 1 });
  });

  it('when estimating tokens from text, then three characters count as one token, rounded up', () => {
    expect(estimateTokens('abcdefg')).toBe(3);
    expect(estimateTokens('')).toBe(0);
  });
});
