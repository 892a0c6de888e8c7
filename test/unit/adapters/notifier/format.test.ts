import { describe, expect, it } from 'vitest';
import {
  cutText,
  defaultPriceDecimals,
  displaySymbol,
  formatDuration,
  formatFunding,
  formatLeverage,
  formatPct,
  formatPctCompact,
  formatPrice,
  formatQuantity,
  formatSignedPct,
  formatSignedUsd,
  formatUsd,
  formatUtcTime,
  plural,
} from '../../../../src/adapters/notifier/render/format.js';

describe('number formatting for people', () => {
  it('when showing dollars, then thousands are grouped, cents kept and a loss carries a leading minus', () => {
    expect(formatUsd(1234.56)).toBe('$1,234.56');
    expect(formatUsd(-3.1)).toBe('-$3.10');
    expect(formatUsd(1_234_567)).toBe('$1,234,567.00');
    expect(formatUsd(-0.001)).toBe('$0.00');
  });

  it('when showing a change in dollars, then gains get a plus and nothing rounds to a signed zero', () => {
    expect(formatSignedUsd(2.5)).toBe('+$2.50');
    expect(formatSignedUsd(-3.1)).toBe('-$3.10');
    expect(formatSignedUsd(0.004)).toBe('$0.00');
  });

  it('when showing funding, then the way the money went is a word, not a sign beside a fee shown positive', () => {
    expect(formatFunding(-0.4)).toBe('$0.40 paid');
    expect(formatFunding(1_250.5)).toBe('$1,250.50 received');
    expect(formatFunding(-0.004)).toBe('$0.00');
  });

  it('when showing fractions as percentages, then two decimals and an optional sign', () => {
    expect(formatSignedPct(0.0235)).toBe('+2.35%');
    expect(formatSignedPct(-0.012)).toBe('-1.20%');
    expect(formatSignedPct(0)).toBe('0.00%');
    expect(formatPct(0.75, 0)).toBe('75%');
    expect(formatPctCompact(0.055)).toBe('5.5%');
    expect(formatPctCompact(0.1)).toBe('10%');
  });

  it('when a market precision is given, then prices use it; otherwise five significant digits, at least two decimals', () => {
    expect(formatPrice(62_345.1, 1)).toBe('62,345.1');
    expect(formatPrice(62_345.1)).toBe('62,345.10');
    expect(formatPrice(145.2)).toBe('145.20');
    expect(formatPrice(2.345)).toBe('2.3450');
    expect(formatPrice(0.1234)).toBe('0.12340');
    expect(defaultPriceDecimals(0.00001234)).toBe(8);
  });

  it('when showing quantities and leverage, then trailing zeros are trimmed', () => {
    expect(formatQuantity(0.015)).toBe('0.015');
    expect(formatQuantity(12_000)).toBe('12,000');
    expect(formatQuantity(0.1 + 0.2)).toBe('0.3');
    expect(formatLeverage(5)).toBe('5x');
    expect(formatLeverage(2.5)).toBe('2.5x');
  });

  it('when showing times and durations, then UTC to the minute and the two largest units', () => {
    expect(formatUtcTime(new Date('2025-10-10T21:05:59Z'))).toBe('2025-10-10 21:05 UTC');
    expect(formatDuration((3 * 60 + 25) * 60_000 + 30_000)).toBe('3h 25m');
    expect(formatDuration((2 * 24 + 4) * 3_600_000 + 60_000)).toBe('2d 4h');
    expect(formatDuration(12 * 60_000)).toBe('12m');
    expect(formatDuration(40_000)).toBe('40s');
    expect(formatDuration(-5)).toBe('0s');
  });

  it('when naming things, then the settlement suffix is dropped and counts agree with their noun', () => {
    expect(displaySymbol('BTC/USDT:USDT')).toBe('BTC/USDT');
    expect(displaySymbol('BTCUSDT')).toBe('BTCUSDT');
    expect(plural(1, 'loss', 'losses')).toBe('1 loss');
    expect(plural(3, 'win')).toBe('3 wins');
  });

  it('when text is cut short, then it is cut between characters, never between the halves of an emoji, and ends in an ellipsis', () => {
    expect(cutText('abcdef', 6)).toBe('abcdef');
    expect(cutText('abcdefg', 6)).toBe('abcde…');
    expect(cutText('ab🚀🚀cd', 4)).toBe('ab🚀…');
    expect(cutText('🚀🚀🚀', 3)).toBe('🚀🚀🚀');
  });
});
