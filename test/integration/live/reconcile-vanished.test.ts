// Start-up reconciliation on the Binance stand-in only, where it needs what only that stand-in models: a liquidation
// by the venue's engine (its `autoclose-` orders) and a rewritten position report. The cases every venue shares (a
// stop that fired, a close that filled before its stop was cancelled, a stale stop at the next entry) run on all
// three stand-ins in venues/reconcile.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

/** The first run opens a long at 100 000 (0.023 BTC, 3x, stop 94 000) and then the process ends. */
async function openThenStop(): Promise<{ venue: FakeBinance; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  const first = new LiveProcess(venue, store);
  processes.push(first);
  venue.setPrice('BTCUSDT', 100_000);
  await first.prepare();
  expect((await first.enter()).status).toBe('opened');
  await first.close();
  return { venue, store };
}

function restart(venue: FakeBinance, store: InMemoryStore): LiveProcess {
  const next = new LiveProcess(venue, store);
  processes.push(next);
  return next;
}

describe('start-up reconciliation of positions that ended while the daemon was down (real ccxt, fake venue)', () => {
  it('when the venue liquidated the position meanwhile, then it is booked closed at the liquidation price as liquidation', async () => {
    const { venue, store } = await openThenStop();
    const recordedLiquidation = (await store.positions.get('1'))?.liquidationPrice ?? NaN;
    venue.advance(2 * 60 * 60_000);

    const liquidation = venue.liquidate('BTCUSDT');
    const second = restart(venue, store);
    await second.daemon.start();

    expect(liquidation?.clientOrderId).toMatch(/^autoclose-/);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'liquidation' });
    const [trade] = await store.trades.list();
    expect(trade?.reason).toBe('liquidation');
    // Liquidated at the price the venue reported when the position opened (to the 0.1 tick).
    expect(Math.abs((trade?.exitPrice ?? 0) - recordedLiquidation)).toBeLessThanOrEqual(0.05);
    const exitFill = venue.book.trades[1];
    expect(trade?.netPnl).toBeCloseTo((exitFill?.realizedPnl ?? NaN) - 1.15 - (exitFill?.commission ?? NaN), 8);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([['ltd-1-stop', 'CANCELED']]);
  });

  it('when the position report comes back without its size, then nothing is settled and the stop stays where it is', async () => {
    const { venue, store } = await openThenStop();
    const withoutSize = (body: unknown): unknown =>
      (Array.isArray(body) ? body : [body]).map((item) => Object.fromEntries(Object.entries(item as Record<string, unknown>).filter(([key]) => key !== 'positionAmt')));
    venue.rewriteNext({ path: '/fapi/v3/positionRisk', method: 'GET', count: 50, rewrite: withoutSize });

    const second = restart(venue, store);
    await second.daemon.start();

    expect(await store.positions.get('1')).toMatchObject({ status: 'open' });
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([['ltd-1-stop', 'NEW']]);
    expect(await store.trades.list()).toEqual([]);
    expect(second.logger.lines.some((line) => /contracts is not a finite number \(missing\)/.test(JSON.stringify(line)))).toBe(true);
  });
});
