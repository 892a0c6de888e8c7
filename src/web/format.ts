// Numbers and times as a trader reads them.
export const usd = (value: number | undefined, digits = 2): string =>
  value === undefined ? '—' : `${value < 0 ? '-' : ''}$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

export const signedUsd = (value: number | undefined): string => (value === undefined ? '—' : `${value > 0 ? '+' : ''}${usd(value)}`);

/** Funding by the way the money went (its effect on P&L: negative was paid), as fees are shown as amounts paid. */
export function funding(value: number | undefined, digits = 2): string {
  if (value === undefined) return '—';
  const amount = usd(Math.abs(value), digits);
  return Number(Math.abs(value).toFixed(digits)) === 0 ? amount : `${amount} ${value < 0 ? 'paid' : 'received'}`;
}

export const pct = (fraction: number | undefined, digits = 2): string =>
  fraction === undefined ? '—' : `${fraction > 0 ? '+' : ''}${(fraction * 100).toFixed(digits)}%`;

export const plainPct = (fraction: number | undefined, digits = 1): string => (fraction === undefined ? '—' : `${(fraction * 100).toFixed(digits)}%`);

export function price(value: number | undefined): string {
  if (value === undefined) return '—';
  const digits = value >= 1000 ? 2 : value >= 1 ? 4 : 6;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const time = (iso: string | undefined): string => (iso === undefined ? '—' : `${iso.slice(0, 16).replace('T', ' ')} UTC`);

export const tone = (value: number | undefined): string => (value === undefined || value === 0 ? '' : value > 0 ? 'gain' : 'loss');

export function until(iso: string | undefined, nowIso: string | undefined): string {
  if (!iso || !nowIso) return '—';
  const seconds = Math.round((Date.parse(iso) - Date.parse(nowIso)) / 1000);
  if (seconds <= 0) return 'now';
  return seconds < 120 ? `in ${seconds} s` : `in ${Math.round(seconds / 60)} min`;
}

/**
 * The next scan as the status tells it. None is scheduled while entries are blocked (the loop skips its scans then) or
 * positions are full, nor, after a restart, until the loop's first step: the start (reconciling with the venue) can
 * take minutes, and the dashboard answers meanwhile.
 */
export function nextScan(status: { readonly nextScanAt?: string; readonly lastTickAt?: string; readonly now: string; readonly breakers?: readonly unknown[] }): string {
  if (status.nextScanAt) return until(status.nextScanAt, status.now);
  if (!status.lastTickAt) return 'after start-up';
  return (status.breakers?.length ?? 0) > 0 ? 'none while entries are blocked' : 'positions full';
}
