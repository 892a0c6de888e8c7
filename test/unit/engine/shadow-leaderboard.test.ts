import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { markShadowStart, SHADOW_START_KEY, ShadowLeaderboard, shadowStart } from '../../../src/engine/shadow-leaderboard.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import type { Store } from '../../../src/ports/store.js';
import { freshAccount, serializeAccount } from '../../../src/adapters/exchange/paper/paper-account.js';
import { fundPaperAccount } from '../../../src/engine/paper-funding.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { btcTrade } from '../adapters/notifier/support/sample-events.js';
import { position } from '../../support/factories.js';

const START = new Date('2026-02-01T00:00:00Z');
const at = (day: number) => new Date(START.getTime() + day * 86_400_000);

/** Only what the leaderboard reads of a venue: the wallet balance. */
function wallet(total: number): Exchange {
  return { balance: async () => ({ total, available: total, currency: 'USDT' }) } as unknown as Exchange;
}

/** The parts of a store the leaderboard reads: closed trades from a date, open positions, its start. */
async function withTrades(results: readonly [number, number][]): Promise<Store> {
  const memory = new InMemoryStore();
  // Each held for an hour before it closed.
  const trades = results.map(([day, netPnl], index) => btcTrade({ positionId: `p${index}`, netPnl, openedAt: new Date(at(day).getTime() - 3_600_000), closedAt: at(day) }));
  return {
    ...memory,
    state: memory.state,
    positions: memory.positions,
    trades: { count: async () => trades.length, list: async (query: { from?: Date } = {}) => trades.filter((trade) => !query.from || trade.closedAt >= query.from) },
  } as unknown as Store;
}

/**
 * The main account; with a cap, one the owner gave before any of these trades (its footing saved then, as the daemon's
 * first start does), so the share it sizes from counts every trade.
 */
function mainContext(store: Store, clock: ManualClock, total: number, capitalCap?: number): EngineContext {
  const footing = { cap: capitalCap, since: at(-30).toISOString() };
  const state = {
    get: async (key: string) => (capitalCap !== undefined && key === 'drawdown-footing' ? footing : store.state.get(key)),
    put: (key: string, value: unknown) => store.state.put(key, value),
  };
  return { store: { ...store, state }, clock, exchange: wallet(total), settings: { capitalCap, costs: { takerFeeRate: 0.0005 } } } as unknown as EngineContext;
}

/** +1% ± 0.3% a trade, thirty trades: the same strategy, whatever account it runs on. */
const SAME_RETURNS = Array.from({ length: 30 }, (_, i) => 0.01 + 0.003 * Math.sin(i * 1.7));

/** Each of SAME_RETURNS taken on the capital a trade is sized from: `start` compounding, never above `cap`. */
function sizedFrom(start: number, cap = Number.POSITIVE_INFINITY): { pnls: number[]; equity: number } {
  let equity = start;
  const pnls = SAME_RETURNS.map((r) => {
    const pnl = r * Math.min(cap, equity);
    equity += pnl;
    return pnl;
  });
  return { pnls, equity };
}

/** The trades an hour apart through day 1. */
const hourly = (pnls: readonly number[]): [number, number][] => pnls.map((pnl, i) => [1 + (i + 1) / 24, pnl]);

describe('the shadow leaderboard', () => {
  it('when no shadow is configured, then there is no main row and no shadow', async () => {
    const clock = new ManualClock(at(5));
    const board = await new ShadowLeaderboard(mainContext(new InMemoryStore(), clock, 1_000), []).board();
    expect(board.main).toBeUndefined();
    expect(board.shadows).toEqual([]);
  });

  it('when a shadow started on day 1, then the main account counts only what closed since, from the equity it had then', async () => {
    const clock = new ManualClock(at(1));
    const main = await withTrades([[0, -50], [2, 30], [3, -10]]);
    const shadowStore = await withTrades([[2, 40]]);
    await markShadowStart(shadowStore, clock);
    clock.advanceTo(at(4));

    const board = await new ShadowLeaderboard(mainContext(main, clock, 1_020), [
      { name: 'strict', changes: { MIN_OPPORTUNITY_SCORE: '90' }, store: shadowStore, exchange: wallet(540) },
    ]).board();

    expect(board.main).toMatchObject({ name: 'main', since: at(1), startEquity: 1_000, trades: 2, netPnl: 20, openPositions: 0 });
    expect(board.main?.maxDrawdownPct).toBeCloseTo(10 / 1_030, 10);
    const [strict] = board.shadows;
    expect(strict).toMatchObject({ name: 'strict', since: at(1), startEquity: 500, trades: 1, netPnl: 40, winRate: 1, changes: { MIN_OPPORTUNITY_SCORE: '90' } });
    expect(strict?.returnPct).toBeCloseTo(0.08, 10);
    expect(strict?.comparison.verdict).toBe('not enough evidence');
    expect(board.rule).toEqual({ checkpoints: [20, 40, 80, 160, 320], errorRate: 0.05, resamples: 10_000 });
  });

  it('when the paper main account is given $900 more (INITIAL_CAPITAL raised) after a shadow started, then both are compared from the deposit on, each on what it held then', async () => {
    const clock = new ManualClock(at(1));
    const shadowStore = await withTrades([[2, 30], [4, 10.3]]);
    await markShadowStart(shadowStore, clock);
    const main = await withTrades([[2, 30], [4, 19.3]]);
    const paper = new InMemoryStore();
    await fundPaperAccount(paper, 1_000, at(0));
    await paper.paperAccount.save(1_030, serializeAccount(freshAccount(1_000)), []);
    clock.advanceTo(at(3));
    await fundPaperAccount(paper, 1_900, clock.now());
    clock.advanceTo(at(5));

    const board = await new ShadowLeaderboard(mainContext({ ...main, state: paper.state } as Store, clock, 1_949.3), [
      { name: 'same', changes: {}, store: shadowStore, exchange: wallet(1_040.3) },
    ]).board();

    const [same] = board.shadows;
    expect(board.main).toMatchObject({ since: at(3), startEquity: 1_930, trades: 1 });
    expect(same?.main).toMatchObject({ since: at(3), startEquity: 1_930, trades: 1 });
    expect(same).toMatchObject({ since: at(3), startEquity: 1_030, trades: 1 });
    expect(same?.main.returnPct).toBeCloseTo(0.01, 10);
    expect(same?.returnPct).toBeCloseTo(0.01, 10);
  });

  it('when a live main account trades 1000 capped out of a larger wallet, then its gains and losses are measured from 1000, as a shadow\'s are', async () => {
    for (const netPnl of [100, -100]) {
      const clock = new ManualClock(at(1));
      const shadowStore = await withTrades([[2, netPnl]]);
      await markShadowStart(shadowStore, clock);
      clock.advanceTo(at(3));
      const main = mainContext(await withTrades([[2, netPnl]]), clock, 5_000 + netPnl, 1_000);
      const board = await new ShadowLeaderboard(main, [{ name: 'same', changes: {}, store: shadowStore, exchange: wallet(1_000 + netPnl) }]).board();
      expect(board.main).toMatchObject({ startEquity: 1_000, netPnl });
      expect(board.main?.returnPct).toBeCloseTo(netPnl / 1_000, 10);
      expect(board.main?.returnPct).toBeCloseTo(board.shadows[0]?.returnPct ?? Number.NaN, 10);
    }
    // Below the cap, the wallet is the capital.
    const clock = new ManualClock(at(1));
    const shadowStore = await withTrades([]);
    await markShadowStart(shadowStore, clock);
    clock.advanceTo(at(3));
    const below = await new ShadowLeaderboard(mainContext(await withTrades([[2, -100]]), clock, 800, 2_000), [
      { name: 'same', changes: {}, store: shadowStore, exchange: wallet(1_000) },
    ]).board();
    expect(below.main).toMatchObject({ startEquity: 900, netPnl: -100 });
  });

  it('when a second shadow starts later, then the capped main account is measured from its capital at that start too', async () => {
    const clock = new ManualClock(at(1));
    const early = await withTrades([]);
    await markShadowStart(early, clock);
    clock.advanceTo(at(3));
    const late = await withTrades([[4, 100]]);
    await markShadowStart(late, clock);
    clock.advanceTo(at(5));
    // Cap 1000 out of a 5000 wallet: +100 on day 2, then +100 on day 4, as the late shadow made on its 1000.
    const board = await new ShadowLeaderboard(mainContext(await withTrades([[2, 100], [4, 100]]), clock, 5_200, 1_000), [
      { name: 'early', changes: {}, store: early, exchange: wallet(1_000) },
      { name: 'late', changes: {}, store: late, exchange: wallet(1_100) },
    ]).board();
    expect(board.shadows.find((shadow) => shadow.name === 'late')?.comparison.meanDifference).toBeCloseTo(0, 12);
  });

  it('when a capped live main account and a variant earn the same on the capital each trades from, then the test sees no difference', async () => {
    // The main account sized from its cap of 1000 every time (its wallet far above), the paper variant from its own
    // growing equity.
    const { pnls: mainPnls } = sizedFrom(1_000, 1_000);
    const { pnls: variantPnls, equity } = sizedFrom(1_000);
    const clock = new ManualClock(at(1));
    const shadowStore = await withTrades(hourly(variantPnls));
    await markShadowStart(shadowStore, clock);
    clock.advanceTo(at(5));
    const mainWallet = 5_000 + mainPnls.reduce((a, b) => a + b, 0);
    const board = await new ShadowLeaderboard(mainContext(await withTrades(hourly(mainPnls)), clock, mainWallet, 1_000), [
      { name: 'same', changes: {}, store: shadowStore, exchange: wallet(equity) },
    ]).board();
    const comparison = board.shadows[0]?.comparison;
    expect(comparison?.meanDifference).toBeCloseTo(0, 12);
    expect(comparison?.verdict).toBe('not enough evidence');
  });

  it('when variants started on different days, then each carries the main account over its own window, and says why it is not trading', async () => {
    const clock = new ManualClock(at(1));
    const early = await withTrades([[2, 10]]);
    await markShadowStart(early, clock);
    clock.advanceTo(at(5));
    const late = await withTrades([[6, 20]]);
    await markShadowStart(late, clock);
    clock.advanceTo(at(8));
    const board = await new ShadowLeaderboard(mainContext(await withTrades([[2, 100], [6, 10]]), clock, 1_110), [
      { name: 'early', changes: {}, store: early, exchange: wallet(1_010) },
      { name: 'late', changes: {}, store: late, exchange: wallet(1_020), problem: () => 'stopped on an error; see the log' },
    ]).board();
    expect(board.main).toMatchObject({ since: at(1), netPnl: 110, trades: 2 });
    const [first, second] = board.shadows;
    expect(first?.main).toMatchObject({ since: at(1), startEquity: 1_000, netPnl: 110, trades: 2 });
    expect(first?.problem).toBeUndefined();
    expect(second?.main).toMatchObject({ since: at(5), startEquity: 1_100, netPnl: 10, trades: 1 });
    expect(second?.main.returnPct).toBeCloseTo(10 / 1_100, 12);
    expect(second?.problem).toBe('stopped on an error; see the log');
  });

  it('when twenty clearly better trades all closed on one UTC day, then that is one day of the market and no verdict; spread over twenty days, it is better', async () => {
    // The main account makes -0.5% ± 0.2% a trade on its 1000, the variant +2% ± 0.2%: a clear gap, if the days are many.
    const pnls = (centre: number) => Array.from({ length: 20 }, (_, i) => 10 * (centre + 0.2 * Math.sin(i * 1.7)));
    const verdictWhen = async (closedOnDay: (i: number) => number) => {
      const clock = new ManualClock(at(1));
      const dated = (values: number[]): [number, number][] => values.map((pnl, i) => [closedOnDay(i), pnl]);
      const shadowStore = await withTrades(dated(pnls(2)));
      await markShadowStart(shadowStore, clock);
      clock.advanceTo(at(25));
      const mainPnls = pnls(-0.5);
      const board = await new ShadowLeaderboard(mainContext(await withTrades(dated(mainPnls)), clock, 1_000 + mainPnls.reduce((a, b) => a + b, 0)), [
        { name: 'v', changes: {}, store: shadowStore, exchange: wallet(1_000 + pnls(2).reduce((a, b) => a + b, 0)) },
      ]).board();
      return board.shadows[0]?.comparison;
    };

    const oneDay = await verdictWhen((i) => 2 + i / 48);
    expect(oneDay?.verdict).toBe('not enough evidence');
    expect(oneDay?.explanation).toContain('closed on one UTC day');
    const manyDays = await verdictWhen((i) => 2 + i);
    expect(manyDays?.verdict).toBe('better');
    expect(manyDays?.explanation).toContain('the 20 trades of each closed by');
    expect(manyDays?.explanation).toContain('next check at 40 trades');
  });

  it('when the shadow starts again later, then its window keeps its first start', async () => {
    const clock = new ManualClock(at(1));
    const store = new InMemoryStore();
    expect(await markShadowStart(store, clock)).toEqual({ at: at(1), restarted: false });
    clock.advanceTo(at(9));
    expect(await markShadowStart(store, clock)).toEqual({ at: at(1), restarted: false });
    expect(await store.state.get(SHADOW_START_KEY)).toEqual({ at: at(1).toISOString(), definition: '' });
  });

  it('when a capped live main account had lost 300 of its 1000 before the variant started, then it is measured on the 700 it trades', async () => {
    const clock = new ManualClock(at(1));
    const shadowStore = await withTrades([[2, -100]]); // the variant: -10% of its 1000
    await markShadowStart(shadowStore, clock);
    clock.advanceTo(at(3));
    // The main account: 300 lost before the variant ran, so the engine sizes it on 700; then -10% of that, -70.
    const main = mainContext(await withTrades([[0.5, -300], [2, -70]]), clock, 10_000 - 370, 1_000);

    const board = await new ShadowLeaderboard(main, [{ name: 'same', changes: {}, store: shadowStore, exchange: wallet(900) }]).board();

    expect(board.main).toMatchObject({ startEquity: 700, netPnl: -70 });
    expect(board.main?.returnPct).toBeCloseTo(-0.1, 9);
    expect(board.main?.maxDrawdownPct).toBeCloseTo(0.1, 9);
  });

  it('when a capped main account below its cap and a variant earn the same on the capital each trades, then no variant is called better', async () => {
    const { pnls: mainPnls } = sizedFrom(700, 1_000); // 300 of the 1000 lost before the variant started
    const { pnls: variantPnls, equity } = sizedFrom(1_000);
    const clock = new ManualClock(at(1));
    const shadowStore = await withTrades(hourly(variantPnls));
    await markShadowStart(shadowStore, clock);
    clock.advanceTo(at(5));
    const main = mainContext(await withTrades([[0.5, -300], ...hourly(mainPnls)]), clock, 10_000 - 300 + mainPnls.reduce((a, b) => a + b, 0), 1_000);

    const board = await new ShadowLeaderboard(main, [{ name: 'same', changes: {}, store: shadowStore, exchange: wallet(equity) }]).board();

    expect(board.shadows[0]?.comparison.meanDifference).toBeCloseTo(0, 9);
    expect(board.shadows[0]?.comparison.verdict).not.toBe('better');
  });

  it('when an open position has taken a ladder step and paid its fee and funding, then none of it is counted as start equity', async () => {
    const clock = new ManualClock(at(1));
    const shadowStore = await withTrades([[2, 50]]);
    await markShadowStart(shadowStore, clock);
    clock.advanceTo(at(3));
    // A long opened on day 2 with 4 at 100 (entry fee 0.20); a step sold 3 at 150; it holds 1, with the fee of that 1
    // left on its record, and has paid 2 in funding.
    const created = await shadowStore.positions.create(position({ symbol: 'BTC/USDT:USDT', quantity: 1, entryPrice: 100, entryFee: 0.05, funding: -2, openedAt: at(2) }));
    await shadowStore.positions.update(created.id, { status: 'open' });
    const step = { clientOrderId: `ltd-${created.id}-tp1`, positionId: created.id, symbol: created.symbol, purpose: 'tp' as const, side: 'sell' as const, type: 'take_profit_market' as const, quantity: 3, triggerPrice: 150, createdAt: at(2.5) };
    await shadowStore.orders.record(step);
    await shadowStore.orders.update(step.clientOrderId, { status: 'filled', filledQuantity: 3, averagePrice: 150, fee: 0, updatedAt: at(2.5) });
    // The wallet: 1000 + 50 booked + 150 from the step − 0.20 entry fee − 2 funding.
    const walletNow = 1_000 + 50 + 150 - 0.2 - 2;

    const board = await new ShadowLeaderboard(mainContext(await withTrades([]), clock, 1_000), [{ name: 'v', changes: {}, store: shadowStore, exchange: wallet(walletNow) }]).board();

    expect(board.shadows[0]?.startEquity).toBeCloseTo(1_000, 9);
    expect(board.shadows[0]?.returnPct).toBeCloseTo(0.05, 9);
  });

  it('when the main account opened a trade before the shadow existed, then that trade is not in the main account\'s side of the comparison', async () => {
    const clock = new ManualClock(at(1));
    const shadowStore = await withTrades([[2, 40]]);
    await markShadowStart(shadowStore, clock);
    clock.advanceTo(at(4));
    // Opened on day 0, closed on day 2 with +$300: the shadow never had the chance to make it.
    const early = btcTrade({ positionId: 'early', netPnl: 300, openedAt: at(0), closedAt: at(2) });
    const main = await withTrades([[3, -10]]);
    const trades = [early, ...(await main.trades.list())];
    const mainStore = { ...main, trades: { count: async () => trades.length, list: async (query: { from?: Date } = {}) => trades.filter((trade) => !query.from || trade.closedAt >= query.from) } } as unknown as Store;

    const board = await new ShadowLeaderboard(mainContext(mainStore, clock, 1_290), [
      { name: 'strict', changes: {}, store: shadowStore, exchange: wallet(540) },
    ]).board();

    expect(board.shadows[0]?.main).toMatchObject({ trades: 1, netPnl: -10, startEquity: 1_300 });
  });

  it('when a variant is edited under the same name, then its comparison starts again at the next start', async () => {
    const clock = new ManualClock(at(1));
    const store = await withTrades([]);
    expect(await markShadowStart(store, clock, 'score 90')).toEqual({ at: at(1), restarted: false });
    clock.advanceTo(at(3));
    expect(await markShadowStart(store, clock, 'score 90')).toEqual({ at: at(1), restarted: false });
    clock.advanceTo(at(5));
    expect(await markShadowStart(store, clock, 'score 85')).toEqual({ at: at(5), restarted: true });
    expect(await shadowStart(store)).toEqual(at(5));
  });
});
