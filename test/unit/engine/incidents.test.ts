import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { createLogger } from '../../../src/adapters/logging/create-logger.js';
import type { TradingEvent } from '../../../src/domain/events.js';
import { IncidentTracker } from '../../../src/engine/incidents.js';
import type { TradingStateRepository } from '../../../src/ports/store.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../src/testing/recording-notifier.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';

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
    const incidents = new IncidentTracker(new ManualClock(new Date('2025-10-10T21:00:00Z')), { notify: async (event) => void events.push(event) }, logger, new InMemoryStore().state);

    await incidents.raise('unprotected:7', 'critical', 'ETH/USDT:USDT has no stop on the exchange.');
    await incidents.raise('unprotected:7', 'critical', 'ETH/USDT:USDT has no stop on the exchange.');

    expect(lines.map((line) => [line['level'], line['incident'], line['msg']])).toEqual([[50, 'unprotected:7', 'ETH/USDT:USDT has no stop on the exchange.']]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'alert', severity: 'critical', incident: 'unprotected:7', cleared: false });
  });

  it('when a warning is raised and then cleared, then it is logged as a warning and the all-clear follows', async () => {
    const { logger, lines } = capturedLogger();
    const events: TradingEvent[] = [];
    const incidents = new IncidentTracker(new ManualClock(new Date('2025-10-10T21:00:00Z')), { notify: async (event) => void events.push(event) }, logger, new InMemoryStore().state);

    await incidents.raise('provider:claude', 'warning', 'Claude is not answering.');
    await incidents.clear('provider:claude', 'Claude answers again.');

    expect(lines[0]).toMatchObject({ level: 40, incident: 'provider:claude', msg: 'Claude is not answering.' });
    expect(events.map((event) => (event.type === 'alert' ? event.cleared : undefined))).toEqual([false, true]);
  });
});

describe('a fault that comes and goes', () => {
  it('when the venue fails every other minute for half an hour, then there is one alert, and one all-clear once it has been quiet for the quiet period', async () => {
    const clock = new ManualClock(new Date('2025-10-10T21:00:00Z'));
    const notifier = new RecordingNotifier();
    const incidents = new IncidentTracker(clock, notifier, new RecordingLogger(), new InMemoryStore().state);
    const quietMs = 5 * 60_000;
    for (let minute = 0; minute < 30; minute += 1) {
      if (minute % 2 === 0) await incidents.raise('engine:monitor', 'warning', 'The monitor step failed.', { quietMs });
      else await incidents.clear('engine:monitor', 'The monitor step works again.');
      clock.advanceTo(new Date(clock.now().getTime() + 60_000));
    }
    const during = notifier.ofType('alert').map((a) => a.cleared);
    for (let minute = 0; minute < 6; minute += 1) {
      await incidents.clear('engine:monitor', 'The monitor step works again.');
      clock.advanceTo(new Date(clock.now().getTime() + 60_000));
    }

    expect(during).toEqual([false]);
    expect(notifier.ofType('alert').map((a) => a.cleared)).toEqual([false, true]);
  });

  it('when an incident has no quiet period, then its all-clear follows the first success', async () => {
    const clock = new ManualClock(new Date('2025-10-10T21:00:00Z'));
    const notifier = new RecordingNotifier();
    const incidents = new IncidentTracker(clock, notifier, new RecordingLogger(), new InMemoryStore().state);
    await incidents.raise('unbooked:3', 'critical', 'Fills not found.');
    await incidents.clear('unbooked:3', 'Booked.');
    expect(notifier.ofType('alert').map((a) => a.cleared)).toEqual([false, true]);
  });
});

/** One run of the daemon: its own tracker, clock and notifier over a store that outlives it. */
async function daemonRun(state: TradingStateRepository, at: string) {
  const notifier = new RecordingNotifier();
  const logger = new RecordingLogger();
  const incidents = new IncidentTracker(new ManualClock(new Date(at)), notifier, logger, state);
  await incidents.load();
  const alerts = () => notifier.ofType('alert').map((alert) => `${alert.incident}:${alert.cleared ? 'cleared' : 'raised'}`);
  return { incidents, alerts, logger };
}

describe('incidents across a restart', () => {
  it('when the daemon restarts during an outage, then the outage is not announced again and its end gets the all-clear', async () => {
    const store = new InMemoryStore();
    const before = await daemonRun(store.state, '2025-10-10T21:00:00Z');
    await before.incidents.raise('analyst:claude', 'warning', 'Analyst claude is not answering (HTTP 529).');
    await before.incidents.flush();

    const after = await daemonRun(store.state, '2025-10-10T21:07:00Z');
    await after.incidents.raise('analyst:claude', 'warning', 'Analyst claude is not answering (HTTP 529).');
    await after.incidents.clear('analyst:claude', 'Analyst claude answers again.');

    expect(before.alerts()).toEqual(['analyst:claude:raised']);
    expect(after.alerts()).toEqual(['analyst:claude:cleared']);
    expect(after.incidents.isOpen('analyst:claude')).toBe(false);
  });

  it('when an outage was cleared before the restart, then the next run starts with nothing open', async () => {
    const store = new InMemoryStore();
    const before = await daemonRun(store.state, '2025-10-10T21:00:00Z');
    await before.incidents.raise('market-data', 'warning', 'Market data unavailable.');
    await before.incidents.clear('market-data', 'Market data is flowing again.');
    await before.incidents.flush();

    const after = await daemonRun(store.state, '2025-10-10T21:07:00Z');

    expect(after.incidents.isOpen('market-data')).toBe(false);
  });

  it('when a repeating critical incident outlives a restart, then its repeat keeps the schedule of its last alert', async () => {
    const store = new InMemoryStore();
    const before = await daemonRun(store.state, '2025-10-10T21:00:00Z');
    await before.incidents.raise('close:7', 'critical', 'Closing ETH failed.', { repeatEveryMs: 60_000 });
    await before.incidents.flush();

    const soon = await daemonRun(store.state, '2025-10-10T21:00:30Z');
    await soon.incidents.raise('close:7', 'critical', 'Closing ETH failed.', { repeatEveryMs: 60_000 });
    const later = await daemonRun(store.state, '2025-10-10T21:01:00Z');
    await later.incidents.raise('close:7', 'critical', 'Closing ETH failed.', { repeatEveryMs: 60_000 });

    expect(soon.alerts()).toEqual([]);
    expect(later.alerts()).toEqual(['close:7:raised']);
  });

  it('when the store cannot save, then the alert still goes out, the failure is logged, and shutdown saves it once the store is back', async () => {
    const store = new InMemoryStore();
    let storeDown = true;
    const restarting: TradingStateRepository = {
      get: (key) => store.state.get(key),
      put: async (key, value) => {
        if (storeDown) throw new Error('connection terminated');
        await store.state.put(key, value);
      },
    };
    const run = await daemonRun(restarting, '2025-10-10T21:00:00Z');

    await run.incidents.raise('engine:monitor', 'warning', 'The monitor step failed.');
    await run.incidents.flush();
    expect(run.alerts()).toEqual(['engine:monitor:raised']);
    expect(run.logger.lines.some((line) => line.level === 'warn' && /could not be stored/.test(line.message))).toBe(true);
    storeDown = false;
    await run.incidents.flush();

    const next = await daemonRun(store.state, '2025-10-10T21:05:00Z');
    expect(next.incidents.isOpen('engine:monitor')).toBe(true);
  });

  it('when the stored record is not what a tracker writes, then the run starts with nothing open', async () => {
    const store = new InMemoryStore();
    await store.state.put('open-incidents', { 'analyst:grok': { severity: 'fatal', lastAlertAt: 'yesterday' }, 'market-data': 3 });

    const run = await daemonRun(store.state, '2025-10-10T21:00:00Z');

    expect(run.incidents.isOpen('analyst:grok')).toBe(false);
    expect(run.incidents.isOpen('market-data')).toBe(false);
  });

  it('when a one-off notice is sent twice, then both reach the owner and nothing stays open', async () => {
    const run = await daemonRun(new InMemoryStore().state, '2025-10-10T21:00:00Z');

    await run.incidents.notice('reprotected:3', 'warning', 'The protective stop was missing and has been placed again.');
    await run.incidents.notice('reprotected:3', 'warning', 'The protective stop was missing and has been placed again.');

    expect(run.alerts()).toEqual(['reprotected:3:raised', 'reprotected:3:raised']);
    expect(run.incidents.isOpen('reprotected:3')).toBe(false);
  });
});
