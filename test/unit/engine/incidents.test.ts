import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { createLogger } from '../../../src/adapters/logging/create-logger.js';
import type { TradingEvent } from '../../../src/domain/events.js';
import { IncidentTracker } from '../../../src/engine/incidents.js';

/** The daemon's real pino logger, writing JSON lines into an array. */
function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  return { logger: createLogger({ level: 'info', secrets: [], destination }), lines };
}

describe('incident alerts', () => {
  it('when a critical incident is raised through the real logger, then it is logged as an error and notified once', async () => {
    const { logger, lines } = capturedLogger();
    const events: TradingEvent[] = [];
    const incidents = new IncidentTracker(new ManualClock(new Date('2025-10-10T21:00:00Z')), { notify: async (event) => void events.push(event) }, logger);

    await incidents.raise('unprotected:7', 'critical', 'ETH/USDT:USDT has no stop on the exchange.');
    await incidents.raise('unprotected:7', 'critical', 'ETH/USDT:USDT has no stop on the exchange.');

    expect(lines.map((line) => [line['level'], line['incident'], line['msg']])).toEqual([[50, 'unprotected:7', 'ETH/USDT:USDT has no stop on the exchange.']]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'alert', severity: 'critical', incident: 'unprotected:7', cleared: false });
  });

  it('when a warning is raised and then cleared, then it is logged as a warning and the all-clear follows', async () => {
    const { logger, lines } = capturedLogger();
    const events: TradingEvent[] = [];
    const incidents = new IncidentTracker(new ManualClock(new Date('2025-10-10T21:00:00Z')), { notify: async (event) => void events.push(event) }, logger);

    await incidents.raise('provider:claude', 'warning', 'Claude is not answering.');
    await incidents.clear('provider:claude', 'Claude answers again.');

    expect(lines[0]).toMatchObject({ level: 40, incident: 'provider:claude', msg: 'Claude is not answering.' });
    expect(events.map((event) => (event.type === 'alert' ? event.cleared : undefined))).toEqual([false, true]);
  });
});
