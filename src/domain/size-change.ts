// What the fills say about an open position whose size changed on the venue without the daemon asking: the average
// entry of everything opened (size the owner added by hand), and what the part taken off (a partial auto-deleveraging,
// a partial close by hand) realised against that entry.
import type { Side } from './market.js';
import { entryOrderSide, sideSign } from './money.js';
import { type FillSummary, summarizeFills } from './settlement.js';
import { partNetPnl } from './take-profit-plan.js';
import type { Fill } from './trading.js';

export interface HeldSize {
  /** What the fills leave open. */
  readonly quantity: number;
  /** Everything opened since the entry: average price and fees. */
  readonly entry: FillSummary;
  /** The fills that reduced it, oldest first. */
  readonly exits: readonly Fill[];
}

/** `fromEntry`: the symbol's fills from the position's first entry fill on, in the exchange's order. */
export function heldFromFills(side: Side, fromEntry: readonly Fill[]): HeldSize {
  const opening = entryOrderSide(side);
  const entries = fromEntry.filter((fill) => fill.side === opening);
  const exits = fromEntry.filter((fill) => fill.side !== opening);
  const entry = summarizeFills(entries);
  return { quantity: entry.quantity - summarizeFills(exits).quantity, entry, exits };
}

export interface ReducedPart {
  readonly quantity: number;
  readonly averagePrice: number;
  /** Against the average entry, before fees. */
  readonly grossPnl: number;
  /** The part's own exit fees. */
  readonly fees: number;
  /** The part's share of what the entry cost in fees. */
  readonly entryFeeShare: number;
  /** After both fees: what a take-profit step and the close message's earlier parts would say the part realised. */
  readonly netPnl: number;
  readonly fills: readonly Fill[];
}

/**
 * The newest reducing fills that account for `quantity` taken off, and what they realised against `entry` (everything
 * opened); undefined when the fills seen so far do not cover it (the venue has not reported them yet).
 */
export function reducedPart(side: Side, entry: FillSummary, exits: readonly Fill[], quantity: number): ReducedPart | undefined {
  const taken: Fill[] = [];
  let covered = 0;
  for (let index = exits.length - 1; index >= 0 && covered < quantity * (1 - 1e-9); index -= 1) {
    const fill = exits[index] as Fill;
    taken.unshift(fill);
    covered += fill.quantity;
  }
  if (covered < quantity * (1 - 1e-9)) return undefined;
  const summary = summarizeFills(taken);
  const grossPnl = taken.reduce((total, fill) => total + sideSign(side) * (fill.price - entry.averagePrice) * fill.quantity, 0);
  const opened = { side, entryPrice: entry.averagePrice, quantity: entry.quantity, entryFee: entry.fees };
  return {
    quantity: summary.quantity,
    averagePrice: summary.averagePrice,
    grossPnl,
    fees: summary.fees,
    entryFeeShare: entry.quantity > 0 ? (entry.fees * summary.quantity) / entry.quantity : 0,
    // As the trade's booking values its earlier parts (exitParts): the same part is never told two different nets.
    netPnl: partNetPnl(opened, summary.quantity, summary.averagePrice, summary.fees),
    fills: taken,
  };
}
