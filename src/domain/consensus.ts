// Turns the analysts' votes on one market into one decision. Only validated votes count; it takes at least
// `minAgreeing` of them on the same side (never one voice), each at a confidence of at least `minConfidence`. A trade
// vote below that bar is the analyst's HOLD: it is a voice, but it joins no side, whichever analyst cast it.
import type { Vote } from './analysis.js';
import type { Side } from './market.js';
import type { ConsensusSettings } from './settings.js';

/** Leverage used when no agreeing analyst suggested one: the lowest the spec's 2-5x range allows. */
export const FALLBACK_LEVERAGE = 2;

export interface Consensus {
  readonly decision: Side | 'hold';
  /** Valid votes on the decided side (empty for hold). */
  readonly agreeing: readonly Vote[];
  /** Valid votes that did not join the decision (a trade vote below the confidence bar among them). */
  readonly dissenting: readonly Vote[];
  /** Rejected or failed votes: they never count. */
  readonly discarded: readonly Vote[];
  /** Mean confidence of the agreeing votes (0 for hold). */
  readonly confidence: number;
  /** Lowest leverage suggested by the agreeing votes, never above the maximum. */
  readonly leverage: number;
  /** Range of stop distances the agreeing votes suggested; the risk manager chooses within it. */
  readonly stopLossRange?: readonly [number, number];
  readonly takeProfitPct?: number;
  readonly riskReward?: number;
  /** Why there is no trade, in words, for hold. */
  readonly reason?: string;
}

/** Votes that must agree on a side for a trade: the configured number, never fewer than two, since one voice is no consensus. */
export function quorumOf(settings: Pick<ConsensusSettings, 'minAgreeing'>): number {
  return Math.max(2, settings.minAgreeing);
}

/**
 * A confidence computed from evidence (the rule-based analysts' weighted scores) can land a hair under an exact bar
 * in floating point, 0.7499999999999999 for 0.75; it meets the bar.
 */
const FLOAT_NOISE = 1e-9;

/** Whether a trade vote's confidence meets the bar each agreeing voice needs; below it, the vote is that analyst's HOLD. */
export function meetsConfidenceBar(confidence: number, minConfidence: number): boolean {
  return confidence >= minConfidence - FLOAT_NOISE;
}

/** The bar as a percentage, to a hundredth where it is not a whole one (0.755 is 75.5%, not 76%). */
const barText = (minConfidence: number): string => `${Number((minConfidence * 100).toFixed(2))}%`;

const mean = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0) / values.length;

function defined(values: readonly (number | undefined)[]): number[] {
  return values.filter((value): value is number => value !== undefined && Number.isFinite(value));
}

/**
 * The votes that count: valid, with a confidence a probability can have, and one per analyst (its first). The parsers
 * already keep a model's confidence in 0..1 and the panels' names apart; this is the last line, since one voice twice
 * or a confidence of 1.6 beside 0.1 would otherwise make a trade none of them backs.
 */
function counted(votes: readonly Vote[]): Vote[] {
  const seen = new Set<string>();
  return votes.filter((vote) => {
    if (vote.outcome !== 'valid' || !(vote.confidence >= 0 && vote.confidence <= 1) || seen.has(vote.analyst)) return false;
    seen.add(vote.analyst);
    return true;
  });
}

function hold(votes: readonly Vote[], reason: string): Consensus {
  const valid = counted(votes);
  return {
    decision: 'hold',
    agreeing: [],
    dissenting: valid,
    discarded: votes.filter((vote) => !valid.includes(vote)),
    confidence: 0,
    leverage: 0,
    reason,
  };
}

function pickSide(longs: readonly Vote[], shorts: readonly Vote[], minAgreeing: number): Side | 'conflict' | undefined {
  const longOk = longs.length >= minAgreeing;
  const shortOk = shorts.length >= minAgreeing;
  if (longOk && shortOk) {
    if (longs.length === shorts.length) return 'conflict';
    return longs.length > shorts.length ? 'long' : 'short';
  }
  if (longOk) return 'long';
  if (shortOk) return 'short';
  return undefined;
}

export function reachConsensus(votes: readonly Vote[], settings: ConsensusSettings, maxLeverage: number): Consensus {
  const minAgreeing = quorumOf(settings);
  const valid = counted(votes);
  if (valid.length < minAgreeing) {
    return hold(votes, `only ${valid.length} valid vote(s); at least ${minAgreeing} must agree`);
  }
  // The bar holds for each agreeing voice, not for their mean: 0.95 beside 0.60 is one analyst sure of a trade, not two.
  // The AI parsers already answer HOLD below it; the rule-based analysts put weaker setups forward, so it lives here.
  const firm = (vote: Vote): boolean => meetsConfidenceBar(vote.confidence, settings.minConfidence);
  const longs = valid.filter((vote) => vote.action === 'long' && firm(vote));
  const shorts = valid.filter((vote) => vote.action === 'short' && firm(vote));
  const side = pickSide(longs, shorts, minAgreeing);
  if (side === 'conflict') return hold(votes, 'analysts split evenly between long and short');
  if (side === undefined) {
    const weak = valid.filter((vote) => vote.action !== 'hold' && !firm(vote)).length;
    const below = weak > 0 ? `; ${weak} trade vote(s) below ${barText(settings.minConfidence)} counted as HOLD` : '';
    return hold(votes, `no side has ${minAgreeing} votes (long ${longs.length}, short ${shorts.length}${below})`);
  }
  const agreeing = side === 'long' ? longs : shorts;
  const confidence = mean(agreeing.map((vote) => vote.confidence));
  const leverages = defined(agreeing.map((vote) => vote.leverage));
  const stops = defined(agreeing.map((vote) => vote.stopLossPct));
  const takeProfits = defined(agreeing.map((vote) => vote.takeProfitPct));
  const rewards = defined(agreeing.map((vote) => vote.riskReward));
  const takeProfitPct = takeProfits.length > 0 ? Math.min(...takeProfits) : undefined;
  // The target is the nearest any of them named. A stop wider than that target over the smallest reward/risk any of
  // them accepted would make a trade none of them proposed (5% stop and 7.5% target beside 10% and 15%: a 10% stop
  // against the 7.5% target). The analyst who named the target chose a stop within this bound, so it is never empty.
  const widestStop = takeProfitPct !== undefined && rewards.length > 0 ? takeProfitPct / Math.min(...rewards) : Number.POSITIVE_INFINITY;
  const stopLossRange: readonly [number, number] | undefined =
    stops.length > 0 ? [Math.min(...stops), Math.min(Math.max(...stops), Math.max(Math.min(...stops), widestStop))] : undefined;
  // What the placed trade is sure to have: the smallest any of them accepted, not their mean, and never more than the
  // target over the widest stop the risk manager may choose. A vote whose reward/risk is above its own target over its
  // stop (a cached answer from before the parser held them together) would otherwise score a trade it does not make.
  const placedRewards =
    rewards.length > 0 && takeProfitPct !== undefined && stopLossRange !== undefined ? [...rewards, takeProfitPct / stopLossRange[1]] : rewards;
  return {
    decision: side,
    agreeing,
    dissenting: valid.filter((vote) => !agreeing.includes(vote)),
    discarded: votes.filter((vote) => !valid.includes(vote)),
    confidence,
    leverage: Math.max(1, Math.min(maxLeverage, leverages.length > 0 ? Math.min(...leverages) : FALLBACK_LEVERAGE)),
    stopLossRange,
    takeProfitPct,
    riskReward: placedRewards.length > 0 ? Math.min(...placedRewards) : undefined,
  };
}
