// The boundary to the Bot API: building the telegraf client, and turning its failures into the domain's kinds.
import { Telegraf, TelegramError } from 'telegraf';
import { describeError, OperationalError, RejectedError, TemporaryError, TradingError } from '../../domain/errors.js';

export interface TelegramBotSettings {
  readonly token: string;
  /** Bot API base address; tests point it at a local server. */
  readonly apiRoot?: string;
}

export function createTelegramBot(settings: TelegramBotSettings): Telegraf {
  return new Telegraf(settings.token, {
    telegram: settings.apiRoot === undefined ? {} : { apiRoot: settings.apiRoot },
    // A command whose answer takes longer than this is abandoned (and logged) instead of piling up.
    handlerTimeout: 60_000,
  });
}

/**
 * 429 and 5xx are temporary (429 carries Telegram's own wait); 400 means this message will never be accepted
 * (bad markup, too long); 401/403 and an unknown chat mean the set-up is wrong. Anything that is not an
 * answer from Telegram (refused connection, reset, timeout) is temporary.
 */
export function translateTelegramError(error: unknown): TradingError {
  if (error instanceof TradingError) return error;
  if (error instanceof TelegramError) {
    const detail = `Telegram ${error.code}: ${error.description}`;
    if (error.code === 429) {
      const retryAfterSeconds = error.parameters?.retry_after ?? 1;
      return new TemporaryError(detail, retryAfterSeconds * 1000, { cause: error });
    }
    if (error.code >= 500) return new TemporaryError(detail, undefined, { cause: error });
    if (error.code === 401 || error.code === 403 || /chat not found/i.test(error.description)) {
      return new OperationalError(detail, { cause: error });
    }
    if (error.code === 400) return new RejectedError(detail, { cause: error });
    return new TemporaryError(detail, undefined, { cause: error });
  }
  return new TemporaryError(`Telegram unreachable: ${describeError(error)}`, undefined, { cause: error });
}
