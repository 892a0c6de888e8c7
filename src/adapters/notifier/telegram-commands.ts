// The owner's commands over Telegram. Only the configured chat gets answers; anyone else is told "not
// authorised" and nothing more, and is logged. Within that chat, commands that change state are for owners only
// (owner-access.ts). Replies go out directly (not through the outbox) but take their slot from the same pacer as
// notifications, so together they stay within Telegram's per-chat limit.
import { baseOf, parseCloseArgument } from './close-argument.js';
import { renderUniverseReply } from './render/universe-reply.js';
import type { Context, Telegraf } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { describeError, TemporaryError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import { utcMinute } from '../../domain/time.js';
import { OWNER_REQUEST_MAX_AGE_MS, type OwnerControl } from '../../ports/control.js';
import type { Logger } from '../../ports/logger.js';
import type { ChatPacer } from './chat-pacer.js';
import { renderEquityChart } from './chart/equity-chart.js';
import { CloseConfirmations } from './close-confirmations.js';
import {
  CHART_ARGUMENT,
  COMMAND_MENU,
  COMMANDS,
  LOGS_ARGUMENT,
  CALENDAR_ARGUMENT,
  InvalidCountError,
  parseCount,
  PERFORMANCE_ARGUMENT,
  TRADES_ARGUMENT,
  type CommandName,
} from './command-catalogue.js';
import { ownerVerdict, refusalText, refusalToast, type CommandAccess } from './owner-access.js';
import {
  positionBlock,
  renderAiCostReply,
  renderCloseDone,
  renderConfigReply,
  renderHelpReply,
  renderInvalidCountReply,
  renderModelsReply,
  renderPnlReply,
  renderPositionsReply,
  renderResumeReply,
  renderStatusReply,
  renderSummaryReply,
  renderTradesReply,
} from './render/command-replies.js';
import {
  renderBalanceReply,
  renderChartCaption,
  renderLogsReply,
  renderPerformanceReply,
  renderStatsReply,
  renderVersionReply,
} from './render/report-replies.js';
import { renderCalendarReply, renderRiskReply } from './render/risk-replies.js';
import { renderShadowsReply } from './render/shadow-replies.js';
import { escapeHtml } from './render/html.js';
import { displaySymbol } from './render/format.js';
import { positionName } from './render/position-messages.js';
import { priceFormatter, type PriceFormatter, type RenderOptions } from './render/render-options.js';
import { splitMessage } from './render/split-message.js';
import { sideLabel } from './render/words.js';
import type { SecretHider } from './outbox-notifier.js';
import { translateTelegramError, withoutBotToken } from './telegram-api.js';

export interface TelegramCommandsOptions {
  readonly bot: Telegraf;
  /** The only chat that may command the daemon (TELEGRAM_CHAT_ID). */
  readonly ownerChatId: string;
  /** TELEGRAM_OWNER_IDS: users who may change state. Empty: the private chat's own user, nobody in a group. */
  readonly ownerUserIds?: readonly string[];
  readonly control: OwnerControl;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pacer: ChatPacer;
  readonly render?: RenderOptions;
  /** Takes known secret values out of every reply (an error's text may quote one). */
  readonly hideSecrets?: SecretHider;
  /** How long a "Confirm close" button stays valid. */
  readonly confirmationTtlMs?: number;
}

export { COMMAND_MENU } from './command-catalogue.js';

export const NOT_AUTHORISED = 'Not authorised.';

/**
 * A chat that is not the owner's is told (and logged) once in this long. A flood of its messages then costs no replies,
 * and never holds up the owner's: each reply would wait for that chat's slot in the pacer.
 */
export const REFUSAL_EVERY_MS = 10 * 60_000;
/** Chats remembered for that; the oldest is forgotten beyond it (a refusal more is harmless). */
const REFUSED_CHATS_KEPT = 1_000;

/** `/trades [n]`: 5 when absent, at most 20; throws InvalidCountError when not a whole number from 1. */
export function parseTradeCount(argument: string): number {
  return parseCount(argument, TRADES_ARGUMENT) ?? TRADES_ARGUMENT.fallback;
}

/** The reply's HTML; undefined when the handler has sent its own (a prompt with buttons, a photo). */
type Answer = (ctx: Context & { payload: string }, requestedBy: string) => Promise<string | undefined>;

/** A command's answer and who may ask for it (from the catalogue, where every command must say). */
/** Commands the daemon's loop carries out: their answer waits for its next step. */
const WAIT_FOR_THE_LOOP: ReadonlySet<string> = new Set(['pause', 'resume']);

interface CommandHandler {
  readonly access: CommandAccess;
  readonly answer: Answer;
}

export class TelegramCommands {
  private readonly logger: Logger;
  private readonly price: PriceFormatter;
  private readonly confirmations: CloseConfirmations;
  /** When each chat that is not the owner's was last told so. */
  private readonly refusedAt = new Map<string, number>();
  private polling: Promise<void> | undefined;
  /** Owner requests waiting for the daemon's loop, answered when it has carried them out. */
  private readonly waiting = new Set<Promise<void>>();

  constructor(private readonly options: TelegramCommandsOptions) {
    this.logger = options.logger.child({ module: 'telegram-commands' });
    this.price = priceFormatter(options.render ?? {});
    this.confirmations = new CloseConfirmations(options.clock, options.confirmationTtlMs ?? 120_000);
    this.register(options.bot);
  }

  /** Starts long polling; resolves once the bot is known to Telegram, rejects if it cannot start (bad token). */
  async start(): Promise<void> {
    if (this.polling !== undefined) return;
    const { bot } = this.options;
    let running = false;
    let started: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (started = resolve));
    // launch() settles only when polling ends; it rejects early when getMe fails.
    const polling = bot.launch({ allowedUpdates: ['message', 'callback_query'] }, () => {
      running = true;
      started();
    });
    this.polling = polling.then(
      () => undefined,
      (error: unknown) => {
        // A failure before polling began is the caller's to report (start rejects with it).
        if (running) this.logger.error({ error: describeError(translateTelegramError(error)) }, 'Telegram command polling stopped');
        this.polling = undefined;
      },
    );
    try {
      await Promise.race([ready, polling]);
    } catch (error) {
      throw translateTelegramError(error);
    }
    await bot.telegram.setMyCommands([...COMMAND_MENU]).catch((error: unknown) => {
      this.logger.warn({ error: describeError(error) }, 'could not publish the command menu');
    });
  }

  async stop(): Promise<void> {
    const polling = this.polling;
    if (polling === undefined) return;
    try {
      this.options.bot.stop('shutdown');
    } catch {
      // Already stopped on its own (the error was logged when it happened).
    }
    await polling;
    this.polling = undefined;
    // The daemon stops first and refuses what it did not carry out, so each of these ends with its answer.
    await Promise.allSettled([...this.waiting]);
  }

  /**
   * Telegraf takes the next updates only once every handler of the last ones has returned, and a request the loop
   * carries out waits for its step (a scan asks the analysts for tens of seconds): awaited there, a /pause would hold
   * back the owner's /status behind it. The request runs on its own; its answer comes when it is done.
   */
  private detached(work: () => Promise<void>): void {
    const running: Promise<void> = work()
      .catch((error: unknown) => this.logger.warn({ error: describeError(error) }, 'an owner request failed unanswered'))
      .finally(() => this.waiting.delete(running));
    this.waiting.add(running);
  }

  private register(bot: Telegraf): void {
    const { control, clock } = this.options;
    bot.catch((error) => this.logger.error({ error: describeError(error) }, 'Telegram update handler failed'));
    bot.use((ctx, next) => this.authorise(ctx, next));

    const count = (ctx: { payload: string }, spec: { readonly fallback: number; readonly max: number }): number =>
      parseCount(ctx.payload, spec) ?? spec.fallback;
    // Who may use each command is in the catalogue (COMMANDS); here is only what each one answers.
    const answers: Record<CommandName, Answer> = {
      status: async () => renderStatusReply(await control.status(), this.price),
      positions: async () => renderPositionsReply(await control.openPositions(), this.price, clock.now()),
      balance: async () => renderBalanceReply(await control.balance()),
      pnl: async () => renderPnlReply(await control.pnl()),
      daily: async () => renderSummaryReply('day', await control.summary('day')),
      weekly: async () => renderSummaryReply('week', await control.summary('week')),
      monthly: async () => renderSummaryReply('month', await control.summary('month')),
      performance: async (ctx) => renderPerformanceReply(await control.performance(parseCount(ctx.payload, PERFORMANCE_ARGUMENT))),
      stats: async () => renderStatsReply(await control.tradeStats()),
      trades: async (ctx) => renderTradesReply(await control.recentTrades(count(ctx, TRADES_ARGUMENT)), this.price),
      chart: async (ctx) => this.sendChart(String(ctx.chat?.id), count(ctx, CHART_ARGUMENT)),
      cost: async () => renderAiCostReply(await control.aiCost()),
      models: async () => renderModelsReply(await control.modelRecords()),
      shadows: async () => renderShadowsReply(await control.shadows()),
      logs: async (ctx) => renderLogsReply(await control.recentLogs(count(ctx, LOGS_ARGUMENT))),
      risk: async () => renderRiskReply(await control.riskOverview()),
      calendar: async (ctx) => renderCalendarReply(await control.calendar(count(ctx, CALENDAR_ARGUMENT))),
      config: async () => renderConfigReply(control.effectiveConfig()),
      version: async () => renderVersionReply(await control.version()),
      universe: async () => renderUniverseReply(await control.universe()),
      help: async () => renderHelpReply(COMMANDS),
      pause: async (_ctx, requestedBy) => {
        await control.pauseEntries(requestedBy);
        return '⏸ New entries paused. Open positions stay protected and watched. /resume allows entries again.';
      },
      resume: async (ctx, requestedBy) => {
        // Telegram keeps updates for a day: a /resume sent while the daemon was down arrives at its start.
        const sentAt = new Date((ctx.message?.date ?? 0) * 1000);
        if (clock.now().getTime() - sentAt.getTime() > OWNER_REQUEST_MAX_AGE_MS) {
          return `⏳ Your /resume of ${utcMinute(sentAt)} reached the daemon only now, more than an hour later: not carried out. Send /resume again if you still want entries allowed.`;
        }
        return renderResumeReply(await control.resumeEntries(requestedBy, sentAt));
      },
      close: async (ctx) => this.promptClose(ctx),
      forceexit: async (ctx) => this.promptClose(ctx),
    };
    const handlers: [string, CommandHandler][] = COMMANDS.map((entry) => [entry.command, { access: entry.access, answer: answers[entry.command] }]);
    // Telegram sends /start when someone first opens the chat with the bot; it gets the list of commands.
    handlers.push(['start', { access: 'chat', answer: answers.help }]);
    for (const [command, handler] of handlers) {
      bot.command(command, async (ctx) => {
        const chatId = String(ctx.chat.id);
        if (handler.access === 'owner' && !(await this.admitOwner(ctx, command))) return;
        const answer = async () => {
          try {
            const text = await handler.answer(ctx, requestedBy(ctx));
            if (text !== undefined) await this.reply(chatId, text);
          } catch (error) {
            const entry = COMMANDS.find((candidate) => candidate.command === command);
            if (error instanceof InvalidCountError && entry !== undefined) await this.reply(chatId, renderInvalidCountReply(entry, ctx.payload));
            else await this.replyFailure(chatId, command, error);
          }
        };
        if (WAIT_FOR_THE_LOOP.has(command)) this.detached(answer);
        else await answer();
      });
    }
    // The buttons of a /close prompt change state as much as the command: the same owners only.
    bot.action(/^(close|cancel):([0-9a-f]{1,32})$/, async (ctx) => {
      if (!(await this.admitOwner(ctx, 'close'))) return;
      const [action, token] = [ctx.match[1] ?? '', ctx.match[2] ?? ''];
      this.detached(() => this.confirmClose(ctx, action, token));
    });
    bot.on('callback_query', (ctx) => this.answerCallback(ctx, 'This button is no longer valid.'));
    bot.on('message', async (ctx) => {
      if ('text' in ctx.message && ctx.message.text.startsWith('/')) {
        await this.reply(String(ctx.chat.id), 'Unknown command. /help lists what I understand.').catch(() => undefined);
      }
    });
  }

  private async authorise(ctx: Context, next: () => Promise<void>): Promise<void> {
    const chatId = ctx.chat?.id;
    if (chatId !== undefined && String(chatId) === this.options.ownerChatId) return next();
    if (!this.refusalDue(String(chatId))) return;
    const context = { chatId, fromId: ctx.from?.id, updateType: ctx.updateType };
    this.logger.warn(context, `refused a Telegram update from an unknown chat; its further updates go unanswered for ${REFUSAL_EVERY_MS / 60_000} minutes`);
    if (ctx.callbackQuery !== undefined) {
      await this.answerCallback(ctx, NOT_AUTHORISED);
    } else if (chatId !== undefined && ctx.message !== undefined) {
      // Not awaited: the owner's next update is fetched once this batch is handled.
      void this.reply(String(chatId), NOT_AUTHORISED).catch(() => undefined);
    }
  }

  private refusalDue(chatId: string): boolean {
    const now = this.options.clock.now().getTime();
    const last = this.refusedAt.get(chatId);
    if (last !== undefined && now - last < REFUSAL_EVERY_MS) return false;
    this.refusedAt.delete(chatId);
    this.refusedAt.set(chatId, now);
    if (this.refusedAt.size > REFUSED_CHATS_KEPT) this.refusedAt.delete(this.refusedAt.keys().next().value as string);
    return true;
  }

  /** True when the sender may change state; otherwise refuses (in the chat, or on the button) and logs who tried. */
  private async admitOwner(ctx: Context, command: string): Promise<boolean> {
    const chat = ctx.chat;
    if (chat === undefined) return false;
    const userId = ctx.from?.id;
    const verdict = ownerVerdict({ chatId: chat.id, chatType: chat.type, userId }, this.options.ownerUserIds ?? []);
    if (verdict.allowed) return true;
    this.logger.warn({ chatId: chat.id, fromId: userId, command, reason: verdict.reason }, 'refused a state-changing command from a non-owner');
    if (ctx.callbackQuery !== undefined) await this.answerCallback(ctx, refusalToast(verdict, userId));
    else await this.reply(String(chat.id), escapeHtml(refusalText(command, verdict, userId))).catch(() => undefined);
    return false;
  }

  /** Draws the equity curve and sends it as a photo with its caption; a window without trades gets the text alone. */
  private async sendChart(chatId: string, days: number): Promise<string | undefined> {
    const history = await this.options.control.equityHistory(days);
    const caption = renderChartCaption(history);
    if (history.trades === 0) return caption;
    const png = await renderEquityChart({ points: history.points, from: history.from, to: history.to, title: `Equity, last ${days} days` });
    const photo = { source: png, filename: 'equity-curve.png' };
    await this.paced(chatId, () => this.options.bot.telegram.sendPhoto(chatId, photo, { caption, parse_mode: 'HTML' }));
    return undefined;
  }

  /** Sends the prompt with its buttons itself (it needs a keyboard); only "nothing to close" is left to the caller. */
  private async promptClose(ctx: Context & { payload: string }): Promise<string | undefined> {
    const chatId = String(ctx.chat?.id);
    const argument = parseCloseArgument(ctx.payload);
    if (argument.kind === 'invalid') return `"${escapeHtml(argument.text)}" is not a market. Send /close alone to choose from the open positions, or /close ETH for one market.`;
    const held = await this.options.control.openPositions();
    // `/close ETH` offers ETH's position only: a prompt with another market's button, tapped at 3 a.m., closes the wrong one.
    const all = argument.kind === 'all' ? held : held.filter(({ position }) => baseOf(position.symbol) === argument.base);
    if (argument.kind === 'market' && all.length === 0) {
      const others = held.map(({ position }) => positionName(position));
      return `No position in ${argument.base} to close.${others.length > 0 ? ` Open: ${others.join(', ')}.` : ''}`;
    }
    // An entry still on its way has nothing to close yet, and a close under way is retried at every check already:
    // their buttons would only answer "no longer open".
    const views = all.filter((view) => view.position.status === 'open');
    if (views.length === 0) {
      const named = (status: string) => all.filter(({ position }) => position.status === status).map(({ position }) => positionName(position));
      const [opening, closing] = [named('opening'), named('closing')];
      if (opening.length > 0) return `No open position to close yet: ${opening.join(', ')} is still being opened. Send /close again in a few seconds.`;
      if (closing.length > 0) return `No open position to close: ${closing.join(', ')} is being closed already; its close is retried at every check.`;
      return 'No open position to close.';
    }
    const tokens = this.confirmations.issue(views.map((view) => view.position.id));
    const now = this.options.clock.now();
    const confirmButtons = views.map(({ position }) => [
      {
        text: views.length === 1 ? 'Confirm close' : `Confirm close ${sideLabel(position.side)} ${displaySymbol(position.symbol)}`,
        callback_data: `close:${tokens.get(position.id) ?? ''}`,
      },
    ]);
    const cancelButton = { text: 'Cancel', callback_data: `cancel:${tokens.values().next().value ?? ''}` };
    const keyboard: InlineKeyboardMarkup = { inline_keyboard: [...confirmButtons, [cancelButton]] };
    const text = ['Close at market?', ...views.map((view) => positionBlock(view, this.price, now))].join('\n\n');
    await this.reply(chatId, text, keyboard);
    return undefined;
  }

  private async confirmClose(ctx: Context, action: string, token: string): Promise<void> {
    const chatId = String(ctx.chat?.id);
    if (action === 'cancel') {
      const cancelled = this.confirmations.cancel(token);
      await this.answerCallback(ctx, cancelled ? 'Cancelled.' : 'Nothing to cancel.');
      // A prompt whose close was confirmed, or that a newer /close replaced, keeps what it says.
      if (cancelled) await this.editPrompt(ctx, chatId, 'Close cancelled; nothing was closed.');
      return;
    }
    const positionId = this.confirmations.take(token);
    if (positionId === undefined) {
      await this.answerCallback(ctx, 'This confirmation has expired or was already used. Send /close again.');
      return;
    }
    await this.answerCallback(ctx, 'Closing…');
    try {
      const outcome = await this.options.control.closePosition(positionId, requestedBy(ctx));
      const text =
        outcome.status === 'closed'
          ? renderCloseDone(outcome.trade, this.price)
          : outcome.status === 'not_open'
            ? 'That position is no longer open; nothing was closed.'
            : // The detail says itself whether the close is under way or the venue refused it.
              `⏳ ${escapeHtml(outcome.detail.charAt(0).toUpperCase() + outcome.detail.slice(1))}.`;
      this.logger.info({ positionId, outcome: outcome.status }, 'owner confirmed a close');
      await this.editPrompt(ctx, chatId, text);
    } catch (error) {
      await this.replyFailure(chatId, 'close', error);
    }
  }

  /** Replaces the prompt's text, which also removes its buttons; through the secret filter, as every reply. */
  private async editPrompt(ctx: Context, chatId: string, html: string): Promise<void> {
    const text = this.options.hideSecrets?.text(html) ?? html;
    await this.paced(chatId, () => ctx.editMessageText(text, { parse_mode: 'HTML' })).catch((error: unknown) => {
      this.logger.warn({ error: describeError(error) }, 'could not update the close prompt');
    });
  }

  private async answerCallback(ctx: Context, text: string): Promise<void> {
    await ctx.answerCbQuery(text).catch((error: unknown) => {
      this.logger.warn({ error: describeError(error) }, 'could not answer a button press');
    });
  }

  private async reply(chatId: string, html: string, keyboard?: InlineKeyboardMarkup): Promise<void> {
    const parts = splitMessage(this.options.hideSecrets?.text(html) ?? html);
    for (const [index, part] of parts.entries()) {
      const markup = index === parts.length - 1 && keyboard !== undefined ? { reply_markup: keyboard } : {};
      const extra = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true }, ...markup };
      await this.paced(chatId, () => this.options.bot.telegram.sendMessage(chatId, part, extra));
    }
  }

  private async replyFailure(chatId: string, command: string, error: unknown): Promise<void> {
    this.logger.error({ command, error: describeError(error) }, 'owner command failed');
    const text = `⚠️ /${escapeHtml(command)} failed: ${escapeHtml(withoutBotToken(describeError(error)))}`;
    await this.reply(chatId, text).catch((replyError: unknown) => {
      this.logger.warn({ error: describeError(replyError) }, 'could not tell the owner about a failed command');
    });
  }

  /** One Bot API call in the chat's next slot; a 429 holds the chat and the call is tried once more. */
  private async paced<T>(chatId: string, call: () => Promise<T>): Promise<T> {
    const { pacer, clock } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      await pacer.acquire(chatId);
      try {
        return await call();
      } catch (error) {
        const translated = translateTelegramError(error);
        if (attempt > 0 || !(translated instanceof TemporaryError) || translated.retryAfterMs === undefined) throw translated;
        pacer.holdUntil(chatId, new Date(clock.now().getTime() + translated.retryAfterMs));
      }
    }
  }
}

function requestedBy(ctx: Context): string {
  const who = ctx.from?.username ?? ctx.from?.id ?? ctx.chat?.id ?? 'unknown';
  return `telegram:${who}`;
}
