import { describe, expect, it } from 'vitest';
import { TelegramError } from 'telegraf';
import { ChatPacer } from '../../../../src/adapters/notifier/chat-pacer.js';
import { CloseConfirmations } from '../../../../src/adapters/notifier/close-confirmations.js';
import { InvalidCountError } from '../../../../src/adapters/notifier/command-catalogue.js';
import { parseTradeCount } from '../../../../src/adapters/notifier/telegram-commands.js';
import { translateTelegramError } from '../../../../src/adapters/notifier/telegram-api.js';
import { OperationalError, RejectedError, TemporaryError } from '../../../../src/domain/errors.js';
import { ManualClock } from './support/manual-clock.js';

describe('ChatPacer', () => {
  it('when three sends queue for one chat, then they get slots one interval apart while another chat is not held up', async () => {
    const clock = new ManualClock();
    const pacer = new ChatPacer(clock, 1000);
    const start = clock.now().getTime();
    const times: [string, number][] = [];
    const send = async (chat: string): Promise<void> => {
      await pacer.acquire(chat);
      times.push([chat, clock.now().getTime() - start]);
    };
    clock.autoAdvance();

    await Promise.all([send('a'), send('a'), send('b'), send('a')]);

    expect(times.filter(([chat]) => chat === 'a').map(([, at]) => at)).toEqual([0, 1000, 2000]);
    expect(times.find(([chat]) => chat === 'b')?.[1]).toBe(0);
  });

  it('when a chat is held after a 429, then its next slot is not before the hold', async () => {
    const clock = new ManualClock();
    const pacer = new ChatPacer(clock, 1000);
    const start = clock.now().getTime();
    pacer.holdUntil('a', new Date(start + 30_000));
    clock.autoAdvance();

    await pacer.acquire('a');

    expect(clock.now().getTime() - start).toBe(30_000);
  });
});

describe('CloseConfirmations', () => {
  const tokens = (): (() => string) => {
    let n = 0;
    return () => `t${(n += 1)}`;
  };

  it('when a token is taken twice, then only the first names the position', () => {
    const confirmations = new CloseConfirmations(new ManualClock(), 60_000, tokens());
    const token = confirmations.issue(['pos-1']).get('pos-1')!;
    expect(confirmations.take(token)).toBe('pos-1');
    expect(confirmations.take(token)).toBeUndefined();
  });

  it('when a token is older than its lifetime, then it confirms nothing', () => {
    const clock = new ManualClock();
    const confirmations = new CloseConfirmations(clock, 60_000, tokens());
    const token = confirmations.issue(['pos-1']).get('pos-1')!;
    clock.advanceBy(60_001);
    expect(confirmations.take(token)).toBeUndefined();
  });

  it('when a new prompt is issued, then the buttons of the earlier prompt stop working', () => {
    const confirmations = new CloseConfirmations(new ManualClock(), 60_000, tokens());
    const old = confirmations.issue(['pos-1']).get('pos-1')!;
    const fresh = confirmations.issue(['pos-1']).get('pos-1')!;
    expect(confirmations.take(old)).toBeUndefined();
    expect(confirmations.take(fresh)).toBe('pos-1');
  });

  it('when a prompt is cancelled, then its confirm button does nothing', () => {
    const confirmations = new CloseConfirmations(new ManualClock(), 60_000, tokens());
    const token = confirmations.issue(['pos-1']).get('pos-1')!;
    expect(confirmations.cancel(token)).toBe(true);
    expect(confirmations.take(token)).toBeUndefined();
  });
});

describe('reading /trades and Telegram failures', () => {
  it('when /trades has no number or a huge one, then 5 and 20 are used; a bad one is refused, not read as 5', () => {
    expect(parseTradeCount('')).toBe(5);
    expect(() => parseTradeCount('abc')).toThrow(InvalidCountError);
    expect(() => parseTradeCount('-3')).toThrow(InvalidCountError);
    expect(parseTradeCount(' 12 ')).toBe(12);
    expect(parseTradeCount('500')).toBe(20);
  });

  it('when Telegram answers 429, 500, 400, 401 or not at all, then the failure gets the matching kind', () => {
    const rateLimited = translateTelegramError(
      new TelegramError({ error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } }),
    );
    expect(rateLimited).toBeInstanceOf(TemporaryError);
    expect((rateLimited as TemporaryError).retryAfterMs).toBe(7000);
    expect(translateTelegramError(new TelegramError({ error_code: 502, description: 'Bad Gateway' }))).toBeInstanceOf(TemporaryError);
    expect(translateTelegramError(new TelegramError({ error_code: 400, description: "Bad Request: can't parse entities" }))).toBeInstanceOf(RejectedError);
    expect(translateTelegramError(new TelegramError({ error_code: 400, description: 'Bad Request: chat not found' }))).toBeInstanceOf(OperationalError);
    expect(translateTelegramError(new TelegramError({ error_code: 401, description: 'Unauthorized' }))).toBeInstanceOf(OperationalError);
    // About the chat itself: every message is refused alike. About one kind of message (a chart in a chat that takes
    // text only): that message is refused, and the rest still go.
    const chatWide = 'Bad Request: not enough rights to send text messages to the chat';
    expect(translateTelegramError(new TelegramError({ error_code: 400, description: chatWide }))).toBeInstanceOf(OperationalError);
    expect(translateTelegramError(new TelegramError({ error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat' }))).toBeInstanceOf(OperationalError);
    const photosOnly = 'Bad Request: not enough rights to send photos to the chat';
    expect(translateTelegramError(new TelegramError({ error_code: 400, description: photosOnly }))).toBeInstanceOf(RejectedError);
    expect(translateTelegramError(Object.assign(new Error('connect ECONNREFUSED'), { name: 'FetchError' }))).toBeInstanceOf(TemporaryError);
  });
});
