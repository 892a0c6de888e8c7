// Deterministic client order ids: the same intent always gets the same id, so a retry after a timeout can ask the
// exchange whether the first attempt landed instead of sending a second order. Binance allows 36 characters of
// [.A-Z:/a-z0-9_-]. A stop that replaces another one (a trailing move, a re-arm after a partial fill) gets a version
// suffix (`-stop.2`): a venue may refuse a client id it has seen before, and the old and new stop rest side by side
// for a moment, so each needs its own id. A venue whose ids take other characters maps them in its profile (Bybit's
// `_2`, Hyperliquid's 128-bit cloid).
import type { OrderPurpose } from './trading.js';

const ALLOWED = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** `version` above 0 marks a replacement of the first order of that purpose; `step` a ladder step's target (1-based). */
export interface OrderIdVariant {
  readonly version?: number;
  readonly step?: number;
}

export function clientOrderId(prefix: string, positionId: string, purpose: OrderPurpose, variant: OrderIdVariant = {}): string {
  const step = variant.step !== undefined && variant.step > 0 ? String(variant.step) : '';
  const version = variant.version !== undefined && variant.version > 0 ? `.${variant.version}` : '';
  const id = `${prefix}-${positionId}-${purpose}${step}${version}`;
  if (!ALLOWED.test(id)) throw new RangeError(`client order id ${JSON.stringify(id)} is not valid on the exchange`);
  return id;
}

export interface ParsedOrderId {
  readonly positionId: string;
  readonly purpose: OrderPurpose;
  /** 0 for the first order of its purpose. */
  readonly version: number;
  /** Ladder step (1-based) of a take-profit order; undefined for the final target and other purposes. */
  readonly step?: number;
}

/** Whether an exchange order's client id is one of ours (any version, any ladder step); returns what it names. */
export function parseClientOrderId(prefix: string, id: string | undefined): ParsedOrderId | undefined {
  return id?.startsWith(`${prefix}-`) ? parseOwnIdShape(id) : undefined;
}

/** What an id of our shape names, whatever its prefix (one with no dash, as ORDER_ID_PREFIX allows). */
function parseOwnIdShape(id: string): ParsedOrderId | undefined {
  const match = /^[^-]+-(\d+)-(entry|stop|close|tp)(\d*)(?:\.(\d+))?$/.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  const purpose = match[2] as OrderPurpose;
  const step = match[3] ? Number(match[3]) : undefined;
  // Only take-profit orders come in ladder steps.
  if (step !== undefined && purpose !== 'tp') return undefined;
  return { positionId: match[1], purpose, version: match[4] ? Number(match[4]) : 0, ...(step === undefined ? {} : { step }) };
}

/**
 * The version of the position's own market close (`-close`, `-close.2`, …) a client id names, whatever the prefix;
 * undefined for any other order. Parts of a position written down as closes under other ids (the cut of an entry,
 * a part the venue or the owner took) are not the position's close.
 */
export function closeVersionOf(id: string, positionId: string): number | undefined {
  const parsed = parseOwnIdShape(id);
  return parsed?.purpose === 'close' && parsed.positionId === positionId ? parsed.version : undefined;
}

/** The client id of the stop that protects the position now: the last verified replacement, or the first stop. */
export function currentStopId(prefix: string, position: { readonly id: string; readonly stopClientOrderId?: string }): string {
  return position.stopClientOrderId ?? clientOrderId(prefix, position.id, 'stop');
}

/**
 * The client id of the order that cuts an entry back to its limits (see engine/entry-trim). Outside the purposes above
 * on purpose: it is neither the position's close nor a target, so nothing that looks for those mistakes it for one.
 */
export function entryTrimId(prefix: string, positionId: string): string {
  return `${prefix}-${positionId}-trim`;
}
