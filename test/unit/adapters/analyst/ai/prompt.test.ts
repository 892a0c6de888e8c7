import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatAmount, formatPrice } from '../../../../../src/adapters/analyst/ai/market-summary.js';
import { estimateTokens } from '../../../../../src/adapters/analyst/ai/pricing.js';
import { buildEntryPrompt, buildExitPrompt } from '../../../../../src/adapters/analyst/ai/prompt.js';
import type { RiskSettings } from '../../../../../src/domain/settings.js';
import { DEFAULT_RISK } from '../../../../../src/domain/settings.js';
import { BTC_CLOSE_AT_DEFAULT, marketSnapshot, openLong } from './fixtures/market-snapshot.js';

const rules = { risk: DEFAULT_RISK, minConfidence: 0.75 };

describe('the entry prompt', () => {
  it('when the risk settings are tighter, then the system prompt states those limits and the confidence bar', () => {
    const risk: RiskSettings = { ...DEFAULT_RISK, maxLeverage: 4, minStopLossPct: 0.04, maxStopLossPct: 0.08 };

    const { system } = buildEntryPrompt(marketSnapshot(), { risk, minConfidence: 0.8 });

    expect(system).toContain('confidence >= 0.8');
    expect(system).toContain('from 0.04 to 0.08');
    expect(system).toContain('a whole number from 2 to 4');
    expect(system).toContain('at least 1.5');
    expect(system).toContain('"action":"LONG"|"SHORT"|"HOLD"');
  });

  it('when a shadow strategy adds a note, then it follows the rules in the system prompt, and without one the prompt is unchanged', () => {
    const plain = buildEntryPrompt(marketSnapshot(), rules);
    const noted = buildEntryPrompt(marketSnapshot(), { ...rules, note: 'Trade only with the 4h trend.' });
    expect(noted.system).toBe(`${plain.system}\n\nThe account owner adds, within the rules above: Trade only with the 4h trend.`);
    expect(noted.hash).not.toBe(plain.hash);
  });

  it('when built from a snapshot, then the user prompt carries price, volume, regime, funding and every timeframe', () => {
    const { user } = buildEntryPrompt(marketSnapshot(), rules);

    expect(user).toContain('BTC/USDT:USDT, last closed 15m candle opened 2025-10-10 11:45 UTC');
    expect(user).toContain('price 121493 |');
    expect(user).toContain('24h volume 14.3B USDT');
    expect(user).toContain('funding rate 0.0100%');
    expect(user).toContain('regime TRENDING up: ADX 27 on 4h');
    for (const timeframe of ['15m', '1h', '4h']) expect(user).toContain(`[${timeframe}] trend up`);
    for (const label of ['RSI14 ', 'MACD ', ' hist ', 'BB ', '%B ', 'width ', 'SMA20/50/200 ', 'EMA20/50/200 ', 'ATR14 ', 'ADX ', '+DI ', '-DI ', 'vol ratio ']) {
      expect(user.split(label).length - 1, label).toBeGreaterThanOrEqual(3);
    }
  });

  it('when the market settles funding other than every 8 h, then the prompt says how often; an 8-hour market\'s prompt is unchanged', () => {
    const hourly = buildEntryPrompt({ ...marketSnapshot(), fundingIntervalHours: 1 }, rules);
    const eightHourly = buildEntryPrompt({ ...marketSnapshot(), fundingIntervalHours: 8 }, rules);

    expect(hourly.user).toContain('funding rate 0.0100% every 1 h');
    expect(eightHourly.hash).toBe(buildEntryPrompt(marketSnapshot(), rules).hash);
  });

  it('when built, then each timeframe lists its last 20 candles one per line', () => {
    const { user } = buildEntryPrompt(marketSnapshot(), rules);

    const candleLines = user.split('\n').filter((line) => /^\d\d \d\d:\d\d,/.test(line));
    expect(candleLines).toHaveLength(60);
    // history row 1760096700000,121463,121586.3,121399.7,121493.2,427.727 at six significant digits, volume at three.
    expect(user).toContain('\n10 11:45,121463,121586,121400,121493,428\n');
  });

  it('when the coin trades below a dollar, then its prices keep six significant digits', () => {
    expect(formatPrice(0.240734)).toBe('0.240734');
    expect(formatPrice(0.0000123456789)).toBe('0.0000123457');
    expect(formatAmount(93_743_220)).toBe('93.7M');
  });

  it('when the snapshot is rebuilt from the same data, then the prompt hash is identical', () => {
    const first = buildEntryPrompt(marketSnapshot(), rules);
    const second = buildEntryPrompt(marketSnapshot(), rules);

    expect(second.hash).toBe(first.hash);
    expect(first.hash).toBe(createHash('sha256').update(`${first.system}\u0000${first.user}`).digest('hex'));
  });

  it('when one candle close differs, then the prompt hash differs', () => {
    const original = buildEntryPrompt(marketSnapshot(), rules);
    const changed = buildEntryPrompt(marketSnapshot({ lastClose: BTC_CLOSE_AT_DEFAULT + 25 }), rules);

    expect(changed.hash).not.toBe(original.hash);
  });

  it('when measured, then system plus user prompt stay well under 4,000 tokens', () => {
    for (const file of ['BTCUSDT-15m.csv', 'DOGEUSDT-15m.csv']) {
      const { system, user } = buildEntryPrompt(marketSnapshot({ file }), rules);

      expect(estimateTokens(system + user), file).toBeLessThan(2_500);
    }
  });
});

describe('the exit prompt', () => {
  it('when a long is 5h20m old and in profit, then the prompt states side, prices, P&L, distances and age', () => {
    const { system, user } = buildExitPrompt(openLong(), marketSnapshot());

    // entry 120,000, now 121,493.2, 0.01 BTC: P&L 14.932 USDT = 1.244% of price, 3.733% of the 400 USDT margin;
    // stop 112,800 is 7.155% below the price, liquidation 80,400 is 33.82% below it.
    expect(user).toContain('LONG BTC/USDT:USDT 3x, entry 120000, now 121493');
    expect(user).toContain('P&L +1.24% of price, +3.73% on margin (+14.93 USDT)');
    expect(user).toContain('stop 112800 (7.16% away), liquidation 80400 (33.82% away), take-profit 134400');
    expect(user).toContain('open for 5h 20m');
    expect(user).toContain('[4h] trend up');
    expect(system).toContain('{"should_exit":true|false,"confidence":0.0-1.0,"reason":');
  });

  it('when a short is under water, then its P&L is negative', () => {
    const position = openLong({ side: 'short', stopPrice: 127_200, liquidationPrice: 159_600, takeProfitPrice: undefined });

    const { user } = buildExitPrompt(position, marketSnapshot());

    expect(user).toContain('P&L -1.24% of price, -3.73% on margin (-14.93 USDT)');
    expect(user).not.toContain('take-profit');
  });
});
