// A 400 about the chat itself (the group moved to a supergroup, the bot not allowed to write there) refuses every
// message alike: the outbox keeps them for when the set-up is fixed, as for an unknown chat, and drops none.
import { afterEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { OutboxDelivery } from '../../../src/adapters/notifier/outbox-delivery.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramSender } from '../../../src/adapters/notifier/telegram-sender.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { MemoryOutbox } from '../../unit/adapters/notifier/support/memory-outbox.js';

let api: FakeBotApi | undefined;
afterEach(async () => api?.close());

describe('Telegram refusing the chat itself', () => {
  it.each(['group chat was upgraded to a supergroup chat', 'not enough rights to send text messages to the chat'])('when Telegram answers "%s", then every queued message is kept', async (description) => {
    const clock = new ManualClock('2025-10-10T03:00:00Z');
    api = await FakeBotApi.start({ timeSource: () => clock.now().getTime() });
    const bot = createTelegramBot({ token: api.token, apiRoot: api.apiRoot });
    const pacer = new ChatPacer(clock, 1000);
    const outbox = new MemoryOutbox();
    const delivery = new OutboxDelivery({
      outbox, sender: new TelegramSender({ telegram: bot.telegram, chatId: '-100', pacer }), clock, logger: new RecordingLogger(), minIntervalMs: 1000, pacer,
    });
    for (const text of ['LONG BTC opened', 'LONG BTC closed', 'Daily summary']) {
      await outbox.enqueue({ createdAt: clock.now(), eventType: 'alert', text, payload: {} });
    }
    api.failNext(6, { kind: 'bad_request', description });
    clock.autoAdvance();
    await delivery.deliverDue();

    expect(await outbox.backlog()).toBe(3);
  }, 30_000);
});
