import { describe, expect, it } from 'vitest';
import { BLIND_START_LEVEL, blindPosition, blindSnapshot } from '../../../../../src/adapters/analyst/ai/blinding.js';
import { formatPrice } from '../../../../../src/adapters/analyst/ai/market-summary.js';
import { BLIND_NOTE, buildEntryPrompt, buildExitPrompt } from '../../../../../src/adapters/analyst/ai/prompt.js';
import type { MarketSnapshot } from '../../../../../src/domain/analysis.js';
import { TIMEFRAMES } from '../../../../../src/domain/market.js';
import { classifyRegime } from '../../../../../src/domain/regime.js';
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
    expect(user).toContain('LONG 3x, entry 98.77, now 100');
    expect(user).toContain('open for 5h 20m');
    expect(system).toContain('should_exit');
    expect(system.endsWith(BLIND_NOTE)).toBe(true);
  });
});

/** DOGE's first 15m candle of October 2025 opened at $0.23282: 23,282 ticks of $0.00001. */
const DOGE_START_TICKS = 23_282;
const dogeFactor = BLIND_START_LEVEL / (DOGE_START_TICKS * 0.00001);
const dogeSnapshot = () =>
  marketSnapshot({ file: 'DOGEUSDT-15m.csv', symbol: 'DOGE/USDT:USDT', lastClosedCandle: Date.UTC(2025, 9, 4, 8, 0) });

/** The o, h, l, c of every candle line of a prompt. */
const candlePrices = (user: string): string[] =>
  user
    .split('\n')
    .filter((line) => /^-?\d+,[\d.]+,/.test(line))
    .flatMap((line) => line.split(',').slice(1, 5));

/**
 * Whether every printed price can be a multiple of the tick rescaled from a start price of `ticks` ticks, within the
 * rounding its own digits admit: what someone recovering the start price from the tick grid would test.
 */
function fitsTickGrid(printed: readonly string[], ticks: number): boolean {
  const step = BLIND_START_LEVEL / ticks;
  return printed.every((text) => {
    const halfDigit = 0.5 * 10 ** -(text.split('.')[1]?.length ?? 0);
    const value = Number(text);
    return Math.abs(value - Math.round(value / step) * step) <= halfDigit + 1e-9;
  });
}

describe('the prices of a blind prompt', () => {
  // The true start price among its neighbours and among other start prices of at least 10,000 ticks.
  const candidates = [10_000, 16_834, DOGE_START_TICKS - 1, DOGE_START_TICKS, DOGE_START_TICKS + 1, 50_000, 1_000_003];

  it('when a DOGE-like coin is blinded, then its printed prices fit every start price of 10,000 ticks or more alike, so the tick grid names none', () => {
    const blind = blindSnapshot(dogeSnapshot(), dogeFactor);
    const printed = candlePrices(buildEntryPrompt(blind, rules, { blind: true }).user);

    expect(printed).toHaveLength(240);
    expect(candidates.filter((ticks) => fitsTickGrid(printed, ticks))).toEqual(candidates);
  });

  it('when the same prices are written to six significant digits, then the grid singles out the real start price (the check above can fail)', () => {
    const blind = blindSnapshot(dogeSnapshot(), dogeFactor);
    const printed = TIMEFRAMES.flatMap((timeframe) =>
      blind.timeframes[timeframe].candles.flatMap((candle) => [candle.open, candle.high, candle.low, candle.close].map(formatPrice)),
    );

    expect(fitsTickGrid(printed, DOGE_START_TICKS)).toBe(true);
    expect([10_000, 16_834, DOGE_START_TICKS - 1, DOGE_START_TICKS + 1, 50_000].filter((ticks) => fitsTickGrid(printed, ticks))).toEqual([]);
  });
});

/** A snapshot whose regime the domain calls VOLATILE from 137 hourly candles, as for a market listed 137 hours ago. */
function youngVolatileSnapshot(): MarketSnapshot {
  const snapshot = marketSnapshot();
  const hourly = snapshot.timeframes['1h'];
  const candles = Array.from({ length: 137 }, (_, index) => ({ openTime: index * 3_600_000, open: 100, high: 101, low: 99, close: 100, volume: 1 }));
  const timeframes = { ...snapshot.timeframes, '1h': { ...hourly, candles, indicators: { ...hourly.indicators, atrPct: 0.05 } } };
  return { ...snapshot, timeframes, regime: classifyRegime(timeframes) };
}

describe('the regime line of a blind prompt', () => {
  it('when the regime compares the ATR with the hours of history there are, then the blind prompt leaves out how many hours', () => {
    const snapshot = youngVolatileSnapshot();
    expect(snapshot.regime.reason).toContain('137-hour average');

    const { user } = buildEntryPrompt(blindSnapshot(snapshot, factor), rules, { blind: true });
    const regime = user.split('\n').find((line) => line.startsWith('regime '));

    expect(regime).toMatch(/^regime VOLATILE \w+: 1h ATR is 5\.00% of price, 2\.50x its average\.$/);
    expect(user).not.toMatch(/\d+-hour/);
  });

  it('when asked plainly, then the regime line keeps the hour count the daemon has always shown', () => {
    const { user } = buildEntryPrompt(youngVolatileSnapshot(), rules);

    expect(user).toContain('1h ATR is 5.00% of price, 2.50x its 137-hour average.');
  });
});

describe('plain prompts', () => {
  // Cached answers are keyed by prompt: a plain prompt that changed by one byte would be paid for again.
  it('when built from the same data as before blind mode was tightened, then they are byte for byte the same', () => {
    expect(buildEntryPrompt(marketSnapshot(), rules).hash).toBe('ca5a59c523d61093fa0f07b18006eaa43f930e9e327151d321bc238b86666b7d');
    expect(buildExitPrompt(openLong(), marketSnapshot()).hash).toBe('899d36e3538b98bda9a434ae84cf4d17f07a9c61d3056df32ab625a5df2e9d95');
  });
});
