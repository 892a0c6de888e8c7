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

/**
 * The stop's two client ids. A stop that must change size or price while it rests is replaced by a new one under the
 * other id, verified, and only then is the old one cancelled: a client id is unique among open orders.
 */
export function stopClientIds(prefix: string, positionId: string): readonly [string, string] {
  const first = clientOrderId(prefix, positionId, 'stop');
  const second = `${first}a`;
  if (!ALLOWED.test(second)) throw new RangeError(`client order id ${JSON.stringify(second)} is not valid on the exchange`);
  return [first, second];
}

/** Whether an exchange order's client id is one of ours; returns the position id and purpose. */
export function parseClientOrderId(prefix: string, id: string | undefined): { positionId: string; purpose: OrderPurpose } | undefined {
  if (!id?.startsWith(`${prefix}-`)) return undefined;
  const match = /^[^-]+-(\d+)-(entry|stopa|stop|close|tp)$/.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  return { positionId: match[1], purpose: (match[2] === 'stopa' ? 'stop' : match[2]) as OrderPurpose };
}
