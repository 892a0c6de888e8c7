// The dashboard's numbers: funding is said as paid or received, as fees are shown as amounts paid.
import { describe, expect, it } from 'vitest';
import { funding, nextScan } from '../../../src/web/format.js';

describe('the dashboard\'s funding figure', () => {
  it('when funding cost the trade, then it reads as paid; when it added, as received; when it rounds away, as nothing', () => {
    expect(funding(-0.1234, 4)).toBe('$0.1234 paid');
    expect(funding(1_250.5)).toBe('$1,250.50 received');
    expect(funding(-0.00004, 4)).toBe('$0.0000');
    expect(funding(undefined)).toBe('—');
  });
});

describe('the dashboard\'s next scan', () => {
  const now = '2025-10-10T21:25:00.000Z';

  it('when a scan is scheduled, then it says when; while entries are blocked or positions are full, so; before the loop\'s first step after a start, that it comes after start-up', () => {
    expect(nextScan({ now, lastTickAt: now, nextScanAt: '2025-10-10T21:30:00.000Z' })).toBe('in 5 min');
    expect(nextScan({ now, lastTickAt: now })).toBe('positions full');
    expect(nextScan({ now, lastTickAt: now, breakers: [{ kind: 'manual_pause' }] })).toBe('none while entries are blocked');
    expect(nextScan({ now })).toBe('after start-up');
  });
});
