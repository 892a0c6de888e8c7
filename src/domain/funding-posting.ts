// A venue lists a funding settlement's payment some minutes after the settlement's instant, and a booking is final: a
// trade booked in those minutes from what the venue lists then would leave the payment out for good. A trade whose
// holding took in a settlement that recent waits for its payment: until the venue lists it, or the window has passed.
import { entryOrderSide } from './money.js';
import type { FundingEvent } from './market.js';
import { HOUR_MS } from './time.js';
import type { FundingPayment, Trade } from './trading.js';

/** How long after a settlement a venue may take to list its payment: the funding ledger keeps re-reading that long too. */
export const SETTLEMENT_POSTING_MS = 10 * 60_000;
/** How far back a market's settlements are read to tell its schedule: two of them even at the 8-hourly pace. */
export const SCHEDULE_LOOKBACK_MS = 25 * HOUR_MS;
/** A payment or a listed settlement this near an instant is that instant's: venues stamp it give or take a little. */
const STAMP_SKEW_MS = 60_000;

/**
 * The whole hour under SETTLEMENT_POSTING_MS before `now` that lies inside the trade's holding (after its first entry
 * fill, before its last exit fill) with no payment listed at it; undefined when there is none, as for nearly every
 * trade. Venues settle on whole UTC hours only (hourly, 4- or 8-hourly), so no other instant can be a settlement.
 * One at the very instant of the last exit fill is not waited for: the venue charges what is held at the instant, and
 * a replay's stop fills at a bar's end, on the hour, flat by the settlement.
 */
export function unlistedRecentSettlement(trade: Pick<Trade, 'side' | 'fills' | 'closedAt'>, payments: readonly FundingPayment[], now: Date): number | undefined {
  const closedAt = trade.closedAt.getTime();
  const hour = Math.ceil(closedAt / HOUR_MS) * HOUR_MS - HOUR_MS;
  const opening = entryOrderSide(trade.side);
  const openedAt = Math.min(...trade.fills.filter((fill) => fill.side === opening).map((fill) => fill.time.getTime()));
  if (hour <= openedAt || now.getTime() - hour >= SETTLEMENT_POSTING_MS) return undefined;
  if (payments.some((payment) => Math.abs(payment.time.getTime() - hour) <= STAMP_SKEW_MS)) return undefined;
  return hour;
}

/** What the market data says of a market's settlements; either part absent where it could not be read. */
export interface SettlementSchedule {
  /** The settlements listed around the instant, oldest first. */
  readonly events?: readonly FundingEvent[];
  /** The next settlement after now. */
  readonly nextSettlement?: number;
}

/** The paces venues settle at: hourly (Hyperliquid, some Binance and Bybit markets), 2-, 4- or 8-hourly. */
const SETTLEMENT_INTERVALS_MS = [1, 2, 4, 8].map((hours) => hours * HOUR_MS);

/**
 * Whether the market settles at `instant` with something to pay. By its rate when it is listed (nothing at a zero
 * rate); otherwise by the pace of the last two listed before it (a venue lists the settlement itself late too), so a
 * whole hour between two 8-hourly settlements is none. None owed where the market lists no settlement at all over the
 * look-back (a source without funding). Where one alone is listed (a market listed lately) or the list cannot be read,
 * by the next settlement: one a settlement's interval after the instant (at 04:00 an 8-hourly market's next, 08:00,
 * passes for a 4-hourly one's: a wait for nothing, bounded). True when neither tells: the wait is bounded by the
 * posting window, a payment left out is not.
 */
export function settlementOwed(instant: number, schedule: SettlementSchedule): boolean {
  if (schedule.events?.length === 0) return false;
  const events = schedule.events ?? [];
  const listed = events.find((event) => Math.abs(event.time - instant) <= STAMP_SKEW_MS);
  if (listed) return listed.rate !== 0;
  const before = events.filter((event) => event.time < instant);
  const last = before.at(-1);
  const previous = before.at(-2);
  if (last && previous && last.time - previous.time >= HOUR_MS - STAMP_SKEW_MS) {
    const interval = last.time - previous.time;
    const steps = Math.round((instant - last.time) / interval);
    return steps >= 1 && Math.abs(last.time + steps * interval - instant) <= STAMP_SKEW_MS;
  }
  const next = schedule.nextSettlement;
  if (next === undefined) return true;
  return SETTLEMENT_INTERVALS_MS.some((interval) => Math.abs(next - instant - interval) <= STAMP_SKEW_MS);
}
