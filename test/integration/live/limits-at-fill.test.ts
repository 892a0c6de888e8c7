// Limits measured at the real fill, through the engine, real ccxt and the fake venue: the stop sent after a fill
// keeps the allowed distance from that fill on the tick, the entry is an immediate-or-cancel order at the worst
// price the risk manager sized for, a short that sells above its range is cut back to what the limits allow at its
// fill, and reconciliation recomputes stops the same way.
import { afterEach, describe, expect, it } from 'vitest';
import { adverseDistance } from '../../../src/domain/money.js';
import { closedPartsNetPnl, unbookedByPosition } from '../../../src/engine/closed-parts.js';
import type { Position } from '../../../src/domain/trading.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, ETH, type InterruptedEntry, LiveProcess, startVenue, storeInterruptedEntry, type ProcessOptions } from './live-harness.js';
import { auditProtection } from './protection-audit.js';

let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

async function boot(store = new InMemoryStore(), options: ProcessOptions = {}): Promise<{ venue: FakeBinance; proc: LiveProcess; store: InMemoryStore }> {
  venue ??= await startVenue();
  const proc = new LiveProcess(venue, store, options);
  processes.push(proc);
  await proc.prepare();
  return { venue, proc, store };
}

/** Both scripted analysts go long with a 5% stop: the risk manager's stop is exactly the minimum. */
function longAtTheMinimumStop(proc: LiveProcess): void {
  for (const analyst of proc.analysts) analyst.answer(() => ({ action: 'long', stopLossPct: 0.05 }));
}

/**
 * Both analysts go short at `quoted` with POSITION_SIZE_PERCENT at `positionSizePct`, and the price jumps to `filled`
 * when the entry order reaches the venue; `onOrder` sees each later order request too.
 */
async function shortThatJumpsInFlight(
  positionSizePct: string,
  quoted: number,
  filled: number,
  onOrder: (clientOrderId: unknown, store: InMemoryStore) => void = () => undefined,
): Promise<{ venue: FakeBinance; proc: LiveProcess; store: InMemoryStore }> {
  const world = await boot(new InMemoryStore(), { env: { POSITION_SIZE_PERCENT: positionSizePct } });
  for (const analyst of world.proc.analysts) analyst.answer(() => ({ action: 'short' }));
  world.venue.setPrice('BTCUSDT', quoted);
  world.venue.onRequest((request) => {
    if (request.path !== '/fapi/v1/order') return;
    if (request.params['newClientOrderId'] === 'ltd-1-entry') world.venue.setPrice('BTCUSDT', filled);
    onOrder(request.params['newClientOrderId'], world.store);
  });
  return world;
}

/**
 * What a crash leaves behind: the opener stored position 1 and its entry order, set the leverage and sent the entry,
 * which the venue filled at `filledAt`; then the process died before any stop. The next process is booted on the same
 * store.
 */
async function crashedAfterEntry(entry: Omit<InterruptedEntry, 'openedAt'>, filledAt: number): Promise<{ venue: FakeBinance; proc: LiveProcess; store: InMemoryStore }> {
  const store = new InMemoryStore();
  venue = await startVenue();
  const first = new LiveProcess(venue, store, { symbols: [entry.symbol] });
  processes.push(first);
  await storeInterruptedEntry(store, { ...entry, openedAt: new Date(venue.now()) });
  await first.exchange.setLeverage(entry.symbol, 3, 'isolated');
  venue.setPrice(entry.symbol === BTC ? 'BTCUSDT' : 'ETHUSDT', filledAt);
  const { limitPrice } = entry;
  await first.exchange.placeEntry({ clientOrderId: 'ltd-1-entry', symbol: entry.symbol, side: entry.side ?? 'long', quantity: entry.quantity, ...(limitPrice === undefined ? {} : { limitPrice }) });
  await first.close();
  return boot(store, { symbols: [entry.symbol] });
}

describe('the stop after a live fill (real ccxt, fake venue)', () => {
  it('when 5% under the fill lies between ticks, then the stop sent is the tick below: at least 5% from the fill', async () => {
    const { venue, proc, store } = await boot();
    longAtTheMinimumStop(proc);
    venue.setPrice('BTCUSDT', 100_000.1);

    expect((await proc.enter()).status).toBe('opened');

    // 100 000.1 x 0.95 = 95 000.095: the nearest tick, 95 000.1, would be 4.999995% from the fill.
    const [fill] = venue.book.trades;
    const [stop] = venue.book.algoOrders;
    expect(fill?.price).toBe(100_000.1);
    expect(stop?.triggerPrice).toBe(95_000);
    expect(adverseDistance('long', fill?.price ?? NaN, stop?.triggerPrice ?? NaN)).toBeGreaterThanOrEqual(0.05);
    expect((await store.positions.get('1'))?.stopPrice).toBe(95_000);
  });
});

describe('the immediate-or-cancel entry through the engine (real ccxt, fake venue)', () => {
  it('when the price jumps past the limit while the entry is in flight, then nothing fills and the entry fails in words', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    venue.onRequest((request) => {
      if (request.path === '/fapi/v1/order' && request.params['newClientOrderId'] === 'ltd-1-entry') venue.setPrice('BTCUSDT', 100_100);
    });

    const outcome = await proc.enter();

    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/nothing filled: the price moved past the slippage allowance of the entry \(a long at most 100050/) });
    expect(venue.book.openPositions()).toEqual([]);
    expect(venue.requestsTo('/fapi/v1/algoOrder', 'POST')).toEqual([]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'failed' });
    expect(await store.orders.get('ltd-1-entry')).toMatchObject({ status: 'rejected' });
    expect(proc.notifier.ofType('position_opened')).toEqual([]);
  });

  it('when a short sells above its range because the price jumped in flight, then what the limits do not allow is closed at once and the stop re-armed for the rest', async () => {
    // The position's record as the cut reaches the venue: still opening, so a crash there leaves the cut to the restart.
    let atCut: Promise<Position | undefined> | undefined;
    const { venue, proc, store } = await shortThatJumpsInFlight('0.77', 100_000, 101_000, (id, records) => {
      if (id === 'ltd-1-trim') atCut = records.positions.get('1');
    });

    const outcome = await proc.enter();

    // Sized for a sell up to 100 050: 0.77 x $1 000 x 3 allows $2 310 of notional, 0.023 BTC. Sold at 101 000 that is
    // $2 323 ($774.33 of margin, above the $770 allowed); 0.022 ($2 222) is what the limit allows at that price.
    expect(outcome.status).toBe('opened');
    expect(venue.book.trades.map((t) => [t.side, t.price, t.qty])).toEqual([
      ['SELL', 101_000, 0.023],
      ['BUY', 101_000, 0.001],
    ]);
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([-0.022]);
    const position = await store.positions.get('1');
    expect(position).toMatchObject({ status: 'open', quantity: 0.022, entryPrice: 101_000, stopClientOrderId: 'ltd-1-stop.1' });
    expect(position?.margin).toBeLessThanOrEqual(0.77 * 1_000);
    // The rest carries its own share of the entry fee (0.022 of 0.023), as after a ladder step.
    const entryFee = venue.book.trades.find((t) => t.side === 'SELL')?.commission ?? Number.NaN;
    expect(position?.entryFee).toBeCloseTo((entryFee * 0.022) / 0.023, 10);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus, a.quantity])).toEqual([
      ['ltd-1-stop', 'CANCELED', 0.023],
      ['ltd-1-stop.1', 'NEW', 0.022],
    ]);
    const [cut] = proc.notifier.ofType('alert').filter((a) => a.incident === 'trim:1');
    expect(cut?.message).toMatch(/SHORT filled 0\.023 at 101000, outside the .* 0\.001 was closed at market .* 0\.022 is kept, and its stop at .* covers exactly that/);
    expect(proc.notifier.ofType('position_opened').map((e) => e.position.quantity)).toEqual([0.022]);
    expect(await atCut).toMatchObject({ status: 'opening', quantity: 0.023 });
    // What a restart would hold the fill to, had the process died before the cut: 0.023 at the top of its range.
    expect((await store.orders.get('ltd-1-entry'))?.checkedNotional).toBeCloseTo(0.023 * 100_050, 8);
  });

  it('when a short is cut back to its limits, then the cut is written as a filled exit, counted as realised, and the trade books it once', async () => {
    const { venue, proc, store } = await shortThatJumpsInFlight('0.77', 100_000, 101_000);

    expect((await proc.enter()).status).toBe('opened');

    const sold = venue.book.trades.find((t) => t.side === 'SELL');
    const bought = venue.book.trades.find((t) => t.side === 'BUY');
    expect(await store.orders.get('ltd-1-trim')).toMatchObject({ purpose: 'close', side: 'buy', status: 'filled', filledQuantity: 0.001, averagePrice: 101_000 });
    // 0.001 bought back at its 101 000 sale: no move, its 0.0505 exit fee and 0.0505 of the 1.1615 entry fee.
    expect(bought?.commission).toBeCloseTo(0.0505, 10);
    const position = await store.positions.get('1');
    if (!position) throw new Error('no position');
    expect(await closedPartsNetPnl(store.orders, position, 0.0005)).toBeCloseTo(-0.101, 10);
    expect((await unbookedByPosition(store.orders, [position], 0.0005))['1']).toBeCloseTo(-0.101 - (1.1615 * 0.022) / 0.023, 10);

    venue.setPrice('BTCUSDT', 107_500);
    await proc.parts.monitor.check(await store.positions.active());

    // Booked from the fills alone: the cut's fill once, its record adding nothing.
    const [trade] = await store.trades.list();
    const fills = venue.book.trades;
    const net = fills.reduce((total, t) => total + (t.side === 'SELL' ? 1 : -1) * t.price * t.qty - t.commission, 0);
    expect(trade).toMatchObject({ positionId: '1', quantity: 0.023 });
    expect(sold?.qty).toBe(0.023);
    expect(trade?.netPnl).toBeCloseTo(net, 8);
  });

  it('when the stop cannot be re-armed after the cut, then the whole-fill stop stays and the next position check follows the smaller size', async () => {
    // The re-arm right after the cut is refused once.
    const refuseReArm = (id: unknown): void => {
      if (id === 'ltd-1-trim') venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } });
    };
    const { venue, proc, store } = await shortThatJumpsInFlight('0.77', 100_000, 101_000, refuseReArm);

    expect((await proc.enter()).status).toBe('opened');
    const before = await store.positions.get('1');
    expect(before).toMatchObject({ quantity: 0.023 });
    expect(before?.stopClientOrderId).toBeUndefined();
    expect(proc.notifier.ofType('alert').find((a) => a.incident === 'trim:1')?.message).toMatch(/could not be re-armed for 0\.022 yet/);

    await proc.parts.monitor.check(await store.positions.active());

    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.022 });
    expect(venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => a.quantity)).toEqual([0.022]);
    expect(proc.notifier.ofType('alert').find((a) => a.incident === 'reduced:1')?.message).toMatch(/the cut of its entry back to the risk limits took 0\.001/);
    // The size check wrote the cut as the part it followed; the trim did not write it as well.
    const shrunk = await store.positions.get('1');
    if (!shrunk) throw new Error('no position');
    expect(await closedPartsNetPnl(store.orders, shrunk, 0.0005)).toBeCloseTo(-0.101, 10);
  });

  it('when the cut back to the limits is refused, then the whole position is closed rather than kept beyond them', async () => {
    const refuseCut = (id: unknown): void => {
      if (id === 'ltd-1-trim') venue.failNext({ path: '/fapi/v1/order', method: 'POST', status: 400, body: { code: -2022, msg: 'ReduceOnly Order is rejected.' } });
    };
    const { venue, proc, store } = await shortThatJumpsInFlight('0.77', 100_000, 101_000, refuseCut);

    const outcome = await proc.enter();

    expect(outcome.status).not.toBe('opened');
    expect(venue.book.openPositions()).toEqual([]);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ positionId: '1', reason: 'entry_beyond_limits', quantity: 0.023 });
    expect(proc.notifier.ofType('alert').find((a) => a.incident === 'trim:1')?.message).toMatch(/Closing the 0\.001 beyond its limits failed: .*the whole position is closed at market/);
  });

  it('when not even the exchange minimum keeps the limits at the short’s fill, then the position is closed at once and booked with its reason', async () => {
    // 0.0334 x $1 000 x 3 allows $100.20 of notional: one lot of 0.001 BTC up to 100 150, none at 101 100.
    const { venue, proc, store } = await shortThatJumpsInFlight('0.0334', 100_100, 101_100);

    const outcome = await proc.enter();

    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/no size kept the risk limits/) });
    expect(venue.book.openPositions()).toEqual([]);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([['ltd-1-stop', 'CANCELED']]);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ positionId: '1', reason: 'entry_beyond_limits', quantity: 0.001, entryPrice: 101_100 });
    expect(proc.notifier.ofType('alert').find((a) => a.incident === 'trim:1')?.message).toMatch(/no size the exchange allows keeps .* closed at market/);
  });

  it('when a long buys below its range, where the price step leaves no stop between 5% and 10%, then the position is closed at once and the owner told why', async () => {
    // A step of 10 000: at 210 000 a stop 5-10% below has 199 500 to 189 000 to sit in (190 000 will do); bought at
    // 189 000 it needs one between 170 100 and 179 550, and none lies there.
    venue = await startVenue();
    venue.setTickSize('BTCUSDT', 10_000);
    const { proc, store } = await boot();
    for (const analyst of proc.analysts) analyst.answer(() => ({ action: 'long' }));
    venue.setPrice('BTCUSDT', 210_000);
    venue.onRequest((request) => {
      if (request.path === '/fapi/v1/order' && request.params['newClientOrderId'] === 'ltd-1-entry') venue?.setPrice('BTCUSDT', 189_000);
    });

    const outcome = await proc.enter();

    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/no size kept the risk limits/) });
    expect(venue.book.openPositions()).toEqual([]);
    const [bought, sold] = venue.book.trades;
    expect([bought?.side, bought?.price, sold?.side, sold?.price, sold?.qty]).toEqual(['BUY', 189_000, 'SELL', 189_000, bought?.qty]);
    // The whole fill was under its stop until the close.
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus, a.quantity])).toEqual([['ltd-1-stop', 'CANCELED', bought?.qty]]);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ positionId: '1', reason: 'entry_beyond_limits', entryPrice: 189_000 });
    expect(proc.notifier.ofType('alert').find((a) => a.incident === 'trim:1')?.message).toMatch(
      /^BTC\/USDT:USDT LONG filled [0-9.]+ at 189000: at that price no stop on the exchange's price step of 10000 lies between 5\.00% and 10\.00% from the fill, so the position is closed at market\.$/,
    );
  });

  it('when the venue still reports the entry open after the wait, then it is cancelled, and the fill it had made is protected at once', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    // The order filled, but the venue's answers say NEW (status lagging behind the match) for longer than the wait.
    const stillNew = (body: unknown) => ({ ...(body as Record<string, unknown>), status: 'NEW', executedQty: '0', avgPrice: '0', cumQuote: '0' });
    venue.rewriteNext({ path: '/fapi/v1/order', method: 'POST', rewrite: stillNew });
    venue.rewriteNext({ path: '/fapi/v1/order', method: 'GET', count: 5, rewrite: stillNew });

    const outcome = await proc.enter();

    expect(venue.requestsTo('/fapi/v1/order', 'DELETE').map((r) => r.params['orderId'] ?? r.params['origClientOrderId'])).toHaveLength(1);
    expect(outcome.status).toBe('opened');
    const [filled] = venue.book.openPositions();
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus, a.quantity])).toEqual([['ltd-1-stop', 'NEW', filled?.amount]]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: filled?.amount });
    expect(proc.logger.lines.some((line) => line.message.includes('still open after the wait and was cancelled'))).toBe(true);
  });

  it('when the book fills so small a part of the entry that it cannot reach the minimum profit, then it is closed at once and the owner told why', async () => {
    const { venue, proc, store } = await boot(new InMemoryStore(), { symbols: [ETH] });
    venue.setPrice('ETHUSDT', 3_000);
    venue.setBookDepth('ETHUSDT', 0.005);

    const outcome = await proc.enter();

    expect(outcome.status).toBe('failed');
    expect(venue.book.openPositions()).toEqual([]);
    expect(await store.trades.list()).toEqual([expect.objectContaining({ positionId: '1', reason: 'entry_too_small', quantity: 0.005, entryPrice: 3_000 })]);
    expect(proc.notifier.ofType('alert').filter((a) => a.incident === 'trim:1').map((a) => a.message)).toEqual([
      // $2.50 on $15 of notional, after both taker fees and the exit's slippage.
      'ETH/USDT:USDT LONG filled only 0.005 of the 0.799 planned, at 3000: a position of $15.00 would need a 16.83% price move to net the $2.50 minimum ' +
        'profit after fees (at most 15.00%), so it could only end at its stop. It is closed at market; its stop covers it until then.',
    ]);
    expect(proc.notifier.ofType('position_opened')).toEqual([]);
  });

  it('when the book fills only part of the entry, then the smaller position is opened and protected in full', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    venue.setBookDepth('BTCUSDT', 0.01);

    const outcome = await proc.enter();

    expect(outcome.status).toBe('opened');
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.01]);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus, a.quantity])).toEqual([['ltd-1-stop', 'NEW', 0.01]]);
    const opened = await store.positions.get('1');
    expect(opened).toMatchObject({ status: 'open', quantity: 0.01 });
    expect(opened?.margin).toBeCloseTo((0.01 * 100_000) / 3, 8);
    expect(await store.orders.get('ltd-1-entry')).toMatchObject({ status: 'filled', filledQuantity: 0.01 });
  });
});

describe('stops recomputed by reconciliation (real ccxt, fake venue)', () => {
  it('when a crash left an entry opening and 5% under its fill lies between ticks, then the stop placed is at least 5% away', async () => {
    const { venue, proc: second, store } = await crashedAfterEntry({ symbol: ETH, quantity: 0.582, entryPrice: 4_120, stopPrice: 3_914, stopLossPct: 0.05 }, 4_123.47);
    await second.parts.reconciler.reconcile();

    // 4 123.47 x 0.95 = 3 917.2965: the nearest tick, 3 917.30, would be 4.99991% from the fill.
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus, a.triggerPrice])).toEqual([['ltd-1-stop', 'NEW', 3_917.29]]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', entryPrice: 4_123.47, stopPrice: 3_917.29 });
  });

  it('when a crash left a short opening that sold above its range, then reconciliation cuts it back to the notional its entry order was checked for, after the stop', async () => {
    const { venue, proc: second, store } = await crashedAfterEntry(
      { symbol: BTC, side: 'short', quantity: 0.023, entryPrice: 100_000, limitPrice: 99_950, checkedNotional: 0.023 * 100_050, stopPrice: 105_000, stopLossPct: 0.05 },
      101_000,
    );
    const audit = auditProtection(venue);
    // How many unprotected moments the audit had found when the stop and then the cut reached the venue.
    const seen = { stopped: -1, cut: -1 };
    venue.onRequest((request) => {
      if (request.params['clientAlgoId'] === 'ltd-1-stop') seen.stopped = audit.moments.length;
      if (request.params['newClientOrderId'] === 'ltd-1-trim') seen.cut = audit.moments.length;
    });
    await second.parts.reconciler.reconcile();
    audit.stop();

    // The crash left the fill bare until reconciliation placed its stop; the cut came after, and from then on the
    // position was never without a stop covering all of it.
    expect(seen.stopped).toBeGreaterThan(0);
    expect(seen.cut).toBe(seen.stopped);
    expect(audit.moments).toHaveLength(seen.stopped);
    // Its 0.023 was checked for a sell up to 100 050, $2 301.15 of notional: 0.022 at 101 000.
    expect(venue.book.trades.map((t) => [t.side, t.price, t.qty])).toEqual([
      ['SELL', 101_000, 0.023],
      ['BUY', 101_000, 0.001],
    ]);
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([-0.022]);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus, a.quantity])).toEqual([
      ['ltd-1-stop', 'CANCELED', 0.023],
      ['ltd-1-stop.1', 'NEW', 0.022],
    ]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.022, entryPrice: 101_000, stopClientOrderId: 'ltd-1-stop.1' });
    expect(second.notifier.ofType('alert').find((a) => a.incident === 'trim:1')?.message).toMatch(/SHORT filled 0\.023 at 101000, \$2323\.00 of notional where its size was checked for up to \$2301\.15 .* 0\.022 is kept/);
    expect(second.notifier.ofType('position_opened').map((e) => e.position.quantity)).toEqual([0.022]);
  });

  it('when a crash left a short opening whose fill no size keeps within its checked notional, then reconciliation closes and books it and frees its slot', async () => {
    // One lot of 0.001 BTC checked for a sell up to 100 200: $100.20, which no lot keeps at 101 100.
    const { venue, proc: second, store } = await crashedAfterEntry(
      { symbol: BTC, side: 'short', quantity: 0.001, entryPrice: 100_150, limitPrice: 100_100, checkedNotional: 100.2, stopPrice: 105_200, stopLossPct: 0.05 },
      101_100,
    );

    const report = await second.parts.reconciler.reconcile();

    expect(report.settled).toBe(1);
    expect(venue.book.openPositions()).toEqual([]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'entry_beyond_limits' });
    expect(await store.trades.list()).toEqual([expect.objectContaining({ positionId: '1', reason: 'entry_beyond_limits', quantity: 0.001, entryPrice: 101_100 })]);
    expect(second.notifier.ofType('position_opened')).toEqual([]);
  });

  it('when an adopted position\u2019s 10% stop lies between ticks, then it rounds towards the entry: at most 10% away', async () => {
    const { venue, proc, store } = await boot(new InMemoryStore(), { orphanPolicy: 'adopt' });
    venue.setPrice('BTCUSDT', 100_000.7);
    await proc.exchange.setLeverage(BTC, 3, 'isolated');
    await proc.exchange.placeEntry({ clientOrderId: 'by-hand-1', symbol: BTC, side: 'long', quantity: 0.01 });

    await proc.parts.reconciler.reconcile();

    // 100 000.7 x 0.90 = 90 000.63: the nearest tick, 90 000.6, would be 10.00003% from the entry.
    const [adopted] = await store.positions.active();
    expect(adopted).toMatchObject({ status: 'open', entryPrice: 100_000.7, stopPrice: 90_000.7 });
    expect(venue.book.algoOrders.map((a) => a.triggerPrice)).toEqual([90_000.7]);
  });
});
