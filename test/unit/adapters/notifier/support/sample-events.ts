// One event of every kind, with figures chosen so the expected texts can be worked out by hand.
import type { EquityPoint, PeriodSummary, RiskLimitsSummary, TradingEvent, TradingEventType } from '../../../../../src/domain/events.js';
import type { Position, Trade } from '../../../../../src/domain/trading.js';

/** Text a careless renderer would break: markup characters, both quotes and an emoji. */
export const HOSTILE = `<script> & "quotes" 'single' 🚀`;

export const PRICE_PRECISION: Readonly<Record<string, number>> = { 'BTC/USDT:USDT': 1, 'ETH/USDT:USDT': 2 };
export const pricePrecision = (symbol: string): number | undefined => PRICE_PRECISION[symbol];

export function btcLong(overrides: Partial<Position> = {}): Position {
  return {
    id: 'pos-1',
    symbol: 'BTC/USDT:USDT',
    side: 'long',
    status: 'open',
    leverage: 5,
    quantity: 0.064,
    entryPrice: 62_345.1,
    // 0.064 × 62,345.1 = 3,990.0864 notional; / 5 leverage = 798.01728 margin.
    margin: 798.01728,
    stopPrice: 59_227.8,
    stopLossPct: 0.05,
    liquidationPrice: 50_123.4,
    entryFee: 1.995,
    funding: 0,
    openedAt: new Date('2025-10-10T17:40:00Z'),
    rationale: { confidence: 0.82, opportunityScore: 86.4, agreeing: ['claude', 'deepseek'], dissenting: ['grok'] },
    ...overrides,
  };
}

export function btcTrade(overrides: Partial<Trade> = {}): Trade {
  const position = btcLong();
  const exitPrice = 63_500;
  // Gross: 0.064 × (63,500 − 62,345.1) = 73.9136; net: 73.9136 − 1.995 − 2.032 − 0.40 = 69.4866.
  const grossPnl = 0.064 * (exitPrice - position.entryPrice);
  const netPnl = grossPnl - 1.995 - 2.032 - 0.4;
  return {
    positionId: position.id,
    symbol: position.symbol,
    side: position.side,
    leverage: position.leverage,
    quantity: position.quantity,
    entryPrice: position.entryPrice,
    exitPrice,
    margin: position.margin,
    stopPrice: position.stopPrice,
    liquidationPrice: position.liquidationPrice,
    entryFee: 1.995,
    exitFee: 2.032,
    funding: -0.4,
    grossPnl,
    netPnl,
    pnlPct: netPnl / position.margin,
    reason: 'take_profit',
    openedAt: position.openedAt,
    closedAt: new Date('2025-10-10T21:05:30Z'),
    rationale: position.rationale,
    fills: [],
    ...overrides,
  };
}

export function ethShortLoss(): Trade {
  return btcTrade({
    positionId: 'pos-2',
    symbol: 'ETH/USDT:USDT',
    side: 'short',
    entryPrice: 2450,
    exitPrice: 2480,
    netPnl: -3.1,
    pnlPct: -0.031,
    reason: 'stop_loss',
  });
}

export const LIMITS: RiskLimitsSummary = {
  maxLeverage: 5,
  positionSizePct: 0.8,
  minStopLossPct: 0.05,
  maxStopLossPct: 0.1,
  dailyLossLimitPct: 0.1,
  maxConsecutiveLosses: 3,
  minProfitUsd: 2.5,
  minConfidence: 0.75,
};

export function daySummary(overrides: Partial<PeriodSummary> = {}): PeriodSummary {
  return {
    from: new Date('2025-10-10T00:00:00Z'),
    to: new Date('2025-10-11T00:00:00Z'),
    trades: 4,
    wins: 3,
    losses: 1,
    winRate: 0.75,
    netPnl: 12.3,
    fees: 2.4,
    funding: -0.1,
    startCapital: 1000,
    endCapital: 1012.3,
    best: btcTrade({ netPnl: 8 }),
    worst: ethShortLoss(),
    maxDrawdownPct: 0.012,
    aiCostUsd: 0.42,
    ...overrides,
  };
}

export function weekCurve(): EquityPoint[] {
  return [
    { time: new Date('2025-10-06T00:00:00Z'), equity: 1000 },
    { time: new Date('2025-10-08T00:00:00Z'), equity: 980 },
    { time: new Date('2025-10-10T00:00:00Z'), equity: 1010 },
    { time: new Date('2025-10-12T23:00:00Z'), equity: 1042.5 },
  ];
}

const AT = new Date('2025-10-10T21:05:30Z');

export function sampleEvents(): { readonly [K in TradingEventType]: Extract<TradingEvent, { type: K }> } {
  return {
    started: {
      type: 'started',
      at: AT,
      mode: 'paper',
      capital: 1000,
      symbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT'],
      analysts: ['claude', 'deepseek', 'trend'],
      limits: LIMITS,
      warnings: ['technical analysts stand in for missing AI keys'],
    },
    stopped: { type: 'stopped', at: AT, reason: 'SIGTERM', openPositions: 1 },
    position_opened: { type: 'position_opened', at: AT, position: btcLong(), minProfitPrice: 62_420.5, minProfitUsd: 2.5 },
    position_update: {
      type: 'position_update',
      at: AT,
      position: btcLong(),
      price: 63_000,
      unrealizedPnl: 41.92,
      unrealizedPct: 0.05253,
      stopDistancePct: 0.0599,
      liquidationDistancePct: 0.2044,
    },
    position_partially_closed: {
      type: 'position_partially_closed',
      at: AT,
      position: { ...btcLong(), quantity: 0.012 },
      step: 1,
      quantity: 0.012,
      price: 64_200,
      realizedPnl: 19.37,
      stopRearmed: true,
    },
    position_closed: { type: 'position_closed', at: AT, trade: btcTrade(), capitalAfter: 1069.49 },
    portfolio: { type: 'portfolio', at: AT, capital: 1069.49, todayPnl: 69.49, winRate: 0.6, openPositions: [btcLong()] },
    scan_result: {
      type: 'scan_result',
      at: AT,
      best: { symbol: 'ETH/USDT:USDT', action: 'short', confidence: 0.78, score: 72.6, agreeing: ['claude', 'trend'] },
      willTrade: false,
      reason: 'score 73 is below the minimum of 80',
      symbolsScanned: 10,
    },
    risk_rejected: {
      type: 'risk_rejected',
      at: AT,
      symbol: 'ETH/USDT:USDT',
      side: 'long',
      reasons: ['stop 4.99% away is below the 5% minimum', 'liquidation 8% away is closer than 10%'],
    },
    breaker_tripped: {
      type: 'breaker_tripped',
      at: AT,
      breaker: 'daily_loss',
      detail: 'lost $101.20 today (10.1% of $1,000.00)',
      until: new Date('2025-10-11T00:00:00Z'),
    },
    breaker_cleared: { type: 'breaker_cleared', at: AT, breaker: 'loss_streak', detail: 'a new UTC day began' },
    ai_budget_reached: { type: 'ai_budget_reached', at: AT, budgetUsd: 20, spentUsd: 20.13, resumesAt: new Date('2025-11-01T00:00:00Z') },
    alert: { type: 'alert', at: AT, severity: 'critical', incident: 'exchange:down', message: 'Binance has not answered for 3 minutes', cleared: false },
    daily_summary: { type: 'daily_summary', at: new Date('2025-10-11T00:00:10Z'), summary: daySummary() },
    weekly_summary: {
      type: 'weekly_summary',
      at: new Date('2025-10-13T00:00:10Z'),
      summary: daySummary({
        from: new Date('2025-10-06T00:00:00Z'),
        to: new Date('2025-10-13T00:00:00Z'),
        trades: 9,
        wins: 6,
        losses: 3,
        winRate: 6 / 9,
        netPnl: 42.5,
        endCapital: 1042.5,
        profitFactor: 2.1,
        maxDrawdownPct: 0.02,
        aiCostUsd: 2.75,
      }),
      equityCurve: weekCurve(),
    },
  };
}
