// A /resume the owner sent hours ago, while the daemon was down, waits at Telegram (it keeps updates for a day) and
// arrives at the next start: it is not carried out, and the owner is told to send it again. A fresh one is.
import { afterEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramCommands } from '../../../src/adapters/notifier/telegram-commands.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { FakeOwnerControl } from './fake-owner-control.js';

const OWNER = 4242;
let api: FakeBotApi | undefined;
let commands: TelegramCommands | undefined;
afterEach(async () => {
  await commands?.stop();
  await api?.close();
});

describe('owner commands that waited at Telegram while the daemon was down', () => {
  it('a /resume older than an hour, waiting at Telegram since before the start, is not carried out unasked', async () => {
    const clock = new ManualClock('2025-10-10T09:00:00Z');
    api = await FakeBotApi.start({ timeSource: () => clock.now().getTime() });
    const sentAt = Math.floor(new Date('2025-10-10T02:00:00Z').getTime() / 1000);
    api.pushUpdate({
      message: {
        message_id: 1, date: sentAt, chat: { id: OWNER, type: 'private', first_name: 'Owner' },
        from: { id: OWNER, is_bot: false, first_name: 'Owner', username: 'owner' }, text: '/resume',
        entities: [{ type: 'bot_command', offset: 0, length: 7 }],
      },
    });
    const control = new FakeOwnerControl();
    commands = new TelegramCommands({
      bot: createTelegramBot({ token: api.token, apiRoot: api.apiRoot }),
      ownerChatId: String(OWNER), control, clock, logger: new RecordingLogger(), pacer: new ChatPacer(clock, 1000),
    });
    clock.autoAdvance();
    await commands.start();
    api.pushMessage(OWNER, '/status');
    await api.waitFor((s) => s.sent.some((m) => m.visible.startsWith('🤖 Status')), 'the /status reply');

    expect(control.actions).toEqual([]);
    await api.waitFor((s) => s.sent.some((m) => m.visible.includes('not carried out')), 'the answer to the stale /resume');
    expect(api.sent.find((m) => m.visible.includes('not carried out'))?.visible).toContain('/resume of 2025-10-10 02:00 UTC');

    api.pushMessage(OWNER, '/resume');
    await api.waitFor(() => control.actions.length > 0, 'the fresh /resume carried out');
    expect(control.actions).toEqual([expect.stringContaining('resume')]);
  }, 30_000);
});
