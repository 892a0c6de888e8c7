import { describe, expect, it } from 'vitest';
import { SecretFilter } from '../../../../src/adapters/web/http-reply.js';

describe('the dashboard\'s last secret filter', () => {
  it('when a secret with a quote and a backslash reaches a JSON answer, then it is redacted in its escaped form', () => {
    const secret = 'pa"ss\\word-42';
    const filter = new SecretFilter([secret]);

    const filtered = filter.text(JSON.stringify({ error: `login failed for ${secret}` }));

    expect(filtered).not.toContain('word-42');
    expect(JSON.parse(filtered)).toEqual({ error: 'login failed for [redacted]' });
  });

  it('redacts a plain secret in text, and leaves values too short to be secrets alone', () => {
    const filter = new SecretFilter(['s3cr3t-key', 'abc']);

    expect(filter.text('key=s3cr3t-key, abc')).toBe('key=[redacted], abc');
  });
});
