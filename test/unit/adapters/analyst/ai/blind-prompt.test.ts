import { describe, expect, it } from 'vitest';
import { blindPosition, blindSnapshot } from '../../../../../src/adapters/analyst/ai/blinding.js';
import { BLIND_NOTE, buildEntryPrompt, buildExitPrompt } from '../../../../../src/adapters/analyst/ai/prompt.js';
import { DEFAULT_RISK } from '../../../../../src/domain/settings.js';
import { BTC_CLOSE_AT_DEFAULT, marketSnapshot, openLong } from './fixtures/market-snapshot.js';

const rules = { risk: DEFAULT_RISK, minConfidence: 0.75 };
const factor = 100 / BTC_CLOSE_AT_DEFAULT;
const blindEntry = () => buildEntryPrompt(blindSnapshot(marketSnapshot(), factor), rules, { blind: true });

describe('the blind entry prompt', () => {
  it('when built, then it names no market, no date and no time, and gives no absolute volume', () => {
    const { system, user } = blindEntry();
    const text = `${system}\n${user}`;

    expect(text).not.toMatch(/BTC|USDT:USDT/);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\d|\d\d:\d\d|UTC|2025/);
    expect(text).not.toContain('24h volume');
    expect(user).toContain('price 100 | mark 100 | funding rate 0.0100%');
    expect(system.endsWith(BLIND_NOTE)).toBe(true);
  });

  it('when built, then each timeframe numbers its 20 candles back from the latest, with volumes as multiples', () => {
    const { user } = blindEntry();
    const lines = user.split('\n');

    expect(lines.filter((line) => line.endsWith('candles (candles ago,o,h,l,c,vol/avg):'))).toHaveLength(3);
    const candleLines = lines.filter((line) => /^-?\d+,[\d.]+,/.test(line));
    expect(candleLines).toHaveLength(60);
    expect(candleLines.slice(0, 20).map((line) => line.split(',')[0])).toEqual([...Array(20).keys()].map((k) => String(k - 19)));
    // The latest 15m candle: its close is the price shown as 100.
    expect(candleLines[19]?.split(',')[4]).toBe('100');
  });

  it('when the same data is asked plainly and blind, then the prompt hashes differ, so the archive keeps them apart', () => {
    const plain = buildEntryPrompt(marketSnapshot(), rules);
    const blind = blindEntry();

    expect(blind.hash).not.toBe(plain.hash);
    expect(blindEntry().hash).toBe(blind.hash);
  });

  it('when no blind style is asked for, then the plain prompt is what it always was', () => {
    const { user } = buildEntryPrompt(marketSnapshot(), rules, {});

    expect(user).toContain('BTC/USDT:USDT, last closed 15m candle opened 2025-10-10 11:45 UTC');
    expect(user).toContain('\n10 11:45,121463,121586,121400,121493,428\n');
  });
});

describe('the blind exit prompt', () => {
  it('when built, then the position and the market are shown in blind units without symbol or dates', () => {
    const snapshot = marketSnapshot();
    const { system, user } = buildExitPrompt(blindPosition(openLong(), factor), blindSnapshot(snapshot, factor), { blind: true });
    const text = `${system}\n${user}`;

    expect(text).not.toMatch(/BTC|USDT:USDT|\d{4}-\d\d-\d\d|\d\d:\d\d|2025/);
    expect(user).toContain('LONG 3x, entry 98.771, now 100');
    expect(user).toContain('open for 5h 20m');
    expect(system).toContain('should_exit');
    expect(system.endsWith(BLIND_NOTE)).toBe(true);
  });
});
