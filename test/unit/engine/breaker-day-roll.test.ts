import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { tradeRealisedBefore, type RealisedBefore } from '../../../src/domain/circuit-breakers.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';
import { BreakerService } from '../../../src/engine/breaker-service.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../src/testing/recording-notifier.js';

function service(store: InMemoryStore, clock: ManualClock): { breakers: BreakerService; notifier: RecordingNotifier } {
  const notifier = new RecordingNotifier();
  return { breakers: new BreakerService(store, clock, notifier, DEFAULT_RISK), notifier };
}

/** Books one trade as the trade booker does: inside a transaction, the state in memory after the commit. */
async function book(
  breakers: BreakerService,
  store: InMemoryStore,
  netPnl: number,
  closedAt: Date,
  capitalAfter: number,
  positionId?: string,
  realisedBefore?: RealisedBefore,
): Promise<void> {
  let commit!: () => void;
  const committed = new Promise<void>((resolve) => (commit = resolve));
  // As the booker does: what a roll by this booking must carry is read before its transaction.
  const carried = await breakers.carryForBooking();
  const trade = { netPnl, closedAt, ...(positionId ? { positionId } : {}), ...(realisedBefore ? { realisedBefore } : {}) };
  await store.transaction((transaction) => breakers.recordTrade({ transaction, committed }, trade, capitalAfter, undefined, carried));
  commit();
  await committed;
}

/**
 * A fee-free long of 1 at $1000 opened at 15:00 on 2025-10-10: part of it taken at 22:00 that day (a take-profit step),
 * the rest closed at `closedAt`. What of its P&L each instant had realised, as the booker passes it.
 */
function heldOverMidnight(step: { quantity: number; price: number }, restPrice: number, closedAt: Date): RealisedBefore {
  const fill = (side: 'buy' | 'sell', price: number, quantity: number, time: Date) => ({ id: `${side}-${time.toISOString()}`, orderId: `${side}-${time.toISOString()}`, symbol: 'BTC/USDT:USDT', side, price, quantity, fee: 0, time });
  const netPnl = (step.price - 1000) * step.quantity + (restPrice - 1000) * (1 - step.quantity);
  const fills = [fill('buy', 1000, 1, new Date('2025-10-10T15:00:00Z')), fill('sell', step.price, step.quantity, new Date('2025-10-10T22:00:00Z')), fill('sell', restPrice, 1 - step.quantity, closedAt)];
  return tradeRealisedBefore({ side: 'long', entryPrice: 1000, netPnl, closedAt, fills }, []);
}

const tripped = (notifier: RecordingNotifier): string[] =>
  notifier.events.flatMap((event) => (event.type === 'breaker_tripped' ? [event.breaker] : []));

describe('the breakers\u2019 UTC day, with a position held over midnight', () => {
  it('when a take-profit step realised +$100 yesterday and the rest loses $115 today, then today counts -$115 of its $1100 and trips', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T15:00:00Z'));
    const notifier = new RecordingNotifier();
    // The wallet holds the step's +$100, in no booked trade yet.
    const breakers = new BreakerService(store, clock, notifier, DEFAULT_RISK, [], undefined, async () => ({ p1: 100 }));
    await breakers.load(1000);

    clock.advanceTo(new Date('2025-10-11T00:00:00Z'));
    await breakers.rollDay(1100, clock.now());
    clock.advanceTo(new Date('2025-10-11T01:00:00Z'));
    await book(breakers, store, -15, clock.now(), 985, 'p1', heldOverMidnight({ quantity: 0.5, price: 1200 }, 770, clock.now()));

    expect(breakers.current()).toMatchObject({ dayStartCapital: 1100, realizedToday: -115, dailyLossTripped: true });
    expect(tripped(notifier)).toEqual(['daily_loss']);
  });

  it('when the daemon restarts after midnight and rolls the day before the store knows of yesterday\u2019s +$100 step, then the -$115 stop of today still counts -$115 of $1100 and trips', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T15:00:00Z'));
    await service(store, clock).breakers.load(1000);

    // Down from 21:00: the step fills at 22:00 ($1100), the rest stops out at 03:00 on the next day ($985). The restart
    // at 10:00 rolls the day while the step's order record still shows nothing filled: the store carries nothing.
    clock.advanceTo(new Date('2025-10-11T10:00:00Z'));
    const notifier = new RecordingNotifier();
    const breakers = new BreakerService(store, clock, notifier, DEFAULT_RISK, [], undefined, async () => ({ p1: 0 }));
    await breakers.load(985);
    await breakers.rollDay(985, clock.now());
    const closedAt = new Date('2025-10-11T03:00:00Z');
    await book(breakers, store, -15, closedAt, 985, 'p1', heldOverMidnight({ quantity: 0.5, price: 1200 }, 770, closedAt));

    expect(breakers.current()).toMatchObject({ dayStartCapital: 1100, realizedToday: -115, dailyLossTripped: true });
    expect(tripped(notifier)).toEqual(['daily_loss']);
  });

  it('when a booking rolls the day before the loop does, then what other positions carry over midnight is kept too', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T15:00:00Z'));
    const breakers = new BreakerService(store, clock, new RecordingNotifier(), DEFAULT_RISK, [], undefined, async () => ({ p1: 100, p2: 40 }));
    await breakers.load(1000);

    // A stop of p2 fills at 00:00:30 and is booked before the loop rolls: the booking rolls the day.
    clock.advanceTo(new Date('2025-10-11T00:01:00Z'));
    const p2ClosedAt = new Date('2025-10-11T00:00:30Z');
    await book(breakers, store, 10, p2ClosedAt, 1150, 'p2', heldOverMidnight({ quantity: 0.2, price: 1200 }, 962.5, p2ClosedAt));
    await book(breakers, store, -15, clock.now(), 985, 'p1', heldOverMidnight({ quantity: 0.5, price: 1200 }, 770, clock.now()));

    // p2 made +$40 yesterday and -$30 today; p1 +$100 yesterday and -$115 today.
    expect(breakers.current().realizedToday).toBe(-145);
  });
});

describe('the breakers\u2019 UTC day, rolled late', () => {
  it('when the daemon restarts on a new day after a stop filled that day, then the loss counts once and the limit is 10% of the capital at midnight', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
    await service(store, clock).breakers.load(1000);

    // Down over midnight; a -$80 stop fills at 00:30 (the balance goes from $1000 to $920); the restart is at 02:00.
    clock.advanceTo(new Date('2025-10-11T02:00:00Z'));
    const { breakers, notifier } = service(store, clock);
    await breakers.load(920);
    await breakers.rollDay(920); // as the daemon's start does, before reconciliation books what closed meanwhile
    await book(breakers, store, -80, new Date('2025-10-11T00:30:00Z'), 920);
    clock.advanceTo(new Date('2025-10-11T03:00:00Z'));
    await book(breakers, store, -15, clock.now(), 905);

    expect(breakers.current()).toMatchObject({ dayStartCapital: 1000, realizedToday: -95, dailyLossTripped: false });
    expect(tripped(notifier)).toEqual([]);
  });

  it('when live capital is capped at $1000 in a $5000 account, then a restart after a stop past midnight keeps the day\u2019s capital at the cap', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
    const capped = () => new BreakerService(store, clock, new RecordingNotifier(), DEFAULT_RISK, [], 1000);
    await capped().load(1000);

    clock.advanceTo(new Date('2025-10-11T02:00:00Z'));
    const breakers = capped();
    await breakers.load(1000);
    await breakers.rollDay(4920);
    await book(breakers, store, -80, new Date('2025-10-11T00:30:00Z'), 4920);

    expect(breakers.current()).toMatchObject({ dayStartCapital: 1000, realizedToday: -80, dailyLossTripped: false });
  });

  it('when the daemon capped at $1000 has lost $300 of it, then a new day\u2019s loss limit is 10% of the $700 it trades with, however the day is rolled', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
    const notifier = new RecordingNotifier();
    const capped = () => new BreakerService(store, clock, notifier, DEFAULT_RISK, [], 1000, async () => ({}), async () => 700);
    await capped().load(700);

    clock.advanceTo(new Date('2025-10-11T02:00:00Z'));
    const looped = capped();
    await looped.load(700);
    await looped.rollDay(4700);
    expect(looped.current()).toMatchObject({ day: '2025-10-11', dayStartCapital: 700 });
    await book(looped, store, -70, new Date('2025-10-11T01:30:00Z'), 4630);
    expect(tripped(notifier)).toEqual(['daily_loss']);

    // Rolled by a booking after the next midnight, before the loop's roll: the same share.
    clock.advanceTo(new Date('2025-10-12T00:00:05Z'));
    const booked = capped();
    await booked.load(700);
    await book(booked, store, -10, new Date('2025-10-12T00:00:01Z'), 4620);
    expect(booked.current()).toMatchObject({ day: '2025-10-12', dayStartCapital: 700, realizedToday: -10 });
  });

  it('when the daemon capped at $1000 restarts after midnight and books a -$200 stop of 23:30, then the day\u2019s limit is 10% of the $800 share, however the day was rolled', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
    const notifier = new RecordingNotifier();
    // The share counts booked trades only: until the stop is booked, it is the whole $1000.
    let share = 1000;
    const capped = () => new BreakerService(store, clock, notifier, DEFAULT_RISK, [], 1000, async () => ({}), async () => share);
    await capped().load(1000);

    // Down from 22:00; the stop fills at 23:30 ($5000 becomes $4800); the restart at 02:00 rolls the day, then books it.
    clock.advanceTo(new Date('2025-10-11T02:00:00Z'));
    const restarted = capped();
    await restarted.load(1000);
    await restarted.rollDay(4800);
    await book(restarted, store, -200, new Date('2025-10-10T23:30:00Z'), 4800, 'p1');
    share = 800;
    expect(restarted.current()).toMatchObject({ day: '2025-10-11', dayStartCapital: 800, realizedToday: 0 });
    clock.advanceTo(new Date('2025-10-11T10:00:00Z'));
    await book(restarted, store, -85, clock.now(), 4715, 'p2');
    share = 715;
    expect(tripped(notifier)).toEqual(['daily_loss']);

    // The next night, a -$100 stop fills at 23:59:58 and its booking at 00:00:02 rolls the day itself.
    clock.advanceTo(new Date('2025-10-12T00:00:02Z'));
    await book(restarted, store, -100, new Date('2025-10-11T23:59:58Z'), 4615, 'p3');
    expect(restarted.current()).toMatchObject({ day: '2025-10-12', dayStartCapital: 615, realizedToday: 0 });
  });

  it('when the daemon capped at $1000 has made $300 above it and books a -$200 stop of 23:30 after midnight, then the day keeps the whole $1000', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
    const notifier = new RecordingNotifier();
    // The share before the cap bounds it: $1300 until the stop is booked.
    const capped = () => new BreakerService(store, clock, notifier, DEFAULT_RISK, [], 1000, async () => ({}), async () => 1300);
    await capped().load(1000);

    clock.advanceTo(new Date('2025-10-11T02:00:00Z'));
    const restarted = capped();
    await restarted.load(1000);
    await restarted.rollDay(5100);
    await book(restarted, store, -200, new Date('2025-10-10T23:30:00Z'), 5100, 'p1');

    expect(restarted.current()).toMatchObject({ day: '2025-10-11', dayStartCapital: 1000 });
  });

  it('when midnight passes between what a booking carries and its transaction, then the day it rolls still starts from the daemon\u2019s $700 share, not the $1000 cap', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T23:59:59Z'));
    const breakers = new BreakerService(store, clock, new RecordingNotifier(), DEFAULT_RISK, [], 1000, async () => ({}), async () => 700);
    await breakers.load(700);

    // A -$10 stop of 23:59:58: what the booking carries is read at 23:59:59, its transaction begins at 00:00:01.
    const carried = await breakers.carryForBooking();
    clock.advanceTo(new Date('2025-10-11T00:00:01Z'));
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    const trade = { netPnl: -10, closedAt: new Date('2025-10-10T23:59:58Z') };
    await store.transaction((transaction) => breakers.recordTrade({ transaction, committed }, trade, 4690, new Date('2025-10-10T23:59:59Z'), carried));
    commit();
    await committed;

    expect(breakers.current()).toMatchObject({ day: '2025-10-11', dayStartCapital: 690, realizedToday: 0 });
  });

  it('when a trade that closed before midnight is booked after it, before the loop rolled the day, then today starts from the capital after it', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
    const { breakers } = service(store, clock);
    await breakers.load(1000);

    // The stop filled at 23:59:58 for -$100; the monitor books it at 00:00:02.
    clock.advanceTo(new Date('2025-10-11T00:00:02Z'));
    await book(breakers, store, -100, new Date('2025-10-10T23:59:58Z'), 900);

    expect(breakers.current()).toMatchObject({ day: '2025-10-11', dayStartCapital: 900, realizedToday: 0 });
  });

  it('when a trade that closed after midnight is booked before the loop rolled the day, then the day starts from the capital before it', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
    const { breakers, notifier } = service(store, clock);
    await breakers.load(1000);

    clock.advanceTo(new Date('2025-10-11T00:00:05Z'));
    await book(breakers, store, -100, new Date('2025-10-11T00:00:02Z'), 900);

    expect(breakers.current()).toMatchObject({ day: '2025-10-11', dayStartCapital: 1000, realizedToday: -100, dailyLossTripped: true });
    expect(tripped(notifier)).toEqual(['daily_loss']);
  });

  it('when the venue\u2019s clock is ahead and dates the close after our booking, then the loss still counts once', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T23:59:59Z'));
    const { breakers } = service(store, clock);
    await breakers.load(1000);

    await book(breakers, store, -50, new Date('2025-10-11T00:00:01Z'), 950);

    expect(breakers.current()).toMatchObject({ day: '2025-10-11', dayStartCapital: 1000, realizedToday: -50 });
  });

  it('when the daemon restarts on the day after a losing-streak pause, then losses that closed after midnight count toward the new streak', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
    const first = service(store, clock).breakers;
    await first.load(1000);
    for (const hour of [10, 11, 12]) {
      clock.advanceTo(new Date(`2025-10-10T${hour}:00:00Z`));
      await book(first, store, -5, clock.now(), 1000 - 5 * (hour - 9));
    }
    expect(first.current().lossStreakPaused).toBe(true);

    clock.advanceTo(new Date('2025-10-11T02:00:00Z'));
    const { breakers, notifier } = service(store, clock);
    await breakers.load(975);
    await breakers.rollDay(975);
    await book(breakers, store, -5, new Date('2025-10-11T00:30:00Z'), 975);
    await book(breakers, store, -5, new Date('2025-10-11T01:00:00Z'), 975);
    clock.advanceTo(new Date('2025-10-11T03:00:00Z'));
    await book(breakers, store, -5, clock.now(), 970);

    expect(breakers.current()).toMatchObject({ consecutiveLosses: 3, lossStreakPaused: true });
    expect(tripped(notifier)).toContain('loss_streak');
  });
});

describe('a breaker that clears while another still holds entries back', () => {
  /** A day whose $120 loss tripped the daily limit, and the owner's /pause on top. */
  async function pausedOnALosingDay() {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
    const { breakers, notifier } = service(store, clock);
    await breakers.load(1000);
    await book(breakers, store, -120, clock.now(), 880);
    await breakers.pause('telegram:owner');
    return { store, clock, breakers, notifier };
  }

  it('when midnight lifts the daily loss limit under the owner\u2019s /pause, then the message says entries still wait, for the pause; /resume then allows them', async () => {
    const { clock, breakers, notifier } = await pausedOnALosingDay();

    clock.advanceTo(new Date('2025-10-11T00:00:05Z'));
    await breakers.rollDay(880);
    await breakers.resume('telegram:owner');

    const cleared = notifier.ofType('breaker_cleared').map((event) => [event.breaker, event.stillBlocking?.length]);
    expect(cleared).toEqual([
      ['daily_loss', 1],
      ['manual_pause', 0],
    ]);
    expect(notifier.ofType('breaker_cleared')[0]?.stillBlocking?.[0]).toMatch(/paused/);
  });

  it('when a booking after midnight rolls the day under the /pause, then its cleared limit also says entries still wait', async () => {
    const { store, clock, breakers, notifier } = await pausedOnALosingDay();

    clock.advanceTo(new Date('2025-10-11T00:10:00Z'));
    await book(breakers, store, 5, clock.now(), 885);

    expect(notifier.ofType('breaker_cleared').map((event) => [event.breaker, event.stillBlocking?.length])).toEqual([['daily_loss', 1]]);
  });
});
