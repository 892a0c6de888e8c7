// The dashboard's numbers: funding is said as paid or received, as fees are shown as amounts paid.
import { describe, expect, it } from 'vitest';
import { funding } from '../../../src/web/format.js';

describe('the dashboard\'s funding figure', () => {
  it('when funding cost the trade, then it reads as paid; when it added, as received; when it rounds away, as nothing', () => {
    expect(funding(-0.1234, 4)).toBe('$0.1234 paid');
    expect(funding(1_250.5)).toBe('$1,250.50 received');
    expect(funding(-0.00004, 4)).toBe('$0.0000');
    expect(funding(undefined)).toBe('—');
  });
});
