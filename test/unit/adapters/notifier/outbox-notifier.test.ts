import { describe, expect, it } from 'vitest';
import { OutboxNotifier } from '../../../../src/adapters/notifier/outbox-notifier.js';
import { renderEvent } from '../../../../src/adapters/notifier/render/render-event.js';
import type { TradingEvent } from '../../../../src/domain/events.js';
import { RecordingLogger } from '../../../../src/testing/silent-logger.js';
import { ManualClock } from './support/manual-clock.js';
import { MemoryOutbox } from './support/memory-outbox.js';
import { pricePrecision, sampleEvents } from './support/sample-events.js';

function setup() {
  const clock = new ManualClock('2025-10-10T21:06:00Z');
  const outbox = new MemoryOutbox();
  const logger = new RecordingLogger();
  let wakes = 0;
  const waiters: (() => void)[] = [];
  const onEnqueued = (): void => {
    wakes += 1;
    for (const resolve of waiters.splice(0)) resolve();
  };
  const notifier = new OutboxNotifier({ outbox, clock, logger, render: { pricePrecision }, onEnqueued, retryMs: 5000 });
  const nextEnqueue = (): Promise<void> => new Promise((resolve) => waiters.push(resolve));
  return { clock, outbox, logger, notifier, wakes: () => wakes, nextEnqueue };
}

const events = sampleEvents();

describe('OutboxNotifier', () => {
  it('when an event is notified, then its rendered text and the event itself are enqueued and the worker is woken', async () => {
    const { outbox, notifier, wakes } = setup();

    await notifier.notify(events.position_opened);

    expect(outbox.rows).toHaveLength(1);
    expect(outbox.rows[0]).toMatchObject({
      eventType: 'position_opened',
      text: renderEvent(events.position_opened, { pricePrecision }).text,
      payload: events.position_opened,
      createdAt: new Date('2025-10-10T21:06:00Z'),
    });
    expect(wakes()).toBe(1);
  });

  it('when the store fails, then notify still resolves, the failure is logged and the event is stored on the retry', async () => {
    const { clock, outbox, logger, notifier, nextEnqueue } = setup();
    outbox.failNext('enqueue');

    await expect(notifier.notify(events.alert)).resolves.toBeUndefined();
    expect(outbox.rows).toHaveLength(0);
    expect(notifier.pendingCount()).toBe(1);
    expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('could not store'))).toBe(true);

    await clock.untilSleeping();
    const stored = nextEnqueue();
    clock.advanceBy(4999);
    expect(outbox.rows).toHaveLength(0);
    clock.advanceBy(1);
    await stored;

    expect(outbox.rows[0]?.eventType).toBe('alert');
    expect(notifier.pendingCount()).toBe(0);
  });

  it('when events arrive while earlier ones wait for the store, then they are stored in the order they happened', async () => {
    const { outbox, notifier } = setup();
    outbox.failNext('enqueue');
    await notifier.notify(events.scan_result);

    await notifier.notify(events.position_opened);

    expect(outbox.rows.map((row) => row.eventType)).toEqual(['scan_result', 'position_opened']);
  });

  it('when the store stays down too long, then the oldest events are dropped with a log line and memory stays bounded', async () => {
    const clock = new ManualClock();
    const outbox = new MemoryOutbox();
    const logger = new RecordingLogger();
    const notifier = new OutboxNotifier({ outbox, clock, logger, maxPending: 2 });
    outbox.failNext('enqueue', 10);

    await notifier.notify(events.scan_result);
    await notifier.notify(events.alert);
    await notifier.notify(events.stopped);

    expect(notifier.pendingCount()).toBe(2);
    expect(logger.lines.filter((line) => line.message.startsWith('notification dropped'))).toHaveLength(1);
    notifier.close();
  });

  it('when an event cannot be rendered, then a short notice with its type and time is enqueued instead', async () => {
    const { outbox, logger, notifier } = setup();
    const broken = { type: 'position_update', at: new Date('2025-10-10T21:05:00Z') } as unknown as TradingEvent;

    await notifier.notify(broken);

    expect(outbox.rows[0]?.text).toBe('ℹ️ <b>position_update</b> (details could not be rendered)\n🕒 2025-10-10 21:05 UTC');
    expect(logger.lines.some((line) => line.message === 'could not render event')).toBe(true);
  });
});
