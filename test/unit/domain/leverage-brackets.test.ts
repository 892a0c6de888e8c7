import { describe, expect, it } from 'vitest';
import { bracketsFromRates, largestKnownNotional, maintenanceAt, maintenanceEstimate, UNKNOWN_FIRST_BRACKET_CAP } from '../../../src/domain/leverage-brackets.js';
import type { MarketSpec } from '../../../src/domain/market.js';
import { liquidationPrice } from '../../../src/domain/money.js';

/** Binance USDⓈ-M's BTCUSDT table as ccxt recorded it: (notional floor, maintenance rate). */
const BTC_ROWS: [number, number][] = [
  [0, 0.004],
  [50_000, 0.005],
  [250_000, 0.01],
  [3_000_000, 0.025],
];

const btc = (brackets = bracketsFromRates(BTC_ROWS)): MarketSpec => ({
  symbol: 'BTC/USDT:USDT',
  id: 'BTCUSDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.1,
  amountStep: 0.001,
  minAmount: 0.001,
  minNotional: 100,
  maintenanceMarginRate: 0.004,
  maintenanceAmount: 0,
  maxLeverage: 125,
  brackets,
});

describe('leverage brackets', () => {
  it('derives each maintenance amount so the maintenance margin is continuous at every floor', () => {
    const brackets = bracketsFromRates(BTC_ROWS);
    // 50 000 × (0.005 − 0.004) = 50; then + 250 000 × (0.01 − 0.005) = 1 300; then + 3 000 000 × 0.015 = 46 300.
    expect(brackets.map((b) => b.maintenanceAmount)).toEqual([0, 50, 1_300, 46_300]);
    expect(brackets.map((b) => b.notionalCap)).toEqual([50_000, 250_000, 3_000_000, Number.POSITIVE_INFINITY]);
    for (const [index, bracket] of brackets.entries()) {
      const below = brackets[index - 1];
      if (!below) continue;
      const at = bracket.notionalFloor;
      expect(at * bracket.maintenanceMarginRate - bracket.maintenanceAmount).toBeCloseTo(at * below.maintenanceMarginRate - below.maintenanceAmount, 9);
    }
  });

  it('when a position is larger, then its bracket has a higher rate, and liquidation sits closer than the first bracket would say', () => {
    const market = btc();
    expect(maintenanceAt(market, 49_999)).toEqual({ maintenanceMarginRate: 0.004, maintenanceAmount: 0 });
    expect(maintenanceAt(market, 50_000)).toEqual({ maintenanceMarginRate: 0.005, maintenanceAmount: 50 });
    const quantity = 10;
    const entryPrice = 100_000;
    const margin = (quantity * entryPrice) / 5;
    const withBracket = liquidationPrice({ side: 'long', entryPrice, quantity, margin, ...(maintenanceAt(market, quantity * entryPrice) ?? expect.fail('no bracket')) });
    const firstOnly = liquidationPrice({ side: 'long', entryPrice, quantity, margin, maintenanceMarginRate: 0.004, maintenanceAmount: 0 });
    expect(withBracket).toBeGreaterThan(firstOnly);
  });

  it('when the venue\'s table is unknown, then only positions inside the first bracket get terms, at the first bracket\'s rate', () => {
    const market = { ...btc(), brackets: undefined };
    expect(maintenanceAt(market, UNKNOWN_FIRST_BRACKET_CAP - 1)).toEqual({ maintenanceMarginRate: 0.004, maintenanceAmount: 0 });
    expect(maintenanceAt(market, UNKNOWN_FIRST_BRACKET_CAP)).toBeUndefined();
    expect(largestKnownNotional(market, 5)).toBe(UNKNOWN_FIRST_BRACKET_CAP);
    expect(largestKnownNotional(btc(), 5)).toBe(Number.POSITIVE_INFINITY);
  });

  it('when a larger bracket does not allow the leverage, then positions end at its floor', () => {
    const market = btc(bracketsFromRates(BTC_ROWS, [125, 100, 50, 4]));
    expect(largestKnownNotional(market, 5)).toBe(3_000_000);
    expect(largestKnownNotional(market, 4)).toBe(Number.POSITIVE_INFINITY);
    expect(largestKnownNotional(market, 60)).toBe(250_000);
  });

  it('estimates a position beyond the table with its highest known bracket, never the first', () => {
    const unknown = { ...btc(), brackets: undefined };
    expect(maintenanceEstimate(unknown, 1_000_000)).toEqual({ maintenanceMarginRate: 0.004, maintenanceAmount: 0 });
    const short = btc(bracketsFromRates(BTC_ROWS.slice(0, 2)).map((b, i) => (i === 1 ? { ...b, notionalCap: 250_000 } : b)));
    expect(maintenanceEstimate(short, 1_000_000)).toEqual({ maintenanceMarginRate: 0.005, maintenanceAmount: 50 });
  });
});
