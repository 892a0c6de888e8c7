// Deterministic client order ids: the same intent always gets the same id, so a retry after a timeout can ask the
// exchange whether the first attempt landed instead of sending a second order. Binance allows 36 characters of
// [.A-Z:/a-z0-9_-].
import type { OrderPurpose } from './trading.js';

const ALLOWED = /^[.A-Z:/a-z0-9_-]{1,36}$/;

export function clientOrderId(prefix: string, positionId: string, purpose: OrderPurpose): string {
  const id = `${prefix}-${positionId}-${purpose}`;
  if (!ALLOWED.test(id)) throw new RangeError(`client order id ${JSON.stringify(id)} is not valid on the exchange`);
  return id;
}

/** Whether an exchange order's client id is one of ours; returns the position id and purpose. */
export function parseClientOrderId(prefix: string, id: string | undefined): { positionId: string; purpose: OrderPurpose } | undefined {
  if (!id?.startsWith(`${prefix}-`)) return undefined;
  const match = /^[^-]+-(\d+)-(entry|stop|close|tp)$/.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  return { positionId: match[1], purpose: match[2] as OrderPurpose };
}
