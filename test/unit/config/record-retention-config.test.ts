import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';

describe('RECORD_RETENTION_DAYS', () => {
  it('when unset, then records are kept 190 days; 0 keeps them all; a fraction or a negative is refused', () => {
    expect(loadConfig({ env: {} }).recordRetentionDays).toBe(190);
    expect(loadConfig({ env: { RECORD_RETENTION_DAYS: '0' } }).recordRetentionDays).toBe(0);
    expect(loadConfig({ env: { RECORD_RETENTION_DAYS: '30' } }).recordRetentionDays).toBe(30);
    expect(() => loadConfig({ env: { RECORD_RETENTION_DAYS: '1.5' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { RECORD_RETENTION_DAYS: '-1' } })).toThrow(/RECORD_RETENTION_DAYS/);
  });
});
