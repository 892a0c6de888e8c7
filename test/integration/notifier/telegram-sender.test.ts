// TelegramSender on its own against the local Bot API: how a message is cut into calls, and resuming half-sent ones.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleSender } from '../../../src/adapters/notifier/console-sender.js';
import { createNotifications } from '../../../src/adapters/notifier/notifications.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramSender } from '../../../src/adapters/notifier/telegram-sender.js';
import { TemporaryError } from '../../../src/domain/errors.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { MemoryOutbox } from '../../unit/adapters/notifier/support/memory-outbox.js';
import { sampleEvents } from '../../unit/adapters/notifier/support/sample-events.js';
import { FakeOwnerControl } from './fake-owner-control.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

let api: FakeBotApi;
let sender: TelegramSender;

beforeEach(async () => {
  api = await FakeBotApi.start();
  const bot = createTelegramBot({ token: api.token, apiRoot: api.apiRoot });
  sender = new TelegramSender({ telegram: bot.telegram, chatId: '4242' });
});

afterEach(async () => {
  await api.close();
});

function longHtml(lines: number): string {
  return Array.from({ length: lines }, (_, index) => `<b>line ${index}</b> &amp; some words to fill the message up`).join('\n');
}

describe('TelegramSender', () => {
  it('when a picture comes with a short text, then one sendPhoto carries the text as its caption', async () => {
    await sender.send({ id: '1', text: '<b>week</b> &amp; more', format: 'html', image: { png: PNG, filename: 'equity-curve.png' } });

    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]).toMatchObject({ method: 'sendPhoto', raw: '<b>week</b> &amp; more', visible: 'week & more', parseMode: 'HTML' });
    expect(api.callsOf('sendPhoto')[0]?.files['photo']).toMatchObject({ filename: 'equity-curve.png', data: PNG });
  });

  it('when the text is too long for a caption, then the picture goes first and the text follows as messages', async () => {
    const text = longHtml(30);

    await sender.send({ id: '2', text, format: 'html', image: { png: PNG, filename: 'equity-curve.png' } });

    expect(api.sent.map((message) => message.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(api.sent[0]?.raw).toBe('');
    expect(api.sent[1]?.raw).toBe(text);
  });

  it('when part two of a long message fails, then the retry sends from part two on, not part one again', async () => {
    const text = longHtml(200);
    api.failNext(1, { kind: 'server_error' }, ['sendMessage'], 1);

    await expect(sender.send({ id: '3', text, format: 'html' })).rejects.toBeInstanceOf(TemporaryError);
    expect(api.sent).toHaveLength(1);
    await sender.send({ id: '3', text, format: 'html' });

    expect(api.sent.length).toBeGreaterThan(2);
    // Every line exactly once, in order: a repeated first part would show up here.
    expect(api.sent.map((message) => message.visible).join('\n')).toBe(text.replace(/<\/?b>/g, '').replace(/&amp;/g, '&'));
  });
});

describe('ConsoleSender and the default wiring', () => {
  it('when Telegram is not configured, then notifications are printed as plain text', async () => {
    const printed: string[] = [];
    const clock = new ManualClock('2025-10-10T21:06:00Z');
    const outbox = new MemoryOutbox();
    const notifications = createNotifications({ outbox, clock, logger: new RecordingLogger(), write: (text) => printed.push(text) });
    await notifications.start();

    await notifications.notifier.notify(sampleEvents().alert);
    await outbox.until((store) => store.rows[0]?.deliveredAt !== undefined);
    const flushed = await notifications.stop(1000);

    expect(printed).toEqual(['🚨 CRITICAL · exchange:down\nBinance has not answered for 3 minutes\n🕒 2025-10-10 21:05 UTC\n']);
    expect(flushed.remaining).toBe(0);
  });

  it('when a picture is printed, then the console names it instead', async () => {
    const printed: string[] = [];
    await new ConsoleSender((text) => printed.push(text)).send({ id: '1', text: '<b>week</b>', format: 'html', image: { png: PNG, filename: 'equity-curve.png' } });
    expect(printed).toEqual([`week\n[chart: equity-curve.png, ${PNG.length} bytes]\n`]);
  });

  it('when the bot token is wrong, then starting logs the problem and delivery still runs', async () => {
    const logger = new RecordingLogger();
    const clock = new ManualClock();
    const notifications = createNotifications({
      outbox: new MemoryOutbox(),
      clock,
      logger,
      telegram: { token: '999:wrong', chatId: '4242', apiRoot: api.apiRoot },
      control: new FakeOwnerControl(),
    });

    await expect(notifications.start()).resolves.toBeUndefined();
    await notifications.stop(0);

    expect(api.callsOf('getMe').map((call) => call.outcome)).toEqual([401]);
    expect(logger.lines.find((line) => line.level === 'error')).toMatchObject({
      message: 'Telegram commands unavailable',
      context: { error: 'Telegram 401: Unauthorized' },
    });
  });
});
