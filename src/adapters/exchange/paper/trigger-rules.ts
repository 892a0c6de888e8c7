// Which resting level a bar of the market sets off first, and at what price a stop then fills. Levels trigger on the
// mark price (the traded price where the source has none), as Binance's MARK_PRICE working type; the traded price
// fills. Pure functions over the fill simulator's state.
import type { PriceBar, PriceRange } from '../../../domain/market.js';
import { grossPnl } from '../../../domain/money.js';
import type { PaperOrder, PaperPosition } from './paper-account.js';

/** The bar's open, when it is news (a gap), or its range, known at its end. */
export type Phase = 'gap' | 'range';

export type Trigger =
  | { readonly kind: 'liquidation'; readonly position: PaperPosition; readonly adverse: boolean; readonly distance: number }
  /** A resting trigger order: a stop (adverse) or a take-profit (in the trader's favour). */
  | { readonly kind: 'stop'; readonly order: PaperOrder; readonly adverse: boolean; readonly distance: number };

interface Level {
  /** Reached by a falling price (a long's stop and liquidation) rather than a rising one. */
  readonly falling: boolean;
  readonly price: number;
}

/**
 * The level this phase of the bar reaches first. The order inside a bar is unknown, so a level against the trader
 * (stop, liquidation) goes before one in the trader's favour; of two on the same side, the one nearer the mark's open,
 * which the price met first; on a tie, liquidation, which acts on the same mark the stop waits for.
 *
 * A level set inside the bar (a position opened, a stop placed after it began; an hourly mark candle is matched at its
 * close) did not exist at the bar's open: the open cannot have gapped through it, and the price met it on its way from
 * the position's entry. Measured from the open instead, an hour that rallied before a long's entry would put the
 * entry's liquidation price "behind" the open and liquidate it at the hour's close, ahead of its nearer stop.
 */
export function nextTrigger(
  position: PaperPosition | undefined,
  openOrders: readonly PaperOrder[],
  symbol: string,
  bar: PriceBar,
  phase: Phase,
  walked?: WalkedBar,
): Trigger | undefined {
  const mark = bar.mark ?? bar;
  const candidates: Trigger[] = [];
  const setInside = (time: number): number | undefined => (position !== undefined && time > bar.start ? position.entryPrice : undefined);
  // A level set after an earlier walk of this bar met only what the mark did since: the extremes that walk saw came
  // before the level existed, and the path since ran from that walk's close to beyond them, or to this close.
  const markFor = (time: number): PriceRange =>
    walked !== undefined && time > bar.start && time <= walked.until ? rangeSince(walked.mark, mark) : mark;
  if (position !== undefined) {
    const distance = reach({ falling: position.side === 'long', price: position.liquidationPrice }, markFor(position.openedAt), phase, setInside(position.openedAt));
    if (distance !== undefined) candidates.push({ kind: 'liquidation', position, adverse: true, distance });
  }
  for (const order of openOrders) {
    if (order.symbol !== symbol || order.triggerPrice === undefined) continue;
    if (order.type !== 'stop_market' && order.type !== 'take_profit_market') continue;
    // A stop sells into a falling market (a long's) or buys into a rising one (a short's): always against the trader.
    // A take-profit does the opposite, in the trader's favour, so a bar that reaches both fills the stop first.
    const adverse = order.type === 'stop_market';
    // Where the bar cannot tell whether its extreme came before the order was placed, it is taken against the trader:
    // a stop placed inside the bar is matched against the whole of it, a take-profit only from the next bar on. (An
    // hourly mark candle, matched at its close, holds the minutes before a target placed inside the hour.)
    if (!adverse && order.time > bar.start) continue;
    const distance = reach({ falling: (order.side === 'sell') === adverse, price: order.triggerPrice }, markFor(order.time), phase, setInside(order.time));
    if (distance !== undefined) candidates.push({ kind: 'stop', order, adverse, distance });
  }
  const rank = (trigger: Trigger): number => (trigger.kind === 'liquidation' ? 0 : 1);
  candidates.sort((a, b) => Number(b.adverse) - Number(a.adverse) || a.distance - b.distance || rank(a) - rank(b));
  return candidates[0];
}

/** A bar the walk met before, still forming then (the live minute): the mark's range up to `until`. */
export interface WalkedBar {
  readonly until: number;
  readonly mark: PriceRange;
}

function rangeSince(walked: PriceRange, mark: PriceRange): PriceRange {
  return {
    open: walked.close,
    high: mark.high > walked.high ? mark.high : Math.max(walked.close, mark.close),
    low: mark.low < walked.low ? mark.low : Math.min(walked.close, mark.close),
    close: mark.close,
  };
}

/**
 * How far from the mark's open a level lies when this phase of the bar reaches it: 0 for a gap (the mark opened at
 * or beyond it), the distance for a level inside the mark's range; undefined when not reached. For a level set inside
 * the bar at `setFrom` (the position's entry), no gap, and the distance from there.
 */
function reach(level: Level, mark: PriceRange, phase: Phase, setFrom?: number): number | undefined {
  if (setFrom !== undefined) {
    if (phase === 'gap') return undefined;
    if (level.falling) return mark.low <= level.price ? Math.max(0, setFrom - level.price) : undefined;
    return mark.high >= level.price ? Math.max(0, level.price - setFrom) : undefined;
  }
  const beyondOpen = level.falling ? mark.open <= level.price : mark.open >= level.price;
  if (phase === 'gap') return beyondOpen ? 0 : undefined;
  if (beyondOpen) return 0;
  if (level.falling) return mark.low <= level.price ? mark.open - level.price : undefined;
  return mark.high >= level.price ? level.price - mark.open : undefined;
}

/**
 * A stop met inside a bar fills at the traded price of the moment the mark reached its trigger: the trigger less the
 * basis (mark over traded price) the bar opened with, within what the bar traded (slippage is added by the caller).
 * In a sell-off the traded price runs below the mark: a long's stop at 95 that the mark reaches while the traded
 * price is at 93 fills near 93 on the venue, not at 95.
 */
export function fillWithin(trigger: number, bar: PriceBar): number {
  const basis = bar.mark === undefined ? 0 : bar.mark.open - bar.open;
  return Math.min(Math.max(trigger - basis, bar.low), bar.high);
}

/** True when closing `quantity` at `price` (after `fee`) would lose more than the margin posted for it. */
export function beyondMargin(position: PaperPosition, quantity: number, price: number, fee: number): boolean {
  const margin = (position.margin * quantity) / position.quantity;
  return grossPnl(position.side, position.entryPrice, price, quantity) - fee < -margin;
}
