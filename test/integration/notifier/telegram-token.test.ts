// The bot token travels in every Bot API request's path. A proxy in front of the API (TELEGRAM_API_ROOT) that answers
// with an HTML page below status 500 (an nginx "413 Request Entity Too Large" for a photo, a CDN's 403 page) makes
// node-fetch fail with "invalid json response body at <url>", the token inside; telegraf hides it only in network
// errors. Neither the owner's chat nor the outbox's recorded error may show it.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramCommands } from '../../../src/adapters/notifier/telegram-commands.js';
import { TelegramSender } from '../../../src/adapters/notifier/telegram-sender.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { FakeOwnerControl } from './fake-owner-control.js';

const OWNER = { id: 4242, username: 'boss' };
const TOKEN = '987654321:AAHsecretBotTokenValue_xyz';

let api: FakeBotApi | undefined;
let proxy: Server | undefined;
let commands: TelegramCommands | undefined;

afterEach(async () => {
  await commands?.stop();
  await api?.close();
  if (proxy) {
    proxy.closeAllConnections();
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  }
  commands = undefined;
  api = undefined;
  proxy = undefined;
});

/** Forwards everything to the fake Bot API, except sendPhoto, which the proxy refuses with an HTML page. */
async function htmlRefusingProxy(target: FakeBotApi): Promise<string> {
  const upstream = new URL(target.apiRoot);
  proxy = createServer((req, res) => {
    if (req.url?.endsWith('/sendPhoto')) {
      req.resume();
      req.on('end', () => res.writeHead(413, { 'content-type': 'text/html' }).end('<html><body><h1>413 Request Entity Too Large</h1></body></html>'));
      return;
    }
    const forwarded = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('the bot token in Bot API failures', () => {
  it('when /chart\u2019s photo upload fails that way, then the failure told in the chat does not show the token', async () => {
    const clock = new ManualClock('2025-10-10T21:25:00Z');
    api = await FakeBotApi.start({ token: TOKEN, timeSource: () => clock.now().getTime() });
    const apiRoot = await htmlRefusingProxy(api);
    const logger = new RecordingLogger();
    commands = new TelegramCommands({
      bot: createTelegramBot({ token: TOKEN, apiRoot }),
      ownerChatId: String(OWNER.id),
      control: new FakeOwnerControl(),
      clock,
      logger,
      pacer: new ChatPacer(clock, 1000),
    });
    clock.autoAdvance();
    await commands.start();
    const server = api;
    const inChat = () => server.sent.filter((message) => message.chatId === String(OWNER.id));

    server.pushMessage(OWNER.id, '/chart', OWNER);
    await server.waitFor(() => inChat().length > 0, 'a reply to /chart');

    const reply = inChat()[0]!;
    expect(reply.visible).toContain('/chart failed');
    // The secret part of the token (after the colon) must not reach the chat.
    expect(reply.visible).not.toContain(TOKEN.split(':')[1]);
  }, 30_000);

  it('when a notification\u2019s photo fails that way, then the error the outbox records does not show the token', async () => {
    api = await FakeBotApi.start({ token: TOKEN });
    const apiRoot = await htmlRefusingProxy(api);
    const sender = new TelegramSender({ telegram: createTelegramBot({ token: TOKEN, apiRoot }).telegram, chatId: '4242' });

    const failure = await sender.send({ id: '1', text: 'week', format: 'html', image: { png: PNG, filename: 'equity-curve.png' } }).catch((error: unknown) => error as Error);

    expect(failure).toBeInstanceOf(Error);
    expect(failure?.message).toContain('/bot[redacted]/sendPhoto');
    expect(failure?.message).not.toContain(TOKEN.split(':')[1]);
  });
});
