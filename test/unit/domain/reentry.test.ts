import { describe, expect, it } from 'vitest';
import { reentryAllowedAt } from '../../../src/domain/reentry.js';

describe('re-entry after a close', () => {
  it('waits for the close of the 15m candle that was forming at the exit', () => {
    expect(reentryAllowedAt(new Date('2025-09-20T10:07:30Z')).toISOString()).toBe('2025-09-20T10:15:00.000Z');
    expect(reentryAllowedAt(new Date('2025-09-20T10:14:59.999Z')).toISOString()).toBe('2025-09-20T10:15:00.000Z');
  });

  it('a close on a candle boundary saw that candle already: it waits for the next one', () => {
    expect(reentryAllowedAt(new Date('2025-09-20T10:15:00Z')).toISOString()).toBe('2025-09-20T10:30:00.000Z');
  });
});
