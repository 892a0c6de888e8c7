// A live trade through the engine, real ccxt and the fake Binance venue: entry, verified stop, close, booking.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, accountChanges, describeChanges, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

/** Every call to the store fails from now on, as while its database restarts; returns the way back. */
function storeOutage(store: InMemoryStore): () => void {
  const undo: (() => void)[] = [];
  const fail = async (): Promise<never> => {
    throw new Error('connection terminated: the database is restarting');
  };
  const parts = store as unknown as Record<string, Record<string, unknown>>;
  for (const name of ['positions', 'orders', 'trades', 'decisions', 'breakers', 'rejections', 'state', 'dailyPerformance', 'logs', 'outbox', 'paperAccount']) {
    const repository = parts[name] as Record<string, unknown>;
    for (const method of Object.getOwnPropertyNames(Object.getPrototypeOf(repository))) {
      const original = repository[method];
      if (method === 'constructor' || typeof original !== 'function') continue;
      repository[method] = fail;
      undo.push(() => {
        repository[method] = original;
      });
    }
  }
  const transaction = store.transaction;
  store.transaction = fail;
  undo.push(() => {
    store.transaction = transaction;
  });
  return () => undo.forEach((restore) => restore());
}

async function boot(options: ConstructorParameters<typeof LiveProcess>[2] = {}): Promise<{ venue: FakeBinance; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  proc = new LiveProcess(venue, store, options);
  await proc.prepare();
  return { venue, proc, store };
}

describe('a live trade through the engine (real ccxt, fake Binance USDⓈ-M)', () => {
  it('when the consensus says long, then entry, stop, verification, close, cancel and booking reach the venue as planned', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_003.7);

    const outcome = await proc.enter();

    // 80% of the 1 000 USDT wallet at 3x is 2 400 USDT: 0.023 BTC at the entry's limit of 100 053.7 (5 bps above
    // 100 003.7, on the 0.1 tick) on the 0.001 lot, rounded down. The 6% stop is 94 003.478: 94 003.5 on the tick.
    expect(outcome.status).toBe('opened');
    const [open] = await store.positions.active();
    expect(open).toMatchObject({ id: '1', status: 'open', side: 'long', quantity: 0.023, entryPrice: 100_003.7, stopPrice: 94_003.5 });
    const [marginType, leverage, entry, stop] = accountChanges(venue);
    expect(marginType?.params).toMatchObject({ symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    expect(leverage?.params).toMatchObject({ symbol: 'BTCUSDT', leverage: '3' });
    // An immediate-or-cancel limit at the worst price the risk manager sized for: the fill cannot be worse.
    expect(entry?.params).toMatchObject({ side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.023', newClientOrderId: 'ltd-1-entry' });
    expect(Number(entry?.params['price'])).toBe(100_053.7);
    expect(entry?.params['reduceOnly']).toBeUndefined();
    expect(stop?.path).toBe('/fapi/v1/algoOrder');
    expect(stop?.params).toMatchObject({
      algoType: 'CONDITIONAL',
      type: 'STOP_MARKET',
      side: 'SELL',
      quantity: '0.023',
      reduceOnly: 'true',
      workingType: 'MARK_PRICE',
      clientAlgoId: 'ltd-1-stop',
    });
    expect(Number(stop?.params['triggerPrice'])).toBe(94_003.5);
    // Verified: the open conditional orders were read after the stop was placed.
    const stopAt = stop ? venue.requests.indexOf(stop) : -1;
    expect(stopAt).toBeGreaterThan(0);
    expect(venue.requests.slice(stopAt).some((r) => r.path === '/fapi/v1/openAlgoOrders' && r.params['symbol'] === 'BTCUSDT')).toBe(true);
    const restingStop = venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-stop');
    expect(open?.stopOrderId).toBe(String(restingStop?.algoId));

    venue.advance(10 * 60_000);
    venue.setPrice('BTCUSDT', 101_000);
    const result = await proc.parts.monitor.check(await store.positions.active());

    expect(result.closed).toBe(1);
    expect(describeChanges(venue).slice(4)).toEqual(['POST /fapi/v1/order ltd-1-close', `DELETE /fapi/v1/algoOrder ${restingStop?.algoId}`]);
    const close = accountChanges(venue)[4];
    expect(close?.params).toMatchObject({ side: 'SELL', type: 'MARKET', quantity: '0.023', reduceOnly: 'true' });
    expect(restingStop?.algoStatus).toBe('CANCELED');
    expect(venue.book.openPositions()).toEqual([]);

    const [trade] = await store.trades.list();
    const [entryFill, exitFill] = venue.book.trades;
    expect(trade).toMatchObject({ positionId: '1', reason: 'take_profit', entryPrice: entryFill?.price, exitPrice: exitFill?.price, quantity: 0.023 });
    expect(trade?.entryFee).toBeCloseTo(entryFill?.commission ?? NaN, 10);
    expect(trade?.exitFee).toBeCloseTo(exitFill?.commission ?? NaN, 10);
    // (101 000 - 100 003.7) × 0.023 = 22.9149 gross, less 0.05% of 2 300.0851 and of 2 323 in fees.
    expect(trade?.netPnl).toBeCloseTo(22.9149 - 1.15004255 - 1.1615, 8);
    expect(trade?.netPnl).toBeCloseTo(venue.book.wallet - 1_000, 8);
    expect((await store.positions.get('1'))?.status).toBe('closed');
    expect(proc.notifier.ofType('position_closed').map((e) => e.trade.netPnl.toFixed(2))).toEqual(['20.60']);
  });

  it('when the exchange stop fires just before the close order arrives (-2022), then the trade is booked as the stop\'s, without an alert', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    const removeListener = venue.onRequest((request) => {
      // The market gaps through the stop between the daemon's position read and its close order.
      if (request.path === '/fapi/v1/order' && request.params['newClientOrderId'] === 'ltd-1-close') venue.setPrice('BTCUSDT', 93_000);
    });

    venue.setPrice('BTCUSDT', 101_000);
    const result = await proc.parts.monitor.check(await store.positions.active());
    removeListener();

    expect(result.closed).toBe(1);
    const [trade] = await store.trades.list();
    const exitFills = venue.book.trades.filter((fill) => fill.side === 'SELL');
    expect(exitFills.map((fill) => fill.price)).toEqual([93_000]);
    expect(trade).toMatchObject({ reason: 'stop_loss_on_exchange', exitPrice: 93_000 });
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_loss_on_exchange' });
    // Nothing failed that the owner must know of at 3 a.m.: the stop did its job.
    expect(proc.notifier.ofType('alert')).toEqual([]);
    expect(proc.notifier.ofType('position_closed').map((event) => event.trade.reason)).toEqual(['stop_loss_on_exchange']);
  });

  it('when the exchange stop fires and the owner opens the same side by hand before the next check, then the check books ours and sends nothing for theirs', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    venue.setPrice('BTCUSDT', 93_000);
    expect(venue.book.openPositions()).toEqual([]);
    await proc.exchange.placeEntry({ clientOrderId: 'web_owner_1', symbol: 'BTCUSDT', side: 'long', quantity: 0.01 });
    const ordersBefore = venue.book.orders.length;
    const algoBefore = venue.book.algoOrders.length;

    const result = await proc.parts.monitor.check(await store.positions.active());

    expect(result.closed).toBe(1);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ positionId: '1', reason: 'stop_loss_on_exchange', quantity: 0.023, exitPrice: 93_000 });
    // The owner's 0.01 is not taken for what is left of ours: no stop re-armed on it, nothing closed.
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.01]);
    expect([venue.book.orders.length, venue.book.algoOrders.length]).toEqual([ordersBefore, algoBefore]);
    expect(proc.notifier.ofType('position_closed').map((event) => event.trade.reason)).toEqual(['stop_loss_on_exchange']);
  });

  it('when the owner adds size by hand and the exchange stop fires before the next check, then what is left is kept as the position with a stop of its own', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    await proc.exchange.placeEntry({ clientOrderId: 'web_owner_2', symbol: 'BTCUSDT', side: 'long', quantity: 0.005 });
    // The reduce-only stop for 0.023 fires on the way down; the price comes back before the check.
    venue.setPrice('BTCUSDT', 93_900);
    venue.setPrice('BTCUSDT', 95_000);
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.005]);

    const result = await proc.parts.monitor.check(await store.positions.active());

    // The fills (0.023 in, 0.005 in, 0.023 out) account for the 0.005 the venue holds: it is the position now.
    expect(result.closed).toBe(0);
    expect(await store.trades.count()).toBe(0);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.005, stopClientOrderId: 'ltd-1-stop.1', stopPrice: 94_000 });
    const working = venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW');
    expect(working.map((a) => [a.clientAlgoId, a.orderType, a.triggerPrice, a.quantity, a.reduceOnly])).toEqual([['ltd-1-stop.1', 'STOP_MARKET', 94_000, 0.005, true]]);
    expect(proc.notifier.ofType('alert').find((a) => a.incident === 'rest:1')?.message).toMatch(/0\.005 added by hand before it is still on the exchange; it is kept as the position/);
  });

  it('when the exchange stop fires and its fill is not listed yet while the owner holds the same side, then nothing is sent and nothing booked until the fills tell', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    venue.setPrice('BTCUSDT', 93_000);
    await proc.exchange.placeEntry({ clientOrderId: 'web_owner_4', symbol: 'BTCUSDT', side: 'long', quantity: 0.01 });
    // The venue's trade history lags: it lists nothing yet.
    venue.rewriteNext({ path: '/fapi/v1/userTrades', method: 'GET', count: 20, rewrite: () => [] });
    const ordersBefore = venue.book.orders.length;
    const algoBefore = venue.book.algoOrders.length;

    const result = await proc.parts.monitor.check(await store.positions.active());

    expect(result.closed).toBe(0);
    expect(await store.trades.count()).toBe(0);
    expect([venue.book.orders.length, venue.book.algoOrders.length]).toEqual([ordersBefore, algoBefore]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.023 });
  });

  it('when the venue refuses the stop (-2021), then the position is closed at market at once and a critical alert is raised', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } });

    const outcome = await proc.enter();

    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/refused the stop.*-2021/) });
    expect(describeChanges(venue)).toEqual([
      'POST /fapi/v1/marginType ISOLATED',
      'POST /fapi/v1/leverage 3',
      'POST /fapi/v1/order ltd-1-entry',
      'POST /fapi/v1/algoOrder ltd-1-stop',
      'POST /fapi/v1/order ltd-1-close',
    ]);
    expect(venue.book.openPositions()).toEqual([]);
    expect(venue.book.algoOrders).toEqual([]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_not_protected' });
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ reason: 'stop_not_protected', entryPrice: 100_000, exitPrice: 100_000 });
    const alert = proc.notifier.ofType('alert').find((a) => a.incident === 'unprotected:1' && !a.cleared);
    expect(alert).toMatchObject({ severity: 'critical', message: expect.stringMatching(/Closing the position at market/) });
    expect(proc.notifier.ofType('position_opened')).toEqual([]);
  });

  it('when the venue bans the IP at the stop (418, Retry-After 2 h), then the daemon does not sleep through the ban: it closes at once and alerts', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 418, headers: { 'Retry-After': '7200' }, body: { code: -1003, msg: 'Way too many requests; IP banned.' } });

    const outcome = await proc.enter();

    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/refused the stop.*Retry after 7200 s/) });
    // One stop request, not three: retrying into a ban prolongs it.
    expect(describeChanges(venue).slice(-2)).toEqual(['POST /fapi/v1/algoOrder ltd-1-stop', 'POST /fapi/v1/order ltd-1-close']);
    expect(venue.book.openPositions()).toEqual([]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_not_protected' });
    const alert = proc.notifier.ofType('alert').find((a) => a.incident === 'unprotected:1' && !a.cleared);
    expect(alert).toMatchObject({ severity: 'critical', message: expect.stringMatching(/IP banned.*Closing the position at market/) });
  });

  it('when the stop is refused while position reads fail too, then the close still goes out at once, sized by the fill', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } });
    // From the refused stop on (the entry's own look at the venue's positions, before the order, still answers).
    const removeListener = venue.onRequest((request) => {
      if (request.path === '/fapi/v1/algoOrder' && request.method === 'POST') venue.failNext({ path: '/fapi/v3/positionRisk', method: 'GET', status: 500, body: { code: -1000, msg: 'An unknown error occurred.' } });
    });

    await proc.enter();
    removeListener();

    expect(describeChanges(venue).slice(-2)).toEqual(['POST /fapi/v1/algoOrder ltd-1-stop', 'POST /fapi/v1/order ltd-1-close']);
    expect(venue.book.openPositions()).toEqual([]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed', closeReason: 'stop_not_protected' });
  });

  it('when the stop is refused while the database is restarting, then the close still goes out at once, and the books catch up after', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } });
    let storeBack = (): void => undefined;
    const removeListener = venue.onRequest((request) => {
      if (request.path === '/fapi/v1/algoOrder' && request.method === 'POST') storeBack = storeOutage(store);
    });

    await expect(proc.enter()).rejects.toThrow(/database is restarting/);
    removeListener();

    expect(describeChanges(venue).slice(-2)).toEqual(['POST /fapi/v1/algoOrder ltd-1-stop', 'POST /fapi/v1/order ltd-1-close']);
    expect(venue.book.openPositions()).toEqual([]);
    expect(proc.notifier.ofType('alert').find((a) => a.incident === 'unprotected:1')).toMatchObject({ severity: 'critical' });
    storeBack();
    const result = await proc.parts.monitor.check(await store.positions.active());
    expect(result.closed).toBe(1);
    expect(await store.positions.get('1')).toMatchObject({ status: 'closed' });
    const [trade] = await store.trades.list();
    const [entryFill, exitFill] = venue.book.trades;
    expect(trade).toMatchObject({ entryPrice: entryFill?.price, exitPrice: exitFill?.price, quantity: entryFill?.qty });
    expect(describeChanges(venue).filter((change) => change.endsWith('ltd-1-close'))).toHaveLength(1);
  });

  it('when the stop lands while the database is restarting, then the position keeps it, and the books catch up after', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    let storeBack = (): void => undefined;
    const removeListener = venue.onRequest((request) => {
      if (request.path === '/fapi/v1/algoOrder' && request.method === 'POST') storeBack = storeOutage(store);
    });

    await expect(proc.enter()).rejects.toThrow(/database is restarting/);
    removeListener();

    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.023]);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([['ltd-1-stop', 'NEW']]);
    storeBack();
    await proc.parts.monitor.check(await store.positions.active());
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.023 });
    expect(await store.orders.get('ltd-1-stop')).toMatchObject({ status: 'open' });
    expect(describeChanges(venue).filter((change) => change.includes('ltd-1-'))).toEqual(['POST /fapi/v1/order ltd-1-entry', 'POST /fapi/v1/algoOrder ltd-1-stop']);
  });

  it('when the entry is accepted but its answer times out, then the engine finds it by client id: one entry, and a stop', async () => {
    const { venue, proc, store } = await boot({ timeoutMs: 500 });
    venue.setPrice('BTCUSDT', 100_000);
    venue.delayNext({ path: '/fapi/v1/order', method: 'POST', ms: 2_000 });

    const outcome = await proc.enter();

    expect(outcome.status).toBe('opened');
    const entries = venue.requestsTo('/fapi/v1/order', 'POST');
    expect(entries.map((r) => r.params['newClientOrderId'])).toEqual(['ltd-1-entry']);
    const lookup = venue.requestsTo('/fapi/v1/order', 'GET').map((r) => r.params['origClientOrderId']);
    expect(lookup).toContain('ltd-1-entry');
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.023]);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([['ltd-1-stop', 'NEW']]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.023, entryPrice: 100_000 });
    expect(await store.orders.get('ltd-1-entry')).toMatchObject({ status: 'filled', filledQuantity: 0.023, averagePrice: 100_000 });
  });

  it('when the entry fills but its answer lags, then the fill is found by client id and the stop goes out before the answer arrives', async () => {
    const { venue, proc, store } = await boot({ timeoutMs: 5_000, entryLookUpAfterMs: 200 });
    venue.setPrice('BTCUSDT', 100_000);
    venue.delayNext({ path: '/fapi/v1/order', method: 'POST', ms: 3_000 });

    const outcome = await proc.enter();

    expect(outcome.status).toBe('opened');
    const [entry] = venue.requestsTo('/fapi/v1/order', 'POST');
    const [stop] = venue.requestsTo('/fapi/v1/algoOrder', 'POST');
    expect(venue.requestsTo('/fapi/v1/order', 'POST')).toHaveLength(1);
    // The venue held the entry's answer for 3 s; the stop was sent well before that.
    expect((stop?.at ?? Infinity) - (entry?.at ?? 0)).toBeLessThan(2_000);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([['ltd-1-stop', 'NEW']]);
    expect(await store.orders.get('ltd-1-entry')).toMatchObject({ status: 'filled', filledQuantity: 0.023 });
    expect(proc.logger.lines.some((line) => line.message === 'entry answer is late; its fill was found by client id')).toBe(true);
  });

  it('when the stop lands but its answer is lost, then the retry meets "duplicate client id", finds the stop and keeps the position', async () => {
    const { venue, proc } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    venue.dropConnection({ path: '/fapi/v1/algoOrder', method: 'POST', afterProcessing: true });

    const outcome = await proc.enter();

    expect(outcome.status).toBe('opened');
    expect(venue.requestsTo('/fapi/v1/algoOrder', 'POST').map((r) => r.params['clientAlgoId'])).toEqual(['ltd-1-stop', 'ltd-1-stop']);
    expect(venue.book.algoOrders.map((a) => [a.clientAlgoId, a.algoStatus])).toEqual([['ltd-1-stop', 'NEW']]);
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.023]);
    expect(proc.notifier.ofType('alert').filter((a) => a.severity === 'critical')).toEqual([]);
  });
});
