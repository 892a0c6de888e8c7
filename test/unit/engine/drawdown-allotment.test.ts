// Live mode with INITIAL_CAPITAL below the account's balance: the drawdown switch follows the daemon's share of the
// account (the capital it was given plus its own booked trades since), so its losses show before the balance falls
// below the cap; another INITIAL_CAPITAL, or a switch between paper and live, starts the peak afresh.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { DrawdownGuard } from '../../../src/engine/drawdown-guard.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { Trade } from '../../../src/domain/trading.js';
import type { ExchangePosition } from '../../../src/ports/exchange.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../src/testing/recording-notifier.js';
import { position } from '../../support/factories.js';

const DRAWDOWN = { maxDrawdownPct: 0.25, warningStepsPct: [0.05, 0.1], closeAll: false };

function world(capitalCap: number | undefined) {
  const wallet = { total: 5_000 };
  const venue = { balanceFails: false, held: [] as ExchangePosition[], mark: 100 };
  const clock = new ManualClock(new Date('2025-10-10T09:00:00Z'));
  const store = new InMemoryStore();
  const notifier = new RecordingNotifier();
  const context = (cap: number | undefined) =>
    ({
      clock,
      store,
      notifier,
      exchange: {
        balance: async () => {
          if (venue.balanceFails) throw new Error('balance: venue timeout');
          return { total: wallet.total, available: wallet.total, currency: 'USDT' };
        },
        positions: async () => venue.held,
      },
      marketData: { markPrice: async () => venue.mark },
      settings: { drawdown: DRAWDOWN, capitalCap: cap, costs: { takerFeeRate: 0.0005, slippageBps: 5 } },
    }) as unknown as EngineContext;
  /** A start of the daemon, as `Daemon.start` loads the switch. */
  const start = async (cap: number | 'paper' = capitalCap ?? 'paper') => {
    const guard = new DrawdownGuard(context(cap === 'paper' ? undefined : cap));
    await guard.load(await guard.equity([]));
    return guard;
  };
  /** A trade the daemon closed now, booked as the trade booker does; the wallet moves with it. */
  const book = async (netPnl: number) => {
    const closedAt = clock.now();
    const created = await store.positions.create(position({ openedAt: new Date(closedAt.getTime() - 3_600_000) }));
    await store.positions.markClosed(created.id, { closedAt, closeReason: 'stop_loss', funding: 0, entryFee: 0 });
    const trade: Trade = {
      positionId: created.id, symbol: created.symbol, side: 'long', leverage: 5, quantity: 1, entryPrice: 100, exitPrice: 100 + netPnl,
      margin: 20, stopPrice: 95, liquidationPrice: 81, entryFee: 0, exitFee: 0, funding: 0, grossPnl: netPnl, netPnl, pnlPct: netPnl / 20,
      reason: 'stop_loss', openedAt: created.openedAt, closedAt, rationale: created.rationale, fills: [],
    };
    await store.trades.record(trade);
    wallet.total += netPnl;
    clock.advanceBy(60_000);
  };
  return { wallet, venue, clock, store, notifier, start, book };
}

describe('the drawdown switch with INITIAL_CAPITAL below the balance (live)', () => {
  it('when the daemon loses 30% of its $1000 in a $5000 account, then the switch trips, though the balance is far above the cap', async () => {
    const { start, book } = world(1_000);
    const guard = await start();
    expect(guard.lastReading()).toBeUndefined();

    await book(-120);
    await book(-180);

    expect(await guard.observe([])).toBe(true);
    expect(guard.lastReading()).toMatchObject({ equity: 700, peak: 1_000 });
    expect(guard.blocks()).toHaveLength(1);
  });

  it('when a loss before the cap was given and a win since are booked, then only the win counts, and never above the balance', async () => {
    const world1 = world(1_000);
    await world1.book(-400);
    const guard = await world1.start();

    await world1.book(50);
    expect(await guard.equity([])).toBe(1_050);

    world1.wallet.total = 900;
    expect(await guard.equity([])).toBe(900);
  });

  it('when the daemon restarts, then its losses since the cap was given still count', async () => {
    const { start, book } = world(1_000);
    await start();
    await book(-200);

    const restarted = await start();

    expect(await restarted.equity([])).toBe(800);
    expect(await restarted.observe([])).toBe(false);
    expect(restarted.lastReading()?.drawdown).toBeCloseTo(0.2, 12);
  });

  it('when the owner lowers INITIAL_CAPITAL, then the peak starts afresh at the new cap instead of reading the change as a loss', async () => {
    const { start } = world(1_000);
    await start();

    const lowered = await start(500);

    expect(await lowered.observe([])).toBe(false);
    expect(lowered.lastReading()).toMatchObject({ equity: 500, peak: 500, drawdown: 0 });
  });

  it('when a start after lowering INITIAL_CAPITAL fails half-way, then the next start still starts the peak afresh', async () => {
    const { start, venue } = world(1_000);
    await start();

    venue.balanceFails = true;
    await expect(start(500)).rejects.toThrow('venue timeout');
    venue.balanceFails = false;
    const restarted = await start(500);

    expect(await restarted.observe([])).toBe(false);
    expect(restarted.lastReading()).toMatchObject({ equity: 500, peak: 500, drawdown: 0 });
  });

  it('when the daemon went live, then paper, then live again with the same INITIAL_CAPITAL, then the paper trades count nowhere in the live share', async () => {
    const { start, book, wallet } = world(1_000);
    await start();
    const paper = await start('paper');
    await book(-200);
    wallet.total = 5_000;
    expect(paper.lastReading()).toBeUndefined();

    const live = await start(1_000);

    expect(await live.equity([])).toBe(1_000);
    expect(live.current()?.peakEquity).toBe(1_000);
  });

  it('when a paper account goes live, then the peak starts afresh at the live share', async () => {
    const { start, wallet } = world(undefined);
    wallet.total = 20_000;
    expect((await start()).current()?.peakEquity).toBe(20_000);

    const live = await start(1_000);

    expect(live.current()?.peakEquity).toBe(1_000);
    expect(await live.observe([])).toBe(false);
  });

  it('when a ladder step has taken most of a winner before the trade is booked, then the share counts what it took and nothing is read as a drawdown', async () => {
    const { start, store, venue, wallet, clock, notifier } = world(1_000);
    const guard = await start();
    const created = await store.positions.create(position({ side: 'long', entryPrice: 100, quantity: 10, entryFee: 0 }));
    const long = await store.positions.update(created.id, { status: 'open' });
    venue.held = [{ symbol: long.symbol, side: 'long', quantity: 10, entryPrice: 100, markPrice: 115, liquidationPrice: 50, margin: 100 }];
    venue.mark = 115;
    expect(await guard.observe([long])).toBe(false);
    expect(guard.lastReading()?.equity).toBe(1_150);

    // The first step sells 9 at 115: $135 in the wallet, booked only when the position is flat.
    const step = { clientOrderId: `${long.id}-tp1`, positionId: long.id, symbol: long.symbol, purpose: 'tp' as const, side: 'sell' as const, type: 'take_profit_market' as const, quantity: 9, triggerPrice: 115, createdAt: clock.now() };
    await store.orders.record(step);
    await store.orders.update(step.clientOrderId, { status: 'filled', filledQuantity: 9, averagePrice: 115, fee: 0, updatedAt: clock.now() });
    wallet.total += 135;
    venue.held = [{ ...venue.held[0]!, quantity: 1 }];

    expect(await guard.observe([long])).toBe(false);
    expect(guard.lastReading()).toMatchObject({ equity: 1_150, drawdown: 0 });
    expect(notifier.events).toHaveLength(0);
  });

  it('when an open position has paid funding, then the share counts it before the trade is booked, as the balance does', async () => {
    const { start, store, venue, wallet } = world(1_000);
    const guard = await start();
    const created = await store.positions.create(position({ side: 'long', entryPrice: 100, quantity: 10, entryFee: 0 }));
    venue.held = [{ symbol: created.symbol, side: 'long', quantity: 10, entryPrice: 100, markPrice: 100, liquidationPrice: 50, margin: 100 }];
    // Two days of funding at a hot rate: $30 out of the wallet, recorded on the position by the monitor.
    const long = await store.positions.update(created.id, { status: 'open', funding: -30 });
    wallet.total -= 30;

    expect(await guard.equity([long])).toBe(970);
  });
});
