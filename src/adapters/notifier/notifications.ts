// Wires the notification pieces for the composition root: one outbox, one pacer shared by delivery and command
// replies, Telegram when it is configured and the console otherwise.
import { describeError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { OwnerControl } from '../../ports/control.js';
import type { Logger } from '../../ports/logger.js';
import type { OutboxRepository } from '../../ports/store.js';
import { ChatPacer } from './chat-pacer.js';
import { ConsoleSender } from './console-sender.js';
import { OutboxDelivery, type FlushResult } from './outbox-delivery.js';
import { OutboxNotifier, type SecretHider } from './outbox-notifier.js';
import type { RenderOptions } from './render/render-options.js';
import { createTelegramBot } from './telegram-api.js';
import { TelegramCommands } from './telegram-commands.js';
import { TelegramSender } from './telegram-sender.js';

export interface TelegramSettings {
  readonly token: string;
  readonly chatId: string;
  readonly apiRoot?: string;
  /** Users who may change state by command (TELEGRAM_OWNER_IDS); see owner-access.ts for the default. */
  readonly ownerIds?: readonly string[];
}

export interface NotificationsOptions {
  readonly outbox: OutboxRepository;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly render?: RenderOptions;
  /** Takes known secret values out of every message and reply before it is stored or sent. */
  readonly hideSecrets?: SecretHider;
  /** Per-chat spacing of messages; Telegram tolerates about one a second. */
  readonly minIntervalMs?: number;
  /** Without it, notifications are printed by `write` (console.log by default). */
  readonly telegram?: TelegramSettings;
  /** Enables the owner commands; needs `telegram`. */
  readonly control?: OwnerControl;
  readonly write?: (text: string) => void;
}

export interface Notifications {
  readonly notifier: OutboxNotifier;
  readonly delivery: OutboxDelivery;
  readonly commands?: TelegramCommands;
  /** Starts delivery and command polling. A Telegram that cannot start is logged, never fatal to trading. */
  start(): Promise<void>;
  /** Stops commands, then delivers what it can within `flushTimeoutMs`. */
  stop(flushTimeoutMs: number): Promise<FlushResult>;
}

export function createNotifications(options: NotificationsOptions): Notifications {
  const { clock, logger, outbox } = options;
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const pacer = new ChatPacer(clock, minIntervalMs);
  const bot = options.telegram === undefined ? undefined : createTelegramBot(options.telegram);
  const sender =
    bot === undefined || options.telegram === undefined
      ? new ConsoleSender(options.write)
      : new TelegramSender({ telegram: bot.telegram, chatId: options.telegram.chatId, pacer });
  const delivery = new OutboxDelivery({ outbox, sender, clock, logger, minIntervalMs, pacer });
  const notifier = new OutboxNotifier({
    outbox,
    clock,
    logger,
    ...(options.render === undefined ? {} : { render: options.render }),
    ...(options.hideSecrets === undefined ? {} : { hideSecrets: options.hideSecrets }),
    onEnqueued: () => delivery.wake(),
  });
  const commands =
    bot !== undefined && options.telegram !== undefined && options.control !== undefined
      ? new TelegramCommands({
          bot,
          ownerChatId: options.telegram.chatId,
          ownerUserIds: options.telegram.ownerIds ?? [],
          control: options.control,
          clock,
          logger,
          pacer,
          ...(options.render === undefined ? {} : { render: options.render }),
          ...(options.hideSecrets === undefined ? {} : { hideSecrets: options.hideSecrets }),
        })
      : undefined;

  return {
    notifier,
    delivery,
    ...(commands === undefined ? {} : { commands }),
    async start() {
      delivery.start();
      await commands?.start().catch((error: unknown) => {
        logger.error({ module: 'telegram-commands', error: describeError(error) }, 'Telegram commands unavailable');
      });
    },
    async stop(flushTimeoutMs) {
      await commands?.stop();
      notifier.close();
      return delivery.flush(flushTimeoutMs);
    },
  };
}
