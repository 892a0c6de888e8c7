// What the owner is sent never holds a configured secret, whatever error text it quotes: a failed command's reply
// (real telegraf against the local Bot API) and an event's message as it is stored for delivery.
import { afterEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { OutboxNotifier } from '../../../src/adapters/notifier/outbox-notifier.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramCommands } from '../../../src/adapters/notifier/telegram-commands.js';
import { secretsHiddenInHtml } from '../../../src/cli/hide-secrets.js';
import type { DaemonStatus } from '../../../src/ports/control.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { MemoryOutbox } from '../../unit/adapters/notifier/support/memory-outbox.js';
import { FakeOwnerControl } from './fake-owner-control.js';

const OWNER = { id: 4242, username: 'boss' };
const TOKEN = '987654321:AAHsecretsTestBotToken_abc';
const DB_PASSWORD = 'dbPassw0rd&7c6b5a4f';
const DATABASE_URL = `postgres://trader:${DB_PASSWORD}@db:5432/trading`;
const SECRETS = [TOKEN, DATABASE_URL, DB_PASSWORD];

class FailingControl extends FakeOwnerControl {
  override async status(): Promise<DaemonStatus> {
    throw new Error(`database unavailable: password ${DB_PASSWORD} refused`);
  }
}

let api: FakeBotApi | undefined;
let commands: TelegramCommands | undefined;
afterEach(async () => {
  await commands?.stop();
  await api?.close();
  commands = undefined;
  api = undefined;
});

describe('secrets in what the owner is sent', () => {
  it('when a command fails on an error quoting the database password, then the reply says it failed without the password', async () => {
    const clock = new ManualClock('2025-10-10T21:25:00Z');
    api = await FakeBotApi.start({ token: TOKEN, timeSource: () => clock.now().getTime() });
    commands = new TelegramCommands({
      bot: createTelegramBot({ token: TOKEN, apiRoot: api.apiRoot }),
      ownerChatId: String(OWNER.id),
      control: new FailingControl(),
      clock,
      logger: new RecordingLogger(),
      pacer: new ChatPacer(clock, 1000),
      hideSecrets: secretsHiddenInHtml(SECRETS),
    });
    clock.autoAdvance();
    await commands.start();
    const server = api;
    const inChat = () => server.sent.filter((message) => message.chatId === String(OWNER.id));
    server.pushMessage(OWNER.id, '/status', OWNER);
    await server.waitFor(() => inChat().length > 0, 'a reply to /status');

    const reply = inChat()[0]?.visible ?? '';
    expect(reply).toContain('/status failed: database unavailable: password [redacted] refused');
    expect(reply).not.toContain('dbPassw0rd');
  }, 30_000);

  it('when an event’s message quotes a secret, then the stored message and event have it hidden, escaped for HTML or not', async () => {
    const outbox = new MemoryOutbox();
    const notifier = new OutboxNotifier({ outbox, clock: new ManualClock('2025-10-10T21:06:00Z'), logger: new RecordingLogger(), hideSecrets: secretsHiddenInHtml(SECRETS) });

    await notifier.notify({ type: 'alert', at: new Date('2025-10-10T21:06:00Z'), severity: 'warning', incident: 'store', message: `the store refused ${DATABASE_URL}`, cleared: false });

    expect(outbox.rows[0]?.text).toContain('the store refused [redacted]');
    expect(outbox.rows[0]?.text).not.toContain('dbPassw0rd');
    expect(JSON.stringify(outbox.rows[0]?.payload)).toContain('the store refused [redacted]');
    expect(JSON.stringify(outbox.rows[0]?.payload)).not.toContain('dbPassw0rd');
    expect((outbox.rows[0]?.payload as { at: unknown }).at).toEqual(new Date('2025-10-10T21:06:00Z'));
  });
});
