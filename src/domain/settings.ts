// The limits and rules the domain enforces, as plain values. The config module builds them from the environment.
import type { LadderStep } from './take-profit-plan.js';

export interface RiskSettings {
  readonly maxLeverage: number;
  /** Largest share of available capital posted as margin, e.g. 0.8. */
  readonly positionSizePct: number;
  readonly minStopLossPct: number;
  readonly maxStopLossPct: number;
  /** Loss at the stop, fees included, as a share of capital; the position is sized down to respect it. */
  readonly maxLossAtStopPct: number;
  /** Liquidation must be at least this far from entry (fraction of entry). */
  readonly minLiquidationDistancePct: number;
  /** The stop must sit at least this far (fraction of entry) on the safe side of liquidation. */
  readonly liquidationBufferPct: number;
  readonly dailyLossLimitPct: number;
  readonly maxConsecutiveLosses: number;
  readonly maxOpenPositions: number;
}

export interface CostSettings {
  readonly takerFeeRate: number;
  /** Slippage against the trader on market fills, in basis points. */
  readonly slippageBps: number;
}

export interface ConsensusSettings {
  readonly minAgreeing: number;
  readonly minConfidence: number;
  readonly minOpportunityScore: number;
}

export interface ExitSettings {
  readonly minProfitUsd: number;
  /** Close at once when the mark price is closer than this to liquidation (fraction of mark). */
  readonly liquidationCloseDistancePct: number;
  /** Take profit outright at this multiple of `minProfitUsd`. */
  readonly takeProfitMultiple: number;
  /** Take profit above `minProfitUsd` once price is this far beyond the min-profit price. */
  readonly beyondMinProfitPct: number;
  readonly aiExitIntervalMs: number;
  readonly aiExitMinConfidence: number;
  /** Time between an open position's update messages; 0 sends none (opened and closed are still announced). */
  readonly updateIntervalMs: number;
  /** Optional trailing stop distance (fraction); undefined = off. */
  readonly trailingStopPct?: number;
  /** Profit from the entry (fraction of price) the best price must reach before the trailing stop acts; 0 when absent. */
  readonly trailingActivationPct?: number;
  /** Optional maximum holding time; undefined = off. */
  readonly maxHoldingMs?: number;
  /** Exits that rest on the venue (take-profit order, ladder, trailing stop moves); off when absent. */
  readonly venue?: VenueExitSettings;
}

export interface VenueExitSettings {
  /** A reduce-only take-profit order at the position's target rests with the stop. */
  readonly takeProfitOnExchange: boolean;
  /** Partial take-profits on the venue (TAKE_PROFIT_LADDER); absent: off. */
  readonly ladder?: { readonly steps: readonly LadderStep[]; readonly breakEven: boolean };
  /** The venue stop follows the trailing stop (replace-then-cancel); absent: the trail is watched by the daemon only. */
  readonly trailing?: VenueTrailingSettings;
}

export interface VenueTrailingSettings {
  /** At most one move per position in this time. */
  readonly minIntervalMs: number;
  /** Smallest move worth a replace, as a fraction of the current stop. */
  readonly minStepPct: number;
  /**
   * How close to the mark a moved stop may rest (fraction). A venue refuses a stop that would trigger at once, and the
   * mark moves between the decision and the order; this margin keeps the replacement from being refused or firing.
   */
  readonly minMarkDistancePct: number;
}

/** A stop moved within a tenth of a percent of the mark would be refused or fire on noise. */
export const DEFAULT_MIN_MARK_DISTANCE_PCT = 0.001;

export interface ScheduleSettings {
  readonly scanIntervalMs: number;
  readonly positionCheckMs: number;
}

export const DEFAULT_RISK: RiskSettings = {
  maxLeverage: 5,
  positionSizePct: 0.8,
  minStopLossPct: 0.05,
  maxStopLossPct: 0.1,
  maxLossAtStopPct: 0.2,
  minLiquidationDistancePct: 0.1,
  liquidationBufferPct: 0.02,
  dailyLossLimitPct: 0.1,
  maxConsecutiveLosses: 3,
  maxOpenPositions: 1,
};

export const DEFAULT_COSTS: CostSettings = { takerFeeRate: 0.0005, slippageBps: 5 };

export const DEFAULT_CONSENSUS: ConsensusSettings = { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 80 };

export const DEFAULT_EXIT: ExitSettings = {
  minProfitUsd: 2.5,
  liquidationCloseDistancePct: 0.05,
  takeProfitMultiple: 2,
  beyondMinProfitPct: 0.02,
  aiExitIntervalMs: 5 * 60_000,
  aiExitMinConfidence: 0.75,
  updateIntervalMs: 5 * 60_000,
};

export const DEFAULT_SCHEDULE: ScheduleSettings = { scanIntervalMs: 300_000, positionCheckMs: 60_000 };
