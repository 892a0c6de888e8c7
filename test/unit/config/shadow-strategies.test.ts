import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';

const KEYS = { CLAUDE_API_KEY: 'ck', DEEPSEEK_API_KEY: 'dk' };

function problemsOf(env: Record<string, string>, readFile?: (path: string) => string): readonly string[] {
  try {
    loadConfig({ env, ...(readFile ? { readFile } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('SHADOW_STRATEGIES', () => {
  it('when unset, there are no shadows', () => {
    expect(loadConfig({ env: {} }).shadows).toEqual([]);
  });

  it('builds each variant from the main settings with its own changes, always in paper mode', () => {
    const env = {
      ...KEYS,
      USE_PAPER_TRADING: 'false',
      BINANCE_API_KEY: 'k',
      BINANCE_SECRET_KEY: 's',
      LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS',
      MIN_OPPORTUNITY_SCORE: '80',
      SHADOW_STRATEGIES: JSON.stringify([
        { name: 'strict', settings: { MIN_OPPORTUNITY_SCORE: 90, POSITION_SIZE_PERCENT: '0.5' }, quorum: 2, analysts: ['claude', 'deepseek'], promptNote: 'Prefer trend continuations.' },
      ]),
    };
    const config = loadConfig({ env });
    expect(config.paperTrading).toBe(false);
    const [strict] = config.shadows;
    expect(strict?.name).toBe('strict');
    expect(strict?.config.paperTrading).toBe(true);
    expect(strict?.config.consensus.minOpportunityScore).toBe(90);
    expect(strict?.config.risk.positionSizePct).toBe(0.5);
    expect(strict?.config.risk.maxLeverage).toBe(config.risk.maxLeverage);
    expect(strict?.changes).toEqual({ MIN_OPPORTUNITY_SCORE: '90', POSITION_SIZE_PERCENT: '0.5' });
    expect(strict?.analysts).toEqual(['claude', 'deepseek']);
    expect(strict?.promptNote).toBe('Prefer trend continuations.');
  });

  it('reads the variants from a file when the value is a path', () => {
    const files: Record<string, string> = { '/etc/shadows.json': '[{"name":"wide","settings":{"MAX_STOP_LOSS_PERCENT":0.12}}]' };
    const config = loadConfig({ env: { SHADOW_STRATEGIES: '/etc/shadows.json' }, readFile: (path) => files[path] ?? '' });
    expect(config.shadows.map((shadow) => [shadow.name, shadow.config.risk.maxStopLossPct])).toEqual([['wide', 0.12]]);
  });

  it('names the file it cannot read', () => {
    const problems = problemsOf({ SHADOW_STRATEGIES: 'missing.json' }, () => {
      throw new Error('ENOENT');
    });
    expect(problems).toEqual([expect.stringContaining('SHADOW_STRATEGIES: cannot read the file "missing.json"')]);
  });

  it('refuses JSON that does not parse', () => {
    expect(problemsOf({ SHADOW_STRATEGIES: '[{"name":' })).toEqual([expect.stringMatching(/^SHADOW_STRATEGIES: not valid JSON/)]);
  });

  it('refuses a setting a variant may not change (venue, keys, storage, mode)', () => {
    const problems = problemsOf({ SHADOW_STRATEGIES: '[{"name":"x","settings":{"USE_PAPER_TRADING":"false"}}]' });
    expect(problems).toEqual([expect.stringContaining('SHADOW_STRATEGIES[0]["settings"]: only these settings may differ')]);
  });

  it('refuses a value outside the same range as the main setting, naming the variant and the variable', () => {
    const problems = problemsOf({ SHADOW_STRATEGIES: '[{"name":"loose","settings":{"MAX_LEVERAGE":20}}]' });
    expect(problems).toEqual([expect.stringContaining('SHADOW_STRATEGIES[loose].MAX_LEVERAGE: got "20"')]);
  });

  it('refuses a single analyst, a quorum above the panel, duplicate names and unknown fields', () => {
    expect(problemsOf({ ...KEYS, SHADOW_STRATEGIES: '[{"name":"solo","analysts":["claude"]}]' })[0]).toContain('one voice never trades');
    expect(problemsOf({ ...KEYS, SHADOW_STRATEGIES: '[{"name":"q","analysts":["claude","deepseek"],"quorum":3}]' })[0]).toContain('quorum is more than');
    expect(problemsOf({ SHADOW_STRATEGIES: '[{"name":"a"},{"name":"a"}]' })[0]).toContain('two variants share a name');
    // Two listings of one model would pass the quorum as two voices, and the panel would quietly fall back to the technical analysts.
    expect(problemsOf({ ...KEYS, SHADOW_STRATEGIES: '[{"name":"d","analysts":["claude","claude"]}]' })[0]).toContain('an analyst is listed twice');
    expect(problemsOf({ SHADOW_STRATEGIES: '[{"name":"a","prompt":"x"}]' })[0]).toContain('prompt');
  });

  it('refuses a quorum above the providers with keys when the variant lists no analysts; the built-in three allow 3', () => {
    expect(problemsOf({ ...KEYS, SHADOW_STRATEGIES: '[{"name":"q3","quorum":3}]' })).toEqual([
      'SHADOW_STRATEGIES[q3].quorum: 3 is more than the 2 analysts this variant would have (the providers with an API key), so it could never trade.',
    ]);
    expect(loadConfig({ env: { SHADOW_STRATEGIES: '[{"name":"q3","quorum":3}]' } }).shadows[0]?.config.consensus.minAgreeing).toBe(3);
  });

  it('refuses an analyst the main account has no key for', () => {
    const problems = problemsOf({ CLAUDE_API_KEY: 'ck', SHADOW_STRATEGIES: '[{"name":"g","analysts":["claude","grok"]}]' });
    expect(problems).toEqual(['SHADOW_STRATEGIES[g].analysts: grok has no API key in the main configuration.']);
  });
});
