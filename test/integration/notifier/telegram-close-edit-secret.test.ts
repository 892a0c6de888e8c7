// The close prompt is answered by editing it. That text goes through the secret filter like every reply: a close
// still under way quotes the error it met, which may quote a credential.
import { afterEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramCommands } from '../../../src/adapters/notifier/telegram-commands.js';
import { secretsHiddenInHtml } from '../../../src/cli/hide-secrets.js';
import type { CloseOutcome } from '../../../src/ports/control.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { FakeOwnerControl } from './fake-owner-control.js';

const OWNER = 4242;
const DB_PASSWORD = 'dbPassw0rd7c6b5a4f';
class PendingClose extends FakeOwnerControl {
  override async closePosition(): Promise<CloseOutcome> {
    return { status: 'pending', detail: `the position is being closed, but reading the result failed (connect to postgres://trader:${DB_PASSWORD}@db failed)` };
  }
}
let api: FakeBotApi | undefined;
let commands: TelegramCommands | undefined;
afterEach(async () => {
  await commands?.stop();
  await api?.close();
});

describe('the answer to a confirmed close', () => {
  it('when the close is still under way with an error that quotes a secret, then the edited prompt hides it', async () => {
    const clock = new ManualClock('2025-10-10T21:25:00Z');
    api = await FakeBotApi.start({ timeSource: () => clock.now().getTime() });
    commands = new TelegramCommands({
      bot: createTelegramBot({ token: api.token, apiRoot: api.apiRoot }),
      ownerChatId: String(OWNER), control: new PendingClose(), clock, logger: new RecordingLogger(), pacer: new ChatPacer(clock, 1000),
      hideSecrets: secretsHiddenInHtml([DB_PASSWORD]),
    });
    clock.autoAdvance();
    await commands.start();
    const server = api;
    server.pushMessage(OWNER, '/close');
    await server.waitFor((s) => s.sent.length > 0, 'the prompt');
    const prompt = server.sent[0]!;
    const data = (prompt.replyMarkup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!.callback_data;
    server.pushCallback(OWNER, data, prompt.messageId);
    await server.waitFor((s) => s.sent.some((m) => m.method === 'editMessageText'), 'the edit');

    const edit = server.sent.find((m) => m.method === 'editMessageText')!;
    expect(edit.visible).toContain('being closed');
    expect(edit.visible).not.toContain(DB_PASSWORD);
  }, 30_000);
});
