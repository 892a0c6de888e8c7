import { describe, expect, it } from 'vitest';
import { SETTLEMENT_POSTING_MS, settlementOwed, unlistedRecentSettlement } from '../../../src/domain/funding-posting.js';
import type { Fill, Trade } from '../../../src/domain/trading.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

function trade(openedAt: string, closedAt: string): Pick<Trade, 'side' | 'fills' | 'closedAt'> {
  const fill = (side: 'buy' | 'sell', time: string): Fill => ({ id: time, orderId: side, symbol: 'X', side, price: 1, quantity: 1, fee: 0, time: new Date(time) });
  return { side: 'long', fills: [fill('buy', openedAt), fill('sell', closedAt)], closedAt: new Date(closedAt) };
}

describe('a settlement whose payment may still be posting', () => {
  it('is the whole hour inside the holding under the posting window before now, while no payment is listed at it', () => {
    const held = trade('2025-09-20T07:30:00Z', '2025-09-20T08:00:05Z');
    const now = new Date('2025-09-20T08:00:06Z');
    expect(unlistedRecentSettlement(held, [], now)).toBe(at('2025-09-20T08:00:00Z'));
    expect(unlistedRecentSettlement(held, [{ symbol: 'X', amount: 0.1, time: new Date('2025-09-20T08:00:00.004Z') }], now)).toBeUndefined();
    expect(unlistedRecentSettlement(held, [], new Date(at('2025-09-20T08:00:00Z') + SETTLEMENT_POSTING_MS))).toBeUndefined();
  });

  it('is none for a holding that took in no whole hour, or one at its very first entry or last exit fill', () => {
    const now = new Date('2025-09-20T08:01:00Z');
    expect(unlistedRecentSettlement(trade('2025-09-20T07:10:00Z', '2025-09-20T07:59:59Z'), [], now)).toBeUndefined();
    expect(unlistedRecentSettlement(trade('2025-09-20T08:00:00Z', '2025-09-20T08:00:30Z'), [], now)).toBeUndefined();
    expect(unlistedRecentSettlement(trade('2025-09-20T07:10:00Z', '2025-09-20T08:00:00Z'), [], now)).toBeUndefined();
  });
});

describe('whether a market settles at an instant with something to pay', () => {
  const eightHourly = [{ time: at('2025-09-19T16:00:00Z'), rate: 0.0001 }, { time: at('2025-09-20T00:00:00Z'), rate: 0.0001 }];
  const hourly = [{ time: at('2025-09-20T07:00:00Z'), rate: 0.00001 }, { time: at('2025-09-20T08:00:00Z'), rate: 0.00001 }];

  it('is told by the settlement itself when it is listed: nothing is owed at a zero rate', () => {
    expect(settlementOwed(at('2025-09-20T08:00:00Z'), { events: [...eightHourly, { time: at('2025-09-20T08:00:00Z'), rate: 0.0002 }] })).toBe(true);
    expect(settlementOwed(at('2025-09-20T08:00:00Z'), { events: [...eightHourly, { time: at('2025-09-20T08:00:00Z'), rate: 0 }] })).toBe(false);
  });

  it('is told by the pace of the settlements listed before it when it is not listed yet (8-hourly, hourly)', () => {
    expect(settlementOwed(at('2025-09-20T08:00:00Z'), { events: eightHourly })).toBe(true);
    expect(settlementOwed(at('2025-09-20T09:00:00Z'), { events: eightHourly })).toBe(false);
    expect(settlementOwed(at('2025-09-20T12:00:00Z'), { events: eightHourly })).toBe(false);
    expect(settlementOwed(at('2025-09-20T09:00:00Z'), { events: hourly })).toBe(true);
  });

  it('is none where the market lists no settlement at all', () => {
    expect(settlementOwed(at('2025-09-20T08:00:00Z'), { events: [], nextSettlement: at('2025-09-20T16:00:00Z') })).toBe(false);
  });

  it('is told by the next settlement where one alone is listed or the list cannot be read, and taken as owed where nothing tells', () => {
    const nine = at('2025-09-20T09:00:00Z');
    expect(settlementOwed(nine, { nextSettlement: nine + HOUR })).toBe(true);
    expect(settlementOwed(nine, { events: [{ time: nine - 4 * HOUR, rate: 0.0001 }], nextSettlement: nine + 4 * HOUR })).toBe(true);
    expect(settlementOwed(nine, { events: [{ time: nine - 5 * HOUR, rate: 0.0001 }], nextSettlement: nine + 7 * HOUR })).toBe(false);
    expect(settlementOwed(nine, { nextSettlement: nine + 3 * HOUR })).toBe(false);
    expect(settlementOwed(nine, { events: [{ time: nine - 5 * HOUR, rate: 0.0001 }] })).toBe(true);
    expect(settlementOwed(nine, {})).toBe(true);
  });
});
