// Builders and time windows shared by the store contract cases.
import type { Fill, Trade } from '../../../src/domain/trading.js';
import type { DecisionRecord, NewPosition } from '../../../src/ports/store.js';

let eras = 0;
/** A time window of its own for one case: 1 Jan of a year nobody else uses. */
export function era(): number {
  eras += 1;
  return Date.UTC(1990 + eras, 0, 1);
}

let pastEras = 0;
/**
 * For the outbox, whose `due(now)` sees every undelivered message created before `now`: each case goes further
 * back in time than the last, so messages left by earlier cases are still in its future.
 */
export function pastEra(): number {
  pastEras += 1;
  return Date.UTC(1990 - pastEras, 0, 1);
}

/**
 * For reads of the newest rows of a whole table (the logs' `recent`): a year after every other case's, so what
 * other cases wrote is older.
 */
export function latestEra(): number {
  return Date.UTC(2200, 0, 1);
}

let symbols = 0;
function symbol(): string {
  symbols += 1;
  return `T${symbols}/USDT:USDT`;
}

export const at = (base: number, minutes: number): Date => new Date(base + minutes * 60_000);

export function newPosition(overrides: Partial<NewPosition> = {}): NewPosition {
  return {
    symbol: symbol(),
    side: 'long',
    leverage: 5,
    quantity: 0.01,
    entryPrice: 60_000,
    margin: 120,
    stopPrice: 57_000,
    stopLossPct: 0.05,
    liquidationPrice: 48_500,
    entryFee: 0.24,
    funding: 0,
    openedAt: new Date(Date.UTC(2024, 0, 1)),
    rationale: { confidence: 0.8, opportunityScore: 1.4, agreeing: ['claude', 'deepseek'], dissenting: ['grok'] },
    ...overrides,
  };
}

export function tradeFor(positionId: string, base: number, overrides: Partial<Trade> = {}): Trade {
  const fills: Fill[] = [
    { id: 'f-in', orderId: 'x1', clientOrderId: 'c1', symbol: 'ANY', side: 'buy', price: 60_000, quantity: 0.01, fee: 0.24,
      time: at(base, 0) },
    { id: 'f-out', orderId: 'x2', symbol: 'ANY', side: 'sell', price: 61_000, quantity: 0.01, fee: 0.244,
      time: at(base, 90) },
  ];
  return {
    positionId,
    symbol: 'ANY',
    side: 'long',
    leverage: 5,
    quantity: 0.01,
    entryPrice: 60_000,
    exitPrice: 61_000,
    margin: 120,
    stopPrice: 57_000,
    liquidationPrice: 48_500,
    entryFee: 0.24,
    exitFee: 0.244,
    funding: -0.01,
    grossPnl: 10,
    netPnl: 9.506,
    pnlPct: 0.0792166667,
    reason: 'take_profit',
    openedAt: at(base, 0),
    closedAt: at(base, 90),
    rationale: { confidence: 0.8, opportunityScore: 1.4, agreeing: ['claude'], dissenting: [] },
    fills,
    ...overrides,
  };
}

export function decision(time: Date, costUsd: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    time,
    symbol: 'BTC/USDT:USDT',
    analyst: 'claude',
    purpose: 'entry',
    outcome: 'valid',
    action: 'long',
    confidence: 0.72,
    side: 'long',
    leverage: 4,
    stopLossPct: 0.06,
    takeProfitPct: 0.12,
    riskReward: 2,
    reasoning: 'trend up on 4h, RSI not stretched',
    usage: { model: 'claude-x', latencyMs: 812, inputTokens: 1900, outputTokens: 210, costUsd, promptHash: 'abc', cached: false },
    raw: '{"action":"long"}',
    price: 60_000,
    ...overrides,
  };
}
