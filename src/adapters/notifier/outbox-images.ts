// The outbox keeps the event, not the picture; the chart is drawn when the message is sent. A stored payload may
// have been through JSON (a database row), so times may come back as strings.
import type { EquityPoint } from '../../domain/events.js';
import type { OutboxMessage } from '../../ports/store.js';
import { DEFAULT_CHART_SIZE, renderEquityChart, type ChartSize } from './chart/equity-chart.js';
import type { OutgoingImage } from './message-sender.js';

function reviveEquityPoints(value: unknown): EquityPoint[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const points: EquityPoint[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { time, equity } = item as { time?: unknown; equity?: unknown };
    const at = reviveDate(time);
    const amount = typeof equity === 'number' ? equity : typeof equity === 'string' ? Number(equity) : Number.NaN;
    if (at === undefined || !Number.isFinite(amount)) return undefined;
    points.push({ time: at, equity: amount });
  }
  return points;
}

function reviveDate(value: unknown): Date | undefined {
  const at = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  return at !== undefined && !Number.isNaN(at.getTime()) ? at : undefined;
}

/** The picture that goes with a stored message, if its event has one. */
export async function imageForOutboxMessage(message: OutboxMessage, size: ChartSize = DEFAULT_CHART_SIZE): Promise<OutgoingImage | undefined> {
  if (message.eventType !== 'weekly_summary') return undefined;
  const payload = message.payload as { equityCurve?: unknown; summary?: { from?: unknown; to?: unknown } } | null | undefined;
  const points = reviveEquityPoints(payload?.equityCurve);
  if (points === undefined || points.length < 1) return undefined;
  const from = reviveDate(payload?.summary?.from);
  const to = reviveDate(payload?.summary?.to);
  const title = from ? `Equity, week of ${from.toISOString().slice(0, 10)}` : 'Equity';
  const png = await renderEquityChart({ points, ...(from ? { from } : {}), ...(to ? { to } : {}), title }, size);
  return { png, filename: 'equity-curve.png' };
}
