// Keeps the entry breakers' state in the store (a restart does not reset them), records each trip and clear as
// an event, and tells the owner.
import {
  entryBlocks,
  initialBreakerState,
  pauseEntries,
  recordTradeResult,
  resumeEntries,
  rollBreakerDay,
  shareCap,
  withStreakTimes,
  type BreakerChange,
  type BreakerState,
  type BreakerTransition,
  type DayShare,
  type EntryBlock,
  type RealisedBefore,
  type StoredBreakerState,
} from '../domain/circuit-breakers.js';
import { roundUsd } from '../domain/money.js';
import type { RiskSettings } from '../domain/settings.js';
import { utcDay } from '../domain/time.js';
import type { Clock } from '../ports/clock.js';
import type { Trade } from '../domain/trading.js';
import type { Notifier, TransactionScope } from '../ports/notifier.js';
import type { StoreRepositories, TradingStateRepository } from '../ports/store.js';

const STATE_KEY = 'breakers';

/** Left in place of the state by `restartBreakers`: the next `load` starts a fresh day, paused if the owner had paused. */
interface BreakerRestart {
  readonly restarted: true;
  readonly manualPause: boolean;
}

function isBreakerRestart(value: unknown): value is BreakerRestart {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>).restarted === true;
}

/**
 * Makes the next `load` start a fresh day and streak: the stored ones were measured on another account (paper against
 * live, another venue), whose capital, losses and streak mean nothing to this one. The owner's /pause is kept (and
 * returned), as a tripped drawdown switch is: it was the owner's word, and it only holds entries back.
 */
export async function restartBreakers(state: TradingStateRepository): Promise<{ readonly manualPause: boolean }> {
  const saved = await state.get(STATE_KEY);
  const manualPause = (isBreakerState(saved) || isBreakerRestart(saved)) && saved.manualPause === true;
  const restart: BreakerRestart = { restarted: true, manualPause };
  await state.put(STATE_KEY, restart);
  return { manualPause };
}

/**
 * Money paid into the account or taken out of it (a paper account given another INITIAL_CAPITAL) moves the day's
 * starting capital with it: the day's loss limit is then a share of what the account holds, and no deposit reads as a
 * gain nor a withdrawal as a loss. The streak and any tripped breaker stay as they are.
 */
export async function moveBreakerDay(state: TradingStateRepository, amount: number): Promise<void> {
  const saved = await state.get(STATE_KEY);
  if (!isBreakerState(saved)) return;
  const moved = (capital: number) => Math.max(0, roundUsd(capital + amount));
  await state.put(STATE_KEY, {
    ...saved,
    dayStartCapital: moved(saved.dayStartCapital),
    ...(saved.dayStartBalance === undefined ? {} : { dayStartBalance: moved(saved.dayStartBalance) }),
  });
}

/** A stored state, possibly from before the streak kept its close times (`withStreakTimes` completes it). */
function isBreakerState(value: unknown): value is StoredBreakerState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  const times = state.streakLossesAt;
  return (
    typeof state.day === 'string' &&
    typeof state.dayStartCapital === 'number' &&
    typeof state.consecutiveLosses === 'number' &&
    (state.streakFrom === undefined || typeof state.streakFrom === 'number') &&
    (state.dayStartCapitalAsOf === undefined || typeof state.dayStartCapitalAsOf === 'number') &&
    (state.dayStartBalance === undefined || typeof state.dayStartBalance === 'number') &&
    (state.dayStartCap === undefined || typeof state.dayStartCap === 'number') &&
    (state.dayStartShare === undefined || isDayShare(state.dayStartShare)) &&
    (state.dayStartUnbooked === undefined ||
      (typeof state.dayStartUnbooked === 'object' && state.dayStartUnbooked !== null && Object.values(state.dayStartUnbooked).every((amount) => typeof amount === 'number'))) &&
    (times === undefined || (Array.isArray(times) && times.every((at) => typeof at === 'number')))
  );
}

function isDayShare(value: unknown): value is DayShare {
  if (typeof value !== 'object' || value === null) return false;
  const share = value as Record<string, unknown>;
  return typeof share.amount === 'number' && typeof share.capitalCap === 'number';
}

/** A closed trade as the breakers take it: `realisedBefore` from its fills (`tradeRealisedBefore`), or all of it at its close. */
export type BookedTrade = Pick<Trade, 'netPnl' | 'closedAt'> & Partial<Pick<Trade, 'positionId'>> & { readonly realisedBefore?: RealisedBefore };

/** What a booking that rolls the day itself carries into the new day, read before its transaction (see `DayBalance`). */
export interface DayCarry {
  readonly unbooked: Readonly<Record<string, number>>;
  readonly cap?: number;
  readonly share?: DayShare;
}

export class BreakerService {
  private state: BreakerState | undefined;
  /**
   * A booking's transaction failed: its commit may still have landed with the answer lost, and memory cannot tell.
   * The stored state is read again before the breakers are next written or asked about entries (`settle`).
   */
  private uncertain = false;
  /** Set while entries wait for the owner to fix a venue problem; kept in memory only (a restart tries afresh). */
  private venueProblem: string | undefined;

  constructor(
    private readonly store: StoreRepositories,
    private readonly clock: Clock,
    private readonly notifier: Notifier,
    private readonly risk: RiskSettings,
    /** Other reasons entries wait (the drawdown switch, the calendar blackout), asked at every check. */
    private readonly gates: readonly (() => EntryBlock[])[] = [],
    /** The most of the account the daemon may use (INITIAL_CAPITAL in live mode); none in paper and replays. */
    private readonly capitalCap?: number,
    /**
     * Per open position, what of the balance it has taken or paid that no booked trade holds yet (a take-profit step,
     * funding, its entry fee), as the store knows it: the share read with it counts it (see `dayStartUnbooked`).
     */
    private readonly unbooked: () => Promise<Readonly<Record<string, number>>> = async () => ({}),
    /**
     * With a cap, the daemon's share of the account now (the cap and what it booked since, before the cap bounds it): a
     * day's loss limit is a share of the capital it trades with, not of a cap its losses have already eaten into.
     */
    private readonly share?: () => Promise<number>,
  ) {}

  /** Loads the persisted state, or starts a fresh day at `capital` (see `restartBreakers`). */
  async load(capital: number): Promise<BreakerState> {
    const saved = await this.store.state.get(STATE_KEY);
    if (isBreakerState(saved)) {
      this.state = withStreakTimes(saved);
      return this.state;
    }
    const fresh = initialBreakerState(this.clock.now(), capital);
    this.state = isBreakerRestart(saved) && saved.manualPause ? { ...fresh, manualPause: true } : fresh;
    await this.store.state.put(STATE_KEY, this.state);
    return this.state;
  }

  /**
   * Reads the state again from the store, the source of truth. After a booking whose commit went through while its
   * acknowledgement was lost, memory never took the new state; the next booking would write the old one over it.
   */
  async reload(): Promise<void> {
    const saved = await this.store.state.get(STATE_KEY);
    if (isBreakerState(saved)) this.state = withStreakTimes(saved);
    this.uncertain = false;
  }

  /**
   * After a booking whose transaction failed, the state as the store has it: the position of such a booking is closed
   * in the store when its commit landed, so no later booking of it would ever read it again. Throws while the store
   * cannot be read; the state stays uncertain until it can.
   */
  async settle(): Promise<void> {
    if (this.uncertain) await this.reload();
  }

  current(): BreakerState {
    if (!this.state) throw new Error('the daemon is still starting; try again in a few seconds');
    return this.state;
  }

  blocks(): EntryBlock[] {
    return this.blocksIn(this.current());
  }

  private blocksIn(state: BreakerState): EntryBlock[] {
    const blocks = [...entryBlocks(state, this.clock.now()), ...this.gates.flatMap((gate) => gate())];
    return this.venueProblem === undefined ? blocks : [...blocks, { breaker: 'venue_problem', reason: this.venueProblem }];
  }

  /**
   * Stops entries after the venue refused us for a reason a human must fix (an OperationalError: a key, a
   * permission, an account setting). Announced once; lifted by /resume or a restart, not by itself, because a
   * request that works again (a position read) does not prove that the refused one (an order) would.
   */
  async holdForVenueProblem(detail: string): Promise<void> {
    if (this.venueProblem !== undefined) return;
    this.venueProblem = detail;
    const change = { breaker: 'venue_problem' as const, action: 'tripped' as const, detail: `${detail}. Fix it, then /resume` };
    await this.store.breakers.record({ time: this.clock.now(), breaker: change.breaker, action: change.action, detail: change.detail }).catch(() => undefined);
    await this.announce([change]);
  }

  /**
   * Starts a new UTC day when the date has changed, from the account's balance (the cap applies here) and the moment
   * it was asked for: a trade that closed before then is in it already.
   */
  async rollDay(balance: number, readAt: Date = this.clock.now()): Promise<void> {
    await this.settle();
    const [unbooked, cap] = await Promise.all([this.unbooked(), this.capNow()]);
    await this.apply(this.store, rollBreakerDay(this.current(), this.clock.now(), balance, { readAt, unbooked, ...cap }));
  }

  /**
   * The most of the account a new day's capital may be: the cap, or the daemon's share when that is smaller; and the
   * share, which a late booking of an earlier day's trade moves (see `dayStartShare`).
   */
  private async capNow(): Promise<{ cap?: number; share?: DayShare }> {
    if (this.capitalCap === undefined) return {};
    return this.capOf(this.share === undefined ? this.capitalCap : await this.share());
  }

  private capOf(amount: number): { cap?: number; share?: DayShare } {
    if (this.capitalCap === undefined) return {};
    const share = { amount, capitalCap: this.capitalCap };
    return { cap: shareCap(share), share };
  }

  /**
   * What a booking must carry in case it rolls the day itself (the loop has not yet): read before its transaction,
   * since the positions are read from the store. Read whether or not the day has changed yet: midnight can pass before
   * the booking's transaction begins.
   */
  async carryForBooking(): Promise<DayCarry> {
    await this.settle();
    const [unbooked, cap] = await Promise.all([this.unbooked(), this.capNow()]);
    return { unbooked, ...cap };
  }

  /**
   * Writes the effect of a closed trade inside the caller's transaction, messages included. The state in memory
   * follows once the transaction has committed; a failed one leaves it uncertain, read again before the next use.
   */
  async recordTrade(
    scope: TransactionScope,
    trade: BookedTrade,
    balanceAfter: number,
    readAt: Date = this.clock.now(),
    carried: DayCarry = { unbooked: {}, ...(this.capitalCap === undefined ? {} : this.capOf(this.capitalCap)) },
  ): Promise<void> {
    const now = this.clock.now();
    // A trade booked after midnight can come before the loop's next tick rolls the day. The day rolls here first,
    // from the balance this booking read: otherwise a loss that closed after midnight would count toward the old day,
    // and the roll a moment later would clear the breaker it tripped. That balance was read after this trade closed,
    // whatever the venue's clock says: a trade of the new day then counts once, in the day's realised P&L, and one of
    // the old day stays in the new day's capital.
    const closedDay = new Date(Math.max(now.getTime(), trade.closedAt.getTime()));
    const readAfterClose = new Date(Math.max(readAt.getTime(), trade.closedAt.getTime() + 1));
    const current = this.current();
    const rolled =
      utcDay(closedDay) > current.day
        ? rollBreakerDay(current, closedDay, balanceAfter, { readAt: readAfterClose, ...carried })
        : { state: current, changes: [] };
    const recorded = recordTradeResult(rolled.state, trade.netPnl, now, this.risk, trade.closedAt, trade.positionId, trade.realisedBefore);
    const transition: BreakerTransition = { state: recorded.state, changes: [...rolled.changes, ...recorded.changes] };
    await this.persist(scope.transaction, transition);
    await this.announce(transition.changes, scope, transition.state);
    void scope.committed.then(
      () => {
        this.state = transition.state;
      },
      () => {
        this.uncertain = true;
      },
    );
  }

  private async adopt(transition: BreakerTransition): Promise<void> {
    this.state = transition.state;
    await this.announce(transition.changes);
  }

  async pause(requestedBy: string): Promise<void> {
    await this.settle();
    await this.apply(this.store, pauseEntries(this.current(), requestedBy));
  }

  async resume(requestedBy: string): Promise<void> {
    await this.announceLifted(requestedBy, await this.lift(requestedBy));
  }

  /**
   * Lifts what /resume lifts here (the owner's pause, the loss streak, a venue problem), written down, and returns what
   * it lifted, to be told with `announceLifted` once every other switch /resume lifts (the drawdown's) is off too:
   * told now, it would list that as still holding entries back.
   */
  async lift(requestedBy: string, sentAt?: Date): Promise<readonly BreakerChange[]> {
    await this.settle();
    const transition = resumeEntries(this.current(), requestedBy, this.clock.now(), sentAt);
    const changes = [...transition.changes];
    if (transition.state !== this.state) {
      await this.persist(this.store, transition);
      this.state = transition.state;
    }
    if (this.venueProblem !== undefined) {
      this.venueProblem = undefined;
      const change = { breaker: 'venue_problem' as const, action: 'cleared' as const, detail: `entries resumed by ${requestedBy}` };
      await this.store.breakers.record({ time: this.clock.now(), ...change }).catch(() => undefined);
      changes.push(change);
    }
    return changes;
  }

  /**
   * What one /resume lifted, in one message: an owner who lifted a pause, a loss streak and the drawdown switch at
   * once reads one line for them, not three. Each switch's own note (the drawdown's new baseline) is kept.
   */
  async announceLifted(requestedBy: string, changes: readonly BreakerChange[]): Promise<void> {
    const [first, ...others] = changes;
    if (!first) return;
    const notes = [...new Set(changes.flatMap((change) => (change.note === undefined ? [] : [change.note])))];
    await this.notifier.notify({
      type: 'breaker_cleared',
      at: this.clock.now(),
      breaker: first.breaker,
      detail: [`entries resumed by ${requestedBy}`, ...notes].join('; '),
      ...(others.length > 0 ? { alsoCleared: others.map((change) => change.breaker) } : {}),
      stillBlocking: this.blocks().map((block) => block.reason),
    });
  }

  /** `state` is the one the changes led to: in a booking's transaction it is not this service's own until the commit. */
  private async announce(changes: readonly BreakerChange[], within?: TransactionScope, state: BreakerState = this.current()): Promise<void> {
    const at = this.clock.now();
    // "Allowed again" only when nothing else holds entries back: the day's limit clearing at midnight under the owner's
    // /pause says so.
    const stillBlocking = this.blocksIn(state).map((block) => block.reason);
    for (const change of changes) {
      await this.notifier.notify(
        change.action === 'tripped'
          ? { type: 'breaker_tripped', at, breaker: change.breaker, detail: change.detail, until: change.until }
          : { type: 'breaker_cleared', at, breaker: change.breaker, detail: change.detail, stillBlocking },
        within,
      );
    }
  }

  private async apply(repositories: StoreRepositories, transition: BreakerTransition): Promise<void> {
    if (transition.state === this.state) return;
    await this.persist(repositories, transition);
    await this.adopt(transition);
  }

  private async persist(repositories: StoreRepositories, transition: BreakerTransition): Promise<void> {
    await repositories.state.put(STATE_KEY, transition.state);
    for (const change of transition.changes) {
      await repositories.breakers.record({ time: this.clock.now(), breaker: change.breaker, action: change.action, detail: change.detail });
    }
  }
}
