// A day with no trade has no row of its own. Its summary's capital comes from the rows around it, not from the balance
// now, which holds every trade booked since: after an outage the missed days go out late, and a summary sent at 00:00:30
// comes after a stop booked at 00:00:10.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { CapitalFooting } from '../../../src/engine/capital-footing.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import { SummaryService } from '../../../src/engine/summaries.js';
import { claimStore } from '../../../src/engine/trading-mode-guard.js';
import type { Trade } from '../../../src/domain/trading.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { btcTrade } from '../adapters/notifier/support/sample-events.js';

function service(balance: number) {
  const store = new InMemoryStore();
  const ctx = {
    clock: new ManualClock(new Date('2025-10-12T00:00:30Z')),
    store,
    exchange: { balance: async () => ({ total: balance, available: balance, currency: 'USDT' }) },
    settings: {},
  } as unknown as EngineContext;
  return { store, summaries: new SummaryService(ctx, new CapitalFooting(ctx)) };
}

const closedOn = (day: string, netPnl: number): Trade => btcTrade({ netPnl, closedAt: new Date(`${day}T12:00:00Z`) });
const dayOf = (day: string) => [new Date(`${day}T00:00:00Z`), new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000)] as const;

describe('the summary of a day with no trade', () => {
  it('when a day before it has a row, then its capital is where that day ended, not the balance after later trades', async () => {
    const { store, summaries } = service(960);
    await store.dailyPerformance.addTrade('2025-10-09', closedOn('2025-10-09', 10), 1_010);
    await store.dailyPerformance.addTrade('2025-10-11', closedOn('2025-10-11', -50), 960);

    const { summary } = await summaries.summary(...dayOf('2025-10-10'));

    expect(summary).toMatchObject({ trades: 0, startCapital: 1_010, endCapital: 1_010 });
  });

  it('when it is the account\u2019s first day and a later day has a row, then its capital is where that row started', async () => {
    const { store, summaries } = service(960);
    await store.dailyPerformance.addTrade('2025-10-11', closedOn('2025-10-11', -50), 960);

    const { summary } = await summaries.summary(...dayOf('2025-10-10'));

    expect(summary).toMatchObject({ trades: 0, startCapital: 1_010, endCapital: 1_010 });
  });

  it('when the store was switched from paper to live since the row before it, then that paper row is not the live capital', async () => {
    const { store, summaries } = service(5_000);
    await store.dailyPerformance.addTrade('2025-10-09', closedOn('2025-10-09', 10), 100);
    await claimStore(store, { mode: 'paper', venue: 'binanceusdm' }, new Date('2025-10-01T00:00:00Z'));
    await claimStore(store, { mode: 'live', venue: 'binanceusdm' }, new Date('2025-10-09T20:00:00Z'));

    const { summary } = await summaries.summary(...dayOf('2025-10-10'));

    expect(summary).toMatchObject({ startCapital: 5_000, endCapital: 5_000 });
  });

  it('when no day has a row, then the balance is the capital', async () => {
    const { summaries } = service(1_000);

    expect((await summaries.summary(...dayOf('2025-10-10'))).summary).toMatchObject({ startCapital: 1_000, endCapital: 1_000 });
  });
});
