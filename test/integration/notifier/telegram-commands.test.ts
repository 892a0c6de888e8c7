// Owner commands through real telegraf long polling against the local Bot API server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { OutboxDelivery } from '../../../src/adapters/notifier/outbox-delivery.js';
import { OutboxNotifier } from '../../../src/adapters/notifier/outbox-notifier.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { COMMAND_MENU, NOT_AUTHORISED, REFUSAL_EVERY_MS, TelegramCommands } from '../../../src/adapters/notifier/telegram-commands.js';
import { TelegramSender } from '../../../src/adapters/notifier/telegram-sender.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi, type SentMessage } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { MemoryOutbox } from '../../unit/adapters/notifier/support/memory-outbox.js';
import { btcLong, pricePrecision, sampleEvents } from '../../unit/adapters/notifier/support/sample-events.js';
import { FakeOwnerControl } from './fake-owner-control.js';

const OWNER = 4242;
const STRANGER = 666;

let api: FakeBotApi;
let clock: ManualClock;
let control: FakeOwnerControl;
let logger: RecordingLogger;
let pacer: ChatPacer;
let commands: TelegramCommands;

beforeEach(async () => {
  clock = new ManualClock('2025-10-10T21:25:00Z');
  api = await FakeBotApi.start({ timeSource: () => clock.now().getTime() });
  control = new FakeOwnerControl();
  logger = new RecordingLogger();
  pacer = new ChatPacer(clock, 1000);
  const bot = createTelegramBot({ token: api.token, apiRoot: api.apiRoot });
  commands = new TelegramCommands({ bot, ownerChatId: String(OWNER), control, clock, logger, pacer, render: { pricePrecision } });
  clock.autoAdvance();
  await commands.start();
});

afterEach(async () => {
  await commands.stop();
  await api.close();
});

/** Sends `text` from `chat` and waits for the bot's next message to that chat. */
async function ask(text: string, chat = OWNER): Promise<SentMessage> {
  const before = api.sent.filter((message) => message.chatId === String(chat)).length;
  api.pushMessage(chat, text);
  await api.waitFor((server) => server.sent.filter((message) => message.chatId === String(chat)).length > before, `a reply to ${text}`);
  return api.sent.filter((message) => message.chatId === String(chat))[before]!;
}

async function press(data: string, messageId: number, chat = OWNER): Promise<string> {
  const before = api.callsOf('answerCallbackQuery').length;
  api.pushCallback(chat, data, messageId);
  await api.waitFor((server) => server.callsOf('answerCallbackQuery').length > before, `an answer to ${data}`);
  return String(api.callsOf('answerCallbackQuery')[before]!.params['text']);
}

describe('owner commands over Telegram', () => {
  it('when the owner asks for /status, then the reply has the mode, capital and the open position, as valid HTML', async () => {
    const reply = await ask('/status');

    expect(reply.parseMode).toBe('HTML');
    expect(reply.visible).toBe(
      [
        '🤖 Status · PAPER',
        'Up: 3h 25m (since 2025-10-10 18:00 UTC)',
        'Capital: $1,069.49',
        'Analysts: claude, deepseek, trend',
        'Entries: allowed',
        'Open positions:',
        '• LONG BTC/USDT 5x · entry 62,345.1 · P&L +$37.90',
      ].join('\n'),
    );
  });

  it('when a /pause waits for the daemon\u2019s loop, then a /status sent after it is answered meanwhile, and the pause once carried out', async () => {
    let finishStep!: () => void;
    const step = new Promise<void>((resolve) => (finishStep = resolve));
    let reached!: () => void;
    const atTheDaemon = new Promise<void>((resolve) => (reached = resolve));
    control.loopStep = () => {
      reached();
      return step;
    };
    api.pushMessage(OWNER, '/pause');
    await atTheDaemon;

    const status = await ask('/status');
    expect(status.visible).toMatch(/^🤖 Status/);
    expect(control.actions).toEqual([]);

    finishStep();
    await api.waitFor((server) => server.sent.some((message) => message.visible.startsWith('⏸ New entries paused')), 'the answer to /pause');
    expect(control.actions).toEqual(['pause by telegram:owner']);
  });

  it('when the owner asks for each report, then each reply carries its figures', async () => {
    expect((await ask('/positions')).visible).toContain('P&L: +$37.90 (+4.75%) unrealised');
    expect((await ask('/pnl')).visible).toContain('All time: +$120.00 over 42 trades');
    expect((await ask('/daily')).visible).toContain('Trades: 4 (3 wins, 1 loss) · win rate 75%');
    expect((await ask('/weekly')).visible).toContain('Profit factor: 1.50');
    const monthly = (await ask('/monthly')).visible;
    expect(monthly).toContain('Monthly summary · 2025-10-01 → 2025-10-10');
    expect(monthly).toContain('Profit factor: 2.25');
    expect((await ask('/cost')).visible).toContain('Projected month: $25.11');
    expect((await ask('/models')).visible).toContain('claude: 120 votes · 50/80 right (63%)');
    expect((await ask('/config')).visible).toContain('RISK_MAX_LEVERAGE = 5');
    expect((await ask('/help')).visible).toContain('/close: Close an open position; /close ETH for one market (asks to confirm)');
  });

  it('when the owner asks for /trades with and without a count, then 5 by default and never more than 20 are fetched', async () => {
    const reply = await ask('/trades');
    await ask('/trades 50');
    await ask('/trades 1');

    expect(control.tradeLimits).toEqual([5, 20, 1]);
    expect(reply.visible.split('\n')[1]).toBe('✅ +$69.49 LONG BTC/USDT · 62,345.1 → 63,500.0 · take profit · 2025-10-10 21:05 UTC');
  });

  it('when the owner pauses and resumes, then the control is told who asked', async () => {
    expect((await ask('/pause')).visible).toContain('New entries paused');
    expect((await ask('/resume')).visible).toContain('New entries allowed again');

    expect(control.actions).toEqual(['pause by telegram:owner', 'resume by telegram:owner']);
  });

  it('when /resume lifts the pause but the daily loss limit still holds, then the answer says entries still wait, why, and until when', async () => {
    control.stillBlocking = [{ breaker: 'daily_loss', detail: 'daily loss limit reached (-$10.40 today)', until: new Date('2025-10-11T00:00:00Z') }];

    const answer = (await ask('/resume')).visible;

    expect(answer).toContain('New entries still wait for what /resume cannot lift');
    expect(answer).toContain('daily loss limit reached (-$10.40 today)');
    expect(answer).toContain('2025-10-11 00:00');
    expect(answer).not.toContain('allowed again');
  });

  it('when another chat sends any command, then it is told "not authorised" once, sees no data, and is logged with its chat id', async () => {
    const first = await ask('/status', STRANGER);
    for (const { command } of COMMAND_MENU) api.pushMessage(STRANGER, `/${command} 3`);
    // Telegram's next update is fetched once the ones before it have been handled.
    await ask('/pnl');

    expect(first.visible).toBe(NOT_AUTHORISED);
    expect(api.sent.filter((message) => message.chatId === String(STRANGER))).toHaveLength(1);
    expect(control.calls).toEqual(['pnl']);
    const refusals = logger.lines.filter((line) => line.message.includes('unknown chat'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.context).toMatchObject({ chatId: STRANGER });
  });

  it('when a refused chat writes again after the quiet period, then it is told again', async () => {
    await ask('/status', STRANGER);
    clock.advanceBy(REFUSAL_EVERY_MS);

    expect((await ask('/pause', STRANGER)).visible).toBe(NOT_AUTHORISED);
    expect(control.calls).toEqual([]);
  });

  it('when the owner sends /close, then nothing closes until the confirmation, and a repeated tap does nothing more', async () => {
    const prompt = await ask('/close');
    const keyboard = prompt.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] };
    const confirm = keyboard.inline_keyboard[0]![0]!;
    expect(confirm.text).toBe('Confirm close');
    expect(prompt.visible).toContain('Close at market?');
    expect(control.actions).toEqual([]);

    const answer = await press(confirm.callback_data, prompt.messageId);
    await api.waitFor((server) => server.sent.some((message) => message.method === 'editMessageText'), 'the prompt update');
    const again = await press(confirm.callback_data, prompt.messageId);

    expect(answer).toBe('Closing…');
    expect(control.actions).toEqual(['close pos-1 by telegram:4242']);
    expect(api.sent.find((message) => message.method === 'editMessageText')?.visible).toBe(
      '✅ LONG BTC/USDT closed at 63,500.0\nP&L: +$69.49 (+8.71%) net of fees and funding',
    );
    expect(again).toContain('expired or was already used');
  });

  it('when the owner sends /close for a market with no position, then no button is offered, and the reply names what is open', async () => {
    const reply = await ask('/close ETH');

    expect(reply.replyMarkup).toBeUndefined();
    expect(reply.visible).toMatch(/^No position in ETH to close\. Open: .*BTC\/USDT.*\.$/);
    expect(control.actions).toEqual([]);
  });

  it('when the owner sends /close with the market of the open position, in any spelling, then its confirm button is offered', async () => {
    for (const text of ['/close btc', '/close BTCUSDT', '/close BTC/USDT:USDT']) {
      const prompt = await ask(text);
      const keyboard = prompt.replyMarkup as { inline_keyboard: { text: string }[][] };
      expect(keyboard.inline_keyboard[0]![0]!.text, text).toBe('Confirm close');
    }
  });

  it('when the owner sends /close with something that is no market, then the reply says so and offers nothing', async () => {
    const reply = await ask('/close 50%');
    const tagged = await ask('/close <ETH>');

    expect(reply.replyMarkup).toBeUndefined();
    expect(reply.visible).toContain('"50%" is not a market.');
    expect(tagged.visible).toContain('"<ETH>" is not a market.');
  });

  it('when the venue refused the confirmed close, then the prompt says so, not that the close is under way', async () => {
    const detail = 'the venue refused the close (-2022 ReduceOnly Order is rejected); the daemon retries it at every check, and its exchange-side stop stays in place';
    control.closePosition = async () => ({ status: 'pending', detail });
    const prompt = await ask('/close');
    const keyboard = prompt.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] };

    await press(keyboard.inline_keyboard[0]![0]!.callback_data, prompt.messageId);
    await api.waitFor((server) => server.sent.some((message) => message.method === 'editMessageText'), 'the prompt update');

    expect(api.sent.find((message) => message.method === 'editMessageText')?.visible).toBe(
      '⏳ The venue refused the close (-2022 ReduceOnly Order is rejected); the daemon retries it at every check, and its exchange-side stop stays in place.',
    );
  });

  it('when a stranger presses the confirm button, then nothing is closed', async () => {
    const prompt = await ask('/close');
    const keyboard = prompt.replyMarkup as { inline_keyboard: { callback_data: string }[][] };

    const answer = await press(keyboard.inline_keyboard[0]![0]!.callback_data, prompt.messageId, STRANGER);

    expect(answer).toBe(NOT_AUTHORISED);
    expect(control.calls).not.toContain('closePosition');
  });

  it('when the confirmation comes after it expired, then nothing is closed', async () => {
    const prompt = await ask('/close');
    const keyboard = prompt.replyMarkup as { inline_keyboard: { callback_data: string }[][] };
    clock.advanceBy(120_001);

    const answer = await press(keyboard.inline_keyboard[0]![0]!.callback_data, prompt.messageId);

    expect(answer).toContain('expired');
    expect(control.actions).toEqual([]);
  });

  it('when the only position is still being opened, then /close says so and offers no button that could only fail', async () => {
    control.views = [{ position: { ...btcLong(), status: 'opening' } }];

    const reply = await ask('/close');

    expect(reply.visible).toBe('No open position to close yet: LONG BTC/USDT is still being opened. Send /close again in a few seconds.');
    expect(reply.replyMarkup).toBeUndefined();
  });

  it('when the only position is being closed already, then /close says so and offers no button', async () => {
    control.views = [{ position: { ...btcLong(), status: 'closing', closeReason: 'ai_exit' } }];

    const reply = await ask('/close');

    expect(reply.visible).toBe('No open position to close: LONG BTC/USDT is being closed already; its close is retried at every check.');
    expect(reply.replyMarkup).toBeUndefined();
  });

  it('when the position still opening or closing has HTML characters in its symbol, then /close still says so, escaped, rather than failing', async () => {
    control.views = [{ position: btcLong({ status: 'opening', symbol: 'R&D/USDT:USDT' }) }];
    const opening = await ask('/close');
    control.views = [{ position: btcLong({ status: 'closing', symbol: '<B>/USDT:USDT' }) }];
    const closing = await ask('/close');

    expect(opening.visible).toBe('No open position to close yet: LONG R&D/USDT is still being opened. Send /close again in a few seconds.');
    expect(closing.visible).toBe('No open position to close: LONG <B>/USDT is being closed already; its close is retried at every check.');
  });

  it('when there is no open position, then /close says so and offers no button', async () => {
    control.views = [];

    const reply = await ask('/close');

    expect(reply.visible).toBe('No open position to close.');
    expect(reply.replyMarkup).toBeUndefined();
  });

  it('when a notification and a command reply go to the owner together, then they are at least a second apart', async () => {
    const outbox = new MemoryOutbox();
    const bot = createTelegramBot({ token: api.token, apiRoot: api.apiRoot });
    const delivery = new OutboxDelivery({
      outbox,
      sender: new TelegramSender({ telegram: bot.telegram, chatId: String(OWNER), pacer }),
      clock,
      logger,
      minIntervalMs: 1000,
      pacer,
      idlePollMs: 3_600_000,
    });
    const notifier = new OutboxNotifier({ outbox, clock, logger, onEnqueued: () => delivery.wake() });
    delivery.start();

    await notifier.notify(sampleEvents().alert);
    api.pushMessage(OWNER, '/pnl');
    await api.waitFor((server) => server.sent.length === 2, 'the notification and the reply');
    await delivery.stop();

    const [first, second] = api.sent;
    expect(new Set([first?.visible.split('\n')[0], second?.visible.split('\n')[0]])).toEqual(
      new Set(['🚨 CRITICAL · exchange:down', '💰 P&L']),
    );
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
  });

  it('when the owner sends an unknown command, then the reply points to /help', async () => {
    expect((await ask('/moon')).visible).toBe('Unknown command. /help lists what I understand.');
  });
});
