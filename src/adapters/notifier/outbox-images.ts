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
    const at = time instanceof Date ? time : typeof time === 'string' || typeof time === 'number' ? new Date(time) : undefined;
    const amount = typeof equity === 'number' ? equity : typeof equity === 'string' ? Number(equity) : Number.NaN;
    if (at === undefined || Number.isNaN(at.getTime()) || !Number.isFinite(amount)) return undefined;
    points.push({ time: at, equity: amount });
  }
  return points;
}

/** The picture that goes with a stored message, if its event has one. */
export function imageForOutboxMessage(message: OutboxMessage, size: ChartSize = DEFAULT_CHART_SIZE): OutgoingImage | undefined {
  if (message.eventType !== 'weekly_summary') return undefined;
  const payload = message.payload as { equityCurve?: unknown } | null | undefined;
  const points = reviveEquityPoints(payload?.equityCurve);
  if (points === undefined || points.length < 2) return undefined;
  return { png: renderEquityChart(points, size), filename: 'equity-curve.png' };
}
