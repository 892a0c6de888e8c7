// Who may change state over Telegram: in a group every member shares the chat id, so /pause, /resume, /close and the
// close buttons go by the sender's user id (TELEGRAM_OWNER_IDS). Real telegraf long polling against the local Bot API.
import { afterEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramCommands } from '../../../src/adapters/notifier/telegram-commands.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi, type SentMessage } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { pricePrecision } from '../../unit/adapters/notifier/support/sample-events.js';
import { FakeOwnerControl } from './fake-owner-control.js';

/** A group chat (Telegram gives groups negative ids), its owner and another member. */
const GROUP = -100200;
const OWNER = { id: 4242, username: 'boss' };
const MEMBER = { id: 777, username: 'colleague' };

let api: FakeBotApi | undefined;
let commands: TelegramCommands | undefined;

afterEach(async () => {
  await commands?.stop();
  await api?.close();
  commands = undefined;
  api = undefined;
});

async function start(chatId: number, ownerUserIds?: readonly string[]) {
  const clock = new ManualClock('2025-10-10T21:25:00Z');
  const server = await FakeBotApi.start({ timeSource: () => clock.now().getTime() });
  const control = new FakeOwnerControl();
  const logger = new RecordingLogger();
  const bot = createTelegramBot({ token: server.token, apiRoot: server.apiRoot });
  const started = new TelegramCommands({
    bot,
    ownerChatId: String(chatId),
    ...(ownerUserIds === undefined ? {} : { ownerUserIds }),
    control,
    clock,
    logger,
    pacer: new ChatPacer(clock, 1000),
    render: { pricePrecision },
  });
  clock.autoAdvance();
  await started.start();
  api = server;
  commands = started;

  /** Sends `text` as `from` and waits for the bot's next message to the chat. */
  async function ask(text: string, from: { id: number; username?: string }): Promise<SentMessage> {
    const inChat = () => server.sent.filter((message) => message.chatId === String(chatId));
    const before = inChat().length;
    server.pushMessage(chatId, text, from);
    await server.waitFor(() => inChat().length > before, `a reply to ${text}`);
    return inChat()[before]!;
  }

  /** Presses a button as `from`; resolves to the toast Telegram would show. */
  async function press(data: string, messageId: number, from: { id: number }): Promise<string> {
    const before = server.callsOf('answerCallbackQuery').length;
    server.pushCallback(chatId, data, messageId, from);
    await server.waitFor((s) => s.callsOf('answerCallbackQuery').length > before, `an answer to ${data}`);
    return String(server.callsOf('answerCallbackQuery')[before]!.params['text']);
  }

  /** Presses a confirm button as an owner and waits until the prompt has been replaced by the outcome. */
  async function pressAndSettle(data: string, messageId: number, from: { id: number }): Promise<string> {
    const edits = () => server.sent.filter((message) => message.method === 'editMessageText').length;
    const before = edits();
    const toast = await press(data, messageId, from);
    await server.waitFor(() => edits() > before, 'the prompt to show the outcome');
    return toast;
  }

  return { control, logger, ask, press, pressAndSettle };
}

function buttons(prompt: SentMessage): { confirm: string; cancel: string } {
  const keyboard = prompt.replyMarkup as { inline_keyboard: { callback_data: string }[][] };
  return { confirm: keyboard.inline_keyboard[0]![0]!.callback_data, cancel: keyboard.inline_keyboard[1]![0]!.callback_data };
}

describe('a group chat with TELEGRAM_OWNER_IDS', () => {
  it('when a member who is not an owner sends /pause or /resume, then nothing changes and the member is told why', async () => {
    const { control, logger, ask } = await start(GROUP, [String(OWNER.id)]);

    const pause = await ask('/pause', MEMBER);
    const resume = await ask('/resume', MEMBER);

    expect(pause.visible).toBe(`Not authorised: /pause changes what the daemon does and is only for the users in TELEGRAM_OWNER_IDS (yours is ${MEMBER.id}).`);
    expect(resume.visible).toContain('Not authorised: /resume');
    expect(control.actions).toEqual([]);
    expect(control.calls).toEqual([]);
    const refusals = logger.lines.filter((line) => line.message.includes('non-owner'));
    expect(refusals.map((line) => line.context)).toEqual([
      expect.objectContaining({ chatId: GROUP, fromId: MEMBER.id, command: 'pause' }),
      expect.objectContaining({ chatId: GROUP, fromId: MEMBER.id, command: 'resume' }),
    ]);
  });

  it('when a member asks for /status or /pnl, then the read-only answers come as before', async () => {
    const { ask } = await start(GROUP, [String(OWNER.id)]);

    expect((await ask('/status', MEMBER)).visible).toContain('🤖 Status · PAPER');
    expect((await ask('/pnl', MEMBER)).visible).toContain('All time: +$120.00 over 42 trades');
  });

  it('when the owner sends /pause, then entries pause and the control is told which user asked', async () => {
    const { control, ask } = await start(GROUP, [String(OWNER.id)]);

    expect((await ask('/pause', OWNER)).visible).toContain('New entries paused');

    expect(control.actions).toEqual(['pause by telegram:boss']);
  });

  it('when a member presses the owner\u2019s close buttons, then nothing is closed or cancelled; the owner\u2019s confirmation then closes', async () => {
    const { control, ask, press, pressAndSettle } = await start(GROUP, [String(OWNER.id)]);
    const prompt = await ask('/close', OWNER);
    const { confirm, cancel } = buttons(prompt);

    const memberConfirm = await press(confirm, prompt.messageId, MEMBER);
    const memberCancel = await press(cancel, prompt.messageId, MEMBER);
    expect(memberConfirm).toBe('Not authorised: only an owner (TELEGRAM_OWNER_IDS) may use these buttons.');
    expect(memberCancel).toBe(memberConfirm);
    expect(control.actions).toEqual([]);

    const ownerConfirm = await pressAndSettle(confirm, prompt.messageId, OWNER);

    expect(ownerConfirm).toBe('Closing…');
    expect(control.actions).toEqual([`close pos-1 by telegram:${OWNER.id}`]);
  });

  it('when the owner presses Cancel after Confirm, then the prompt keeps the close\u2019s outcome and is not rewritten to "nothing was closed"', async () => {
    const { control, ask, press, pressAndSettle } = await start(GROUP, [String(OWNER.id)]);
    const prompt = await ask('/close', OWNER);
    const { confirm, cancel } = buttons(prompt);
    await pressAndSettle(confirm, prompt.messageId, OWNER);
    const edits = () => api!.sent.filter((message) => message.method === 'editMessageText').map((message) => message.visible);
    const outcome = edits().at(-1);

    expect(await press(cancel, prompt.messageId, OWNER)).toBe('Nothing to cancel.');
    // Telegram's next update is fetched once the Cancel press has been handled in full.
    await ask('/status', OWNER);

    expect(edits().at(-1)).toBe(outcome);
    expect(edits().join('\n')).not.toContain('nothing was closed');
    expect(control.actions).toEqual([`close pos-1 by telegram:${OWNER.id}`]);
  });

  it('when a member sends /close, then no prompt is offered', async () => {
    const { control, ask } = await start(GROUP, [String(OWNER.id)]);

    const reply = await ask('/close', MEMBER);

    expect(reply.visible).toContain('Not authorised: /close');
    expect(reply.replyMarkup).toBeUndefined();
    expect(control.calls).toEqual([]);
  });
});

describe('a group chat without TELEGRAM_OWNER_IDS', () => {
  it('when anyone sends a state-changing command, then it is refused with how to set TELEGRAM_OWNER_IDS, and read-only ones still work', async () => {
    const { control, ask } = await start(GROUP);

    const pause = await ask('/pause', OWNER);
    const close = await ask('/close', MEMBER);
    const status = await ask('/status', MEMBER);

    expect(pause.visible).toBe(
      'Refused: /pause changes what the daemon does, and in a group chat only the users listed in TELEGRAM_OWNER_IDS may use it. ' +
        `It is not set: add the owner's numeric Telegram user id (yours is ${OWNER.id}) to TELEGRAM_OWNER_IDS and restart the daemon.`,
    );
    expect(close.visible).toContain(`(yours is ${MEMBER.id})`);
    expect(close.replyMarkup).toBeUndefined();
    expect(status.visible).toContain('🤖 Status · PAPER');
    expect(control.actions).toEqual([]);
  });
});

describe('a private chat', () => {
  it('when TELEGRAM_OWNER_IDS is unset, then the chat\u2019s own user is the owner: /pause and a confirmed /close work', async () => {
    const { control, ask, pressAndSettle } = await start(OWNER.id);

    expect((await ask('/pause', OWNER)).visible).toContain('New entries paused');
    const prompt = await ask('/close', OWNER);
    expect(await pressAndSettle(buttons(prompt).confirm, prompt.messageId, OWNER)).toBe('Closing…');

    expect(control.actions).toEqual(['pause by telegram:boss', `close pos-1 by telegram:${OWNER.id}`]);
  });

  it('when TELEGRAM_OWNER_IDS is set, then it alone decides, in a private chat too', async () => {
    const { control, ask } = await start(OWNER.id, ['999']);

    const reply = await ask('/pause', OWNER);

    expect(reply.visible).toContain('Not authorised: /pause');
    expect(control.actions).toEqual([]);
  });
});
