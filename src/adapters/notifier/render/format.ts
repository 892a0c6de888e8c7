// Numbers, times and durations as a person reads them. Grouping is done by hand so the output does not depend on
// the locale of the machine the daemon runs on.

function groupThousands(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1234.5` with 2 decimals → `1,234.50`; the sign is left to the caller. */
function groupedAbsolute(value: number, decimals: number): string {
  const [integer = '0', fraction] = Math.abs(value).toFixed(decimals).split('.');
  return fraction === undefined ? groupThousands(integer) : `${groupThousands(integer)}.${fraction}`;
}

/** True when `value` shows as zero at `decimals`, so it gets neither a minus nor a plus. */
function roundsToZero(value: number, decimals: number): boolean {
  return Number(Math.abs(value).toFixed(decimals)) === 0;
}

/** `$1,234.56`, `-$3.10`. */
export function formatUsd(value: number): string {
  const sign = value < 0 && !roundsToZero(value, 2) ? '-' : '';
  return `${sign}$${groupedAbsolute(value, 2)}`;
}

/** `+$2.50`, `-$3.10`, `$0.00`: for changes, where the direction matters. */
/**
 * The capital the daemon trades with, and the account's balance beside it when they differ (live mode with
 * INITIAL_CAPITAL below the account's balance): one figure must not be read for the other.
 */
export function capitalLine(capital: number, accountBalance: number | undefined): string {
  if (accountBalance === undefined || Math.abs(accountBalance - capital) < 0.005) return `Capital: ${formatUsd(capital)}`;
  return `Trading capital: ${formatUsd(capital)} · account balance ${formatUsd(accountBalance)}`;
}

export function formatSignedUsd(value: number): string {
  if (roundsToZero(value, 2)) return '$0.00';
  return `${value > 0 ? '+' : '-'}$${groupedAbsolute(value, 2)}`;
}

/**
 * Funding by the way the money went, from its effect on P&L: `$0.40 paid`, `$0.40 received`, `$0.00`. Fees are shown
 * as amounts paid; a signed funding figure beside them read both ways.
 */
export function formatFunding(pnlEffect: number): string {
  if (roundsToZero(pnlEffect, 2)) return '$0.00';
  return `${formatUsd(Math.abs(pnlEffect))} ${pnlEffect < 0 ? 'paid' : 'received'}`;
}

/** A fraction as a percentage: `0.0235` → `2.35%`. */
export function formatPct(fraction: number, decimals = 2): string {
  const percent = fraction * 100;
  const sign = percent < 0 && !roundsToZero(percent, decimals) ? '-' : '';
  return `${sign}${groupedAbsolute(percent, decimals)}%`;
}

/** `+2.35%`, `-1.20%`, `0.00%`. */
export function formatSignedPct(fraction: number, decimals = 2): string {
  const percent = fraction * 100;
  if (roundsToZero(percent, decimals)) return `${(0).toFixed(decimals)}%`;
  return `${percent > 0 ? '+' : '-'}${groupedAbsolute(percent, decimals)}%`;
}

/** A setting-style percentage with no needless zeros: `0.05` → `5%`, `0.055` → `5.5%`. */
export function formatPctCompact(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

/**
 * Decimals for a price when the market's tick size is not known: five significant digits, at least two
 * (62,345.10 · 145.20 · 2.3450 · 0.12340).
 */
export function defaultPriceDecimals(price: number): number {
  if (!Number.isFinite(price) || price === 0) return 2;
  const magnitude = Math.floor(Math.log10(Math.abs(price)));
  return Math.min(8, Math.max(2, 4 - magnitude));
}

export function formatPrice(price: number, decimals?: number): string {
  const places = decimals ?? defaultPriceDecimals(price);
  const sign = price < 0 && !roundsToZero(price, places) ? '-' : '';
  return `${sign}${groupedAbsolute(price, places)}`;
}

/** Quantities keep only the digits they have: `0.0150` → `0.015`, `12000` → `12,000`. */
export function formatQuantity(quantity: number): string {
  const [integer = '0', fraction = ''] = Math.abs(quantity).toFixed(8).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  const sign = quantity < 0 ? '-' : '';
  return `${sign}${groupThousands(integer)}${trimmed === '' ? '' : `.${trimmed}`}`;
}

/** `5x`, `2.5x`. */
export function formatLeverage(leverage: number): string {
  return `${formatQuantity(leverage)}x`;
}

/** A plain ratio such as a profit factor: `2.10`. */
export function formatRatio(value: number, decimals = 2): string {
  return value.toFixed(decimals);
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/** `2025-10-10 21:05 UTC`. */
export function formatUtcTime(time: Date): string {
  return `${formatUtcDay(time)} ${pad2(time.getUTCHours())}:${pad2(time.getUTCMinutes())} UTC`;
}

/** `2025-10-10`. */
export function formatUtcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/** `3h 25m`, `2d 4h`, `12m`, `40s`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${totalSeconds}s`;
}

/** `BTC/USDT:USDT` → `BTC/USDT`: the settlement suffix says nothing to a reader of a USDT-only daemon. */
export function displaySymbol(symbol: string): string {
  const [pair = symbol] = symbol.split(':');
  return pair;
}

/** `1 win`, `3 wins`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * At most `limit` characters, the last an ellipsis when cut. Counted and cut by code point: a cut between the two
 * halves of an emoji leaves text Telegram refuses.
 */
export function cutText(text: string, limit: number): string {
  const characters = Array.from(text);
  return characters.length > limit ? `${characters.slice(0, limit - 1).join('')}…` : text;
}
