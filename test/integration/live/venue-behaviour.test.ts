// What real venues do that is not an error: cancel or expire a stop, let the owner trade by hand, fill part of an
// entry, run their clock off ours, go into maintenance, deleverage or liquidate, delist, charge a funding spike.
// Real ccxt against the local Binance USDⓈ-M venue; each test fails without the handling it names.
import { afterEach, describe, expect, it } from 'vitest';
import { renderEvent } from '../../../src/adapters/notifier/render/render-event.js';
import { exitParts } from '../../../src/domain/settlement.js';
import { utcDay } from '../../../src/domain/time.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, ETH, LiveProcess, describeChanges, startVenue, waitFor, type ProcessOptions } from './live-harness.js';

const MINUTE = 60_000;
let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

/** A daemon holding one long BTC position opened at 100 000 (0.023 BTC, stop 94 000 as `ltd-1-stop`). */
async function holding(options: ProcessOptions = {}): Promise<{ venue: FakeBinance; store: InMemoryStore; proc: LiveProcess }> {
  venue = await startVenue();
  venue.setPrice('BTCUSDT', 100_000);
  const store = new InMemoryStore();
  const proc = new LiveProcess(venue, store, options);
  processes.push(proc);
  await proc.prepare();
  expect((await proc.enter()).status).toBe('opened');
  return { venue, store, proc };
}

async function check(proc: LiveProcess, store: InMemoryStore): Promise<void> {
  await proc.parts.monitor.check(await store.positions.active());
}

const stops = (venue: FakeBinance) => venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus, a.triggerPrice, a.quantity]);

describe('the venue cancels or expires the stop', () => {
  it('when the venue expires the stop, then the next position check places it again, verifies it and alerts once', async () => {
    const { venue, store, proc } = await holding();
    venue.dropStops('BTCUSDT', 'EXPIRED');

    await check(proc, store);
    await check(proc, store);

    expect(stops(venue)).toEqual([
      ['ltd-1-stop', 'EXPIRED', 94_000, 0.023],
      ['ltd-1-stop.1', 'NEW', 94_000, 0.023],
    ]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', stopOrderId: String(venue.book.algoOrders[1]?.algoId) });
    expect(proc.notifier.ofType('alert').filter((a) => a.incident === 'reprotected:1').map((a) => a.severity)).toEqual(['warning']);
  });

  it('when the stop fired between the position read and the stop check, then it is not placed again', async () => {
    const { venue, store, proc } = await holding();
    const active = await store.positions.active();
    // The check reads the positions, then the stop fires before it looks for the stop.
    const removeListener = venue.onRequest((request) => {
      if (request.path === '/fapi/v1/openAlgoOrders') {
        removeListener();
        venue.setPrice('BTCUSDT', 93_900);
      }
    });

    await proc.parts.monitor.check(active);
    await check(proc, store);

    expect(stops(venue)).toEqual([['ltd-1-stop', 'FINISHED', 94_000, 0.023]]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_loss_on_exchange' });
  });
});

describe('the owner trades by hand on the venue', () => {
  it('when the owner closes the position by hand, then it is booked from the fills as a hand close and its stop cancelled', async () => {
    const { venue, store, proc } = await holding();
    venue.setPrice('BTCUSDT', 101_000);
    await proc.exchange.closePosition({ clientOrderId: 'web_hand_close_1', symbol: BTC, positionSide: 'long', quantity: 0.023 });

    await check(proc, store);
    await check(proc, store);

    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'manual_on_exchange' });
    const trades = await store.trades.list();
    expect(trades.map((t) => [t.reason, t.entryPrice, t.exitPrice, t.quantity])).toEqual([['manual_on_exchange', 100_000, 101_000, 0.023]]);
    expect(stops(venue)).toEqual([['ltd-1-stop', 'CANCELED', 94_000, 0.023]]);
    expect(proc.notifier.ofType('position_closed')).toHaveLength(1);
  });

  it('when the owner adds to the position under ORPHAN_POSITION_POLICY=adopt, then the position takes it in and the stop is re-armed for the whole size before the old one is cancelled', async () => {
    const { venue, store, proc } = await holding();
    venue.setPrice('BTCUSDT', 100_100);
    await proc.exchange.placeEntry({ clientOrderId: 'web_hand_add_1', symbol: BTC, side: 'long', quantity: 0.002 });
    // Below the entry: no exit rule takes the position while the test looks at it.
    venue.setPrice('BTCUSDT', 99_900);

    await check(proc, store);
    await check(proc, store);

    // Average entry (0.023 at 100 000 and 0.002 at 100 100): 100 008; 6% under it is 94 007.52, on the tick 94 007.6.
    const position = await store.positions.get('1');
    expect(position).toMatchObject({ status: 'open', quantity: 0.025, stopPrice: 94_007.6, stopOrderId: String(venue.book.algoOrders[1]?.algoId) });
    expect(position?.entryPrice).toBeCloseTo(100_008, 6);
    expect(stops(venue)).toEqual([
      ['ltd-1-stop', 'CANCELED', 94_000, 0.023],
      ['ltd-1-stop.1', 'NEW', 94_007.6, 0.025],
    ]);
    // Placed (and verified) before the old one was cancelled; no order of ours but the entry grew the position.
    expect(describeChanges(venue).filter((c) => !c.startsWith('POST /fapi/v1/marginType') && !c.startsWith('POST /fapi/v1/leverage'))).toEqual([
      'POST /fapi/v1/order ltd-1-entry',
      'POST /fapi/v1/algoOrder ltd-1-stop',
      'POST /fapi/v1/order web_hand_add_1',
      'POST /fapi/v1/algoOrder ltd-1-stop.1',
      expect.stringMatching(/^DELETE \/fapi\/v1\/algoOrder/),
    ]);
    expect(proc.notifier.ofType('alert').filter((a) => a.incident === 'added:1').map((a) => a.message)).toEqual([
      expect.stringMatching(/now holds 0\.025 at an average entry of 100008.*stop at 94007\.6 covers the whole size/),
    ]);

    venue.setPrice('BTCUSDT', 94_000);
    await check(proc, store);

    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ reason: 'stop_loss_on_exchange', quantity: 0.025, exitPrice: 94_000 });
    expect(trade?.entryPrice).toBeCloseTo(100_008, 6);
    expect(venue.book.openPositions()).toEqual([]);
  });

  it('when the owner adds to the position under ORPHAN_POSITION_POLICY=close, then the added part is closed at market, with one alert and no second entry', async () => {
    const { venue, store, proc } = await holding({ orphanPolicy: 'close' });
    await proc.exchange.placeEntry({ clientOrderId: 'web_hand_add_1', symbol: BTC, side: 'long', quantity: 0.002 });

    await check(proc, store);
    await check(proc, store);

    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.023]);
    expect(describeChanges(venue).filter((c) => c.startsWith('POST /fapi/v1/order'))).toEqual([
      'POST /fapi/v1/order ltd-1-entry',
      'POST /fapi/v1/order web_hand_add_1',
      expect.stringMatching(/^POST \/fapi\/v1\/order ltd-orphan-\d+$/),
    ]);
    expect(stops(venue)).toEqual([['ltd-1-stop', 'NEW', 94_000, 0.023]]);
    expect(proc.notifier.ofType('alert').filter((a) => a.incident === 'added:1').map((a) => a.message)).toEqual([expect.stringMatching(/closed at market \(ORPHAN_POSITION_POLICY=close\)/)]);
  });

  it('when a stop for the whole size would trigger at once, then the added part is closed at market instead', async () => {
    const { venue, store, proc } = await holding();
    // Added far above: the average entry 110 000 puts a 6% stop at 103 400, above the price of 100 000.
    venue.setPrice('BTCUSDT', 210_000);
    await proc.exchange.placeEntry({ clientOrderId: 'web_hand_add_1', symbol: BTC, side: 'long', quantity: 0.0023 });
    venue.setPrice('BTCUSDT', 100_000);

    await check(proc, store);

    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.023]);
    expect(stops(venue)).toEqual([['ltd-1-stop', 'NEW', 94_000, 0.023]]);
    expect(await store.positions.get('1')).toMatchObject({ quantity: 0.023, stopPrice: 94_000 });
    expect(proc.notifier.ofType('alert').filter((a) => a.incident === 'added:1').map((a) => a.message)).toEqual([expect.stringMatching(/would trigger at once/)]);
  });

  it('when the stop for the whole size is refused, then the old stop stays, the record is untouched and the added part is closed at market', async () => {
    const { venue, store, proc } = await holding();
    await proc.exchange.placeEntry({ clientOrderId: 'web_hand_add_1', symbol: BTC, side: 'long', quantity: 0.002 });
    venue.setPrice('BTCUSDT', 99_900);
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } });

    await check(proc, store);

    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.023]);
    expect(stops(venue)).toEqual([['ltd-1-stop', 'NEW', 94_000, 0.023]]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.023, stopPrice: 94_000 });
    expect(await store.orders.get('ltd-1-stop.1')).toMatchObject({ status: 'rejected' });
    expect(proc.notifier.ofType('alert').filter((a) => a.incident === 'added:1').map((a) => a.message)).toEqual([expect.stringMatching(/could not be re-armed for the whole size .*closed at market/)]);
  });

  it('when an earlier re-arm stopped half-way (its stop landed, the record never took it), then that stop is verified and taken, and one stop remains', async () => {
    const { venue, store, proc } = await holding();
    await proc.exchange.placeEntry({ clientOrderId: 'web_hand_add_1', symbol: BTC, side: 'long', quantity: 0.002 });
    venue.setPrice('BTCUSDT', 99_900);
    // The new stop landed, then the process died before the record took it.
    await proc.exchange.placeProtectiveStop({ clientOrderId: 'ltd-1-stop.1', symbol: BTC, positionSide: 'long', quantity: 0.025, triggerPrice: 94_000 });

    await check(proc, store);

    expect(stops(venue)).toEqual([
      ['ltd-1-stop', 'CANCELED', 94_000, 0.023],
      ['ltd-1-stop.1', 'NEW', 94_000, 0.025],
    ]);
    expect(await store.positions.get('1')).toMatchObject({ quantity: 0.025, stopClientOrderId: 'ltd-1-stop.1', stopOrderId: String(venue.book.algoOrders[1]?.algoId) });
  });

  it('when the owner closes part of the position by hand, then the record shrinks with its share of the entry fee and the stop is re-armed for the rest', async () => {
    const { venue, store, proc } = await holding();
    const entryFee = (await store.positions.get('1'))?.entryFee ?? 0;
    venue.setPrice('BTCUSDT', 99_500);
    await proc.exchange.closePosition({ clientOrderId: 'web_hand_part', symbol: BTC, positionSide: 'long', quantity: 0.005 });

    await check(proc, store);

    expect(entryFee).toBeGreaterThan(0);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.018, entryFee: expect.closeTo((entryFee * 0.018) / 0.023, 9) });
    expect(stops(venue)).toEqual([
      ['ltd-1-stop', 'CANCELED', 94_000, 0.023],
      ['ltd-1-stop.1', 'NEW', 94_000, 0.018],
    ]);
    expect(proc.notifier.ofType('alert').filter((a) => a.incident === 'reduced:1').map((a) => a.message)).toEqual([expect.stringMatching(/an order by hand took 0\.005 of the LONG position at 99500,/)]);
  });

  it("when the owner cancels our stop and places one of their own, then ours is restored and theirs is left alone", async () => {
    const { venue, store, proc } = await holding();
    await proc.exchange.cancelOrder((await store.positions.get('1'))?.stopOrderId ?? '', BTC);
    await proc.exchange.placeProtectiveStop({ clientOrderId: 'web_owner_stop', symbol: BTC, positionSide: 'long', quantity: 0.023, triggerPrice: 97_000 });

    await check(proc, store);

    expect(stops(venue)).toEqual([
      ['ltd-1-stop', 'CANCELED', 94_000, 0.023],
      ['web_owner_stop', 'NEW', 97_000, 0.023],
      ['ltd-1-stop.1', 'NEW', 94_000, 0.023],
    ]);
  });

  it('when the owner opens a position in another symbol, then reconciliation adopts it with a stop and our position is untouched', async () => {
    const { venue, store, proc } = await holding({ symbols: [BTC, ETH] });
    venue.setPrice('ETHUSDT', 4_000);
    await proc.exchange.placeEntry({ clientOrderId: 'web_hand_eth', symbol: ETH, side: 'short', quantity: 0.5 });

    const report = await proc.parts.reconciler.reconcile();
    await check(proc, store);

    expect(report).toMatchObject({ adopted: 1, reprotected: 0 });
    expect(venue.book.openPositions().map((p) => [p.symbol, p.amount])).toEqual([
      ['BTCUSDT', 0.023],
      ['ETHUSDT', -0.5],
    ]);
    expect(venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => a.clientAlgoId)).toEqual(['ltd-1-stop', 'ltd-2-stop']);
    expect(describeChanges(venue).filter((c) => c.includes('entry'))).toEqual(['POST /fapi/v1/order ltd-1-entry']);
  });
});

describe('partial entry fills', () => {
  it('when the book fills part of the entry, then the rest expires, the stop covers the part, and the trade books the real fill', async () => {
    venue = await startVenue();
    venue.setPrice('BTCUSDT', 100_000);
    venue.setBookDepth('BTCUSDT', 0.01);
    const store = new InMemoryStore();
    const proc = new LiveProcess(venue, store);
    processes.push(proc);
    await proc.prepare();

    expect((await proc.enter()).status).toBe('opened');
    venue.setPrice('BTCUSDT', 93_000);
    await check(proc, store);

    expect(venue.book.orders[0]).toMatchObject({ clientOrderId: 'ltd-1-entry', status: 'EXPIRED', executedQty: 0.01 });
    expect(stops(venue)).toEqual([['ltd-1-stop', 'FINISHED', 94_000, 0.01]]);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ quantity: 0.01, entryPrice: 100_000, exitPrice: 93_000, reason: 'stop_loss_on_exchange' });
  });
});

describe('clock skew', () => {
  for (const skew of [2 * MINUTE, -2 * MINUTE]) {
    it(`when the daemon's clock runs ${skew / MINUTE} min off the venue's, then signed requests pass the receive window and the stop-out is booked on venue time`, async () => {
      const { venue, store, proc } = await holding({ clockSkewMs: skew });
      venue.enforceReceiveWindow(true);
      venue.runClock(true);

      venue.setPrice('BTCUSDT', 93_500);
      await check(proc, store);

      const [trade] = await store.trades.list();
      expect(trade).toMatchObject({ exitPrice: 93_500, reason: 'stop_loss_on_exchange' });
      expect(trade?.closedAt.getTime()).toBe(venue.book.trades[1]?.time);
      // The day a trade counts in is the daemon's UTC day of its venue close time.
      expect((await store.dailyPerformance.get(utcDay(trade?.closedAt ?? new Date())))?.trades).toBe(1);
    });
  }

  it('when the venue clock jumps 2 minutes under the client, then the -1021 refusal remeasures the time and the next request passes', async () => {
    const { venue, store, proc } = await holding();
    venue.enforceReceiveWindow(true);
    venue.runClock(true);
    venue.advance(2 * MINUTE);

    await expect(proc.exchange.positions()).rejects.toThrow(/receive window|recvWindow/);
    expect((await proc.exchange.positions()).map((p) => p.quantity)).toEqual([0.023]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open' });
  });

  it('when the venue clock jumps under the client before an entry, then the refused leverage setting remeasures the time and the entry\'s next attempt passes', async () => {
    const { venue, proc } = await holding();
    venue.enforceReceiveWindow(true);
    venue.runClock(true);
    venue.advance(2 * MINUTE);

    await expect(proc.exchange.setLeverage(BTC, 3, 'isolated')).rejects.toThrow(/receive window|recvWindow/);
    await expect(proc.exchange.setLeverage(BTC, 3, 'isolated')).resolves.toBeUndefined();
  });
});

describe('maintenance', () => {
  it('when every endpoint answers 503 and then -1021, then nothing is sent, each step alerts once and clears once, and trading resumes with the stop in place', async () => {
    const { venue, store, proc } = await holding({ positionCheckMs: 100 });
    venue.runClock(true);
    const before = describeChanges(venue).length;
    venue.maintenance(1_500, 1_000);
    const maintenanceEnds = venue.now() + 2_500;
    proc.startLoop();

    await waitFor(() => venue.now() > maintenanceEnds + 500, 'the maintenance to end');
    // An all-clear waits for five quiet minutes (a flapping fault is not news twice) and for the step's next success
    // (the reconciliation runs hourly here): the venue's clock jumps past both.
    venue.advance(61 * MINUTE);
    const engineAlerts = () => proc.notifier.ofType('alert').filter((a) => a.incident.startsWith('engine:'));
    await waitFor(() => engineAlerts().length > 0 && engineAlerts().filter((a) => a.cleared).length === engineAlerts().filter((a) => !a.cleared).length, 'the all-clears');
    await proc.stopLoop();

    expect(describeChanges(venue).slice(before)).toEqual([]);
    // One alert per step that met the outage (the position check; the reconciliation if it was due), each cleared once.
    const raised = engineAlerts().filter((a) => !a.cleared).map((a) => a.incident);
    expect(new Set(raised).size).toBe(raised.length);
    expect(raised).toContain('engine:monitor');
    expect(engineAlerts().filter((a) => a.cleared).map((a) => a.incident).sort()).toEqual([...raised].sort());
    expect(await store.positions.get('1')).toMatchObject({ status: 'open' });
    expect(stops(venue)).toEqual([['ltd-1-stop', 'NEW', 94_000, 0.023]]);
    expect(await proc.parts.reconciler.reconcile()).toMatchObject({ settled: 0, reprotected: 0, adopted: 0 });
  });
});

describe('auto-deleveraging and liquidation by the venue', () => {
  it('when the venue auto-deleverages the position, then the trade is booked as ADL once, the leftover stop is cancelled and the breakers count it once', async () => {
    const { venue, store, proc } = await holding();
    venue.setPrice('BTCUSDT', 99_000);
    venue.autoDeleverage('BTCUSDT');

    await check(proc, store);
    await check(proc, store);
    await proc.parts.reconciler.reconcile();

    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'adl' });
    expect((await store.trades.list()).map((t) => [t.reason, t.exitPrice])).toEqual([['adl', 99_000]]);
    expect(stops(venue)).toEqual([['ltd-1-stop', 'CANCELED', 94_000, 0.023]]);
    const today = await store.dailyPerformance.get(utcDay(new Date(venue.now())));
    expect(today).toMatchObject({ trades: 1, losses: 1 });
    expect(proc.notifier.ofType('position_closed').map((e) => e.trade.reason)).toEqual(['adl']);
  });

  it('when the venue auto-deleverages part of the position, then the record shrinks, the stop is re-armed for the rest, the owner is told once, and the trade books every fill', async () => {
    const { venue, store, proc } = await holding();
    venue.setPrice('BTCUSDT', 99_000);
    venue.autoDeleverage('BTCUSDT', 0.01);

    await check(proc, store);
    await check(proc, store);

    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.013, stopPrice: 94_000 });
    expect(stops(venue)).toEqual([
      ['ltd-1-stop', 'CANCELED', 94_000, 0.023],
      ['ltd-1-stop.1', 'NEW', 94_000, 0.013],
    ]);
    // 0.01 taken at 99 000 against 100 000: -10 gross, 0.495 exit fee, 0.5 of the 1.15 entry fee:
    // -10.995 and 0.995, which print to the cent as -10.99 and 0.99 in floating point.
    const told = proc.notifier.ofType('alert').filter((a) => a.incident === 'reduced:1').map((a) => a.message);
    expect(told).toEqual([
      expect.stringMatching(/auto-deleveraging took 0\.01 of the LONG position at 99000, realising -\$10\.99 after \$0\.99 in fees \(its exit fees and its share of the entry fee\).*0\.013 is left/),
    ]);

    venue.setPrice('BTCUSDT', 93_900);
    await check(proc, store);

    const trades = await store.trades.list();
    expect(trades.map((t) => [t.reason, t.quantity])).toEqual([['stop_loss_on_exchange', 0.023]]);
    expect(trades[0]?.exitPrice).toBeCloseTo((0.01 * 99_000 + 0.013 * 93_900) / 0.023, 6);
    expect((await store.dailyPerformance.get(utcDay(new Date(venue.now()))))?.trades).toBe(1);
    // The close message's "Closed before" line tells the same part with the same net.
    const earlier = trades[0] ? exitParts(trades[0]).earlier : undefined;
    expect(earlier?.quantity).toBe(0.01);
    expect(told[0]).toContain(`realising -$${Math.abs(earlier?.netPnl ?? 0).toFixed(2)} after`);
    expect(venue.book.openPositions()).toEqual([]);
  });

  it('when the venue liquidates the position, then it is booked as a liquidation once', async () => {
    const { venue, store, proc } = await holding();
    venue.liquidate('BTCUSDT');

    await check(proc, store);
    await check(proc, store);

    expect((await store.trades.list()).map((t) => t.reason)).toEqual(['liquidation']);
    expect(proc.notifier.ofType('position_closed')).toHaveLength(1);
  });
});

describe('delisting and settlement', () => {
  it('when the symbol goes reduce-only, then an entry is refused with the reason and nothing stays open', async () => {
    venue = await startVenue();
    venue.setPrice('BTCUSDT', 100_000);
    const store = new InMemoryStore();
    const proc = new LiveProcess(venue, store);
    processes.push(proc);
    await proc.prepare();
    venue.setSymbolStatus('BTCUSDT', 'SETTLING');

    const scan = await proc.parts.scanner.scan(proc.settings.symbols);
    // Nothing is sent for a symbol that is not trading: the client refuses before the venue would (-4140).
    const entry = proc.exchange.placeEntry({ clientOrderId: 'ltd-9-entry', symbol: BTC, side: 'long', quantity: 0.01 });

    expect(scan.best).toBeUndefined();
    expect(scan.failedSymbols).toEqual([BTC]);
    expect(proc.logger.lines.some((l) => /not trading at the moment \(delisted or suspended\)/.test(JSON.stringify(l)))).toBe(true);
    await expect(entry).rejects.toThrow(/not trading at the moment \(delisted or suspended\)/);
    expect(venue.book.openPositions()).toEqual([]);
    expect(await store.positions.active()).toEqual([]);
  });

  it('when the venue settles a delisted symbol, then the position is booked as settled and the next process leaves the symbol out', async () => {
    const { venue, store, proc } = await holding();
    venue.settleSymbol('BTCUSDT', 98_500);

    await check(proc, store);

    expect((await store.trades.list()).map((t) => [t.reason, t.exitPrice])).toEqual([['settlement', 98_500]]);
    await proc.close();
    const next = new LiveProcess(venue, store);
    processes.push(next);
    await next.prepare();
    await expect(next.enter()).rejects.toThrow(/nothing to trade/);
  });
});

describe('funding spike', () => {
  it('when funding is 1% for an interval, then it is booked exactly and shown in the position update and the closed trade', async () => {
    const { venue, store, proc } = await holding();
    // Settled after the entry: one at the entry's very instant was paid on what was held before it.
    venue.advance(60_000);
    const payment = venue.settleFunding('BTCUSDT', 0.01);

    await check(proc, store);
    venue.setPrice('BTCUSDT', 93_900);
    await check(proc, store);

    // 1% of 0.023 BTC at 100 000: 23 USDT paid by the long.
    expect(payment?.income).toBeCloseTo(-23, 10);
    const [update] = proc.notifier.ofType('position_update');
    expect(update?.position.funding).toBeCloseTo(-23, 8);
    expect(renderEvent(update ?? expect.fail('no update')).text).toMatch(/Funding so far: \$23\.00 paid/);
    const [trade] = await store.trades.list();
    expect(trade?.funding).toBeCloseTo(-23, 8);
  });
});
