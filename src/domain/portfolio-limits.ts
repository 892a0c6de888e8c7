// Limits across positions when more than one may be open: notional per asset and in total (as multiples of
// capital), entries per hour and per UTC day, and no second same-direction bet on symbols that move together.
import type { Candle, Side } from './market.js';
import { HOUR_MS, startOfUtcDay } from './time.js';
import type { Position } from './trading.js';

export interface PortfolioSettings {
  /** Largest notional of one position, as a multiple of capital. */
  readonly maxAssetExposure: number;
  /** Largest sum of the open positions' notional, as a multiple of capital. */
  readonly maxTotalExposure: number;
  /** Entries in the last 60 minutes; undefined = no cap. */
  readonly maxEntriesPerHour?: number;
  /** Entries in the current UTC day; undefined = no cap. */
  readonly maxEntriesPerDay?: number;
  /** 1h-return correlation above which a second same-direction position is refused. */
  readonly correlationThreshold: number;
  readonly correlationDays: number;
}

/** Wide enough that with one position nothing changes: fixed sizing posts at most 80% of capital at 5x. */
export const DEFAULT_PORTFOLIO: PortfolioSettings = { maxAssetExposure: 4, maxTotalExposure: 4, correlationThreshold: 0.8, correlationDays: 7 };

const times = (multiple: number): string => `${multiple.toFixed(2)}x`;

/** An open position as the exposure caps value it. */
export type HeldPosition = Pick<Position, 'quantity' | 'entryPrice'> & {
  /** Its mark price now, where the caller read one; without it the entry price alone is counted. */
  readonly markPrice?: number;
};

/**
 * A position's notional for the exposure caps: at the mark, because that is what it holds now (a short entered at 100
 * with the market at 110 holds 10% more than it was entered with), and never less than at its entry price: a mark
 * below it is a loss that may reverse the next minute, and the room it seemed to free would then be over the cap.
 */
export function heldNotional(position: HeldPosition): number {
  const { quantity, entryPrice, markPrice } = position;
  const atEntry = quantity * entryPrice;
  // A mark no venue could quote (NaN, zero) would make every comparison with the cap false: the entry price stands.
  if (markPrice === undefined || !(markPrice > 0) || !Number.isFinite(markPrice)) return atEntry;
  return Math.max(atEntry, quantity * markPrice);
}

/** Notional already open, each position at the larger of its mark and its entry price. */
export function openNotional(positions: readonly HeldPosition[]): number {
  return positions.reduce((total, position) => total + heldNotional(position), 0);
}

/** The most notional a new entry may carry under both exposure caps (0 when the total is used up). */
export function notionalRoom(settings: PortfolioSettings, capital: number, positions: readonly HeldPosition[]): number {
  const total = settings.maxTotalExposure * capital - openNotional(positions);
  return Math.max(0, Math.min(settings.maxAssetExposure * capital, total));
}

export function exposureProblem(settings: PortfolioSettings, capital: number, positions: readonly HeldPosition[]): string | undefined {
  const open = openNotional(positions);
  if (open < settings.maxTotalExposure * capital) return undefined;
  return `open notional ${times(open / capital)} capital has reached the ${times(settings.maxTotalExposure)} total exposure cap`;
}

/** Entry-count caps: the last 60 minutes (rolling) and the current UTC day. */
export function entryCountProblems(settings: PortfolioSettings, openedAt: readonly Date[], now: Date): string[] {
  const problems: string[] = [];
  const hourAgo = now.getTime() - HOUR_MS;
  const dayStart = startOfUtcDay(now).getTime();
  const lastHour = openedAt.filter((t) => t.getTime() > hourAgo && t.getTime() <= now.getTime()).length;
  const today = openedAt.filter((t) => t.getTime() >= dayStart && t.getTime() <= now.getTime()).length;
  if (settings.maxEntriesPerHour !== undefined && lastHour >= settings.maxEntriesPerHour) {
    problems.push(`${lastHour} entries in the last hour; the cap is ${settings.maxEntriesPerHour}`);
  }
  if (settings.maxEntriesPerDay !== undefined && today >= settings.maxEntriesPerDay) {
    problems.push(`${today} entries today (UTC); the cap is ${settings.maxEntriesPerDay}`);
  }
  return problems;
}

/** Pearson correlation; undefined when either series is flat or too short to say anything. */
export function correlation(xs: readonly number[], ys: readonly number[]): number | undefined {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return undefined;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : undefined;
}

/**
 * Close-to-close returns of the closed 1h candles in the window ending at `now`, keyed by the candle's open time so two
 * symbols are compared hour by hour. A candle still forming at `now` is left out: its close is not known yet.
 */
export function hourlyReturns(candles: readonly Candle[], now: Date, days: number): Map<number, number> {
  const from = now.getTime() - days * 24 * HOUR_MS;
  const closed = candles.filter((c) => c.openTime + HOUR_MS <= now.getTime() && c.openTime >= from - HOUR_MS);
  const returns = new Map<number, number>();
  for (let i = 1; i < closed.length; i++) {
    const previous = closed[i - 1] as Candle;
    const current = closed[i] as Candle;
    if (current.openTime - previous.openTime === HOUR_MS && previous.close > 0) returns.set(current.openTime, current.close / previous.close - 1);
  }
  return returns;
}

export interface CorrelationCandidate {
  readonly symbol: string;
  readonly side: Side;
  readonly returns: ReadonlyMap<number, number>;
}

/** Refuses a second position in the same direction on a symbol whose 1h returns move with an open one's. */
export function correlationProblems(settings: PortfolioSettings, entry: CorrelationCandidate, open: readonly CorrelationCandidate[]): string[] {
  const problems: string[] = [];
  for (const other of open) {
    if (other.side !== entry.side || other.symbol === entry.symbol) continue;
    const xs: number[] = [];
    const ys: number[] = [];
    for (const [hour, value] of entry.returns) {
      const paired = other.returns.get(hour);
      if (paired === undefined) continue;
      xs.push(value);
      ys.push(paired);
    }
    const r = correlation(xs, ys);
    if (r !== undefined && r > settings.correlationThreshold) {
      problems.push(
        `${entry.symbol} moved with the open ${other.side} ${other.symbol} (1h returns correlated ${r.toFixed(2)} over ${settings.correlationDays} days; limit ${settings.correlationThreshold})`,
      );
    }
  }
  return problems;
}
