import { afterEach, describe, expect, it } from 'vitest';
import { DROPPED_MARK, OutboxDelivery, type OutboxDeliveryOptions } from '../../../../src/adapters/notifier/outbox-delivery.js';
import { OperationalError, RejectedError, TemporaryError } from '../../../../src/domain/errors.js';
import { RecordingLogger } from '../../../../src/testing/silent-logger.js';
import { ManualClock } from './support/manual-clock.js';
import { MemoryOutbox } from './support/memory-outbox.js';
import { sampleEvents } from './support/sample-events.js';
import { ScriptedSender } from './support/scripted-sender.js';
import { decodePng } from './support/png-reader.js';

const running: OutboxDelivery[] = [];

function setup(options: Partial<OutboxDeliveryOptions> = {}) {
  const clock = new ManualClock('2025-10-10T21:00:00Z');
  const outbox = new MemoryOutbox();
  const sender = new ScriptedSender(clock);
  const logger = new RecordingLogger();
  const delivery = new OutboxDelivery({ outbox, sender, clock, logger, minIntervalMs: 1000, idlePollMs: 3_600_000, ...options });
  running.push(delivery);
  const enqueue = (text: string, eventType = 'alert', payload: unknown = {}) =>
    outbox.enqueue({ createdAt: clock.now(), eventType, text, payload });
  return { clock, outbox, sender, logger, delivery, enqueue };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((delivery) => delivery.stop()));
});

describe('OutboxDelivery', () => {
  it('when three messages are due, then they go oldest first, one per second, each marked delivered', async () => {
    const { clock, outbox, sender, delivery, enqueue } = setup();
    const start = clock.now().getTime();
    await enqueue('<b>one</b>');
    await enqueue('two');
    await enqueue('three');
    clock.autoAdvance();

    delivery.start();
    await sender.untilAttempts(3);

    expect(sender.delivered.map((message) => message.text)).toEqual(['<b>one</b>', 'two', 'three']);
    expect(sender.attempts.map((attempt) => attempt.at - start)).toEqual([0, 1000, 2000]);
    await delivery.stop();
    expect(outbox.rows.map((row) => row.deliveredAt?.getTime() === undefined)).toEqual([false, false, false]);
  });

  it('when Telegram says "retry after 7 s", then the next attempt is not made before 7 s have passed on the clock', async () => {
    const { clock, outbox, sender, delivery, enqueue } = setup();
    const start = clock.now().getTime();
    await enqueue('hello');
    sender.failNext(new TemporaryError('Telegram 429: Too Many Requests', 7000));

    delivery.start();
    await sender.untilAttempts(1);
    await clock.untilSleeping((deadline) => deadline === start + 7000);
    clock.advanceBy(6999);
    // Nothing was due before 7 s: the worker is still asleep and has not tried again.
    expect(clock.nextDeadline()).toBe(start + 7000);
    expect(sender.attempts).toHaveLength(1);
    clock.advanceBy(1);
    await sender.untilAttempts(2);

    expect(sender.attempts[1]?.at).toBe(start + 7000);
    expect(sender.attempts[1]?.ok).toBe(true);
    expect(outbox.rows[0]?.attempts).toBe(1);
    expect(outbox.rows[0]?.lastError).toContain('429');
  });

  it('when the network keeps failing, then retries back off 1 s, 2 s, 4 s … up to 5 minutes', async () => {
    const { clock, sender, delivery, enqueue } = setup();
    await enqueue('hello');
    sender.failAlways(new TemporaryError('connect ECONNREFUSED'));
    clock.autoAdvance();

    delivery.start();
    await sender.untilAttempts(12);

    const gaps = sender.attempts.slice(1, 12).map((attempt, index) => (attempt.at - sender.attempts[index]!.at) / 1000);
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
  });

  it('when a failure holds a message back, then a newer message does not overtake it', async () => {
    const { clock, sender, delivery, enqueue } = setup();
    await enqueue('first');
    sender.failNext(new TemporaryError('Telegram 429', 5000));
    delivery.start();
    await sender.untilAttempts(1);

    await enqueue('second');
    delivery.wake();
    clock.autoAdvance();
    await sender.untilAttempts(3);

    expect(sender.attempts.map((attempt) => [attempt.message.text, attempt.ok])).toEqual([
      ['first', false],
      ['first', true],
      ['second', true],
    ]);
  });

  it('when Telegram refuses the HTML, then the message is sent once more as plain text', async () => {
    const { clock, outbox, sender, delivery, enqueue } = setup();
    await enqueue('<b>P&amp;L</b> &lt;3');
    sender.failNext(new RejectedError("Telegram 400: Bad Request: can't parse entities"));
    clock.autoAdvance();

    delivery.start();
    await sender.untilAttempts(2);

    expect(sender.attempts[1]?.message).toMatchObject({ text: '<b>P&amp;L</b> &lt;3', format: 'plain' });
    expect(sender.attempts[1]?.ok).toBe(true);
    await delivery.stop();
    expect(outbox.rows[0]?.deliveredAt).toBeDefined();
  });

  it('when plain text is refused too, then the message is dropped with a log line and the next one still goes', async () => {
    const { clock, outbox, sender, logger, delivery, enqueue } = setup();
    await enqueue('doomed');
    await enqueue('fine');
    sender.failNext(new RejectedError('Telegram 400: message is too long'), new RejectedError('Telegram 400: message is too long'));
    clock.autoAdvance();

    delivery.start();
    await sender.untilAttempts(3);
    await delivery.stop();

    expect(sender.delivered.map((message) => message.text)).toEqual(['fine']);
    expect(outbox.rows[0]?.lastError).toBe(`${DROPPED_MARK}Telegram 400: message is too long`);
    expect(await outbox.backlog()).toBe(0);
    expect(logger.lines.some((line) => line.level === 'error' && line.message.includes('dropped'))).toBe(true);
  });

  it('when the plain-text retry hits a network error, then later retries stay plain text', async () => {
    const { clock, sender, delivery, enqueue } = setup();
    await enqueue('<b>x</b>');
    sender.failNext(new RejectedError('Telegram 400: bad markup'), new TemporaryError('socket hang up'));
    clock.autoAdvance();

    delivery.start();
    await sender.untilAttempts(3);

    expect(sender.attempts.map((attempt) => attempt.message.format)).toEqual(['html', 'plain', 'plain']);
    expect(sender.attempts[2]?.ok).toBe(true);
  });

  it('when a new worker starts over an outbox left with undelivered rows, then it delivers them in order', async () => {
    const { clock, outbox, sender, enqueue } = setup();
    await enqueue('left over 1');
    await enqueue('left over 2');
    await outbox.markFailed('1', 'connect ECONNREFUSED', clock.now());
    const restarted = new OutboxDelivery({ outbox, sender, clock, logger: new RecordingLogger(), minIntervalMs: 1000 });
    running.push(restarted);
    clock.autoAdvance();

    restarted.start();
    await sender.untilAttempts(2);

    expect(sender.delivered.map((message) => message.text)).toEqual(['left over 1', 'left over 2']);
  });

  it('when the store fails to record a delivery, then the message is not sent again and is recorded later', async () => {
    const { clock, outbox, sender, delivery, enqueue } = setup();
    await enqueue('once');
    outbox.failNext('markDelivered');

    const first = await delivery.deliverDue();
    clock.advanceBy(5000);
    const second = await delivery.deliverDue();

    expect(first.delivered).toBe(1);
    expect(second.delivered).toBe(0);
    expect(sender.attempts).toHaveLength(1);
    expect(await outbox.backlog()).toBe(0);
  });

  it('when the store cannot be read, then the worker backs off and delivers once it recovers', async () => {
    const { clock, outbox, sender, logger, delivery, enqueue } = setup();
    await enqueue('patience');
    outbox.failNext('due', 2);
    clock.autoAdvance();

    delivery.start();
    await sender.untilAttempts(1);

    expect(sender.delivered.map((message) => message.text)).toEqual(['patience']);
    expect(logger.lines.filter((line) => line.message === 'could not read the notification outbox')).toHaveLength(2);
  });

  it('when the bot is misconfigured, then the failure is logged as an error and retried slowly', async () => {
    const { sender, logger, delivery, enqueue } = setup();
    await enqueue('hello');
    sender.failNext(new OperationalError('Telegram 401: Unauthorized'));

    const pass = await delivery.deliverDue();

    expect(pass.blockedUntil).toBeDefined();
    expect(logger.lines.find((line) => line.level === 'error')?.message).toContain('check the Telegram set-up');
  });

  it('when a weekly summary is sent after a trip through JSON, then its chart is drawn from the stored curve', async () => {
    const { sender, delivery, enqueue } = setup();
    const weekly = JSON.parse(JSON.stringify(sampleEvents().weekly_summary)) as unknown;
    await enqueue('<b>week</b>', 'weekly_summary', weekly);

    await delivery.deliverDue();

    const image = sender.delivered[0]?.image;
    expect(image?.filename).toBe('equity-curve.png');
    expect(decodePng(image!.png)).toMatchObject({ width: 800, height: 400 });
  });

  it('when flushing at shutdown with Telegram down, then it gives up at the deadline and reports what is left', async () => {
    const { clock, sender, delivery, enqueue } = setup();
    await enqueue('a');
    await enqueue('b');
    sender.failAlways(new TemporaryError('connect ECONNREFUSED'));
    clock.autoAdvance();
    const start = clock.now().getTime();

    const result = await delivery.flush(10_000);

    expect(result).toEqual({ delivered: 0, remaining: 2 });
    expect(clock.now().getTime() - start).toBeLessThanOrEqual(10_000);
    expect(sender.attempts.length).toBeGreaterThan(1);
  });

  it('when flushing with Telegram up, then everything due is delivered before it returns', async () => {
    const { clock, sender, delivery, enqueue } = setup();
    await enqueue('a');
    await enqueue('b');
    await enqueue('c');
    clock.autoAdvance();

    const result = await delivery.flush(10_000);

    expect(result).toEqual({ delivered: 3, remaining: 0 });
    expect(sender.delivered.map((message) => message.text)).toEqual(['a', 'b', 'c']);
  });

  it('when the worker is started again after a flush, then it sends as before', async () => {
    const { clock, sender, delivery, enqueue } = setup();
    await enqueue('before');
    clock.autoAdvance();
    await delivery.flush(10_000);

    delivery.start();
    await enqueue('after');
    delivery.wake();
    await sender.untilAttempts(2);

    expect(sender.attempts.map((attempt) => [attempt.message.text, attempt.ok])).toEqual([
      ['before', true],
      ['after', true],
    ]);
  });
});
