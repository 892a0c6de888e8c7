// Entry breakers as pure state transitions: the daily loss limit (until the next UTC day), the losing streak
// (until the next UTC day or an explicit resume) and the owner's manual pause. The engine persists the state,
// so a restart never resets a tripped breaker.
import type { BreakerKind } from './events.js';
import { exitOrderSide, roundUsd, sideSign } from './money.js';
import { tradeResult, type FundingPayment, type Trade } from './trading.js';
import { holdingFunding } from './settlement.js';
import { capitalWithin } from './trading-capital.js';
import type { RiskSettings } from './settings.js';
import { nextUtcMidnight, startOfUtcDay, utcDay } from './time.js';

export interface BreakerState {
  /** UTC day (`YYYY-MM-DD`) the daily figures belong to. */
  readonly day: string;
  readonly dayStartCapital: number;
  /**
   * The account's balance the day's capital comes from, and the most of it the daemon may use (INITIAL_CAPITAL in
   * live mode): the capital is the smaller of the two.
   */
  readonly dayStartBalance: number;
  readonly dayStartCap?: number;
  /**
   * Capped live mode: the daemon's share of the account as it stood when the day's balance was read, before the cap
   * bounds it. The share counts booked trades only, so a trade that closed before then but is booked after it (a stop
   * filled while the daemon was down) moves it then, and the day's capital with it, as if it had been booked in time.
   */
  readonly dayStartShare?: DayShare;
  /**
   * When that balance was read (epoch ms). A trade of this day that closed before then is in it already; it also
   * counts in `realizedToday` once booked, so booking it takes it back out of the balance, and the cap applies again.
   */
  readonly dayStartCapitalAsOf: number;
  /**
   * Per position open when the day's balance was read: what the store then knew it had put into or taken from the
   * balance (a take-profit step, funding, its entry fee) that no booked trade held yet, which the share read with it
   * counts. Capped mode moves the share by what its trade shows instead, once booked.
   */
  readonly dayStartUnbooked?: Readonly<Record<string, number>>;
  /** Net realised P&L of trades closed this UTC day. */
  readonly realizedToday: number;
  /** Losses in a row by the time each trade closed: the length of `streakLossesAt`. */
  readonly consecutiveLosses: number;
  /**
   * Where the streak starts (epoch ms): the newest winning close, or a reset (/resume, a paused day's end). A trade is
   * booked when the daemon learns of it, which is not always in the order trades closed: a stop filled during an
   * outage is booked after a later close. Only trades that closed from this instant on change the streak.
   */
  readonly streakFrom: number;
  /** When each loss of the streak closed (epoch ms). */
  readonly streakLossesAt: readonly number[];
  readonly dailyLossTripped: boolean;
  readonly lossStreakPaused: boolean;
  /**
   * When the losing streak paused entries (epoch ms): a /resume sent before it was the owner's answer to something
   * else, and does not lift it. Absent in a state stored before it was kept: such a pause is lifted as before.
   */
  readonly lossStreakPausedAt?: number;
  readonly manualPause: boolean;
}

export interface BreakerChange {
  readonly breaker: BreakerKind;
  readonly action: 'tripped' | 'cleared';
  readonly detail: string;
  readonly until?: Date;
  /** What the detail tells beyond who did it (a lifted drawdown's new baseline): what one /resume message keeps of it. */
  readonly note?: string;
}

export interface BreakerTransition {
  readonly state: BreakerState;
  readonly changes: readonly BreakerChange[];
}

const money = (amount: number): string => `${amount < 0 ? '-' : ''}$${Math.abs(amount).toFixed(2)}`;
/** A setting's share as written: 0.1 → 10%, 0.025 → 2.5%. */
const percent = (share: number): string => `${Number((share * 100).toFixed(2))}%`;

export function initialBreakerState(now: Date, capital: number): BreakerState {
  return {
    day: utcDay(now),
    dayStartCapital: capital,
    dayStartBalance: capital,
    // A first state is taken as read before any of the day's trades closed.
    dayStartCapitalAsOf: 0,
    realizedToday: 0,
    consecutiveLosses: 0,
    streakFrom: now.getTime(),
    streakLossesAt: [],
    dailyLossTripped: false,
    lossStreakPaused: false,
    manualPause: false,
  };
}

type Streak = Pick<BreakerState, 'consecutiveLosses' | 'streakFrom' | 'streakLossesAt'>;

/** A state as stored, possibly by a version whose streak kept no close times. */
export type StoredBreakerState = Omit<BreakerState, 'streakFrom' | 'streakLossesAt' | 'dayStartCapitalAsOf' | 'dayStartBalance'> &
  Partial<Pick<BreakerState, 'streakFrom' | 'streakLossesAt' | 'dayStartCapitalAsOf' | 'dayStartBalance'>>;

/**
 * A state stored before the streak kept its close times: its losses count as having closed at the streak's start,
 * so a win that closed later still ends them. One stored before the day's capital kept its time is taken as read
 * before any of the day's trades closed, as that version assumed.
 */
export function withStreakTimes(state: StoredBreakerState): BreakerState {
  const streakFrom = state.streakFrom ?? 0;
  return {
    ...state,
    dayStartBalance: state.dayStartBalance ?? state.dayStartCapital,
    dayStartCapitalAsOf: state.dayStartCapitalAsOf ?? 0,
    streakFrom,
    streakLossesAt: state.streakLossesAt ?? Array.from({ length: state.consecutiveLosses }, () => streakFrom),
  };
}

/** The streak after one more trade, in the order trades closed; ties keep the order they were booked in. */
function nextStreak(state: BreakerState, netPnl: number, closedAt: number): Streak {
  // Closed before the streak began: an earlier win or a reset already ended whatever it would have continued.
  if (closedAt < state.streakFrom) return { consecutiveLosses: state.consecutiveLosses, streakFrom: state.streakFrom, streakLossesAt: state.streakLossesAt };
  const lost = tradeResult(netPnl) === 'loss';
  const streakLossesAt = lost ? [...state.streakLossesAt, closedAt] : state.streakLossesAt.filter((at) => at > closedAt);
  return { consecutiveLosses: streakLossesAt.length, streakFrom: lost ? state.streakFrom : closedAt, streakLossesAt };
}

/** The streak starts again from `now`: what closed before it no longer counts. */
function resetStreak(now: Date): Streak {
  return { consecutiveLosses: 0, streakFrom: now.getTime(), streakLossesAt: [] };
}

/** The daemon's share of the account (its booked trades on top of INITIAL_CAPITAL), and INITIAL_CAPITAL itself. */
export interface DayShare {
  readonly amount: number;
  readonly capitalCap: number;
}

/** The most of the account the daemon may use: INITIAL_CAPITAL, or its share when its losses have eaten into that. */
export function shareCap(share: DayShare): number {
  return Math.max(0, Math.min(share.capitalCap, share.amount));
}

/** How the day's balance was read: when (what closed before then is in it), and the most of it the daemon may use. */
export interface DayBalance {
  readonly readAt?: Date;
  readonly cap?: number;
  /** Capped live mode: the share `cap` comes from (see `dayStartShare`). */
  readonly share?: DayShare;
  /** Per open position, what of the balance is its and in no booked trade yet (see `dayStartUnbooked`). */
  readonly unbooked?: Readonly<Record<string, number>>;
}

/**
 * On a new UTC day the daily figures restart and the day-long breakers clear; a manual pause stays. The day's capital
 * is `balance`, the account's balance read at `read.readAt` (default `now`), within `read.cap`. A paused streak starts
 * again from midnight: losses that closed after it belong to the new day's streak, however late the day is rolled.
 */
export function rollBreakerDay(state: BreakerState, now: Date, balance: number, read: DayBalance = {}): BreakerTransition {
  const today = utcDay(now);
  if (today === state.day) return { state, changes: [] };
  const changes: BreakerChange[] = [];
  if (state.dailyLossTripped) changes.push({ breaker: 'daily_loss', action: 'cleared', detail: `new trading day ${today}` });
  if (state.lossStreakPaused) changes.push({ breaker: 'loss_streak', action: 'cleared', detail: `new trading day ${today}` });
  return {
    state: {
      ...state,
      day: today,
      dayStartCapital: capitalWithin(balance, read.cap),
      dayStartBalance: balance,
      ...(read.cap === undefined ? { dayStartCap: undefined } : { dayStartCap: read.cap }),
      dayStartShare: read.cap === undefined ? undefined : read.share,
      dayStartCapitalAsOf: (read.readAt ?? now).getTime(),
      dayStartUnbooked: read.unbooked ?? {},
      realizedToday: 0,
      dailyLossTripped: false,
      lossStreakPaused: false,
      lossStreakPausedAt: undefined,
      ...(state.lossStreakPaused ? resetStreak(startOfUtcDay(now)) : {}),
    },
    changes,
  };
}

/** What of a trade's net P&L had reached the account's balance before an instant (epoch ms). */
export type RealisedBefore = (instant: number) => number;

/**
 * From the trade's own fills and funding payments, each with its time: the P&L of its exits before the instant, less
 * the fees of every fill before it (the entry's included), plus the funding before it. Whatever the store knew of a
 * take-profit step when the day rolled, the trade tells which day it came on.
 */
export function tradeRealisedBefore(trade: Pick<Trade, 'side' | 'entryPrice' | 'netPnl' | 'closedAt' | 'fills'>, funding: readonly FundingPayment[]): RealisedBefore {
  const exit = exitOrderSide(trade.side);
  const s = sideSign(trade.side);
  const closedAt = trade.closedAt.getTime();
  // The trade's funding, as `settleTrade` counts it.
  const openedAt = new Date(Math.min(...trade.fills.filter((fill) => fill.side !== exit).map((fill) => fill.time.getTime())));
  const payments = holdingFunding(funding, openedAt, trade.closedAt);
  return (instant) => {
    if (instant > closedAt) return trade.netPnl;
    let amount = 0;
    for (const fill of trade.fills) {
      if (fill.time.getTime() >= instant) continue;
      amount -= fill.fee;
      if (fill.side === exit) amount += s * (fill.price - trade.entryPrice) * fill.quantity;
    }
    for (const payment of payments) if (payment.time.getTime() < instant) amount += payment.amount;
    return roundUsd(amount);
  };
}

/** A trade known by its net P&L alone: all of it at its close. */
function wholeAtClose(netPnl: number, closedAt: Date): RealisedBefore {
  return (instant) => (closedAt.getTime() < instant ? netPnl : 0);
}

/**
 * Applies a closed trade (call `rollBreakerDay` first). Its P&L counts toward the day it closed on: a trade of an
 * earlier day booked late (its fills came in after midnight) adds to the losing streak but not to today's loss. What
 * of it an earlier day realised (a take-profit step, funding, the entry fee, in the balance the day began from) is
 * that day's, not this one's: `realised` tells it from the trade's fills; without it the trade is taken as realised
 * whole at its close.
 */
export function recordTradeResult(
  state: BreakerState,
  netPnl: number,
  now: Date,
  risk: RiskSettings,
  closedAt: Date = now,
  positionId?: string,
  realised: RealisedBefore = wholeAtClose(netPnl, closedAt),
): BreakerTransition {
  const dayStart = Date.parse(`${state.day}T00:00:00Z`);
  const today = utcDay(closedAt) >= state.day;
  const earlier = today ? realised(dayStart) : netPnl;
  // Sums of amounts in floating point drift (-0.29 - 8.02 - 1.69 is -9.999999999999998): kept to the store's 1e-8, so
  // a loss of exactly the limit trips it.
  const realizedToday = today ? roundUsd(state.realizedToday + netPnl - earlier) : state.realizedToday;
  // Counted once: what of today's part the day's balance held when read is in the day's realised P&L, not also in the
  // balance its capital comes from. A balance read before midnight holds nothing of the day.
  const inBalance = today ? roundUsd(realised(Math.max(state.dayStartCapitalAsOf, dayStart)) - earlier) : 0;
  const dayStartBalance = inBalance === 0 ? state.dayStartBalance : roundUsd(state.dayStartBalance - inBalance);
  const carried = positionId === undefined ? undefined : state.dayStartUnbooked?.[positionId];
  const dayStartUnbooked = carried === undefined || positionId === undefined ? state.dayStartUnbooked : withoutKey(state.dayStartUnbooked ?? {}, positionId);
  // The share was read with what the store then knew of this trade (`carried`; an earlier day's trade booked late, none
  // of it): it moves to what the trade had realised before the day began, as if it had been booked in time.
  const shareMove = state.dayStartShare === undefined ? 0 : roundUsd(earlier - (carried ?? 0));
  const dayStartShare = state.dayStartShare && shareMove !== 0 ? { ...state.dayStartShare, amount: roundUsd(state.dayStartShare.amount + shareMove) } : state.dayStartShare;
  const dayStartCap = shareMove !== 0 && dayStartShare ? shareCap(dayStartShare) : state.dayStartCap;
  const dayStartCapital = inBalance !== 0 || shareMove !== 0 ? capitalWithin(dayStartBalance, dayStartCap) : state.dayStartCapital;
  const streak = pausedBeforeTheDay(state, nextStreak(state, netPnl, closedAt.getTime()), closedAt, risk);
  const { consecutiveLosses } = streak;
  const changes: BreakerChange[] = [];
  const until = nextUtcMidnight(now);
  const limit = roundUsd(risk.dailyLossLimitPct * dayStartCapital);
  let dailyLossTripped = state.dailyLossTripped;
  if (!dailyLossTripped && -realizedToday >= limit && limit > 0) {
    dailyLossTripped = true;
    changes.push({
      breaker: 'daily_loss',
      action: 'tripped',
      detail: `realised loss today ${money(realizedToday)} reached the ${percent(risk.dailyLossLimitPct)} limit (${money(-limit)}) of the day's starting capital ${money(dayStartCapital)}`,
      until,
    });
  }
  let lossStreakPaused = state.lossStreakPaused;
  let lossStreakPausedAt = state.lossStreakPausedAt;
  if (!lossStreakPaused && consecutiveLosses >= risk.maxConsecutiveLosses) {
    lossStreakPaused = true;
    lossStreakPausedAt = now.getTime();
    changes.push({
      breaker: 'loss_streak',
      action: 'tripped',
      detail: `${consecutiveLosses} losing trades in a row (limit ${risk.maxConsecutiveLosses}); entries paused until the next UTC day or /resume`,
      until,
    });
  }
  return {
    state: { ...state, dayStartCapital, dayStartBalance, dayStartCap, dayStartShare, dayStartUnbooked, realizedToday, ...streak, dailyLossTripped, lossStreakPaused, lossStreakPausedAt },
    changes,
  };
}

/**
 * A streak whose losses before the day began already reached the limit, known only now that one of them is booked
 * late: it would have paused entries that day, and the day's roll would have started it again from midnight, so it
 * does the same now. Losses of the new day count toward the new streak.
 */
function pausedBeforeTheDay(state: BreakerState, streak: Streak, closedAt: Date, risk: RiskSettings): Streak {
  const dayStart = Date.parse(`${state.day}T00:00:00Z`);
  if (state.lossStreakPaused || closedAt.getTime() >= dayStart) return streak;
  if (streak.streakLossesAt.filter((at) => at < dayStart).length < risk.maxConsecutiveLosses) return streak;
  const streakLossesAt = streak.streakLossesAt.filter((at) => at >= dayStart);
  return { consecutiveLosses: streakLossesAt.length, streakFrom: Math.max(streak.streakFrom, dayStart), streakLossesAt };
}

function withoutKey(record: Readonly<Record<string, number>>, key: string): Record<string, number> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/**
 * What the day may still lose before the breaker trips: the limit less the day's net realised P&L (wins count, as the
 * breaker nets them: a day up $50 on a $100 limit has $150 left), and nothing once it has tripped, until midnight.
 */
export function dailyLossLeft(limit: number, realizedToday: number, tripped: boolean): number {
  return tripped ? 0 : Math.max(0, limit + realizedToday);
}

export function pauseEntries(state: BreakerState, requestedBy: string): BreakerTransition {
  if (state.manualPause) return { state, changes: [] };
  return {
    state: { ...state, manualPause: true },
    changes: [{ breaker: 'manual_pause', action: 'tripped', detail: `entries paused by ${requestedBy}` }],
  };
}

/**
 * An explicit resume lifts the manual pause and the losing-streak pause; the daily loss limit holds until midnight.
 * The streak starts again only when its pause is lifted: a /pause and /resume around a news event between two losses
 * and a third must not let that third one pass. A resume sent (`sentAt`) before the streak paused entries does not
 * lift that pause: it waited in the loop's queue while a third loss was booked, and the owner never saw it.
 */
/**
 * How much later than a /resume's sending time a pause may have begun and still be lifted by it: Telegram dates a
 * message in whole seconds, by its own clock, and the daemon's clock may differ from it by a few seconds.
 */
export const RESUME_SENT_TOLERANCE_MS = 5_000;

export function resumeEntries(state: BreakerState, requestedBy: string, now: Date, sentAt?: Date): BreakerTransition {
  const changes: BreakerChange[] = [];
  const liftsStreak = state.lossStreakPaused && !(sentAt !== undefined && (state.lossStreakPausedAt ?? -Infinity) > sentAt.getTime() + RESUME_SENT_TOLERANCE_MS);
  if (state.manualPause) changes.push({ breaker: 'manual_pause', action: 'cleared', detail: `entries resumed by ${requestedBy}` });
  if (liftsStreak) changes.push({ breaker: 'loss_streak', action: 'cleared', detail: `resumed by ${requestedBy}` });
  const streak = liftsStreak ? { lossStreakPaused: false, lossStreakPausedAt: undefined, ...resetStreak(now) } : {};
  return { state: { ...state, manualPause: false, ...streak }, changes };
}

export interface EntryBlock {
  readonly breaker: BreakerKind;
  readonly reason: string;
  readonly until?: Date;
}

export function entryBlocks(state: BreakerState, now: Date): EntryBlock[] {
  const blocks: EntryBlock[] = [];
  const midnight = nextUtcMidnight(now);
  if (state.dailyLossTripped) {
    blocks.push({ breaker: 'daily_loss', reason: `daily loss limit reached (${money(state.realizedToday)} today)`, until: midnight });
  }
  if (state.lossStreakPaused) {
    blocks.push({ breaker: 'loss_streak', reason: `${state.consecutiveLosses} losses in a row`, until: midnight });
  }
  if (state.manualPause) blocks.push({ breaker: 'manual_pause', reason: 'entries paused by the owner' });
  return blocks;
}
