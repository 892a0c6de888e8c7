// Builders for domain values in tests: sensible defaults, overridden per story.
import type { MarketSpec } from '../../src/domain/market.js';
import type { CallUsage, Vote } from '../../src/domain/analysis.js';
import type { Position } from '../../src/domain/trading.js';
import type { DecisionRecord } from '../../src/ports/store.js';

export function marketSpec(overrides: Partial<MarketSpec> = {}): MarketSpec {
  return {
    symbol: 'ETH/USDT:USDT',
    id: 'ETHUSDT',
    base: 'ETH',
    quote: 'USDT',
    tickSize: 0.01,
    amountStep: 0.001,
    minAmount: 0.001,
    minNotional: 20,
    maintenanceMarginRate: 0.005,
    maintenanceAmount: 0,
    maxLeverage: 100,
    ...overrides,
  };
}

export function position(overrides: Partial<Position> = {}): Position {
  return {
    id: '1',
    symbol: 'ETH/USDT:USDT',
    side: 'long',
    status: 'open',
    leverage: 5,
    quantity: 1,
    entryPrice: 100,
    margin: 20,
    stopPrice: 95,
    stopLossPct: 0.05,
    liquidationPrice: 80.4,
    entryFee: 0.05,
    funding: 0,
    openedAt: new Date('2025-10-01T00:00:00Z'),
    rationale: { confidence: 0.8, opportunityScore: 85, agreeing: ['a', 'b'], dissenting: [] },
    ...overrides,
  };
}

export const NO_USAGE: CallUsage = {
  model: 'test',
  latencyMs: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  promptHash: '',
  cached: false,
};

export function vote(overrides: Partial<Vote> = {}): Vote {
  return {
    analyst: 'a',
    outcome: 'valid',
    action: 'long',
    confidence: 0.8,
    leverage: 3,
    stopLossPct: 0.06,
    takeProfitPct: 0.12,
    riskReward: 2,
    reasoning: 'test',
    keyFactors: [],
    usage: NO_USAGE,
    ...overrides,
  };
}

/** A paid AI answer (Claude's hold on BTC) that cost `costUsd`, as the decisions table holds it. */
export function paidDecision(time: Date, costUsd: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  const usage = { model: 'm', latencyMs: 1, inputTokens: 10, outputTokens: 10, costUsd, promptHash: 'h', cached: false };
  return decisionRecord({ time, analyst: 'claude', reasoning: 'r', usage, ...overrides });
}

/** A technical analyst's valid hold on BTC, as the decisions table holds it. */
export function decisionRecord(overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    time: new Date('2025-10-01T00:00:00Z'),
    symbol: 'BTC/USDT:USDT',
    analyst: 'trend',
    purpose: 'entry',
    outcome: 'valid',
    action: 'hold',
    confidence: 0.5,
    reasoning: 'no edge',
    usage: { model: 'rules:trend', latencyMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, promptHash: '', cached: false },
    price: 60_000,
    ...overrides,
  };
}
