import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  entryBlocks,
  initialBreakerState,
  pauseEntries,
  recordTradeResult,
  resumeEntries,
  rollBreakerDay,
  tradeRealisedBefore,
  withStreakTimes,
  type BreakerState,
} from '../../../src/domain/circuit-breakers.js';
import type { OrderSide } from '../../../src/domain/market.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';
import type { Fill } from '../../../src/domain/trading.js';

const morning = new Date('2025-10-10T09:00:00Z');
const fresh = initialBreakerState(morning, 100);

describe('daily loss breaker', () => {
  it('when today\u2019s realised loss is $9.99 of a $100 day, entries continue', () => {
    const { state, changes } = recordTradeResult(fresh, -9.99, morning, DEFAULT_RISK);
    expect(changes).toEqual([]);
    expect(entryBlocks(state, morning)).toEqual([]);
  });

  it('when it reaches $10 (10%), entries stop until the next UTC day', () => {
    const { state, changes } = recordTradeResult(fresh, -10, morning, DEFAULT_RISK);
    expect(changes).toMatchObject([{ breaker: 'daily_loss', action: 'tripped', until: new Date('2025-10-11T00:00:00Z') }]);
    expect(entryBlocks(state, morning).map((block) => block.breaker)).toEqual(['daily_loss']);
  });

  it('when the day\'s losses add up to exactly the limit in floating point\'s way (-0.29 - 8.02 - 1.69), it trips', () => {
    let state = initialBreakerState(morning, 100);
    for (const loss of [-0.29, -8.02, -1.69]) state = recordTradeResult(state, loss, morning, DEFAULT_RISK).state;
    expect(state.realizedToday).toBe(-10);
    expect(state.dailyLossTripped).toBe(true);
  });

  it('adds up the day\u2019s trades, wins included', () => {
    let state = recordTradeResult(fresh, -6, morning, DEFAULT_RISK).state;
    state = recordTradeResult(state, 1, morning, DEFAULT_RISK).state;
    const last = recordTradeResult(state, -4.5, morning, DEFAULT_RISK);
    expect(last.state.realizedToday).toBeCloseTo(-9.5, 12);
    expect(last.changes).toEqual([]);
  });

  it('when a trade closes at exactly zero between losses, then it is no loss and the streak starts again after it', () => {
    let state = recordTradeResult(fresh, -1, morning, DEFAULT_RISK).state;
    state = recordTradeResult(state, -1, new Date(morning.getTime() + 1), DEFAULT_RISK).state;
    state = recordTradeResult(state, 0, new Date(morning.getTime() + 2), DEFAULT_RISK).state;
    const after = recordTradeResult(state, -1, new Date(morning.getTime() + 3), DEFAULT_RISK);
    expect(after.state.consecutiveLosses).toBe(1);
    expect(after.state.lossStreakPaused).toBe(false);
  });

  it('clears at midnight UTC and starts the new day from the current capital', () => {
    const tripped = recordTradeResult(fresh, -12, morning, DEFAULT_RISK).state;
    const { state, changes } = rollBreakerDay(tripped, new Date('2025-10-11T00:00:00Z'), 88);
    expect(changes).toMatchObject([{ breaker: 'daily_loss', action: 'cleared' }]);
    expect(state).toMatchObject({ day: '2025-10-11', dayStartCapital: 88, realizedToday: 0, dailyLossTripped: false });
  });

  it('names a limit that is not a whole percent as written (2.5%, not 3%)', () => {
    const { changes } = recordTradeResult(initialBreakerState(morning, 1000), -25, morning, { ...DEFAULT_RISK, dailyLossLimitPct: 0.025 });

    expect(changes[0]?.detail).toContain('the 2.5% limit (-$25.00)');
  });

  it('when a loss of the new day closed before the balance it rolled from was read, then it counts once: the day’s capital is the balance before it', () => {
    // $1000 at midnight, a -$80 stop at 00:30, the day rolled at 02:00 from the $920 left.
    const rolled = rollBreakerDay(fresh, new Date('2025-10-11T02:00:00Z'), 920).state;
    const booked = recordTradeResult(rolled, -80, new Date('2025-10-11T02:00:01Z'), DEFAULT_RISK, new Date('2025-10-11T00:30:00Z'));

    expect(booked.state).toMatchObject({ dayStartCapital: 1000, realizedToday: -80, dailyLossTripped: false });
    // 9.5% of $1000: within the limit, where $920 would have tripped it.
    expect(recordTradeResult(booked.state, -15, new Date('2025-10-11T03:00:00Z'), DEFAULT_RISK).changes).toEqual([]);
  });

  it('when a loss closes after the day’s balance was read, then the capital stays and the loss counts in the day', () => {
    const rolled = rollBreakerDay(fresh, new Date('2025-10-11T00:00:30Z'), 1000).state;
    const { state } = recordTradeResult(rolled, -80, new Date('2025-10-11T10:00:01Z'), DEFAULT_RISK, new Date('2025-10-11T10:00:00Z'));

    expect(state).toMatchObject({ dayStartCapital: 1000, realizedToday: -80 });
  });

  it('when a trade of the old day is booked after the roll, then it stays in the new day’s capital and out of its loss', () => {
    const rolled = rollBreakerDay(fresh, new Date('2025-10-11T00:00:30Z'), 900).state;
    const { state } = recordTradeResult(rolled, -100, new Date('2025-10-11T00:00:31Z'), DEFAULT_RISK, new Date('2025-10-10T23:59:58Z'));

    expect(state).toMatchObject({ dayStartCapital: 900, realizedToday: 0 });
  });

  it('when live capital is capped below the account, then the day’s capital stays within the cap whatever is taken back out of the balance', () => {
    const capped = { cap: 1000, readAt: new Date('2025-10-11T02:00:00Z') };
    const at = new Date('2025-10-11T02:00:01Z');
    const book = (state: BreakerState, netPnl: number) => recordTradeResult(state, netPnl, at, DEFAULT_RISK, new Date('2025-10-11T00:30:00Z')).state;

    // $5000 in the account: a -$80 stop or a +$200 target before the read leaves the capital at the $1000 cap.
    expect(book(rollBreakerDay(fresh, at, 4920, capped).state, -80)).toMatchObject({ dayStartCapital: 1000, dayStartBalance: 5000 });
    expect(book(rollBreakerDay(fresh, at, 5200, capped).state, 200)).toMatchObject({ dayStartCapital: 1000, dayStartBalance: 5000 });
    // $1050 at midnight, $970 after a -$80 stop: the day started at the $1000 cap, not at $970 and not at $1050.
    const rolled = rollBreakerDay(fresh, at, 970, capped).state;
    expect(rolled.dayStartCapital).toBe(970);
    expect(book(rolled, -80)).toMatchObject({ dayStartCapital: 1000, dayStartBalance: 1050 });
  });

  it('when live capital is capped and a loss of the old day is booked after the roll, then the day starts from the share after it, within the cap', () => {
    const readAt = new Date('2025-10-11T00:00:00Z');
    const booked = new Date('2025-10-11T02:00:00Z');
    const closedAt = new Date('2025-10-10T23:30:00Z');
    const rollOn = (share: number) => rollBreakerDay(fresh, readAt, 4800, { readAt, cap: Math.min(1000, share), share: { amount: share, capitalCap: 1000 } }).state;

    // $1000 of a $5000 account; the -$200 stop is in the balance at midnight but not yet in the daemon's share.
    const { state } = recordTradeResult(rollOn(1000), -200, booked, DEFAULT_RISK, closedAt);
    expect(state).toMatchObject({ dayStartCapital: 800, dayStartBalance: 4800, realizedToday: 0 });
    expect(recordTradeResult(state, -85, booked, DEFAULT_RISK).changes).toMatchObject([{ breaker: 'daily_loss', action: 'tripped' }]);
    // A share $300 above the cap keeps the cap after it.
    expect(recordTradeResult(rollOn(1300), -200, booked, DEFAULT_RISK, closedAt).state.dayStartCapital).toBe(1000);
  });

  it('a state stored before the day’s capital kept its time takes every booking as after it, as before', () => {
    const { dayStartCapitalAsOf: _asOf, ...stored } = rollBreakerDay(fresh, new Date('2025-10-11T02:00:00Z'), 920).state;
    const { state } = recordTradeResult(withStreakTimes(stored), -80, new Date('2025-10-11T02:00:01Z'), DEFAULT_RISK, new Date('2025-10-11T00:30:00Z'));

    expect(state.dayStartCapital).toBe(920);
  });

  it('is not lifted by /resume', () => {
    const tripped = recordTradeResult(fresh, -12, morning, DEFAULT_RISK).state;
    expect(entryBlocks(resumeEntries(tripped, 'owner', morning).state, morning).map((b) => b.breaker)).toEqual(['daily_loss']);
  });
});

const fill = (side: OrderSide, price: number, quantity: number, time: string, fee = 0): Fill => ({
  id: `${side}-${time}`,
  orderId: `${side}-${time}`,
  symbol: 'BTC/USDT:USDT',
  side,
  price,
  quantity,
  fee,
  time: new Date(time),
});

describe('daily loss breaker, for a position held over midnight', () => {
  // Day D: $1000; a take-profit step of the open position realises +$100 (the wallet holds $1100, nothing booked).
  // D+1 begins from $1100 with that +$100 carried; the rest is stopped out on D+1 for -$115: a -$15 trade.
  const nextDay = new Date('2025-10-11T00:00:00Z');
  const rolled = rollBreakerDay(initialBreakerState(morning, 1_000), nextDay, 1_100, { readAt: nextDay, unbooked: { p1: 100 } }).state;
  // A long of 1 at $1000, fee-free: half taken at $1200 at 22:00 on D (+$100), the rest stopped out at $770 (-$115).
  const heldOverMidnight = (closedAt: string) =>
    tradeRealisedBefore(
      {
        side: 'long',
        entryPrice: 1000,
        netPnl: -15,
        closedAt: new Date(closedAt),
        fills: [fill('buy', 1000, 1, '2025-10-10T15:00:00Z'), fill('sell', 1200, 0.5, '2025-10-10T22:00:00Z'), fill('sell', 770, 0.5, closedAt)],
      },
      [],
    );

  it('then only what the day realised counts toward it: -$115 of $1100, which trips 10%', () => {
    const closedAt = '2025-10-11T01:00:00Z';
    const { state, changes } = recordTradeResult(rolled, -15, new Date(closedAt), { ...DEFAULT_RISK, dailyLossLimitPct: 0.1 }, undefined, 'p1', heldOverMidnight(closedAt));

    expect(state.realizedToday).toBe(-115);
    expect(state.dayStartCapital + state.realizedToday).toBe(985);
    expect(state.dailyLossTripped).toBe(true);
    expect(changes.map((change) => change.breaker)).toEqual(['daily_loss']);
    expect(state.dayStartUnbooked).toEqual({});
  });

  it('when its stop filled in the seconds before the day\u2019s balance was read, then only today\u2019s part comes out of that balance', () => {
    // Read at 00:00:05, after the rest stopped out at 00:00:02: the balance read holds the whole trade ($985).
    const late = rollBreakerDay(initialBreakerState(morning, 1_000), nextDay, 985, { readAt: new Date('2025-10-11T00:00:05Z'), unbooked: { p1: 100 } }).state;

    const closedAt = '2025-10-11T00:00:02Z';
    const { state } = recordTradeResult(late, -15, new Date('2025-10-11T00:01:00Z'), DEFAULT_RISK, new Date(closedAt), 'p1', heldOverMidnight(closedAt));

    expect(state.dayStartBalance).toBe(1_100);
    expect(state.realizedToday).toBe(-115);
  });

  it('when the day rolled before the store knew of the step (a restart after midnight, the step filled while down), then the trade\u2019s fills still put the +$100 in yesterday: -$115 of $1100 today, which trips', () => {
    // Down from 21:00 on D; the rest stopped out at 03:00 on D+1 ($985 left); the restart at 10:00 rolls the day from
    // $985, when the store knew of nothing the position had realised.
    const readAt = new Date('2025-10-11T10:00:00Z');
    const restarted = rollBreakerDay(initialBreakerState(morning, 1_000), readAt, 985, { readAt, unbooked: { p1: 0 } }).state;
    const closedAt = '2025-10-11T03:00:00Z';

    const { state, changes } = recordTradeResult(restarted, -15, new Date('2025-10-11T10:00:01Z'), DEFAULT_RISK, new Date(closedAt), 'p1', heldOverMidnight(closedAt));

    expect(state).toMatchObject({ dayStartCapital: 1_100, dayStartBalance: 1_100, realizedToday: -115, dailyLossTripped: true });
    expect(changes.map((change) => change.breaker)).toEqual(['daily_loss']);
  });

  it('when live capital is capped and the share was read before the store knew of the step, then the day\u2019s share counts the step too', () => {
    // The daemon's share of a $5000 account was $900 on D, $1000 after the step; the restart read it as $900.
    const readAt = new Date('2025-10-11T10:00:00Z');
    const share = { amount: 900, capitalCap: 1_000 };
    const restarted = rollBreakerDay(initialBreakerState(morning, 1_000), readAt, 4_985, { readAt, cap: 900, share, unbooked: { p1: 0 } }).state;
    const closedAt = '2025-10-11T03:00:00Z';

    const { state } = recordTradeResult(restarted, -15, new Date('2025-10-11T10:00:01Z'), DEFAULT_RISK, new Date(closedAt), 'p1', heldOverMidnight(closedAt));

    expect(state).toMatchObject({ dayStartShare: { amount: 1_000, capitalCap: 1_000 }, dayStartCapital: 1_000, realizedToday: -115, dailyLossTripped: true });
  });

  it('then the part of an earlier day is what its fills and funding had taken or paid by midnight: its exits with their share of the entry fee, funding, less the entry fee of what was still held', () => {
    // A long of 2 at $100 (fee $0.25) on D; funding -$0.50 at 16:00; half taken at $110 (fee $0.125) at 22:00; funding
    // -$0.25 at 08:00 on D+1; the rest out at $95 (fee $0.125) at 09:00: net $10 - $5 - $0.50 - $0.75 = $3.75.
    const closedAt = '2025-10-11T09:00:00Z';
    const realised = tradeRealisedBefore(
      {
        side: 'long',
        entryPrice: 100,
        netPnl: 3.75,
        closedAt: new Date(closedAt),
        fills: [fill('buy', 100, 2, '2025-10-10T15:00:00Z', 0.25), fill('sell', 110, 1, '2025-10-10T22:00:00Z', 0.125), fill('sell', 95, 1, closedAt, 0.125)],
      },
      [
        // At the first entry fill: paid on what was held before it, not this trade's.
        { symbol: 'BTC/USDT:USDT', time: new Date('2025-10-10T15:00:00Z'), amount: -7 },
        { symbol: 'BTC/USDT:USDT', time: new Date('2025-10-10T16:00:00Z'), amount: -0.5 },
        { symbol: 'BTC/USDT:USDT', time: new Date('2025-10-11T08:00:00Z'), amount: -0.25 },
      ],
    );

    // $10 - $0.125 - $0.125 for the step, -$0.50 funding, -$0.125 entry fee of the half still held.
    expect(realised(nextDay.getTime())).toBe(9.125);
    const { state } = recordTradeResult(rolled, 3.75, new Date('2025-10-11T09:00:01Z'), DEFAULT_RISK, new Date(closedAt), 'p1', realised);
    expect(state.realizedToday).toBe(-5.375);
  });

  it('then a position opened today, with nothing carried, counts whole', () => {
    const { state } = recordTradeResult(rolled, -15, new Date('2025-10-11T01:00:00Z'), DEFAULT_RISK, undefined, 'p2');

    expect(state.realizedToday).toBe(-15);
    expect(state.dayStartUnbooked).toEqual({ p1: 100 });
  });
});

describe('losing streak', () => {
  const lose = (state = fresh, times = 1) => {
    let current = state;
    const changes = [];
    for (let i = 0; i < times; i += 1) {
      const result = recordTradeResult(current, -1, morning, DEFAULT_RISK);
      current = result.state;
      changes.push(...result.changes);
    }
    return { state: current, changes };
  };

  it('two losses in a row do not pause; the third does', () => {
    expect(lose(fresh, 2).changes).toEqual([]);
    expect(lose(fresh, 3).changes).toMatchObject([{ breaker: 'loss_streak', action: 'tripped' }]);
  });

  it('a win in between resets the count', () => {
    const afterWin = recordTradeResult(lose(fresh, 2).state, 0.5, morning, DEFAULT_RISK).state;
    expect(lose(afterWin, 2).changes).toEqual([]);
  });

  it('/resume lifts the pause and restarts the count', () => {
    const { state, changes } = resumeEntries(lose(fresh, 3).state, 'owner', morning);
    expect(changes).toMatchObject([{ breaker: 'loss_streak', action: 'cleared' }]);
    expect(state.consecutiveLosses).toBe(0);
    expect(entryBlocks(state, morning)).toEqual([]);
  });

  it('when a /resume sent before the third loss paused entries is carried out after it, then it lifts the owner\'s pause but not the streak\'s', () => {
    const sent = new Date(morning.getTime() - 10_000);
    const paused = pauseEntries(lose(fresh, 3).state, 'owner').state;

    const { state, changes } = resumeEntries(paused, 'owner', new Date(morning.getTime() + 1_000), sent);

    expect(changes.map((change) => change.breaker)).toEqual(['manual_pause']);
    expect(entryBlocks(state, morning).map((block) => block.breaker)).toEqual(['loss_streak']);
    expect(state.consecutiveLosses).toBe(3);
    // Sent once the owner could see it, it lifts it; so does one from a version that kept no time, on either side.
    expect(resumeEntries(paused, 'owner', morning, morning).changes.map((change) => change.breaker)).toEqual(['manual_pause', 'loss_streak']);
    // Telegram dates a message in whole seconds, by its own clock: one dated a second before the pause still lifts it.
    expect(resumeEntries(paused, 'owner', morning, new Date(morning.getTime() - 1_000)).changes.map((change) => change.breaker)).toEqual(['manual_pause', 'loss_streak']);
    const { lossStreakPausedAt: _unknown, ...stored } = paused;
    expect(resumeEntries(stored, 'owner', morning, sent).changes.map((change) => change.breaker)).toEqual(['manual_pause', 'loss_streak']);
  });

  it('when the day is rolled late (a restart at 02:00), then losses that closed after midnight still count toward the new day’s streak', () => {
    const paused = [10, 11, 12].reduce((state, hour) => recordTradeResult(state, -5, new Date(`2025-10-10T${hour}:00:00Z`), DEFAULT_RISK).state, fresh);
    expect(paused.lossStreakPaused).toBe(true);

    let state = rollBreakerDay(paused, new Date('2025-10-11T02:00:00Z'), 85).state;
    for (const closedAt of ['2025-10-11T00:30:00Z', '2025-10-11T01:00:00Z']) state = recordTradeResult(state, -5, new Date('2025-10-11T02:00:01Z'), DEFAULT_RISK, new Date(closedAt)).state;
    const third = recordTradeResult(state, -5, new Date('2025-10-11T03:00:00Z'), DEFAULT_RISK);

    expect(third.state.consecutiveLosses).toBe(3);
    expect(third.changes.map((change) => change.breaker)).toContain('loss_streak');
  });

  it('when a streak that reached the limit before midnight is booked after the roll, then it starts again from midnight, as the roll would have started it; today\u2019s losses make their own', () => {
    let state = [22, 23].reduce((current, hour) => recordTradeResult(current, -5, new Date(`2025-10-10T${hour}:00:00Z`), DEFAULT_RISK).state, fresh);
    state = rollBreakerDay(state, new Date('2025-10-11T00:00:00Z'), 90).state;
    // The third loss closed at 23:59:58 and is booked at 00:00:02, after the roll.
    const late = recordTradeResult(state, -5, new Date('2025-10-11T00:00:02Z'), DEFAULT_RISK, new Date('2025-10-10T23:59:58Z'));

    expect(late.changes).toEqual([]);
    expect(entryBlocks(late.state, new Date('2025-10-11T15:00:00Z'))).toEqual([]);
    // The new day's losses make a streak of their own.
    state = [1, 2].reduce((current, hour) => recordTradeResult(current, -5, new Date(`2025-10-11T0${hour}:00:00Z`), DEFAULT_RISK).state, late.state);
    expect(state).toMatchObject({ consecutiveLosses: 2, lossStreakPaused: false });
    expect(recordTradeResult(state, -5, new Date('2025-10-11T03:00:00Z'), DEFAULT_RISK).state.lossStreakPaused).toBe(true);

    // Two losses before midnight and one after it, the middle one booked late: a streak of today, which pauses.
    let spanning = rollBreakerDay(recordTradeResult(fresh, -5, new Date('2025-10-10T22:00:00Z'), DEFAULT_RISK).state, new Date('2025-10-11T00:00:00Z'), 95).state;
    spanning = recordTradeResult(spanning, -5, new Date('2025-10-11T00:30:00Z'), DEFAULT_RISK).state;
    const completed = recordTradeResult(spanning, -5, new Date('2025-10-11T00:31:00Z'), DEFAULT_RISK, new Date('2025-10-10T23:59:58Z'));
    expect(completed.changes).toMatchObject([{ breaker: 'loss_streak', action: 'tripped' }]);
  });

  it('the next UTC day lifts it too', () => {
    const { state } = rollBreakerDay(lose(fresh, 3).state, new Date('2025-10-11T00:00:01Z'), 97);
    expect(entryBlocks(state, morning)).toEqual([]);
  });
});

describe('losing streak, when trades are booked in another order than they closed', () => {
  const at = (minute: number) => new Date(morning.getTime() + minute * 60_000);
  const book = (state: BreakerState, netPnl: number, closedMinute: number, bookedMinute = closedMinute) =>
    recordTradeResult(state, netPnl, at(bookedMinute), DEFAULT_RISK, at(closedMinute));

  it('a win booked first but closed after a loss booked late still ends that loss\'s streak', () => {
    // A stop filled at minute 10 during an outage is booked at minute 20, after a win that closed at minute 15.
    let state = book(fresh, 2, 15).state;
    state = book(state, -1, 10, 20).state;
    state = book(state, -1, 30).state;

    expect(state.consecutiveLosses).toBe(1);
  });

  it('three losses in a row by close time trip the breaker, whatever order they were booked in', () => {
    // By close time: win (5), then losses at 10, 12 and 14. Booked: the loss at 10 first, then the win, then the rest.
    let state = book(fresh, -1, 10, 11).state;
    state = book(state, 2, 5, 13).state;
    state = book(state, -1, 12, 13).state;
    const third = book(state, -1, 14);

    expect(third.state.consecutiveLosses).toBe(3);
    expect(third.changes).toMatchObject([{ breaker: 'loss_streak', action: 'tripped' }]);
  });

  it('a loss that closed before the /resume that lifted a streak pause, and is booked after it, does not count', () => {
    const paused = lose3();
    expect(paused.lossStreakPaused).toBe(true);
    const resumed = resumeEntries(paused, 'owner', at(20)).state;

    expect(book(resumed, -1, 15, 25).state.consecutiveLosses).toBe(0);
    expect(book(resumed, -1, 21, 25).state.consecutiveLosses).toBe(1);
  });

  it('a /resume with no streak pause to lift (the owner paused around a news event) keeps the losses in a row', () => {
    const twoLosses = book(book(fresh, -1, 10).state, -1, 11).state;
    const resumed = resumeEntries(pauseEntries(twoLosses, 'owner').state, 'owner', at(20)).state;

    expect(book(resumed, -1, 21).state).toMatchObject({ consecutiveLosses: 3, lossStreakPaused: true });
  });

  it('equal close times keep the booking order', () => {
    const winThenLoss = book(book(fresh, 1, 10).state, -1, 10).state;
    const lossThenWin = book(book(fresh, -1, 10).state, 1, 10).state;

    expect(winThenLoss.consecutiveLosses).toBe(1);
    expect(lossThenWin.consecutiveLosses).toBe(0);
  });

  it('a state stored before close times were kept carries its streak, and a later win ends it', () => {
    const { streakFrom: _from, streakLossesAt: _times, ...old } = lose3();
    const upgraded = withStreakTimes(old);

    expect(upgraded.consecutiveLosses).toBe(3);
    expect(upgraded.streakLossesAt).toHaveLength(3);
    expect(book(upgraded, 1, 40).state.consecutiveLosses).toBe(0);
  });

  it('(property) whatever order trades are booked in, the streak is the trailing losses in the order they closed', () => {
    const trades = fc.uniqueArray(fc.record({ minute: fc.integer({ min: 1, max: 10_000 }), win: fc.boolean() }), { selector: (t) => t.minute, minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(trades, fc.infiniteStream(fc.nat()), (list, picks) => {
        // A booking order: a random permutation of the trades, each booked at the latest close so far or later.
        const pending = [...list];
        const order = list.map(() => pending.splice((picks.next().value ?? 0) % pending.length, 1)[0]!);
        let state = fresh;
        let bookedAt = 0;
        for (const trade of order) {
          bookedAt = Math.max(bookedAt, trade.minute);
          state = book(state, trade.win ? 1 : -1, trade.minute, bookedAt).state;
        }
        const byClose = [...list].sort((a, b) => a.minute - b.minute);
        let trailing = 0;
        for (let index = byClose.length - 1; index >= 0 && !byClose[index]!.win; index -= 1) trailing += 1;
        expect(state.consecutiveLosses).toBe(trailing);
      }),
    );
  });

  function lose3(): BreakerState {
    let state = fresh;
    for (const minute of [1, 2, 3]) state = book(state, -1, minute).state;
    return state;
  }
});

describe('manual pause', () => {
  it('blocks entries until resumed, across days', () => {
    const paused = pauseEntries(fresh, 'owner').state;
    const nextDay = rollBreakerDay(paused, new Date('2025-10-12T00:00:00Z'), 100).state;
    expect(entryBlocks(nextDay, morning).map((b) => b.breaker)).toEqual(['manual_pause']);
    expect(entryBlocks(resumeEntries(nextDay, 'owner', morning).state, morning)).toEqual([]);
  });
});
