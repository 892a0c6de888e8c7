// Quantities and trigger prices rounded to the venue's steps (through the domain's one rounding function), and
// the venue's minimums enforced before any order leaves the process.
import { RejectedError } from '../../../domain/errors.js';
import type { MarketSpec, Side } from '../../../domain/market.js';
import { roundToStep } from '../../../domain/money.js';

export interface SizingInput {
  /** e.g. `placeEntry`, for the message. */
  readonly operation: string;
  readonly requested: number;
  /** Price used to value the order against the minimum notional; absent for reduce-only orders. */
  readonly referencePrice?: number;
  /** Reduce-only orders are exempt from the minimum notional on the venue. */
  readonly reduceOnly: boolean;
}

/** The order quantity: rounded down to the lot step, and at least the venue's minimum size and value. */
export function orderQuantity(spec: MarketSpec, input: SizingInput): number {
  const where = `${input.operation} ${spec.symbol}`;
  if (!Number.isFinite(input.requested) || input.requested <= 0) {
    throw new RejectedError(`${where}: quantity must be a positive number (got ${input.requested})`);
  }
  const quantity = roundToStep(input.requested, spec.amountStep, 'down');
  if (quantity < spec.minAmount) {
    throw new RejectedError(
      `${where}: quantity ${input.requested} rounds down to ${quantity}, below the venue's minimum order size ` +
        `${spec.minAmount} (lot step ${spec.amountStep}); nothing was sent`,
    );
  }
  if (!input.reduceOnly && input.referencePrice !== undefined) {
    const notional = quantity * input.referencePrice;
    if (notional < spec.minNotional) {
      throw new RejectedError(
        `${where}: order value ${notional.toFixed(2)} ${spec.quote} (${quantity} × ${input.referencePrice}) is below the ` +
          `venue's minimum of ${spec.minNotional} ${spec.quote}; nothing was sent`,
      );
    }
  }
  return quantity;
}

/**
 * The stop's trigger on the tick grid, rounded towards the current price: a long's stop (below) rounds up and a
 * short's stop (above) rounds down, so rounding never adds to the loss.
 */
export function stopTriggerPrice(spec: MarketSpec, positionSide: Side, triggerPrice: number): number {
  if (!Number.isFinite(triggerPrice) || triggerPrice <= 0) {
    throw new RejectedError(`placeProtectiveStop ${spec.symbol}: trigger price must be positive (got ${triggerPrice})`);
  }
  return roundToStep(triggerPrice, spec.tickSize, positionSide === 'long' ? 'up' : 'down');
}

/**
 * The entry's limit on the tick grid, rounded towards the better price: a buy's limit down, a sell's up, so the
 * venue can never fill it worse than the risk manager allowed.
 */
export function entryLimitOnTick(spec: MarketSpec, side: Side, limitPrice: number): number {
  if (!Number.isFinite(limitPrice) || limitPrice <= 0) {
    throw new RejectedError(`placeEntry ${spec.symbol}: limit price must be positive (got ${limitPrice})`);
  }
  return roundToStep(limitPrice, spec.tickSize, side === 'long' ? 'down' : 'up');
}
