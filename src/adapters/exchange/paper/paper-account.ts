// The paper account's state as it is kept in memory and persisted (through PaperAccountRepository) after every
// change, so a restarted daemon carries on with the same balance, position and resting orders.
import { z } from 'zod';
import { OperationalError } from '../../../domain/errors.js';

/** How many fills, funding payments and finished orders are kept; enough for reconciliation and reports. */
export const HISTORY_LIMIT = 1000;
const STATE_VERSION = 1;

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
  type: z.enum(['market', 'stop_market']),
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

const persistedSchema = z.object({
  version: z.literal(STATE_VERSION),
  positions: z.array(positionSchema),
  openOrders: z.array(orderSchema),
  closedOrders: z.array(orderSchema),
  fills: z.array(fillSchema),
  funding: z.array(fundingSchema),
  leverage: z.record(z.string(), z.number()),
  counter: z.number().int().nonnegative(),
  syncedUntil: z.number().optional(),
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
  };
}

/** The `state` half of what is saved; the wallet travels as the repository's `balance`. */
export function serializeAccount(state: PaperAccountState): unknown {
  const { wallet: _wallet, ...rest } = state;
  return { version: STATE_VERSION, ...rest };
}

export function restoreAccount(balance: number, state: unknown): PaperAccountState {
  const parsed = persistedSchema.safeParse(state);
  if (!parsed.success || !Number.isFinite(balance)) {
    const detail = parsed.success ? `balance ${balance}` : parsed.error.message;
    throw new OperationalError(`the saved paper account cannot be read: ${detail}`);
  }
  const { version: _version, ...rest } = parsed.data;
  return { wallet: balance, ...rest };
}

/** Appends and drops the oldest entries beyond HISTORY_LIMIT. */
export function appendBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > HISTORY_LIMIT) list.splice(0, list.length - HISTORY_LIMIT);
}
