// The paper account's state as it is kept in memory and persisted (through PaperAccountRepository) after every
// change, so a restarted daemon carries on with the same balance, position and resting orders. The open state is
// saved whole; the history (fills, funding payments, finished orders) is appended entry by entry, so a save costs
// the same after a year of trading as after a day.
import { z } from 'zod';
import { OperationalError } from '../../../domain/errors.js';
import type { PaperHistoryEntry, SavedPaperAccount } from '../../../ports/store.js';

/** How many fills, funding payments and finished orders are kept in memory; enough for reconciliation and reports. */
export const HISTORY_LIMIT = 1000;
/** Version 1 kept the history inside the state document; version 2 keeps it beside it. */
const STATE_VERSION = 2;

const sideSchema = z.enum(['long', 'short']);
const orderSideSchema = z.enum(['buy', 'sell']);

const positionSchema = z.object({
  symbol: z.string(),
  side: sideSchema,
  quantity: z.number().positive(),
  entryPrice: z.number().positive(),
  margin: z.number().nonnegative(),
  leverage: z.number().positive(),
  liquidationPrice: z.number().nonnegative(),
  maintenanceMarginRate: z.number().nonnegative(),
  maintenanceAmount: z.number().nonnegative(),
  openedAt: z.number(),
});

const orderSchema = z.object({
  id: z.string(),
  clientOrderId: z.string().optional(),
  symbol: z.string(),
  side: orderSideSchema,
  type: z.enum(['market', 'stop_market', 'take_profit_market']),
  status: z.enum(['open', 'filled', 'cancelled', 'rejected', 'expired']),
  quantity: z.number(),
  filledQuantity: z.number(),
  averagePrice: z.number().optional(),
  fee: z.number().optional(),
  triggerPrice: z.number().optional(),
  reduceOnly: z.boolean(),
  time: z.number(),
});

const fillSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  clientOrderId: z.string().optional(),
  symbol: z.string(),
  side: orderSideSchema,
  price: z.number(),
  quantity: z.number(),
  fee: z.number(),
  time: z.number(),
});

const fundingSchema = z.object({ symbol: z.string(), time: z.number(), amount: z.number() });

const openStateSchema = z.object({
  version: z.literal(STATE_VERSION),
  positions: z.array(positionSchema),
  openOrders: z.array(orderSchema),
  leverage: z.record(z.string(), z.number()),
  counter: z.number().int().nonnegative(),
  syncedUntil: z.number().optional(),
});

/** What version 1 saved: the open state with the history inside. */
const firstVersionSchema = openStateSchema.extend({
  version: z.literal(1),
  closedOrders: z.array(orderSchema),
  fills: z.array(fillSchema),
  funding: z.array(fundingSchema),
});

export type PaperPosition = z.infer<typeof positionSchema>;
export type PaperOrder = z.infer<typeof orderSchema>;
export type PaperFill = z.infer<typeof fillSchema>;
export type PaperFunding = z.infer<typeof fundingSchema>;

/** Mutable on purpose: only the fill simulator changes it, and the exchange persists it after each change. */
export interface PaperAccountState {
  /** Wallet balance: initial + realised gross P&L − fees + funding. Posted margin is part of it. */
  wallet: number;
  positions: PaperPosition[];
  openOrders: PaperOrder[];
  closedOrders: PaperOrder[];
  fills: PaperFill[];
  funding: PaperFunding[];
  /** Leverage last set per symbol; entries use it. */
  leverage: Record<string, number>;
  /** Source of order, fill and auto-close numbers. */
  counter: number;
  /** Time (epoch ms) up to which price path and funding have been applied. */
  syncedUntil?: number;
  /** History entries appended since the last save, oldest first: the next save writes them. */
  unsaved: PaperHistoryEntry[];
}

export function freshAccount(initialBalance: number): PaperAccountState {
  if (!Number.isFinite(initialBalance) || initialBalance < 0) {
    throw new RangeError(`paper initial balance must be a non-negative number, got ${initialBalance}`);
  }
  return {
    wallet: initialBalance,
    positions: [],
    openOrders: [],
    closedOrders: [],
    fills: [],
    funding: [],
    leverage: {},
    counter: 0,
    unsaved: [],
  };
}

/** The open state, saved whole; the wallet travels as the repository's `balance`, the history beside it. */
export function serializeAccount(state: PaperAccountState): unknown {
  const { positions, openOrders, leverage, counter, syncedUntil } = state;
  return { version: STATE_VERSION, positions, openOrders, leverage, counter, syncedUntil };
}

const historySchemas = { fill: fillSchema, funding: fundingSchema, order: orderSchema } as const;

function unreadable(detail: string): OperationalError {
  return new OperationalError(`the saved paper account cannot be read: ${detail}`);
}

/** The account from what was saved. An account saved by version 1 comes back with its history still to be written. */
export function restoreAccount(saved: SavedPaperAccount): PaperAccountState {
  if (!Number.isFinite(saved.balance)) throw unreadable(`balance ${saved.balance}`);
  const first = firstVersionSchema.safeParse(saved.state);
  if (first.success) {
    const { version: _version, closedOrders, fills, funding, ...open } = first.data;
    const unsaved: PaperHistoryEntry[] = [
      ...closedOrders.map((entry) => ({ kind: 'order' as const, entry })),
      ...fills.map((entry) => ({ kind: 'fill' as const, entry })),
      ...funding.map((entry) => ({ kind: 'funding' as const, entry })),
    ];
    return { wallet: saved.balance, ...open, closedOrders, fills, funding, unsaved };
  }
  const parsed = openStateSchema.safeParse(saved.state);
  if (!parsed.success) throw unreadable(parsed.error.message);
  const { version: _version, ...open } = parsed.data;
  const account: PaperAccountState = { wallet: saved.balance, ...open, closedOrders: [], fills: [], funding: [], unsaved: [] };
  for (const item of saved.history) {
    const checked = historySchemas[item.kind].safeParse(item.entry);
    if (!checked.success) throw unreadable(`a ${item.kind} in the history: ${checked.error.message}`);
    bounded(account, item.kind, checked.data);
  }
  return account;
}

function historyList(state: PaperAccountState, kind: PaperHistoryEntry['kind']): HistoryEntry[] {
  return kind === 'fill' ? state.fills : kind === 'funding' ? state.funding : state.closedOrders;
}

/** One history entry as the fill simulator appends it. */
export type PaperHistoryItem =
  | { readonly kind: 'fill'; readonly entry: PaperFill }
  | { readonly kind: 'funding'; readonly entry: PaperFunding }
  | { readonly kind: 'order'; readonly entry: PaperOrder };

/** Appends to the in-memory history (the oldest entries beyond HISTORY_LIMIT drop off) and queues it for the next save. */
export function appendHistory(state: PaperAccountState, item: PaperHistoryItem): void {
  bounded(state, item.kind, item.entry);
  state.unsaved.push(item);
}

/**
 * Adds to a history list kept to HISTORY_LIMIT entries by dropping the oldest; fills and funding of a position still
 * open (from its opening on) stay, as its trade is booked from them however long it is held. Finished orders are
 * only looked up by id, recent ones, and drop off by age alone.
 */
function bounded(state: PaperAccountState, kind: PaperHistoryEntry['kind'], item: HistoryEntry): void {
  const list = historyList(state, kind);
  list.push(item);
  let excess = list.length - HISTORY_LIMIT;
  if (excess <= 0) return;
  if (kind === 'order') {
    list.splice(0, excess);
    return;
  }
  const held = (entry: HistoryEntry): boolean => state.positions.some((position) => position.symbol === entry.symbol && entry.time >= position.openedAt);
  for (let index = 0; index < list.length && excess > 0; ) {
    if (held(list[index] as HistoryEntry)) index += 1;
    else {
      list.splice(index, 1);
      excess -= 1;
    }
  }
}

type HistoryEntry = PaperFill | PaperFunding | PaperOrder;
