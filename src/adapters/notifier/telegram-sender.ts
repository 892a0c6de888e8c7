// Sends outbox messages to the owner's chat through telegraf. Long texts go as several messages; a chart goes as
// a photo with the text as its caption when the text fits in one, or with the text following it.
import type { Telegram } from 'telegraf';
import type { ChatPacer } from './chat-pacer.js';
import type { MessageSender, OutgoingImage, OutgoingMessage } from './message-sender.js';
import { htmlToPlainText } from './render/html.js';
import { splitMessage } from './render/split-message.js';
import { translateTelegramError } from './telegram-api.js';

/** Telegram's limit on a photo caption. */
export const TELEGRAM_CAPTION_LIMIT = 1024;

/** telegraf types its signal with an old polyfill; node's own AbortSignal is what its fetch accepts at run time. */
type TelegrafSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'photo'; readonly image: OutgoingImage; readonly caption?: string };

export interface TelegramSenderOptions {
  readonly telegram: Telegram;
  readonly chatId: string;
  /** Paces the second and later parts of a message; the caller paces the first. */
  readonly pacer?: ChatPacer;
}

export function planParts(message: OutgoingMessage): Part[] {
  if (message.image === undefined) return splitMessage(message.text).map((text) => ({ kind: 'text', text }));
  if (message.text.length <= TELEGRAM_CAPTION_LIMIT) return [{ kind: 'photo', image: message.image, caption: message.text }];
  const texts = splitMessage(message.text).map((text): Part => ({ kind: 'text', text }));
  return [{ kind: 'photo', image: message.image }, ...texts];
}

export class TelegramSender implements MessageSender {
  readonly chat: string;
  /** Parts already sent of messages that failed half-way, so a retry does not repeat them. */
  private readonly progress = new Map<string, number>();

  constructor(private readonly options: TelegramSenderOptions) {
    this.chat = options.chatId;
  }

  async send(message: OutgoingMessage, signal?: AbortSignal): Promise<void> {
    // Cut from the HTML in either format, so a plain-text retry of a message refused half-way as HTML skips the parts
    // already delivered: each part is stripped on its own, and a stripped part is never longer than its HTML.
    const parts = planParts(message);
    const key = message.id;
    const start = this.progress.get(key) ?? 0;
    for (let index = start; index < parts.length; index += 1) {
      if (index > start) await this.options.pacer?.acquire(this.chat);
      try {
        await this.sendPart(parts[index]!, message.format, signal);
      } catch (error) {
        this.remember(key, index);
        throw translateTelegramError(error);
      }
    }
    this.progress.delete(key);
  }

  // callApi rather than sendMessage/sendPhoto: only it takes an abort signal, so shutdown need not wait for a hung call.
  private async sendPart(part: Part, format: OutgoingMessage['format'], signal: AbortSignal | undefined): Promise<void> {
    const { telegram, chatId } = this.options;
    const options = { signal: signal as TelegrafSignal };
    const parseMode = format === 'html' ? ({ parse_mode: 'HTML' } as const) : {};
    const asSent = (html: string): string => (format === 'html' ? html : htmlToPlainText(html));
    if (part.kind === 'text') {
      const payload = { chat_id: chatId, text: asSent(part.text), ...parseMode, link_preview_options: { is_disabled: true } };
      await telegram.callApi('sendMessage', payload, options);
      return;
    }
    const photo = { source: part.image.png, filename: part.image.filename };
    const caption = part.caption === undefined ? {} : { caption: asSent(part.caption), ...parseMode };
    await telegram.callApi('sendPhoto', { chat_id: chatId, photo, ...caption }, options);
  }

  private remember(key: string, sentParts: number): void {
    if (sentParts === 0) return;
    this.progress.set(key, sentParts);
    // Bounded: a message that never gets through must not grow this forever.
    if (this.progress.size > 100) this.progress.delete(this.progress.keys().next().value!);
  }
}
