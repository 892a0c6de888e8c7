// The position as the venue filled it: its stop, margin, liquidation price and fee computed from the price and
// quantity actually filled, never from the price the risk manager expected. The opener and reconciliation both
// build a position here, so a stop means the same thing however the position came to be.
import { maintenanceEstimate } from './leverage-brackets.js';
import type { MarketSpec, Side } from './market.js';
import { adverseDistance, liquidationPrice, roundToStep, stopPriceFor, tradingFee } from './money.js';

/** A few units in the last place of a distance near 0.1: far below what a tick moves it at any price. */
const DISTANCE_NOISE = 1e-15;

/** The allowed stop distances, as fractions of the entry fill. */
export interface StopBand {
  readonly minStopLossPct: number;
  readonly maxStopLossPct: number;
}

/**
 * The stop price on the tick grid, `stopLossPct` from `entryPrice`, rounded on the side that keeps the limits:
 * towards the entry (less loss, never past the maximum distance) unless that brings it closer than the minimum,
 * then a tick away from it. Every candidate is checked on the distance itself, so float noise in the rounding cannot
 * let a 4.9999999% stop through; only where no tick passes as computed is the distance's own noise allowed (a stop
 * exactly 12% away may compute as 12% less one unit in the last place). Undefined when no tick multiple lies inside
 * the band: the tick is too coarse.
 */
export function protectiveStopPrice(side: Side, entryPrice: number, stopLossPct: number, tickSize: number, band: StopBand): number | undefined {
  const towardsEntry = roundToStep(stopPriceFor(side, entryPrice, stopLossPct), tickSize, side === 'long' ? 'up' : 'down');
  const away = side === 'long' ? -tickSize : tickSize;
  // One tick away when the rounding fell short of the minimum; one tick nearer when float noise put it past the maximum.
  const candidates = [0, 1, -1].map((ticks) => roundToStep(towardsEntry + ticks * away, tickSize, 'nearest')).filter((stop) => stop > 0);
  const within = (noise: number) => (stop: number) => {
    const distance = adverseDistance(side, entryPrice, stop);
    return distance >= band.minStopLossPct - noise && distance <= band.maxStopLossPct + noise;
  };
  // Only where no tick passes as computed: one exactly at the minimum may compute a unit in the last place short.
  return candidates.find(within(0)) ?? candidates.find(within(DISTANCE_NOISE));
}

/**
 * Whether any stop on the tick grid lies inside the band at this fill: none does where the tick is wider than the
 * band's stretch of prices and falls on neither side of it (a tick of 0.5 at a price of 9.46 leaves none between 5%
 * and 10% below). The question is the grid's, not the stop's: a stop planned at a distance the band no longer allows
 * still has a tick to go to.
 */
export function bandHoldsATick(side: Side, entryPrice: number, tickSize: number, band: StopBand): boolean {
  return protectiveStopPrice(side, entryPrice, band.maxStopLossPct, tickSize, band) !== undefined;
}

export interface EntryFill {
  readonly side: Side;
  /** Average fill price. */
  readonly entryPrice: number;
  /** Filled quantity (a partly filled entry is simply a smaller position). */
  readonly quantity: number;
  readonly leverage: number;
  /** The stop distance the position keeps from its fill. */
  readonly stopLossPct: number;
  /** The fee the venue charged, when it said; otherwise estimated at the taker rate until the fills tell. */
  readonly entryFee?: number;
  /** Margin and liquidation price as the venue reports them, when it does: the venue's own figures win. */
  readonly margin?: number;
  readonly liquidationPrice?: number;
}

export interface FilledTerms {
  readonly entryPrice: number;
  readonly quantity: number;
  readonly margin: number;
  readonly stopPrice: number;
  readonly liquidationPrice: number;
  readonly entryFee: number;
  readonly bestPrice: number;
}

export interface FillLimits {
  readonly band: StopBand;
  readonly takerFeeRate: number;
}

/**
 * The terms of a filled position. The stop keeps its distance from the real fill with `protectiveStopPrice`; for a
 * fill whose band holds no tick, the stop rounds towards the entry: a position must have a stop, and the nearer one
 * loses less. An adopted position keeps it; an entry that filled there is closed at once (`RiskManager`).
 */
export function positionAfterFill(fill: EntryFill, market: MarketSpec, limits: FillLimits): FilledTerms {
  const { side, entryPrice, quantity, leverage, stopLossPct } = fill;
  const margin = fill.margin ?? (entryPrice * quantity) / leverage;
  const stopPrice =
    protectiveStopPrice(side, entryPrice, stopLossPct, market.tickSize, limits.band) ??
    roundToStep(stopPriceFor(side, entryPrice, stopLossPct), market.tickSize, side === 'long' ? 'up' : 'down');
  const liquidation =
    fill.liquidationPrice ??
    liquidationPrice({
      side,
      entryPrice,
      quantity,
      margin,
      ...maintenanceEstimate(market, entryPrice * quantity),
    });
  return {
    entryPrice,
    quantity,
    margin,
    stopPrice,
    liquidationPrice: liquidation,
    entryFee: fill.entryFee ?? tradingFee(entryPrice, quantity, limits.takerFeeRate),
    bestPrice: entryPrice,
  };
}
