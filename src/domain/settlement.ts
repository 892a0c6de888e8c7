// Books a closed position from what the exchange reports (its fills and funding), not from the last ticker:
// the trade's P&L is exactly the sum of the fills minus their fees plus funding.
import { entryOrderSide, exitOrderSide, roundUsd, sideSign } from './money.js';
import { partNetPnl } from './take-profit-plan.js';
import type { OrderSide } from './market.js';
import type { CloseReason, Fill, FundingPayment, OrderRecord, Position, Trade } from './trading.js';

export interface FillSummary {
  readonly quantity: number;
  readonly averagePrice: number;
  readonly fees: number;
}

export function summarizeFills(fills: readonly Fill[]): FillSummary {
  let quantity = 0;
  let value = 0;
  let fees = 0;
  for (const fill of fills) {
    quantity += fill.quantity;
    value += fill.price * fill.quantity;
    fees += fill.fee;
  }
  return { quantity, averagePrice: quantity > 0 ? value / quantity : 0, fees };
}

export interface SettlementInput {
  readonly position: Position;
  /** Exchange id of the entry order: its fills are the entry, later opposite fills the exit. */
  readonly entryOrderId?: string;
  /** The symbol's fills from (a little before) the entry on, in the exchange's order (oldest first). */
  readonly fills: readonly Fill[];
  readonly funding: readonly FundingPayment[];
  readonly reason: CloseReason;
  /**
   * Without the entry order's id, entry fills are the opening-side fills from this instant on. It is on the venue's
   * clock where that is known (the position's own `openedAt` is the daemon's clock).
   */
  readonly entrySince?: Date;
  /**
   * A position the daemon adopted (found on the venue, opened by someone else): what it held at `position.openedAt`,
   * the instant of adoption. Its trade starts there: the fills before are the owner's, and may be older than any
   * look-up window.
   */
  readonly adopted?: AdoptedHolding;
}

export interface AdoptedHolding {
  readonly quantity: number;
  readonly price: number;
  /** How the client ids of the daemon's own orders for the position begin (its stop, its close, its targets). */
  readonly ownOrderIds?: string;
}

/** The exchange order id an adopted position's entry record carries: no order of the daemon's opened it. */
export const ADOPTED_ENTRY_ORDER_ID = 'adopted';

/** The holding an adopted position's entry record keeps; undefined for a position the daemon opened itself. */
export function adoptedHolding(entry: OrderRecord | undefined): AdoptedHolding | undefined {
  if (entry?.exchangeOrderId !== ADOPTED_ENTRY_ORDER_ID || !entry.filledQuantity || entry.averagePrice === undefined) return undefined;
  // The entry record is under the position's own client id (`<prefix>-<id>-entry`): its orders share all but the purpose.
  const ownOrderIds = entry.clientOrderId.endsWith('-entry') ? entry.clientOrderId.slice(0, -'entry'.length) : undefined;
  return { quantity: entry.filledQuantity, price: entry.averagePrice, ...(ownOrderIds === undefined ? {} : { ownOrderIds }) };
}

/**
 * undefined while the fills do not yet show the position closed. The trade closes at the last exit fill; funding
 * counts between the first entry fill and that moment.
 */
/**
 * The fills from the entry on until the position is flat again; undefined while it is still open. Float sums of lot
 * quantities carry residue (0.1 + 0.2), so flat is within a billionth of what was opened. A fill that goes through
 * flat (the owner sold twice what was held, and holds a short now) counts here only up to flat, with that share of
 * its fee: the rest opened the next position.
 */
function untilFlat(fills: readonly Fill[], opening: OrderSide): Fill[] | undefined {
  const walked: Fill[] = [];
  let opened = 0;
  let net = 0;
  for (const fill of fills) {
    if (fill.side === opening) {
      opened += fill.quantity;
      net += fill.quantity;
    } else {
      net -= fill.quantity;
    }
    const beyond = -net;
    if (fill.side !== opening && beyond > opened * 1e-9) {
      const share = (fill.quantity - beyond) / fill.quantity;
      walked.push({ ...fill, quantity: fill.quantity - beyond, fee: fill.fee * share });
      return walked;
    }
    walked.push(fill);
    if (fill.side !== opening && net <= opened * 1e-9) return walked;
  }
  return undefined;
}

/**
 * The symbol's fills from the position's first entry fill on, in the exchange's order (not what shares its timestamp:
 * the previous position's close can carry the very millisecond of this entry); undefined while no entry fill is seen.
 */
export function fillsFromEntry(input: Pick<SettlementInput, 'position' | 'entryOrderId' | 'fills' | 'entrySince' | 'adopted'>): Fill[] | undefined {
  if (input.adopted) return fillsFromAdoption(input.position, input.adopted, input.fills);
  const opening = entryOrderSide(input.position.side);
  const byOrder = input.fills.filter((fill) => input.entryOrderId !== undefined && fill.orderId === input.entryOrderId);
  // Without the order id, the entry is the opening-side fills from the position's opening time on.
  const entrySince = input.entrySince ?? input.position.openedAt;
  const ordered = byOrder.length > 0 ? byOrder : input.fills.filter((fill) => fill.side === opening && fill.time >= entrySince);
  if (summarizeFills(ordered).quantity <= 0) return undefined;
  const firstEntry = input.fills.findIndex((fill) => ordered.includes(fill));
  return input.fills.slice(firstEntry);
}

/**
 * The payments owed on a holding from its first entry fill to its last exit fill. A settlement at the very instant of
 * the first entry fill was paid on what was held before it (a position of the same symbol closed in that instant), not
 * on this one; one at the instant of the last exit fill is this one's.
 */
export function holdingFunding(payments: readonly FundingPayment[], openedAt: Date, closedAt: Date): FundingPayment[] {
  return payments.filter((payment) => payment.time > openedAt && payment.time <= closedAt);
}

/**
 * An adopted position's fills: its holding at adoption as the first entry fill, without a fee (that was paid before
 * the daemon knew the position), then what the venue filled from the adoption on.
 */
function fillsFromAdoption(position: Position, adopted: AdoptedHolding, fills: readonly Fill[]): Fill[] {
  const holding: Fill = {
    id: `adopted-${position.id}`,
    orderId: ADOPTED_ENTRY_ORDER_ID,
    symbol: position.symbol,
    side: entryOrderSide(position.side),
    price: adopted.price,
    quantity: adopted.quantity,
    fee: 0,
    time: position.openedAt,
  };
  // The instant of adoption is just after the newest fill or payment the venue listed then, on the venue's clock
  // (PositionFills.adoptionStart); where the venue listed nothing recent it is the daemon's, which the venue's may run
  // behind (a VPS just rebooted). A fill of one of the daemon's own orders for the position (the close adoption sent,
  // its stop) came after adoption whatever its stamp says, and so did everything the venue filled after it.
  const ours = (fill: Fill): boolean => adopted.ownOrderIds !== undefined && fill.clientOrderId?.startsWith(adopted.ownOrderIds) === true;
  const first = fills.findIndex((fill) => fill.time >= position.openedAt || ours(fill));
  return [holding, ...(first < 0 ? [] : fills.slice(first))];
}

export function settleTrade(input: SettlementInput): Trade | undefined {
  const { position, reason } = input;
  const opening = entryOrderSide(position.side);
  const fromEntry = fillsFromEntry(input);
  if (!fromEntry) return undefined;
  // The trade runs from the entry up to where the position is flat again: size the owner added by hand and what
  // reduced it belong to it, the next position's fills do not.
  const walked = untilFlat(fromEntry, opening);
  if (!walked) return undefined;
  const entryFills = walked.filter((fill) => fill.side === opening);
  const exitFills = walked.filter((fill) => fill.side !== opening);
  const entry = summarizeFills(entryFills);
  const exit = summarizeFills(exitFills);
  const openedAt = new Date(Math.min(...entryFills.map((fill) => fill.time.getTime())));
  const closedAt = new Date(Math.max(...exitFills.map((fill) => fill.time.getTime())));
  const relevant = [...entryFills, ...exitFills];
  const s = sideSign(position.side);
  let grossPnl = 0;
  for (const fill of exitFills) grossPnl += s * (fill.price - entry.averagePrice) * fill.quantity;
  // Every amount rounded as the store keeps money (1e-8): an exact loss of $10.00 must not be booked as
  // 9.999999999999996, nor an even trade as a win of 3e-15.
  const funding = roundUsd(holdingFunding(input.funding, openedAt, closedAt).reduce((total, payment) => total + payment.amount, 0));
  grossPnl = roundUsd(grossPnl);
  const entryFee = roundUsd(entry.fees);
  const exitFee = roundUsd(exit.fees);
  const netPnl = roundUsd(grossPnl - entryFee - exitFee + funding);
  const margin = (entry.averagePrice * entry.quantity) / position.leverage;
  return {
    positionId: position.id,
    symbol: position.symbol,
    side: position.side,
    leverage: position.leverage,
    quantity: entry.quantity,
    entryPrice: entry.averagePrice,
    exitPrice: exit.averagePrice,
    margin,
    stopPrice: position.stopPrice,
    liquidationPrice: position.liquidationPrice,
    entryFee,
    exitFee,
    funding,
    grossPnl,
    netPnl,
    pnlPct: margin > 0 ? netPnl / margin : 0,
    reason,
    openedAt: position.openedAt,
    closedAt,
    rationale: position.rationale,
    fills: relevant,
  };
}

/** How a trade's exit went: the order that closed the rest, and what earlier exits closed before it. */
export interface ExitParts {
  /** The last exit order: its size and its average fill price. */
  readonly last: { readonly quantity: number; readonly price: number };
  /**
   * What exits before it closed (take-profit steps, a stop filled in part, the owner by hand), net of their share of
   * the entry fee and their own fees; undefined when one order closed the whole position.
   */
  readonly earlier?: { readonly quantity: number; readonly netPnl: number };
}

/**
 * A trade's exit price is the average of every exit: after a take-profit step at 106,000 and a stop at 93,900 it
 * reads 99,687, a price nothing filled at. The close message shows the last order's price and the earlier parts apart.
 */
export function exitParts(trade: Trade): ExitParts {
  const exits = trade.fills.filter((fill) => fill.side === exitOrderSide(trade.side));
  const lastOrder = exits[exits.length - 1]?.orderId;
  const last = summarizeFills(exits.filter((fill) => fill.orderId === lastOrder));
  const before = summarizeFills(exits.filter((fill) => fill.orderId !== lastOrder));
  if (lastOrder === undefined || before.quantity <= 0) return { last: { quantity: trade.quantity, price: trade.exitPrice } };
  return {
    last: { quantity: last.quantity, price: last.averagePrice },
    earlier: { quantity: before.quantity, netPnl: partNetPnl(trade, before.quantity, before.averagePrice, before.fees) },
  };
}
