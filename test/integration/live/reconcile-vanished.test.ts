// Start-up reconciliation of positions the venue closed while the daemon was down: booked from the venue's fills,
// with the reason the venue's records give.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, LiveProcess, startVenue } from './live-harness.js';

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
  it('when the exchange stop fired meanwhile, then the position is booked closed from the fills as stop_loss_on_exchange', async () => {
    const { venue, store } = await openThenStop();
    venue.advance(2 * 60 * 60_000);
    // The market gaps through the stop: the stop-market order fills at the last price, 93 500.
    venue.setPrice('BTCUSDT', 93_500);
    expect(venue.book.openPositions()).toEqual([]);

    const second = restart(venue, store);
    await second.daemon.start();

    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_loss_on_exchange' });
    const [trade] = await store.trades.list();
    const [entryFill, stopFill] = venue.book.trades;
    expect(trade).toMatchObject({ reason: 'stop_loss_on_exchange', entryPrice: 100_000, exitPrice: 93_500, quantity: 0.023 });
    expect(trade?.closedAt.getTime()).toBe(stopFill?.time);
    // (93 500 - 100 000) × 0.023 = -149.5 gross, less 1.15 and 1.07525 in fees.
    expect(trade?.netPnl).toBeCloseTo(-149.5 - 1.15 - 1.07525, 8);
    expect(trade?.entryFee).toBeCloseTo(entryFill?.commission ?? NaN, 10);
    expect(trade?.exitFee).toBeCloseTo(stopFill?.commission ?? NaN, 10);
    expect(second.notifier.ofType('position_closed').map((e) => e.trade.reason)).toEqual(['stop_loss_on_exchange']);
    // Nothing was sent to the venue: the position was already gone.
    expect(venue.requestsTo('/fapi/v1/order', 'POST')).toHaveLength(1);
  });

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

  it('when the daemon died after its close filled but before it cancelled the stop, then the restart cancels that stop and the next position on the symbol has one stop', async () => {
    const { venue, store } = await openThenStop();
    // What the crashed process got done: the position marked closing and the close order filled, nothing more.
    await store.positions.update('1', { status: 'closing', closeReason: 'take_profit' });
    const closer = restart(venue, store);
    venue.setPrice('BTCUSDT', 103_000);
    await closer.exchange.closePosition({ clientOrderId: 'ltd-1-close', symbol: BTC, positionSide: 'long', quantity: 0.023 });
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([['ltd-1-stop', 'NEW']]);

    const second = restart(venue, store);
    await second.daemon.start();

    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'take_profit' });
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([['ltd-1-stop', 'CANCELED']]);
    expect((await second.enter()).status).toBe('opened');
    const working = venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => a.clientAlgoId);
    expect(working).toEqual(['ltd-2-stop']);
  });

  it('when a stop of an earlier position is still working at the next entry, then it is cancelled before the entry is sent', async () => {
    const { venue, store } = await openThenStop();
    // The first position was booked closed, but its stop survived (its cancel was lost).
    const closer = restart(venue, store);
    await closer.exchange.closePosition({ clientOrderId: 'ltd-1-close', symbol: BTC, positionSide: 'long', quantity: 0.023 });
    await store.positions.update('1', { status: 'closed', closedAt: new Date(venue.now()), closeReason: 'manual' });
    const next = restart(venue, store);
    await next.prepare();

    expect((await next.enter()).status).toBe('opened');

    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([
      ['ltd-1-stop', 'CANCELED'],
      ['ltd-2-stop', 'NEW'],
    ]);
    const cancelAt = venue.requests.findIndex((r) => r.method === 'DELETE' && r.path === '/fapi/v1/algoOrder');
    const entryAt = venue.requests.findIndex((r) => r.method === 'POST' && r.path === '/fapi/v1/order' && r.params['newClientOrderId'] === 'ltd-2-entry');
    expect(cancelAt).toBeGreaterThan(-1);
    expect(cancelAt).toBeLessThan(entryAt);
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
