// The tables behind the in-memory store and the rules every repository shares: numbers rounded as NUMERIC would
// round them, JSON round-tripped, and patches limited to the columns the SQL store lets change.
import { ACTIVE_POSITION_STATUSES, type OrderRecord, type Position, type Trade } from '../../../domain/trading.js';
import type {
  BreakerEvent,
  DailyPerformance,
  DecisionRecord,
  LogEntry,
  OutboxMessage,
  PaperHistoryEntry,
  RiskRejection,
} from '../../../ports/store.js';
import { storableText, toJson, toNumeric } from '../values.js';

export interface Tables {
  positions: Map<string, Position>;
  orders: Map<string, OrderRecord>;
  trades: Map<string, Trade>;
  decisions: DecisionRecord[];
  /** The id of each decision in `decisions`, ascending, as an identity column numbers them; retention leaves gaps. */
  decisionIds: number[];
  nextDecisionId: number;
  /** Scores by decision id. */
  scores: Map<string, { hit: boolean | null; at: Date }>;
  /** What retention carried over from deleted entry votes, per analyst; confidences in units of 1e-12. */
  modelCarry: Map<string, ModelCarry>;
  breakers: BreakerEvent[];
  rejections: RiskRejection[];
  state: Map<string, string>;
  days: Map<string, DailyPerformance>;
  logs: LogEntry[];
  outbox: Map<string, OutboxMessage>;
  paper: { balance: number; state: string } | undefined;
  /** The paper account's history entries, their JSON as a database would hold it. */
  paperHistory: { kind: PaperHistoryEntry['kind']; entry: string }[];
  nextPositionId: number;
  nextOutboxId: number;
  /** Whether `decisions` is in time order (a replay appends it so), which lets a time range be found by bisection. */
  decisionsInTimeOrder: boolean;
  /** Every decision before this index is scored or never scorable: a scoring pass starts here. */
  firstUnscored: number;
}

export interface ModelCarry {
  readonly votes: number;
  readonly scored: number;
  readonly hits: number;
  readonly rightConfidence: bigint;
  readonly wrongConfidence: bigint;
}

export function emptyTables(): Tables {
  return {
    positions: new Map(),
    orders: new Map(),
    trades: new Map(),
    decisions: [],
    decisionIds: [],
    nextDecisionId: 1,
    scores: new Map(),
    modelCarry: new Map(),
    breakers: [],
    rejections: [],
    state: new Map(),
    days: new Map(),
    logs: [],
    outbox: new Map(),
    paper: undefined,
    paperHistory: [],
    nextPositionId: 1,
    nextOutboxId: 1,
    decisionsInTimeOrder: true,
    firstUnscored: 0,
  };
}

/** The append-only tables: rows are only ever pushed, so a rollback cuts each back to its length at the start. */
const APPENDED = ['decisions', 'decisionIds', 'breakers', 'rejections', 'paperHistory', 'logs'] as const;

/**
 * What a transaction needs to undo itself. Records are replaced, never mutated, so copying the keyed containers is a
 * full copy of them; the append-only tables keep their arrays and remember their lengths, so a transaction costs the
 * same in the first simulated week of a backtest as in its last (copying every decision made each one O(n)).
 * Retention never cuts an array in place but replaces it: the arrays cut back are the ones the checkpoint holds.
 */
export function checkpointOf(tables: Tables): () => Tables {
  const lengths = APPENDED.map((name) => tables[name].length);
  const copy: Tables = {
    ...tables,
    positions: new Map(tables.positions),
    orders: new Map(tables.orders),
    trades: new Map(tables.trades),
    scores: new Map(tables.scores),
    modelCarry: new Map(tables.modelCarry),
    state: new Map(tables.state),
    days: new Map(tables.days),
    outbox: new Map(tables.outbox),
  };
  return () => {
    APPENDED.forEach((name, index) => {
      copy[name].length = lengths[index] as number;
    });
    return copy;
  };
}

// ---- value rules shared with the SQL store ----

export function decimal(value: number): number {
  if (!Number.isFinite(value)) throw new TypeError(`cannot store ${value} as a number`);
  const rounded = Math.abs(value) < 1e21 ? Number(value.toFixed(12)) : value;
  return rounded === 0 ? 0 : rounded;
}

const SCALE = 10n ** 12n;

/**
 * A number as the SQL store writes it (`toNumeric`: its shortest decimal, rounded to 12 places), counted in units of
 * 1e-12. Not `value.toFixed(12)`, which prints the double's binary expansion: 10000.3 would become 10000.299999999999.
 */
export function toUnits(value: number): bigint {
  const [whole = '0', fraction = ''] = toNumeric(value).split('.');
  const negative = whole.startsWith('-');
  // toNumeric never writes more than 12 decimals: it rounds to them first.
  const units = BigInt(whole.replace('-', '')) * SCALE + BigInt(fraction.padEnd(12, '0'));
  return negative ? -units : units;
}

/** Units of 1e-12 back to the number a NUMERIC of that value reads as. */
export function fromUnits(units: bigint): number {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(13, '0');
  return Number(`${negative ? '-' : ''}${digits.slice(0, -12)}.${digits.slice(-12)}`);
}

/**
 * The sum NUMERIC arithmetic gives for these values as stored. Adding the doubles and rounding the result, as a
 * double, to 12 decimals is not the same: past about 8,192 their binary error is coarser than 1e-12 and survives.
 */
export function numericSum(...values: number[]): number {
  return fromUnits(values.reduce((total, value) => total + toUnits(value), 0n));
}

export function json<T>(value: T): T {
  return JSON.parse(toJson(value)) as T;
}

/** Numbers rounded, dates copied, undefined keys dropped; `jsonKeys` round-trip through JSON (JSONB columns). */
export function normalized<T extends object>(record: T, jsonKeys: readonly string[] = []): T {
  const entries = Object.entries(record)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      if (jsonKeys.includes(key)) return [key, json(value)];
      if (typeof value === 'number') return [key, decimal(value)];
      if (value instanceof Date) return [key, new Date(value.getTime())];
      if (typeof value === 'string') return [key, storableText(value)];
      return [key, value];
    });
  return Object.fromEntries(entries) as T;
}

export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const byId = (a: string, b: string): number => Number(a) - Number(b);
export const byTime = (a: Date, b: Date): number => a.getTime() - b.getTime();

export function inRange(time: Date, range: { from?: Date; to?: Date }): boolean {
  return (!range.from || time >= range.from) && (!range.to || time < range.to);
}

export function checkDay(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`day must be YYYY-MM-DD, got ${day}`);
  return day;
}

export const ACTIVE = new Set(ACTIVE_POSITION_STATUSES);

export const POSITION_PATCH_KEYS = new Set<string>([
  'status', 'leverage', 'quantity', 'entryPrice', 'margin', 'stopPrice', 'stopLossPct', 'liquidationPrice',
  'takeProfitPrice', 'entryFee', 'funding', 'openedAt', 'stopOrderId', 'stopClientOrderId', 'bestPrice', 'lastUpdateAt', 'lastExitCheckAt', 'closedAt',
  'closeReason',
]);
export const ORDER_PATCH_KEYS = new Set<string>([
  'side', 'type', 'quantity', 'triggerPrice', 'limitPrice', 'status', 'exchangeOrderId', 'filledQuantity', 'averagePrice', 'fee',
  'error', 'updatedAt',
]);

export function checkPatch(patch: object, allowed: ReadonlySet<string>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined && !allowed.has(key)) throw new Error(`field ${key} cannot be updated`);
  }
}

/** Where a repository reads and writes, and what it waits for first. */
export interface Access {
  tables(): Tables;
  ready(): Promise<void>;
}

export function requirePosition(tables: Tables, positionId: string, what: string): void {
  if (!tables.positions.has(positionId)) throw new Error(`${what} names position ${positionId}, which does not exist`);
}
