// The trades CSV over real HTTP with more trades than one page of the export, and more than the export once cut off
// at without a word: every trade comes, once, even when a trade closes while the export is being sent.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import type { Trade } from '../../../src/domain/trading.js';
import type { DashboardReads, TradePage, TradePageQuery } from '../../../src/ports/dashboard.js';
import { tradeFor } from '../store/contract-fixtures.js';
import { Client, OWNER, openTestStore, startApi, type ApiHarness } from './dashboard-harness.js';

/** Past the 100,000 rows the export used to stop at. */
const TRADES = 100_001;
const BASE = Date.UTC(2025, 0, 1);

let store: SqlStore;
let api: ApiHarness | undefined;

beforeAll(async () => {
  store = await openTestStore();
});

afterAll(async () => {
  await store.close();
});

afterEach(async () => {
  await api?.close();
  api = undefined;
});

/**
 * The record as the store pages it (newest first, by offset), held in memory: a hundred thousand trades written to
 * the embedded database take minutes, and the paging under test is the export's, not the store's. `onPage` runs
 * before each page is cut, to change the record between pages as the engine would.
 */
class PagedTrades {
  readonly trades: Trade[] = [];
  readonly asked: TradePageQuery[] = [];

  constructor(count: number, private readonly onPage: (query: TradePageQuery, record: PagedTrades) => void = () => {}) {
    for (let n = count; n >= 1; n--) this.trades.push(tradeFor(String(n), BASE + n * 1_000));
  }

  reads(): DashboardReads {
    return Object.assign(Object.create(store.dashboard) as DashboardReads, {
      tradePage: async (query: TradePageQuery): Promise<TradePage> => {
        this.asked.push(query);
        this.onPage(query, this);
        return { total: this.trades.length, trades: this.trades.slice(query.offset, query.offset + query.limit) };
      },
    });
  }
}

async function exported(harness: ApiHarness): Promise<{ response: Response; ids: string[] }> {
  const client = new Client(harness.origin);
  expect((await client.login(OWNER)).status).toBe(200);
  const response = await client.get('/api/trades.csv');
  const lines = (await response.text()).trimEnd().split('\n');
  expect(lines[0]).toMatch(/^position_id,symbol,side/);
  return { response, ids: lines.slice(1).map((line) => line.split(',')[0] ?? '') };
}

describe('the trades CSV', () => {
  it('when there are more trades than the export once stopped at, then every one of them is exported, newest first, read page by page', async () => {
    const record = new PagedTrades(TRADES);
    api = await startApi(store, { reads: record.reads() });

    const { response, ids } = await exported(api);

    expect(response.status).toBe(200);
    expect(ids).toHaveLength(TRADES);
    expect(ids[0]).toBe(String(TRADES));
    expect(ids[ids.length - 1]).toBe('1');
    expect(Math.max(...record.asked.map((query) => query.limit))).toBeLessThan(TRADES);
  }, 60_000);

  it('when a trade closes while the export is being sent, then no trade is exported twice and none is missed', async () => {
    let closedDuringExport = false;
    const record = new PagedTrades(12_000, (query, paged) => {
      if (query.offset === 0 || closedDuringExport) return;
      closedDuringExport = true;
      paged.trades.unshift(tradeFor('20000', BASE + 20_000 * 1_000));
    });
    api = await startApi(store, { reads: record.reads() });

    const { ids } = await exported(api);

    expect(closedDuringExport).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id !== '20000')).toHaveLength(12_000);
  }, 60_000);
});
