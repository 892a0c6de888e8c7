// The venue-side exits of a position, as pure rules: the partial take-profit ladder (parsed from the owner's text,
// sized on the lot, each step held to the minimum profit), the break-even stop after the first step, and the level a
// trailing stop may move to. The engine places what these say; nothing here talks to a venue.
import { openPartMinProfit, priceForNetPnl } from './exit-rules.js';
import { adverseDistance, exitOrderSide, grossPnl, roundToStep, sideSign, slippedPrice, tradingFee } from './money.js';
import type { Side } from './market.js';
import type { CostSettings } from './settings.js';
import type { Position } from './trading.js';

/** How far from the entry a step's target lies: a multiple of the stop distance (`R`) or a share of the price. */
export type TargetDistance = { readonly unit: 'r'; readonly value: number } | { readonly unit: 'pct'; readonly value: number };

export interface LadderStep {
  /** Share of the position's opening quantity this step closes, in (0, 1]. */
  readonly share: number;
  readonly distance: TargetDistance;
}

export type LadderParse = { readonly ok: true; readonly steps: readonly LadderStep[] } | { readonly ok: false; readonly error: string };

const STEP = /^(\d+(?:\.\d+)?)@(\d+(?:\.\d+)?)(r|%)$/i;

/**
 * `0.5@1R,0.25@2R` or `0.5@3%`: comma-separated `share@distance`. Shares are positive and add up to at most 1 (what is
 * left after the last step rides on the stop and the full target); distances are positive and strictly increasing, all
 * in one unit, so the steps fill in the order written. An empty text is no ladder.
 */
export function parseTakeProfitLadder(text: string): LadderParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, steps: [] };
  const steps: LadderStep[] = [];
  for (const part of trimmed.split(',')) {
    const match = STEP.exec(part.trim());
    if (!match?.[1] || !match[2] || !match[3]) {
      return { ok: false, error: `step "${part.trim()}" is not share@distance, like 0.5@1R or 0.5@3%` };
    }
    const share = Number(match[1]);
    const value = Number(match[2]);
    const unit = match[3].toLowerCase() === 'r' ? 'r' : 'pct';
    if (!(share > 0 && share <= 1)) return { ok: false, error: `step "${part.trim()}": the share must be above 0 and at most 1` };
    if (!(value > 0)) return { ok: false, error: `step "${part.trim()}": the distance must be above 0` };
    steps.push({ share, distance: unit === 'r' ? { unit, value } : { unit, value: value / 100 } });
  }
  const units = new Set(steps.map((step) => step.distance.unit));
  if (units.size > 1) return { ok: false, error: 'all steps must use the same unit (R or %)' };
  const total = steps.reduce((sum, step) => sum + step.share, 0);
  if (total > 1 + 1e-9) return { ok: false, error: `the shares add up to ${Number(total.toFixed(6))}, more than the whole position` };
  for (let i = 1; i < steps.length; i += 1) {
    if ((steps[i] as LadderStep).distance.value <= (steps[i - 1] as LadderStep).distance.value) {
      return { ok: false, error: 'each step must lie further from the entry than the one before' };
    }
  }
  return { ok: true, steps };
}

export interface LadderPosition {
  readonly side: Side;
  readonly entryPrice: number;
  readonly quantity: number;
  readonly stopPrice: number;
  readonly entryFee: number;
}

export interface PlannedStep {
  readonly index: number;
  readonly quantity: number;
  /** Mark price at which the step's reduce-only take-profit triggers, on the tick. */
  readonly triggerPrice: number;
  /** What this step alone would book: its share of the entry fee, the exit fee and slippage included. */
  readonly netPnl: number;
}

export interface SkippedStep {
  readonly index: number;
  readonly reason: string;
}

export interface LadderPlan {
  readonly steps: readonly PlannedStep[];
  readonly skipped: readonly SkippedStep[];
}

export interface LadderTerms {
  readonly lotSize: number;
  readonly minQuantity: number;
  readonly tickSize: number;
  readonly minProfitUsd: number;
  readonly costs: CostSettings;
}

/**
 * The ladder for a freshly filled position. A step's quantity is rounded down to the lot (a step never closes more
 * than its share), and the steps together always leave the stop and the final target a rest the venue takes an order
 * for: its minimum quantity, and at least one lot. The
 * trigger is rounded away from the entry to the tick (never nearer to the entry than asked). A step below the
 * venue's minimum quantity, or whose own net profit would fall below the minimum profit, is skipped with a reason.
 */
export function planLadder(position: LadderPosition, steps: readonly LadderStep[], terms: LadderTerms): LadderPlan {
  const planned: PlannedStep[] = [];
  const skipped: SkippedStep[] = [];
  const s = sideSign(position.side);
  const stopDistance = Math.abs(position.entryPrice - position.stopPrice);
  let left = position.quantity;
  // Below the venue's minimum the rest could not be closed at all: not by a re-armed stop, nor by a market close.
  const reserve = Math.max(terms.lotSize, terms.minQuantity);
  steps.forEach((step, index) => {
    const raw = step.distance.unit === 'r' ? stopDistance * step.distance.value : position.entryPrice * step.distance.value;
    const triggerPrice = roundToStep(position.entryPrice + s * raw, terms.tickSize, s > 0 ? 'up' : 'down');
    // Keep the reserve back for the stop and the final target: a ladder never closes the whole position.
    const quantity = Math.min(roundToStep(position.quantity * step.share, terms.lotSize, 'down'), roundToStep(left - reserve, terms.lotSize, 'down'));
    if (quantity < terms.minQuantity || quantity <= 0) {
      skipped.push({ index, reason: `its share is below the venue's minimum quantity ${terms.minQuantity}` });
      return;
    }
    const netPnl = stepNetPnl(position, quantity, triggerPrice, terms.costs);
    if (netPnl < terms.minProfitUsd) {
      skipped.push({ index, reason: `it would book $${netPnl.toFixed(2)}, below the minimum profit $${terms.minProfitUsd.toFixed(2)}` });
      return;
    }
    planned.push({ index, quantity, triggerPrice, netPnl });
    left -= quantity;
  });
  return { steps: planned, skipped };
}

/** Net P&L of closing `quantity` of the position at `price` (a market fill after slippage), its share of the entry fee included. */
export function stepNetPnl(position: LadderPosition, quantity: number, price: number, costs: CostSettings): number {
  const fill = slippedPrice(exitOrderSide(position.side), price, costs.slippageBps);
  return partNetPnl(position, quantity, fill, tradingFee(fill, quantity, costs.takerFeeRate));
}

/** Net P&L of a part of the position closed at `price`: the move, the part's share of the entry fee, its exit fee. */
export function partNetPnl(position: Pick<LadderPosition, 'side' | 'entryPrice' | 'quantity' | 'entryFee'>, quantity: number, price: number, exitFee: number): number {
  const entryFeeShare = position.quantity > 0 ? (position.entryFee * quantity) / position.quantity : 0;
  return grossPnl(position.side, position.entryPrice, price, quantity) - entryFeeShare - exitFee;
}

/**
 * The stop price at which the remaining quantity closes with the whole trade at no loss: the rest's share of the entry
 * fee, its exit fee after slippage, and the funding paid (or received) so far are covered, and a part closed earlier at
 * a loss is won back. A part closed at a profit does not lower it, as for the venue's other orders (`openPartMinProfit`):
 * the rest never rests looser than its own break-even. Rounded to the tick on the trader's side (a long's up).
 */
export function breakEvenStopPrice(
  rest: Pick<Position, 'side' | 'entryPrice' | 'quantity' | 'entryFee' | 'funding'>,
  closedPartsNetPnl: number,
  costs: CostSettings,
  tickSize: number,
): number {
  const price = priceForNetPnl(rest, openPartMinProfit(0, closedPartsNetPnl), costs);
  return roundToStep(price, tickSize, sideSign(rest.side) > 0 ? 'up' : 'down');
}

export interface TrailingTerms {
  /** Distance of the trail behind the best price (fraction). */
  readonly trailPct: number;
  /** Profit from the entry (fraction of price) the best price must reach before the stop trails at all. */
  readonly activationPct: number;
  /** Smallest move of the venue's stop worth a replace, as a fraction of price. */
  readonly minStepPct: number;
  readonly tickSize: number;
  /** How close to the mark the venue accepts a stop (fraction); a closer trigger would fire or be refused at once. */
  readonly minMarkDistancePct: number;
  /**
   * The price at which closing books exactly the minimum profit (see `priceForNetPnl`). A trailed stop is a close the
   * daemon chose, so it may not land in the protected band: it moves only to a level at or beyond this price.
   */
  readonly minProfitPrice: number;
}

/**
 * Where the venue's stop should move now, or undefined to leave it. The stop only tightens (toward the price, never
 * back), trails only once the best price is `activationPct` in profit, moves only by at least `minStepPct`, stays at
 * least `minMarkDistancePct` from the current mark, and is rounded on the tick away from the mark. A trailed stop
 * that fills is a discretionary close, so it never rests inside the protected band: it moves only to a level that
 * books at least the minimum profit, and until then the original stop stays.
 */
export function trailingStopLevel(
  side: Side,
  entryPrice: number,
  bestPrice: number,
  currentStop: number,
  markPrice: number,
  terms: TrailingTerms,
): number | undefined {
  const s = sideSign(side);
  if ((s * (bestPrice - entryPrice)) / entryPrice < terms.activationPct - 1e-12) return undefined;
  const trailed = bestPrice * (1 - s * terms.trailPct);
  const allowed = markPrice * (1 - s * terms.minMarkDistancePct);
  const candidate = s > 0 ? Math.min(trailed, allowed) : Math.max(trailed, allowed);
  const level = roundToStep(candidate, terms.tickSize, s > 0 ? 'down' : 'up');
  const gain = s * (level - currentStop);
  if (gain <= 0 || gain < currentStop * terms.minStepPct) return undefined;
  if (adverseDistance(side, markPrice, level) < terms.minMarkDistancePct - 1e-12) return undefined;
  if (s * (level - terms.minProfitPrice) < 0) return undefined;
  return level;
}
