// The boundary to the Bot API: building the telegraf client, and turning its failures into the domain's kinds.
import { createRequire } from 'node:module';
import type * as TelegrafModule from 'telegraf';
import type { Telegraf } from 'telegraf';
import { describeError, OperationalError, RejectedError, TemporaryError, TradingError } from '../../domain/errors.js';

export interface TelegramBotSettings {
  readonly token: string;
  /** Bot API base address; tests point it at a local server. */
  readonly apiRoot?: string;
}

/**
 * telegraf, loaded when first used: a daemon without a bot token never needs it, and it holds about 15 MB resident.
 * It is a CommonJS package, so `require` and `import` share one instance and its error class is the same either way.
 */
function telegraf(): typeof TelegrafModule {
  return createRequire(import.meta.url)('telegraf') as typeof TelegrafModule;
}

export function createTelegramBot(settings: TelegramBotSettings): Telegraf {
  return new (telegraf().Telegraf)(settings.token, {
    telegram: settings.apiRoot === undefined ? {} : { apiRoot: settings.apiRoot },
    // A command whose answer takes longer than this is abandoned (and logged) instead of piling up.
    handlerTimeout: 60_000,
  });
}

/**
 * The Bot API carries the token in every request's path (`/bot<token>/sendMessage`), so an error that quotes the
 * address (a proxy's HTML page read as JSON: "invalid json response body at …") quotes the token. telegraf hides it
 * only in its network errors. Whatever text of a Bot API failure goes to a chat, a log or the outbox passes here.
 */
const BOT_PATH = /\/bot\d+:[\w-]+/g;

export function withoutBotToken(text: string): string {
  return text.replace(BOT_PATH, '/bot[redacted]');
}

// Only what refuses every message: "not enough rights to send photos" refuses a chart, and its text still goes.
const CHAT_PROBLEM =
  /chat not found|upgraded to a supergroup|not enough rights to send text messages|have no rights to send a message|need administrator rights|bot was kicked|bot is not a member|CHAT_WRITE_FORBIDDEN|CHAT_RESTRICTED|PEER_ID_INVALID/i;

/**
 * 429 and 5xx are temporary (429 carries Telegram's own wait); 400 means this message will never be accepted
 * (bad markup, too long); 401/403 and a problem with the chat itself mean the set-up is wrong. Anything that is not an
 * answer from Telegram (refused connection, reset, timeout) is temporary.
 */
export function translateTelegramError(error: unknown): TradingError {
  if (error instanceof TradingError) return error;
  // Only a loaded telegraf throws its errors, so asking for the class here loads nothing new.
  if (error instanceof telegraf().TelegramError) {
    const detail = withoutBotToken(`Telegram ${error.code}: ${error.description}`);
    if (error.code === 429) {
      const retryAfterSeconds = error.parameters?.retry_after ?? 1;
      return new TemporaryError(detail, retryAfterSeconds * 1000, { cause: error });
    }
    if (error.code >= 500) return new TemporaryError(detail, undefined, { cause: error });
    // A 400 about the chat itself (gone, moved to a supergroup, the bot without the right to write) refuses every
    // message alike: the set-up to fix, not a message to drop.
    if (error.code === 401 || error.code === 403 || CHAT_PROBLEM.test(error.description)) {
      return new OperationalError(detail, { cause: error });
    }
    if (error.code === 400) return new RejectedError(detail, { cause: error });
    return new TemporaryError(detail, undefined, { cause: error });
  }
  return new TemporaryError(`Telegram unreachable: ${withoutBotToken(describeError(error))}`, undefined, { cause: error });
}
