// Leverage, stop and target for a rule-based vote, all sized from the 1h ATR so that a quiet coin and a wild one get
// stops of similar meaning (a few hours of ordinary noise) rather than the same percentage.
import type { RiskSettings } from '../../../domain/settings.js';

/** Stop distance in 1h ATRs: 2.5 hours of average range keeps ordinary noise from touching it. */
export const STOP_ATR_MULTIPLE = 2.5;
/** Vote leverage never leaves 2-5, and never exceeds the configured maximum. */
const MIN_LEVERAGE = 2;
const MAX_LEVERAGE = 5;
/**
 * 1h ATR% at or below which each leverage is offered. BTC's typical hour (~0.5 %) gets 5x, ETH (~0.8 %) 4x,
 * SOL and DOGE (~1.1-1.3 %) 3x; anything wilder 2x.
 */
const LEVERAGE_BY_ATR: readonly (readonly [maxAtrPct: number, leverage: number])[] = [
  [0.006, 5],
  [0.009, 4],
  [0.013, 3],
];

export interface RiskPlan {
  readonly leverage: number;
  readonly stopLossPct: number;
  readonly takeProfitPct: number;
  readonly riskReward: number;
}

/** `riskReward` is the analyst's target multiple of the stop distance; it must be at least 1.5. */
export function planRisk(hourlyAtrPct: number, riskReward: number, risk: RiskSettings): RiskPlan {
  if (!(riskReward >= 1.5)) throw new RangeError(`risk/reward must be at least 1.5, got ${riskReward}`);
  const stopLossPct = clamp(STOP_ATR_MULTIPLE * hourlyAtrPct, risk.minStopLossPct, risk.maxStopLossPct);
  const byAtr = LEVERAGE_BY_ATR.find(([maxAtrPct]) => hourlyAtrPct <= maxAtrPct)?.[1] ?? MIN_LEVERAGE;
  // The stop plus the liquidation buffer must fit inside the ~1/leverage move that liquidates the position.
  const byStop = Math.floor(1 / (stopLossPct + risk.liquidationBufferPct + 0.01));
  const leverage = Math.min(Math.max(MIN_LEVERAGE, Math.min(byAtr, byStop)), MAX_LEVERAGE, Math.floor(risk.maxLeverage));
  return {
    leverage: Math.max(1, leverage),
    stopLossPct,
    takeProfitPct: stopLossPct * riskReward,
    riskReward,
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
