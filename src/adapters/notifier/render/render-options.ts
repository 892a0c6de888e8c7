// What renderers need to know about markets, and the shared pieces every message uses.
import type { EquityPoint } from '../../../domain/events.js';
import { escapeHtml } from './html.js';
import { formatPrice, formatUtcTime } from './format.js';

export interface RenderOptions {
  /** Decimals of the market's tick size, when known; prices of other markets get five significant digits. */
  readonly pricePrecision?: (symbol: string) => number | undefined;
}

/** A picture to send with the message; drawn only when it is sent, so the outbox stores numbers, not pixels. */
export interface EquityCurveImage {
  readonly kind: 'equity_curve';
  readonly points: readonly EquityPoint[];
}

export interface RenderedMessage {
  /** Telegram HTML. */
  readonly text: string;
  readonly image?: EquityCurveImage;
}

export type PriceFormatter = (symbol: string, price: number) => string;

export function priceFormatter(options: RenderOptions): PriceFormatter {
  return (symbol, price) => formatPrice(price, options.pricePrecision?.(symbol));
}

/** The event's own time, so a message delivered late still says when it happened. */
export function timeLine(at: Date): string {
  return `🕒 ${formatUtcTime(at)}`;
}

/** Names (analysts, symbols) as one escaped, comma-separated list. */
export function nameList(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.map(escapeHtml).join(', ');
}

export function lines(...parts: readonly (string | undefined | false)[]): string {
  return parts.filter((part): part is string => typeof part === 'string').join('\n');
}
