// The spec's 0-100 opportunity score: confidence 40, consensus strength 20, regime fit 20, risk/reward 10,
// timeframe alignment 10. A scan trades its best-scoring market, and only above the configured minimum.
import type { MarketSnapshot } from './analysis.js';
import type { Consensus } from './consensus.js';
import { TIMEFRAMES, type Side } from './market.js';

export interface OpportunityScore {
  readonly total: number;
  readonly confidence: number;
  readonly consensus: number;
  readonly regimeFit: number;
  readonly riskReward: number;
  readonly alignment: number;
}

/** A risk/reward of 3 or more earns the full 10 points; the 1.5 minimum earns 5. */
const FULL_MARKS_RISK_REWARD = 3;
/** Assumed when no agreeing analyst stated a risk/reward: the minimum they are told to respect. */
const ASSUMED_RISK_REWARD = 1.5;

function regimeFit(snapshot: MarketSnapshot, side: Side): number {
  const { kind, direction } = snapshot.regime;
  const wanted = side === 'long' ? 'up' : 'down';
  if (kind === 'TRENDING') {
    if (direction === wanted) return 20;
    return direction === 'flat' ? 10 : 0;
  }
  // A range allows trades both ways but promises less; a volatile market makes every stop easier to hit.
  if (kind === 'RANGING') return 10;
  return 5;
}

export function scoreOpportunity(snapshot: MarketSnapshot, consensus: Consensus, analystsAsked: number): OpportunityScore {
  if (consensus.decision === 'hold' || analystsAsked <= 0) {
    return { total: 0, confidence: 0, consensus: 0, regimeFit: 0, riskReward: 0, alignment: 0 };
  }
  const side = consensus.decision;
  const wanted = side === 'long' ? 'up' : 'down';
  const confidence = 40 * Math.min(1, consensus.confidence);
  // A provider that failed still counts as asked: a missing voice makes the agreement weaker.
  const strength = 20 * Math.min(1, consensus.agreeing.length / analystsAsked);
  const fit = regimeFit(snapshot, side);
  const rr = consensus.riskReward ?? ASSUMED_RISK_REWARD;
  const riskReward = 10 * Math.max(0, Math.min(1, rr / FULL_MARKS_RISK_REWARD));
  const aligned = TIMEFRAMES.filter((timeframe) => snapshot.timeframes[timeframe].trend === wanted).length;
  const alignment = (10 * aligned) / TIMEFRAMES.length;
  const total = confidence + strength + fit + riskReward + alignment;
  return { total, confidence, consensus: strength, regimeFit: fit, riskReward, alignment };
}
