import { describe, expect, it } from 'vitest';
import { toNumeric } from '../../../src/adapters/store/values.js';

describe('writing numbers as NUMERIC literals', () => {
  it.each([
    [1e-7, '0.0000001'],
    [-1e-7, '-0.0000001'],
    [1.5e-7, '0.00000015'],
    [1e-8, '0.00000001'],
    [123_456.789012, '123456.789012'],
    [2e21, '2000000000000000000000'],
    [60_000, '60000'],
  ])('when %d is written, then it is %s without exponent notation', (value, expected) => {
    expect(toNumeric(value)).toBe(expected);
  });

  it('when a value carries floating-point noise past 12 decimals, then the noise is dropped', () => {
    expect(toNumeric(0.1 + 0.2)).toBe('0.3');
    expect(toNumeric(1e-13)).toBe('0');
    expect(toNumeric(-0)).toBe('0');
  });

  it('when a value is not finite, then it is refused', () => {
    expect(() => toNumeric(Number.POSITIVE_INFINITY)).toThrow(/Infinity/);
    expect(() => toNumeric(Number.NaN)).toThrow(/NaN/);
  });
});
