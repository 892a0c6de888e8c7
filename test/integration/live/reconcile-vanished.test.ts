// Start-up reconciliation on the Binance stand-in only, where it needs what only that stand-in models: a liquidation
// by the venue's engine (its `autoclose-` orders) and a rewritten position report. The cases every venue shares (a
// stop that fired, a close that filled before its stop was cancelled, a stale stop at the next entry) run on all
// three stand-ins in venues/reconcile.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, ETH, LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

/** The first run opens a long at 100 000 (0.023 BTC, 3x, stop 94 000) and then the process ends. */
async function openThenStop(symbols?: readonly string[]): Promise<{ venue: FakeBinance; store: InMemoryStore }> {
  venue = await startVenue();
  venue.setPrice('ETHUSDT', 4_000);
  const store = new InMemoryStore();
  const first = new LiveProcess(venue, store, symbols ? { symbols } : {});
  processes.push(first);
  venue.setPrice('BTCUSDT', 100_000);
  await first.prepare();
  expect((await first.enter()).status).toBe('opened');
  await first.close();
  return { venue, store };
}

/** The owner's own position, opened on the venue by hand while the daemon is down. */
async function openedByHand(venue: FakeBinance, store: InMemoryStore, symbol: string, side: 'long' | 'short', quantity: number): Promise<void> {
  const owner = new LiveProcess(venue, store, { symbols: [symbol] });
  await owner.exchange.setLeverage(symbol, 3, 'isolated');
  await owner.exchange.placeEntry({ clientOrderId: `by-hand-${side}`, symbol, side, quantity });
  await owner.close();
}

/** The stops resting on the venue for one of its symbols (BTCUSDT), as [side, quantity]. */
const restingStops = (venue: FakeBinance, symbol: string) => venue.book.algoOrders.filter((a) => a.symbol === symbol && a.algoStatus === 'NEW').map((a) => [a.side, a.quantity]);

function restart(venue: FakeBinance, store: InMemoryStore): LiveProcess {
  const next = new LiveProcess(venue, store, { symbols: [BTC, ETH], orphanPolicy: 'adopt' });
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

  it('when reading the fills of a position stopped out during the reboot fails once, then the pass goes on: the owner\u2019s unknown position gets its stop at start-up, and the trade is booked at the next pass', async () => {
    const { venue, store } = await openThenStop([BTC, ETH]);
    venue.advance(10 * 60_000);
    venue.setPrice('BTCUSDT', 93_500);
    await openedByHand(venue, store, ETH, 'long', 0.5);
    // One 503 on the trade history, as a venue may give while the network comes back after a reboot.
    venue.failNext({ path: '/fapi/v1/userTrades', method: 'GET', status: 503 });

    const second = restart(venue, store);
    await second.daemon.start();

    expect(restingStops(venue, 'ETHUSDT')).toHaveLength(1);
    expect(await store.trades.list()).toEqual([]);
    expect(second.notifier.ofType('alert').map((a) => a.incident)).toContain('engine:reconcile');
    await second.parts.reconciler.reconcile();
    expect((await store.trades.list()).map((t) => [t.symbol, t.reason])).toEqual([[BTC, 'stop_loss_on_exchange']]);
  });

  it('when the owner opened the other side of the symbol after our stop fired, then start-up books ours and adopts theirs with a stop in the same pass', async () => {
    const { venue, store } = await openThenStop();
    venue.advance(10 * 60_000);
    venue.setPrice('BTCUSDT', 93_500);
    await openedByHand(venue, store, BTC, 'short', 0.01);

    const second = restart(venue, store);
    await second.daemon.start();

    expect((await store.trades.list()).map((t) => [t.symbol, t.side, t.reason])).toEqual([[BTC, 'long', 'stop_loss_on_exchange']]);
    expect((await store.positions.active()).map((p) => [p.symbol, p.side])).toEqual([[BTC, 'short']]);
    expect(restingStops(venue, 'BTCUSDT')).toEqual([['BUY', 0.01]]);
  });
});
