// Paper and live can share a database: going live is a change of USE_PAPER_TRADING and a restart. What one account
// left behind must neither hold the other's slots nor set its breakers.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';
import { BreakerService } from '../../../src/engine/breaker-service.js';
import { DrawdownGuard } from '../../../src/engine/drawdown-guard.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import { claimStore, venueOfRecord, type TradingAccountOfRecord } from '../../../src/engine/trading-mode-guard.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../src/testing/recording-notifier.js';
import { position } from '../../support/factories.js';

const PAPER: TradingAccountOfRecord = { mode: 'paper', venue: 'binanceusdm' };
const LIVE: TradingAccountOfRecord = { mode: 'live', venue: 'binanceusdm' };
const AT = new Date('2025-10-10T08:00:00Z');

function breakersOver(store: InMemoryStore, clock: ManualClock): BreakerService {
  return new BreakerService(store, clock, new RecordingNotifier(), DEFAULT_RISK);
}

/** Books a closed trade as the trade booker does: inside a transaction, the state in memory after the commit. */
async function book(breakers: BreakerService, store: InMemoryStore, netPnl: number, closedAt: Date, capitalAfter: number): Promise<void> {
  let commit!: () => void;
  const committed = new Promise<void>((resolve) => (commit = resolve));
  const carried = await breakers.carryForBooking();
  await store.transaction((transaction) => breakers.recordTrade({ transaction, committed }, { netPnl, closedAt }, capitalAfter, undefined, carried));
  commit();
  await committed;
}

/** A paper day on $100: two losses of $2, the second at 10:00. */
async function paperDay(store: InMemoryStore, clock: ManualClock): Promise<BreakerService> {
  const breakers = breakersOver(store, clock);
  await breakers.load(100);
  clock.advanceTo(new Date('2025-10-10T09:00:00Z'));
  await book(breakers, store, -2, clock.now(), 98);
  clock.advanceTo(new Date('2025-10-10T10:00:00Z'));
  await book(breakers, store, -2, clock.now(), 96);
  return breakers;
}

describe('a store last run on another account', () => {
  it('when a paper position is still open at the switch to live, then the start is refused, naming the paper account and what to do, and nothing is reset', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T08:00:00Z'));
    expect(await claimStore(store, PAPER, clock.now())).toBeUndefined();
    await paperDay(store, clock);
    await store.positions.create(position({ symbol: 'BTC/USDT:USDT' }));

    await expect(claimStore(store, LIVE, clock.now())).rejects.toThrow(
      /1 open position \(BTC\/USDT:USDT\) of paper trading on binanceusdm, but the daemon is set up for live trading on binanceusdm.*Start it again for paper trading on binanceusdm and close it/,
    );

    // Switched back, the paper account finds its day and its position as they were.
    expect(await claimStore(store, PAPER, clock.now())).toBeUndefined();
    expect((await breakersOver(store, clock).load(100)).consecutiveLosses).toBe(2);
  });

  it('when a live position is still open at the switch to paper, then the start is refused too: the real position must stay managed', async () => {
    const store = new InMemoryStore();
    await claimStore(store, LIVE, AT);
    await store.positions.create(position({ symbol: 'ETH/USDT:USDT' }));

    await expect(claimStore(store, PAPER, AT)).rejects.toThrow(/of live trading on binanceusdm, but the daemon is set up for paper trading/);
  });

  it('when the venue changes, or its sandbox is swapped for the real one, with a position open, then the start is refused', async () => {
    const store = new InMemoryStore();
    await claimStore(store, { mode: 'live', venue: venueOfRecord('binanceusdm', true) }, AT);
    await store.positions.create(position());

    await expect(claimStore(store, { mode: 'live', venue: venueOfRecord('binanceusdm', false) }, AT)).rejects.toThrow(/live trading on binanceusdm \(sandbox\)/);
    await expect(claimStore(store, { mode: 'live', venue: 'bybit' }, AT)).rejects.toThrow(/set up for live trading on bybit/);
  });

  it('when nothing is open at the switch to live on $20, then the day restarts at $20 with no loss and no streak, and the owner is told', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T08:00:00Z'));
    await claimStore(store, PAPER, clock.now());
    await paperDay(store, clock);

    clock.advanceTo(new Date('2025-10-10T11:00:00Z'));
    const notice = await claimStore(store, LIVE, clock.now());
    const live = await breakersOver(store, clock).load(20);

    expect(notice).toBe(
      'This database was last used for paper trading on binanceusdm: the daily loss limit, the losing streak and the drawdown peak start afresh from the capital of live trading on binanceusdm.',
    );
    expect(live).toMatchObject({ day: '2025-10-10', dayStartCapital: 20, dayStartBalance: 20, realizedToday: 0, consecutiveLosses: 0, manualPause: false });
    // Recorded: the next start of the live account keeps its own day.
    expect(await claimStore(store, LIVE, clock.now())).toBeUndefined();
  });

  it('when the owner had paused the paper account, then the live account starts paused, and the notice says so', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T08:00:00Z'));
    await claimStore(store, PAPER, clock.now());
    await (await paperDay(store, clock)).pause('owner');

    const notice = await claimStore(store, LIVE, clock.now());
    const live = await breakersOver(store, clock).load(20);

    expect(notice).toMatch(/Entries stay paused by the owner until \/resume\.$/);
    expect(live).toMatchObject({ dayStartCapital: 20, consecutiveLosses: 0, manualPause: true });
  });

  it('when the live venue changes under the same INITIAL_CAPITAL, then the drawdown peak of the old venue is not kept', async () => {
    const store = new InMemoryStore();
    const ctx = {
      clock: new ManualClock(new Date('2025-10-10T09:00:00Z')),
      store,
      notifier: new RecordingNotifier(),
      settings: { capitalCap: 1000, drawdown: { maxDrawdownPct: 0.25, warningStepsPct: [0.05, 0.1], closeAll: true } },
    } as unknown as EngineContext;
    await claimStore(store, { mode: 'live', venue: 'binanceusdm' }, ctx.clock.now());
    await new DrawdownGuard(ctx).load(1500);

    await claimStore(store, { mode: 'live', venue: 'bybit' }, ctx.clock.now());
    const guard = new DrawdownGuard(ctx);
    await guard.restore();
    await guard.load(1000);

    expect(guard.current()?.peakEquity).toBe(1000);
  });
});

describe('a store of the configured account', () => {
  it('when it records no account yet (an install from before), then it is taken as the configured one and its breakers are kept', async () => {
    const store = new InMemoryStore();
    const clock = new ManualClock(new Date('2025-10-10T08:00:00Z'));
    await paperDay(store, clock);
    await store.positions.create(position());

    expect(await claimStore(store, LIVE, clock.now())).toBeUndefined();
    expect((await breakersOver(store, clock).load(20)).consecutiveLosses).toBe(2);
    // And recorded: a later switch to paper is seen.
    await expect(claimStore(store, PAPER, clock.now())).rejects.toThrow(/of live trading on binanceusdm/);
  });
});
