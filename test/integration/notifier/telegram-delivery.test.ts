// Notifications through the whole path: OutboxNotifier → outbox → OutboxDelivery → TelegramSender → real telegraf
// → a local Bot API server that parses the HTML the way Telegram does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { OutboxDelivery } from '../../../src/adapters/notifier/outbox-delivery.js';
import { OutboxNotifier } from '../../../src/adapters/notifier/outbox-notifier.js';
import { renderEvent } from '../../../src/adapters/notifier/render/render-event.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramSender } from '../../../src/adapters/notifier/telegram-sender.js';
import type { TradingEvent } from '../../../src/domain/events.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { MemoryOutbox } from '../../unit/adapters/notifier/support/memory-outbox.js';
import { decodePng } from '../../unit/adapters/notifier/support/png-reader.js';
import { btcLong, HOSTILE, pricePrecision, sampleEvents } from '../../unit/adapters/notifier/support/sample-events.js';

const OWNER_CHAT = '4242';

let api: FakeBotApi;
let clock: ManualClock;
let outbox: MemoryOutbox;
let delivery: OutboxDelivery;
let notifier: OutboxNotifier;

beforeEach(async () => {
  clock = new ManualClock('2025-10-10T21:06:00Z');
  api = await FakeBotApi.start({ timeSource: () => clock.now().getTime() });
  const bot = createTelegramBot({ token: api.token, apiRoot: api.apiRoot });
  const pacer = new ChatPacer(clock, 1000);
  const logger = new RecordingLogger();
  outbox = new MemoryOutbox();
  delivery = new OutboxDelivery({
    outbox,
    sender: new TelegramSender({ telegram: bot.telegram, chatId: OWNER_CHAT, pacer }),
    clock,
    logger,
    minIntervalMs: 1000,
    pacer,
    idlePollMs: 3_600_000,
  });
  notifier = new OutboxNotifier({ outbox, clock, logger, render: { pricePrecision }, onEnqueued: () => delivery.wake() });
  delivery.start();
  clock.autoAdvance();
});

afterEach(async () => {
  await delivery.stop();
  await api.close();
});

describe('notifications delivered to Telegram', () => {
  it('when one event of every kind is notified, then each arrives once, in order, with its rendered HTML accepted by Telegram', async () => {
    const events = Object.values(sampleEvents()) as TradingEvent[];

    for (const event of events) await notifier.notify(event);
    await api.waitFor((server) => server.sent.length === events.length, `${events.length} messages`);

    expect(api.sent.map((message) => message.raw)).toEqual(events.map((event) => renderEvent(event, { pricePrecision }).text));
    expect(api.sent.every((message) => message.chatId === OWNER_CHAT && message.parseMode === 'HTML')).toBe(true);
    const gaps = api.sent.slice(1).map((message, index) => message.at - api.sent[index]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
  });

  it('when the weekly summary is delivered, then it is a photo of the equity curve with the summary as its caption', async () => {
    const weekly = sampleEvents().weekly_summary;

    await notifier.notify(weekly);
    await api.waitFor((server) => server.sent.length === 1, 'the weekly photo');

    const [photo] = api.sent;
    expect(photo?.method).toBe('sendPhoto');
    expect(photo?.raw).toBe(renderEvent(weekly, { pricePrecision }).text);
    expect(photo?.visible.split('\n')[0]).toBe('📈 Weekly summary · 2025-10-06 → 2025-10-12');
    expect(decodePng(photo!.photo!)).toMatchObject({ width: 800, height: 400 });
  });

  it('when values carry <, &, quotes and emoji, then Telegram accepts the HTML and the reader sees them exactly', async () => {
    const events = sampleEvents();
    const hostile: TradingEvent[] = [
      { ...events.alert, incident: HOSTILE, message: HOSTILE },
      { ...events.risk_rejected, reasons: [HOSTILE, 'a < b && c > d'] },
      { ...events.started, warnings: [HOSTILE], analysts: [HOSTILE] },
      { ...events.stopped, reason: HOSTILE },
      { ...events.position_opened, position: btcLong({ rationale: { ...btcLong().rationale, agreeing: [HOSTILE] } }) },
    ];

    for (const event of hostile) await notifier.notify(event);
    await api.waitFor((server) => server.sent.length === hostile.length, 'the hostile messages');

    expect(api.sent[0]?.visible).toBe(`🚨 CRITICAL · ${HOSTILE}\n${HOSTILE}\n🕒 2025-10-10 21:05 UTC`);
    expect(api.sent[1]?.visible).toContain(`• ${HOSTILE}\n• a < b && c > d`);
    expect(api.sent[2]?.visible).toContain(`⚠️ WARNING: ${HOSTILE}`);
    expect(api.sent[3]?.visible).toContain(`Reason: ${HOSTILE}`);
    expect(api.sent[4]?.visible).toContain(`agreed: ${HOSTILE}`);
  });

  it('when a message is longer than Telegram allows, then it arrives as several valid messages that read as the whole', async () => {
    const reasons = Array.from({ length: 120 }, (_, index) => `reason ${index}: the stop & the "liquidation" are <too close> together`);
    const long = { ...sampleEvents().risk_rejected, reasons };

    await notifier.notify(long);
    await outbox.until((store) => store.rows[0]?.deliveredAt !== undefined);

    expect(api.sent.length).toBeGreaterThan(1);
    expect(api.sent.every((message) => message.visible.length <= 4096)).toBe(true);
    expect(api.sent.map((message) => message.visible).join('\n')).toBe(
      ['🛑 Risk check refused LONG ETH/USDT', ...reasons.map((reason) => `• ${reason}`), '🕒 2025-10-10 21:05 UTC'].join('\n'),
    );
  });

  it('when the outbox is the shared in-memory store, then the weekly chart survives its JSON round trip and rows end delivered', async () => {
    const store = new InMemoryStore();
    const logger = new RecordingLogger();
    const bot = createTelegramBot({ token: api.token, apiRoot: api.apiRoot });
    const storeDelivery = new OutboxDelivery({
      outbox: store.outbox,
      sender: new TelegramSender({ telegram: bot.telegram, chatId: OWNER_CHAT }),
      clock,
      logger,
      minIntervalMs: 1000,
    });
    const storeNotifier = new OutboxNotifier({ outbox: store.outbox, clock, logger });
    const events = sampleEvents();

    clock.stopAutoAdvance();

    await storeNotifier.notify(events.alert);
    await storeNotifier.notify(events.weekly_summary);
    const nextSlot = clock.now().getTime() + 1000;
    const pass = storeDelivery.deliverDue();
    await clock.untilSleeping((deadline) => deadline === nextSlot);
    clock.advanceBy(1000);

    expect(await pass).toEqual({ delivered: 2, more: false });
    expect(await store.outbox.backlog()).toBe(0);
    expect(api.sent.map((message) => message.method)).toEqual(['sendMessage', 'sendPhoto']);
    expect(decodePng(api.sent[1]!.photo!)).toMatchObject({ width: 800, height: 400 });
  });
});
