// The report commands (/balance, /performance, /stats, /logs, /version, /chart) and /forceexit through real telegraf
// long polling against the local Bot API server.
import { afterEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { COMMAND_MENU } from '../../../src/adapters/notifier/command-catalogue.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramCommands } from '../../../src/adapters/notifier/telegram-commands.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi, type SentMessage } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { pricePrecision } from '../../unit/adapters/notifier/support/sample-events.js';
import { FakeOwnerControl } from './fake-owner-control.js';

const OWNER = { id: 4242, username: 'boss' };
const MEMBER = { id: 777, username: 'colleague' };
const GROUP = -100200;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let api: FakeBotApi | undefined;
let commands: TelegramCommands | undefined;

afterEach(async () => {
  await commands?.stop();
  await api?.close();
  commands = undefined;
  api = undefined;
});

/** The bot for `chatId`, answering from a FakeOwnerControl; `ownerUserIds` as TELEGRAM_OWNER_IDS. */
async function start(chatId: number = OWNER.id, ownerUserIds?: readonly string[]) {
  const clock = new ManualClock('2025-10-10T21:25:00Z');
  const server = await FakeBotApi.start({ timeSource: () => clock.now().getTime() });
  const control = new FakeOwnerControl();
  const bot = createTelegramBot({ token: server.token, apiRoot: server.apiRoot });
  const started = new TelegramCommands({
    bot,
    ownerChatId: String(chatId),
    ...(ownerUserIds === undefined ? {} : { ownerUserIds }),
    control,
    clock,
    logger: new RecordingLogger(),
    pacer: new ChatPacer(clock, 1000),
    render: { pricePrecision },
  });
  clock.autoAdvance();
  await started.start();
  api = server;
  commands = started;
  const inChat = () => server.sent.filter((message) => message.chatId === String(chatId));

  /** Sends `text` as `from` and waits for the bot's next message to the chat (a text or a photo). */
  async function ask(text: string, from: { id: number; username?: string } = OWNER): Promise<SentMessage> {
    const before = inChat().length;
    server.pushMessage(chatId, text, from);
    await server.waitFor(() => inChat().length > before, `a reply to ${text}`);
    return inChat()[before]!;
  }

  return { server, control, ask, inChat };
}

describe('report commands over Telegram', () => {
  it('when the owner asks for /balance, then capital, margin, open P&L and equity come as valid HTML', async () => {
    const { ask } = await start();

    const reply = await ask('/balance');

    expect(reply.parseMode).toBe('HTML');
    expect(reply.visible).toBe(
      [
        '💰 Balance',
        'Capital: $1,069.49',
        'Available margin: $271.47',
        'Margin in use: $798.02 (1 position)',
        'Open P&L: +$41.89 at the last price · +$37.90 net of fees and funding',
        'Equity: $1,111.38 (account balance + open P&L)',
      ].join('\n'),
    );
  });

  it('when the owner asks for /performance with and without days, then all time or the last n days are asked for, best symbol first', async () => {
    const { ask, control } = await start();

    const allTime = await ask('/performance');
    const month = await ask('/performance 30');
    await ask('/performance 30d');

    expect(control.performanceDays).toEqual([undefined, 30, 30]);
    expect(allTime.visible.split('\n')).toEqual([
      '🏆 Performance by symbol · all time',
      '1. BTC/USDT: +$120.50 · 12 trades, 8 wins (67%) · fees+funding $3.20',
      '2. ETH/USDT: -$3.10 · 3 trades, 1 win (33%) · fees+funding $4.43',
      'Total: +$117.40 over 15 trades',
    ]);
    expect(month.visible.split('\n')[0]).toBe('🏆 Performance by symbol · last 30 days (since 2025-09-11)');
  });

  it('when /performance, /trades or /chart gets an argument that is not a count, then a usage line answers and nothing is asked for', async () => {
    const { ask, control } = await start();

    const performance = await ask('/performance 1,000');
    const soon = await ask('/performance soon');
    const trades = await ask('/trades 1,000');
    const chart = await ask('/chart 30 days');

    expect(performance.visible).toBe('⚠️ /performance 1,000: not a number of days. Usage: /performance [days], e.g. /performance 30 or /performance 30d');
    expect(soon.visible).toBe('⚠️ /performance soon: not a number of days. Usage: /performance [days], e.g. /performance 30 or /performance 30d');
    expect(trades.visible).toBe('⚠️ /trades 1,000: not a whole number from 1. Usage: /trades [n], e.g. /trades 10');
    expect(chart.visible).toBe('⚠️ /chart 30 days: not a number of days. Usage: /chart [days], e.g. /chart 30 or /chart 30d');
    expect(control.performanceDays).toEqual([]);
    expect(control.calls).not.toContain('recentTrades');
    expect(control.chartDays).toEqual([]);
  });

  it('when the owner asks for /chart 30d, then 30 days are drawn', async () => {
    const { ask, control } = await start();

    await ask('/chart 30d');

    expect(control.chartDays).toEqual([30]);
  });

  it('when the owner asks for /stats, then exit reasons in words and holding times arrive', async () => {
    const { ask } = await start();

    const reply = await ask('/stats');

    expect(reply.visible).toContain('take profit: 9 · win rate 100% · +$140.00');
    expect(reply.visible).toContain('stop loss triggered on the exchange: 6 · win rate 0% · -$22.60');
    expect(reply.visible).toContain('Losers (6): average 5h 0m · median 5h 0m · longest 10h 0m');
  });

  it('when the owner asks for /logs, then 10 by default and never more than 30 are read, and markup in a message arrives as text', async () => {
    const { ask, control } = await start();

    const reply = await ask('/logs');
    await ask('/logs 50');
    await ask('/logs 1');

    expect(control.logLimits).toEqual([10, 30, 1]);
    expect(reply.visible.split('\n')).toEqual([
      '📋 The last 2 warnings and errors, newest first',
      '🛑 2025-10-10 21:20 UTC · daemon · engine step failed: timeout <after> 10 s',
      '⚠️ 2025-10-10 21:05 UTC · monitor · price stream reconnected',
    ]);
  });

  it('when a logged line has an emoji where it is cut, then /logs still arrives, the emoji whole, rather than failing', async () => {
    const { ask, control } = await start();
    const message = `${'x'.repeat(198)}🚀 and more after it`;
    control.recentLogs = async () => [{ time: new Date('2025-10-10T21:20:00Z'), level: 'warn', module: 'analyst', message }];

    const reply = await ask('/logs');

    expect(reply.visible.split('\n')).toEqual(['📋 The last warning or error, newest first', `⚠️ 2025-10-10 21:20 UTC · analyst · ${'x'.repeat(198)}🚀…`]);
  });

  it('when the owner asks for /version, then version, commit, runtime, mode and uptime arrive', async () => {
    const { ask } = await start();

    expect((await ask('/version')).visible).toBe(
      ['🏷 Version', 'Version: 0.1.0', 'Commit: 0d844cb', 'Runtime: Node.js 20.19.0', 'Mode: PAPER', 'Up: 3h 25m (since 2025-10-10 18:00 UTC)'].join('\n'),
    );
  });

  it('when the owner asks for /universe, then the picked markets come with their rank and the others with why they are out', async () => {
    const { ask } = await start();

    expect((await ask('/universe')).visible.split('\n')).toEqual([
      '🌐 Universe · top 2 by 24h volume, picked 2025-10-10 00:00 UTC',
      '✅ BTC/USDT: rank 1 by 24h volume ($9000M)',
      '✅ ETH/USDT: rank 2 by 24h volume ($5000M)',
      '',
      'Left out (busiest first)',
      '· NEW/USDT: listed 3 days ago, under the 30-day minimum',
    ]);
  });

  it('when the owner asks for /chart, then a PNG of the equity curve comes as a photo with its caption; 7 days by default, at most 90', async () => {
    const { ask, control } = await start();

    const chart = await ask('/chart');
    await ask('/chart 365');

    expect(control.chartDays).toEqual([7, 90]);
    expect(chart.method).toBe('sendPhoto');
    expect(chart.photo?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(chart.parseMode).toBe('HTML');
    expect(chart.visible).toBe('📈 Equity · last 7 days, since 2025-10-06\n$1,000.00 → $1,042.50 (+4.25%) · 3 trades');
  });

  it('when /chart and /pnl are asked at once, then the photo takes its slot from the chat pacer like any reply', async () => {
    const { server, ask, inChat } = await start();

    server.pushMessage(OWNER.id, '/chart', OWNER);
    await ask('/pnl');
    await server.waitFor(() => inChat().length === 2, 'the chart and the P&L');

    const [first, second] = inChat();
    expect(new Set([first?.method, second?.method])).toEqual(new Set(['sendPhoto', 'sendMessage']));
    expect(Math.abs(second!.at - first!.at)).toBeGreaterThanOrEqual(1000);
  });

  it('when no trade closed in the window, then /chart answers in words and sends no photo', async () => {
    const { server, ask, control } = await start();
    control.chartTrades = 0;

    const reply = await ask('/chart 3');

    expect(reply.method).toBe('sendMessage');
    expect(reply.visible).toBe('No trade closed in the last 3 days; realised equity stayed at $1,000.00.');
    expect(server.callsOf('sendPhoto')).toEqual([]);
  });

  it('when the bot starts, then the published menu lists the new commands and marks the owner-only ones', async () => {
    const { server } = await start();

    const published = server.callsOf('setMyCommands')[0]?.params['commands'];
    const menu = (typeof published === 'string' ? JSON.parse(published) : published) as { command: string; description: string }[];

    expect(menu).toEqual(COMMAND_MENU);
    expect(menu.map((item) => item.command)).toEqual(expect.arrayContaining(['balance', 'performance', 'stats', 'forceexit', 'logs', 'version', 'chart']));
    expect(menu.find((item) => item.command === 'pause')?.description).toContain('owners only');
  });
});

describe('/forceexit', () => {
  it('when the owner sends /forceexit, then it asks to confirm with the buttons of /close, and the confirmation closes', async () => {
    const { server, ask, control } = await start();

    const prompt = await ask('/forceexit');
    const keyboard = prompt.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] };
    expect(prompt.visible).toContain('Close at market?');
    expect(keyboard.inline_keyboard.map((row) => row.map((button) => button.text))).toEqual([['Confirm close'], ['Cancel']]);
    expect(control.actions).toEqual([]);

    server.pushCallback(OWNER.id, keyboard.inline_keyboard[0]![0]!.callback_data, prompt.messageId, OWNER);
    await server.waitFor((s) => s.sent.some((message) => message.method === 'editMessageText'), 'the prompt to show the outcome');

    expect(control.actions).toEqual([`close pos-1 by telegram:${OWNER.id}`]);
  });

  it('when a group member who is not an owner sends /forceexit, then no prompt is offered, while the reports stay open to them', async () => {
    const { ask, control } = await start(GROUP, [String(OWNER.id)]);

    const refused = await ask('/forceexit', MEMBER);
    const balance = await ask('/balance', MEMBER);

    expect(refused.visible).toContain('Not authorised: /forceexit changes what the daemon does');
    expect(refused.replyMarkup).toBeUndefined();
    expect(balance.visible).toContain('Equity: $1,111.38');
    expect(control.calls).toEqual(['balance']);
  });
});
