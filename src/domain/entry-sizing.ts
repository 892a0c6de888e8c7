// How large an entry may be so that every limit holds wherever it fills inside the slippage allowance, and the
// figures the risk manager judges it by. Pure arithmetic; the risk manager turns the results into reasons.
import { largestKnownNotional, maintenanceAt } from './leverage-brackets.js';
import type { MarketSpec, Side } from './market.js';
import { adverseDistance, entryLimitPrice, liquidationPrice, lossAtStopShare, roundToStep, slippedPrice } from './money.js';
import type { CostSettings, RiskSettings } from './settings.js';

/** The prices an entry can fill at. */
export interface FillRange {
  /** Limit of the immediate-or-cancel entry order: the worst price it accepts. */
  readonly limit: number;
  /**
   * Lowest and highest fill the entry is sized for: `SLIPPAGE_BPS` either side of the price, cut at the limit. The
   * limit bounds the adverse side; a short's margin and stop-out grow with its fill price, so it is sized as if it
   * sold `SLIPPAGE_BPS` higher.
   */
  readonly low: number;
  readonly high: number;
}

export function fillRange(side: Side, price: number, slippageBps: number, tickSize: number): FillRange {
  const limit = entryLimitPrice(side, price, slippageBps, tickSize);
  const low = side === 'short' ? limit : slippedPrice('sell', price, slippageBps);
  const high = side === 'long' ? limit : slippedPrice('buy', price, slippageBps);
  return { limit, low: Math.min(low, price), high: Math.max(high, price) };
}

export interface SizingInput {
  readonly side: Side;
  readonly capital: number;
  readonly available: number;
  readonly leverage: number;
  readonly fills: FillRange;
  /** The farthest the stop can end up from the fill, tick rounding included. */
  readonly worstStopDistance: number;
  /** Loss at the stop the sizing mode allows (share of capital); never above `maxLossAtStopPct`. */
  readonly lossBudgetPct?: number;
  /** Most notional the portfolio's exposure caps leave for this entry. */
  readonly notionalCap?: number;
}

/**
 * The largest quantity on the lot step that, filled at the highest price of the range, posts at most
 * `positionSizePct` of the available capital as margin (plus its fee, within what is available), loses at most
 * `maxLossAtStopPct` (or the sizing mode's smaller budget) of capital at the stop, stays inside the exposure caps, and
 * stays below the largest size whose leverage bracket is known.
 */
export function entryQuantity(input: SizingInput, market: MarketSpec, risk: RiskSettings, costs: CostSettings): number {
  const { leverage, available } = input;
  const lossShare = lossAtStopShare(input.side, input.worstStopDistance, costs.slippageBps, costs.takerFeeRate);
  const maxNotional = Math.min(
    available * risk.positionSizePct * leverage,
    available / (1 / leverage + costs.takerFeeRate),
    (Math.min(risk.maxLossAtStopPct, input.lossBudgetPct ?? Number.POSITIVE_INFINITY) * input.capital) / lossShare,
    input.notionalCap ?? Number.POSITIVE_INFINITY,
  );
  const high = input.fills.high;
  // A bracket's cap is exclusive: a position of exactly the cap already belongs to the next bracket.
  const bracketCap = largestKnownNotional(market, leverage);
  const withinBracket = (quantity: number): boolean => quantity * high < bracketCap;
  const quantity = roundToStep(Math.min(maxNotional, bracketCap) / high, market.amountStep, 'down');
  // roundToStep forgives a billionth of a step of float noise; the margin limit does not.
  return quantity * high > maxNotional || !withinBracket(quantity) ? roundToStep(quantity - market.amountStep, market.amountStep, 'down') : quantity;
}

/**
 * The distance from fill to liquidation at the least favourable fill of the range (isolated margin posted at the
 * fill), with the maintenance terms of the position's bracket; 0 when its size is beyond the known brackets, since
 * nothing then says where liquidation would be.
 */
export function worstLiquidationDistance(side: Side, quantity: number, leverage: number, fills: FillRange, market: MarketSpec): number {
  const distanceAt = (fill: number): number => {
    const maintenance = maintenanceAt(market, fill * quantity);
    if (maintenance === undefined) return 0;
    return adverseDistance(side, fill, liquidationPrice({ side, entryPrice: fill, quantity, margin: (fill * quantity) / leverage, ...maintenance }));
  };
  return Math.min(distanceAt(fills.low), distanceAt(fills.high));
}

/**
 * The same for every size the order may fill to, from the venue's minimum to the whole: a partial fill can sit in a
 * lower leverage bracket, whose maintenance amount is smaller, and so have its liquidation nearer than the whole
 * position's. Within one bracket a smaller size only brings liquidation farther (the bracket's maintenance amount
 * weighs more), so the sizes to check are the whole, the minimum and the largest below each bracket's floor.
 */
export function worstLiquidationDistanceAtAnySize(side: Side, quantity: number, leverage: number, fills: FillRange, market: MarketSpec): number {
  const sizes = new Set([quantity]);
  const consider = (size: number): void => {
    if (size >= market.minAmount && size < quantity) sizes.add(size);
  };
  consider(market.minAmount);
  for (const bracket of market.brackets ?? []) {
    for (const fill of [fills.low, fills.high]) {
      const atFloor = roundToStep(bracket.notionalFloor / fill, market.amountStep, 'down');
      consider(atFloor);
      consider(roundToStep(atFloor - market.amountStep, market.amountStep, 'nearest'));
    }
  }
  return Math.min(...[...sizes].map((size) => worstLiquidationDistance(side, size, leverage, fills, market)));
}

/**
 * The price move, as a fraction of entry, after which closing nets `targetUsd`: both taker fees and the exit's
 * slippage included, as the exit rules value a position. Infinity when no price gets there.
 */
export function moveForNetProfit(side: Side, entryPrice: number, quantity: number, targetUsd: number, costs: CostSettings): number {
  const slip = costs.slippageBps / 10_000;
  const fee = costs.takerFeeRate;
  const perUnit = targetUsd / quantity;
  if (side === 'long') return (entryPrice * (1 + fee) + perUnit) / ((1 - slip) * (1 - fee) * entryPrice) - 1;
  const exit = (entryPrice * (1 - fee) - perUnit) / ((1 + slip) * (1 + fee));
  return exit > 0 ? 1 - exit / entryPrice : Number.POSITIVE_INFINITY;
}
