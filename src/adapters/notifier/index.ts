// The notifier adapter's public face, for the composition root and the CLI.
export { ChatPacer } from './chat-pacer.js';
export { DEFAULT_CHART_SIZE, renderEquityChart, type ChartSize } from './chart/equity-chart.js';
export { ConsoleSender } from './console-sender.js';
export type { MessageSender, OutgoingImage, OutgoingMessage } from './message-sender.js';
export { createNotifications, type Notifications, type NotificationsOptions, type TelegramSettings } from './notifications.js';
export { OutboxDelivery, type FlushResult, type OutboxDeliveryOptions, type PassResult } from './outbox-delivery.js';
export { OutboxNotifier, type OutboxNotifierOptions, type SecretHider } from './outbox-notifier.js';
export { escapeHtml, htmlToPlainText } from './render/html.js';
export { renderEvent } from './render/render-event.js';
export type { EquityCurveImage, RenderedMessage, RenderOptions } from './render/render-options.js';
export { splitMessage, TELEGRAM_MESSAGE_LIMIT } from './render/split-message.js';
export { createTelegramBot, translateTelegramError, type TelegramBotSettings } from './telegram-api.js';
export { TelegramCommands, type TelegramCommandsOptions } from './telegram-commands.js';
export { TelegramSender, type TelegramSenderOptions } from './telegram-sender.js';
