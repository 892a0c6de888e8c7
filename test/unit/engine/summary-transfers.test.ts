// A week in which the paper account was given more capital (INITIAL_CAPITAL raised): the summary's capital ends on
// what the account holds, the deposit is said apart from the P&L, and it is neither a gain nor a drawdown's recovery.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { freshAccount, serializeAccount } from '../../../src/adapters/exchange/paper/paper-account.js';
import { renderPeriodSummary } from '../../../src/adapters/notifier/render/summary-messages.js';
import type { Trade } from '../../../src/domain/trading.js';
import { CapitalFooting } from '../../../src/engine/capital-footing.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import { fundPaperAccount } from '../../../src/engine/paper-funding.js';
import { SummaryService } from '../../../src/engine/summaries.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import type { Store } from '../../../src/ports/store.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { btcTrade } from '../adapters/notifier/support/sample-events.js';

const MONDAY = new Date('2025-10-06T00:00:00Z');
const day = (offset: number, hour = 12) => new Date(MONDAY.getTime() + offset * 86_400_000 + hour * 3_600_000);

/** The summaries of an account whose store is `memory`, whose closed trades are `trades` and which holds `balance`. */
function summaries(memory: InMemoryStore, trades: readonly Trade[], balance: number, mode: 'paper' | 'live' = 'paper'): SummaryService {
  const store = {
    ...memory,
    state: memory.state,
    dailyPerformance: memory.dailyPerformance,
    decisions: memory.decisions,
    trades: { list: async (query: { from: Date; to: Date }) => trades.filter((trade) => trade.closedAt >= query.from && trade.closedAt < query.to) },
  } as unknown as Store;
  const ctx = {
    store,
    clock: new ManualClock(day(7, 0)),
    exchange: { balance: async () => ({ total: balance, available: balance, currency: 'USDT' }) } as unknown as Exchange,
    settings: { mode },
  } as unknown as EngineContext;
  return new SummaryService(ctx, new CapitalFooting(ctx));
}

describe('the weekly summary of a week with a deposit', () => {
  it('when $900 is paid in on Wednesday between a $5 win and a $60 loss, then capital reads $100 → $945 with the deposit apart, and the drawdown is the loss on $1005', async () => {
    const memory = new InMemoryStore();
    await fundPaperAccount(memory, 100, MONDAY);
    const win = btcTrade({ positionId: 'w', netPnl: 5, openedAt: day(0, 10), closedAt: day(0) });
    const loss = btcTrade({ positionId: 'l', netPnl: -60, openedAt: day(3, 10), closedAt: day(3) });
    await memory.dailyPerformance.addTrade('2025-10-06', win, 105);
    await memory.paperAccount.save(105, serializeAccount(freshAccount(100)), []);
    await fundPaperAccount(memory, 1000, day(2, 10));
    await memory.dailyPerformance.addTrade('2025-10-09', loss, 945);

    const { summary, curve } = await summaries(memory, [win, loss], 945).summary(MONDAY, day(7, 0));

    expect(summary).toMatchObject({ startCapital: 100, endCapital: 945, netPnl: -55, transfers: 900 });
    expect(summary.maxDrawdownPct).toBeCloseTo(60 / 1005, 10);
    expect(curve.map((point) => point.equity)).toEqual([100, 105, 1005, 945]);
    const text = renderPeriodSummary('weekly', summary);
    expect(text).toContain('Capital: $100.00 → $945.00 ($900.00 paid in, not counted in the P&amp;L)');
    expect(text).toMatch(/P&amp;L: <b>-\$55\.00<\/b>\n/);
  });

  it('when $800 is taken out on Wednesday after a $50 loss that morning, then the day and the week start where they did, the withdrawal is no drawdown, and the day shows it apart', async () => {
    const memory = new InMemoryStore();
    await fundPaperAccount(memory, 1000, MONDAY);
    const win = btcTrade({ positionId: 'w', netPnl: 10, openedAt: day(0, 10), closedAt: day(0) });
    const loss = btcTrade({ positionId: 'l', netPnl: -50, openedAt: day(2, 6), closedAt: day(2, 8) });
    await memory.dailyPerformance.addTrade('2025-10-06', win, 1010);
    await memory.dailyPerformance.addTrade('2025-10-08', loss, 960);
    await memory.paperAccount.save(960, serializeAccount(freshAccount(1000)), []);
    await fundPaperAccount(memory, 200, day(2, 11));
    const service = summaries(memory, [win, loss], 160);

    const week = await service.summary(MONDAY, day(7, 0));
    const wednesday = await service.summary(day(2, 0), day(3, 0));
    const thursday = await service.summary(day(3, 0), day(4, 0));

    expect(week.summary).toMatchObject({ startCapital: 1000, endCapital: 160, netPnl: -40, transfers: -800 });
    expect(week.summary.maxDrawdownPct).toBeCloseTo(50 / 1010, 10);
    expect(week.curve.map((point) => point.equity)).toEqual([1000, 1010, 960, 160]);
    expect(wednesday.summary).toMatchObject({ startCapital: 1010, endCapital: 160, netPnl: -50, transfers: -800 });
    expect(renderPeriodSummary('daily', wednesday.summary)).toContain('Capital: $1,010.00 → $160.00 ($800.00 taken out, not counted in the P&amp;L)');
    // A day after it, with no trade and no row: it starts and ends on what the account held.
    expect(thursday.summary).toMatchObject({ startCapital: 160, endCapital: 160, trades: 0 });
  });

  it('when the store went live after a paper deposit that week, then the live summary counts no paper transfer', async () => {
    const memory = new InMemoryStore();
    await fundPaperAccount(memory, 100, MONDAY);
    await memory.paperAccount.save(100, serializeAccount(freshAccount(100)), []);
    await fundPaperAccount(memory, 1000, day(0, 10));
    const win = btcTrade({ positionId: 'w', netPnl: 20, openedAt: day(3, 10), closedAt: day(3) });
    await memory.dailyPerformance.addTrade('2025-10-09', win, 5020);

    const { summary } = await summaries(memory, [win], 5020, 'live').summary(MONDAY, day(7, 0));

    expect(summary).toMatchObject({ startCapital: 5000, endCapital: 5020 });
    expect(summary.transfers).toBeUndefined();
  });
});
