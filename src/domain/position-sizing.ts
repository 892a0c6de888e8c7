// How much of the capital one entry may lose at its stop, by sizing mode. Each mode only ever lowers the budget the
// fixed rule allows (MAX_LOSS_AT_STOP_PERCENT), so every limit the risk manager checks at the fill still holds.
import type { RiskSettings } from './settings.js';

export type SizingMode = 'fixed' | 'atr_risk' | 'kelly';

export interface SizingSettings {
  readonly mode: SizingMode;
  /** atr_risk: share of capital lost when the stop (placed at the ATR multiple) fills, fees included. */
  readonly riskPerTradePct: number;
  /** kelly: the share of the full Kelly bet taken (0.25 = quarter Kelly). */
  readonly kellyFraction: number;
  /** kelly: scored votes the agreeing analysts need between them before their record is trusted. */
  readonly kellyMinScoredVotes: number;
}

export const DEFAULT_SIZING: SizingSettings = { mode: 'fixed', riskPerTradePct: 0.02, kellyFraction: 0.25, kellyMinScoredVotes: 30 };

/** The agreeing analysts' scored votes, pooled: how often price reached their target before their stop. */
export interface TrackRecord {
  readonly scored: number;
  readonly hits: number;
}

export interface SizingContext {
  readonly stopLossPct: number;
  readonly takeProfitPct?: number;
  readonly record?: TrackRecord;
}

export type LossBudget =
  | { readonly ok: true; readonly lossPct: number; readonly basis: string }
  | { readonly ok: false; readonly reason: string };

const pct = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;

/**
 * Full Kelly for a bet that wins `payoff` times what it risks with probability `hitRate`: the share of capital to
 * risk. Negative when the record shows no edge.
 */
export function kellyShare(hitRate: number, payoff: number): number {
  return hitRate - (1 - hitRate) / payoff;
}

export function lossBudget(settings: SizingSettings, risk: RiskSettings, context: SizingContext): LossBudget {
  const fixed = risk.maxLossAtStopPct;
  if (settings.mode === 'fixed') return { ok: true, lossPct: fixed, basis: 'fixed' };
  if (settings.mode === 'atr_risk') {
    return { ok: true, lossPct: Math.min(fixed, settings.riskPerTradePct), basis: `risk ${pct(settings.riskPerTradePct)} of capital at the stop` };
  }
  const record = context.record;
  if (!record || record.scored < settings.kellyMinScoredVotes || context.takeProfitPct === undefined || !(context.stopLossPct > 0)) {
    return { ok: true, lossPct: fixed, basis: `fixed (${record?.scored ?? 0} of ${settings.kellyMinScoredVotes} scored votes needed for Kelly)` };
  }
  const hitRate = record.hits / record.scored;
  // A hit gains the target distance, a miss loses the stop distance: the votes' own reward-to-risk.
  const payoff = context.takeProfitPct / context.stopLossPct;
  const share = kellyShare(hitRate, payoff);
  if (!(share > 0)) {
    return {
      ok: false,
      reason: `the agreeing analysts hit ${pct(hitRate)} of ${record.scored} scored votes; at a ${payoff.toFixed(2)} reward-to-risk that is no edge (Kelly ${pct(share)})`,
    };
  }
  const lossPct = Math.min(fixed, settings.kellyFraction * share);
  return { ok: true, lossPct, basis: `Kelly ${pct(share)} x ${settings.kellyFraction} (hit rate ${pct(hitRate)} of ${record.scored})` };
}
