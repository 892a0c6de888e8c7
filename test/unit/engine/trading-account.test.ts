import { describe, expect, it } from 'vitest';
import { capped } from '../../../src/engine/trading-account.js';

describe('the capital the engine may use', () => {
  it('is the whole balance when no cap is set (paper and replay accounts start at the configured capital)', () => {
    expect(capped({ total: 1_000, available: 900, currency: 'USDT' }, undefined)).toEqual({ capital: 1_000, available: 900 });
  });

  it('never exceeds the configured capital on a larger live account', () => {
    expect(capped({ total: 1_000, available: 1_000, currency: 'USDT' }, 100)).toEqual({ capital: 100, available: 100 });
  });

  it('counts margin already in use against the cap', () => {
    expect(capped({ total: 1_000, available: 940, currency: 'USDT' }, 100)).toEqual({ capital: 100, available: 40 });
  });

  it('follows the balance down when the account holds less than the cap', () => {
    expect(capped({ total: 80, available: 80, currency: 'USDT' }, 100)).toEqual({ capital: 80, available: 80 });
  });
});
