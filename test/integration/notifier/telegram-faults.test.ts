// Delivery when Telegram misbehaves: rate limits, server errors, refusals, an outage, and a daemon restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { OutboxDelivery } from '../../../src/adapters/notifier/outbox-delivery.js';
import { OutboxNotifier } from '../../../src/adapters/notifier/outbox-notifier.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramSender } from '../../../src/adapters/notifier/telegram-sender.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { MemoryOutbox } from '../../unit/adapters/notifier/support/memory-outbox.js';
import { sampleEvents } from '../../unit/adapters/notifier/support/sample-events.js';

const OWNER_CHAT = '4242';

let api: FakeBotApi;
let clock: ManualClock;
let outbox: MemoryOutbox;
const workers: OutboxDelivery[] = [];

function newWorker(): { delivery: OutboxDelivery; notifier: OutboxNotifier } {
  // A fresh bot, pacer and worker each time, as after a process restart; only the outbox survives.
  const bot = createTelegramBot({ token: api.token, apiRoot: api.apiRoot });
  const pacer = new ChatPacer(clock, 1000);
  const logger = new RecordingLogger();
  const delivery = new OutboxDelivery({
    outbox,
    sender: new TelegramSender({ telegram: bot.telegram, chatId: OWNER_CHAT, pacer }),
    clock,
    logger,
    minIntervalMs: 1000,
    pacer,
    idlePollMs: 3_600_000,
  });
  workers.push(delivery);
  const notifier = new OutboxNotifier({ outbox, clock, logger, onEnqueued: () => delivery.wake() });
  return { delivery, notifier };
}

function alert(n: number) {
  return { ...sampleEvents().alert, incident: `incident-${n}`, message: `message ${n}` };
}

beforeEach(async () => {
  clock = new ManualClock('2025-10-10T21:06:00Z');
  api = await FakeBotApi.start({ timeSource: () => clock.now().getTime() });
  outbox = new MemoryOutbox();
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  await api.close();
});

describe('Telegram delivery under faults', () => {
  it('when Telegram answers 429 with retry_after 7, then the next attempt comes no sooner than 7 s later on the clock', async () => {
    const { delivery, notifier } = newWorker();
    api.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 7 });
    delivery.start();

    await notifier.notify(alert(1));
    await api.waitFor((server) => server.callsOf('sendMessage').length === 1, 'the rate-limited attempt');
    const refusedAt = api.callsOf('sendMessage')[0]!.at;
    await clock.untilSleeping((deadline) => deadline === refusedAt + 7000);
    clock.advanceBy(6999);
    expect(clock.nextDeadline()).toBe(refusedAt + 7000);
    clock.advanceBy(1);
    await api.waitFor((server) => server.sent.length === 1, 'the retry');

    const [refused, accepted] = api.callsOf('sendMessage');
    expect(refused?.outcome).toBe(429);
    expect(accepted?.outcome).toBe('ok');
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(7000);
  });

  it('when Telegram is down for a while and comes back, then every queued message is delivered once, in order', async () => {
    const { delivery, notifier } = newWorker();
    await api.goDown();
    delivery.start();
    clock.autoAdvance();

    for (const n of [1, 2, 3]) await notifier.notify(alert(n));
    await outbox.until((store) => (store.rows[0]?.attempts ?? 0) >= 4);
    await api.comeBack();
    await outbox.until((store) => store.rows.every((row) => row.deliveredAt !== undefined));
    const flushed = await delivery.flush(60_000);

    expect(api.sent.map((message) => message.visible.split('\n')[1])).toEqual(['message 1', 'message 2', 'message 3']);
    expect(flushed.remaining).toBe(0);
    expect(outbox.rows.map((row) => row.lastError)).toEqual([expect.stringContaining('ECONNREFUSED'), undefined, undefined]);
  });

  it('when Telegram fails with 500s, then the message is retried with backoff and delivered once', async () => {
    const { delivery, notifier } = newWorker();
    api.failNext(2, { kind: 'server_error' });
    delivery.start();
    clock.autoAdvance();

    await notifier.notify(alert(1));
    await api.waitFor((server) => server.sent.length === 1, 'the delivery after two 500s');

    const calls = api.callsOf('sendMessage');
    expect(calls.map((call) => call.outcome)).toEqual([500, 500, 'ok']);
    expect(calls[1]!.at - calls[0]!.at).toBe(1000);
    expect(calls[2]!.at - calls[1]!.at).toBe(2000);
  });

  it('when the daemon restarts with undelivered messages, then the new worker delivers them', async () => {
    const first = newWorker();
    await api.goDown();
    first.delivery.start();
    await first.notifier.notify(alert(1));
    await first.notifier.notify(alert(2));
    await outbox.until((store) => (store.rows[0]?.attempts ?? 0) >= 1);
    await first.delivery.stop();

    await api.comeBack();
    clock.advanceBy(60_000);
    const second = newWorker();
    clock.autoAdvance();
    second.delivery.start();
    await outbox.until((store) => store.rows.every((row) => row.deliveredAt !== undefined));

    expect(api.sent.map((message) => message.visible.split('\n')[1])).toEqual(['message 1', 'message 2']);
  });

  it('when shutdown comes while Telegram hangs, then flush cuts the call off at its deadline and the message stays due', async () => {
    const { delivery, notifier } = newWorker();
    api.failNext(1, { kind: 'hang' });
    delivery.start();
    await notifier.notify(alert(1));
    await api.waitFor((server) => server.callsOf('sendMessage').length === 1, 'the hanging call');
    const deadline = clock.now().getTime() + 5000;

    const flushing = delivery.flush(5000);
    await clock.untilSleeping((wakeUp) => wakeUp === deadline);
    clock.advanceBy(5000);
    const flushed = await flushing;

    expect(flushed).toEqual({ delivered: 0, remaining: 1 });
    expect(api.callsOf('sendMessage').map((call) => call.outcome)).toEqual(['hung']);
    expect(outbox.rows[0]).toMatchObject({ attempts: 0, nextAttemptAt: outbox.rows[0]?.createdAt });
  });

  it('when shutdown comes while a message is in flight, then that message is allowed to finish', async () => {
    const { delivery, notifier } = newWorker();
    delivery.start();
    await notifier.notify(alert(1));
    await api.waitFor((server) => server.callsOf('sendMessage').length === 1, 'the call in flight');

    const flushed = await delivery.flush(5000);

    expect(flushed).toEqual({ delivered: 1, remaining: 0 });
    expect(api.sent).toHaveLength(1);
  });

  it('when Telegram cannot parse a message as HTML, then it is delivered as plain text instead', async () => {
    const { delivery } = newWorker();
    await outbox.enqueue({ createdAt: clock.now(), eventType: 'alert', text: '<blink>x</blink> &amp; y', payload: {} });
    clock.autoAdvance();

    delivery.start();
    await outbox.until((store) => store.rows[0]?.deliveredAt !== undefined);

    expect(api.callsOf('sendMessage').map((call) => call.outcome)).toEqual([400, 'ok']);
    expect(api.sent[0]).toMatchObject({ raw: 'x & y', visible: 'x & y' });
    expect(api.sent[0]?.parseMode).toBeUndefined();
  });

  it('when a long message is refused as HTML in its second part, then the plain-text retry sends only what was not yet delivered', async () => {
    const { delivery } = newWorker();
    const firstPart = Array.from({ length: 60 }, (_, n) => `<b>line ${n}</b> of the first part, long enough to fill it`).join('\n');
    const secondPart = '<blink>bad tag</blink> &amp; the second part';
    await outbox.enqueue({ createdAt: clock.now(), eventType: 'alert', text: `${firstPart}\n${firstPart}\n${secondPart}`, payload: {} });
    clock.autoAdvance();

    delivery.start();
    await outbox.until((store) => store.rows[0]?.deliveredAt !== undefined);

    expect(api.callsOf('sendMessage').map((call) => call.outcome)).toEqual(['ok', 400, 'ok']);
    expect(api.sent).toHaveLength(2);
    expect(api.sent[0]?.parseMode).toBe('HTML');
    expect(api.sent[0]?.visible).toContain('line 0 of the first part');
    expect(api.sent[1]?.parseMode).toBeUndefined();
    expect(api.sent[1]?.visible).not.toContain('line 0 of the first part');
    expect(api.sent[1]?.visible).toContain('bad tag & the second part');
    // Nothing of the message is lost or repeated: every line arrives once.
    const visible = api.sent.map((message) => message.visible).join('\n');
    expect(visible.match(/line 0 of the first part/g)).toHaveLength(2);
  });
});
