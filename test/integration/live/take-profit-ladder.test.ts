// The partial take-profit ladder on the venue, through the engine, real ccxt and the fake Binance venue: each step a
// reduce-only take-profit for its share, a step too small to earn the minimum profit left out and named in the
// opening message, the stop re-armed for the rest after a step fills (also when the venue refuses the first try and
// the daemon restarts in between), the steps placed when a restart finishes an interrupted entry, and no step order
// left to act on the next position (NOFX #1194).
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, LiveProcess, startVenue, storeInterruptedEntry } from './live-harness.js';
import { auditProtection } from './protection-audit.js';

let venue: FakeBinance | undefined;
const procs: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of procs.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

// Long 0.023 BTC at 100,000 with its stop 6% away (R = 6,000). Step 1 closes 0.011 at 106,000 (about $65 net, above the
// $50 minimum); step 2 would close 0.002 at 107,200 for about $13 and is left out. $50 keeps the daemon's own
// take-profit (2x the minimum, or 2% beyond its price) from closing the rest at 106,000.
const LADDER = { TAKE_PROFIT_LADDER: '0.5@1R,0.1@1.2R', MIN_PROFIT_USD: '50', TAKE_PROFIT_ON_EXCHANGE: 'true' };

async function opened(env: Record<string, string> = LADDER): Promise<{ venue: FakeBinance; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  const proc = new LiveProcess(venue, store, { env });
  procs.push(proc);
  await proc.prepare();
  venue.setPrice('BTCUSDT', 100_000);
  expect((await proc.enter()).status).toBe('opened');
  return { venue, proc, store };
}

const resting = (venue: FakeBinance): string[] =>
  venue.book.algoOrders
    .filter((a) => a.algoStatus === 'NEW')
    .map((a) => `${a.clientAlgoId} ${a.orderType} ${a.triggerPrice} x${a.quantity}`)
    .sort();

describe('the take-profit ladder on the venue', () => {
  it('when a long opens, then each step worth the minimum profit rests as a reduce-only take-profit, and the message names the step left out', async () => {
    const { venue, proc } = await opened();

    expect(resting(venue)).toEqual([
      'ltd-1-stop STOP_MARKET 94000 x0.023',
      'ltd-1-tp TAKE_PROFIT_MARKET 112000 x0.023',
      'ltd-1-tp1 TAKE_PROFIT_MARKET 106000 x0.011',
    ]);
    expect(venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-tp1')).toMatchObject({ reduceOnly: true, workingType: 'MARK_PRICE' });
    const [message] = proc.notifier.ofType('position_opened');
    expect(message?.ladder?.placed).toEqual([expect.objectContaining({ step: 1, quantity: 0.011, triggerPrice: 106_000 })]);
    expect(message?.ladder?.skipped).toEqual([{ step: 2, reason: expect.stringMatching(/below the minimum profit \$50\.00/) }]);
    expect(message?.target).toEqual({ triggerPrice: 112_000, netPnl: 272.274644 });
  });

  it('when step 1 fills, then the stop and the final target are re-armed for the rest, the partial is announced, and the closed trade keeps every fill', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);
    expect(Math.abs(venue.book.openPositions()[0]?.amount ?? 0)).toBeCloseTo(0.012, 9);
    await proc.parts.monitor.check(await store.positions.active());

    expect(resting(venue)).toEqual(['ltd-1-stop.1 STOP_MARKET 94000 x0.012', 'ltd-1-tp.1 TAKE_PROFIT_MARKET 112000 x0.012']);
    expect(await store.positions.get(position!.id)).toMatchObject({ quantity: 0.012, stopClientOrderId: 'ltd-1-stop.1', status: 'open' });
    const [partial] = proc.notifier.ofType('position_partially_closed');
    expect(partial).toMatchObject({ step: 1, quantity: 0.011, stopRearmed: true });
    expect(partial?.realizedPnl).toBeGreaterThan(50);
    expect(await store.trades.count()).toBe(0);

    const audit = auditProtection(venue);
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 93_900);
    await proc.parts.monitor.check(await store.positions.active());
    audit.stop();

    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ quantity: 0.023, reason: 'stop_loss_on_exchange' });
    expect(trade?.fills.filter((fill) => fill.side === 'sell').map((fill) => fill.quantity)).toEqual([0.011, 0.012]);
    expect(proc.notifier.ofType('position_closed')).toHaveLength(1);
    expect(resting(venue)).toEqual([]);
    expect(audit.moments).toEqual([]);
  });

  it('when step 1 fills and the re-arm is held back (the venue refuses it, no order stream), then the mark falling through the old full-size stop closes the whole rest, booked once with the venue\u2019s fills', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();
    const audit = auditProtection(venue);

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } });
    await proc.parts.monitor.check(await store.positions.active());
    // The re-arm was refused: the rest (0.012) is held by the stop for the original 0.023 alone.
    expect(Math.abs(venue.book.openPositions()[0]?.amount ?? 0)).toBeCloseTo(0.012, 9);
    expect(resting(venue)).toContain('ltd-1-stop STOP_MARKET 94000 x0.023');

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 93_900);
    // Binance closes the position with the oversize reduce-only stop: it fills the rest, not its own size.
    const stop = venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-stop');
    expect(stop?.algoStatus).toBe('FINISHED');
    const fired = venue.book.orders.find((o) => o.orderId === stop?.actualOrderId);
    expect(fired).toMatchObject({ status: 'FILLED', origQty: 0.023, origType: 'STOP_MARKET' });
    expect(fired?.executedQty).toBeCloseTo(0.012, 9);
    expect(venue.book.openPositions()).toEqual([]);

    await proc.parts.monitor.check(await store.positions.active());
    await proc.parts.monitor.check(await store.positions.active());
    audit.stop();

    const venueSells = venue.book.trades.filter((t) => t.side === 'SELL').map((t) => t.qty);
    const [trade] = await store.trades.list();
    expect(await store.trades.count()).toBe(1);
    expect(trade).toMatchObject({ positionId: position!.id, quantity: 0.023, reason: 'stop_loss_on_exchange' });
    expect(trade?.fills.filter((fill) => fill.side === 'sell').map((fill) => fill.quantity)).toEqual(venueSells);
    expect(venueSells).toEqual([0.011, expect.closeTo(0.012, 9)]);
    // The net result is the venue's: realised P&L of every fill less every commission.
    const venueNet = venue.book.trades.reduce((sum, t) => sum + t.realizedPnl - t.commission, 0);
    expect(trade?.netPnl).toBeCloseTo(venueNet, 6);
    expect(await store.positions.active()).toEqual([]);
    expect(proc.notifier.ofType('position_closed')).toHaveLength(1);
    expect(resting(venue)).toEqual([]);
    expect(audit.checks()).toBeGreaterThan(0);
    expect(audit.moments).toEqual([]);
  });

  it('when break-even is asked for and step 1 fills, then the stop for the rest moves to the entry plus the fees, not a tick lower', async () => {
    const { venue, proc, store } = await opened({ ...LADDER, TAKE_PROFIT_BREAK_EVEN: 'true' });
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);
    await proc.parts.monitor.check(await store.positions.active());

    const stop = venue.book.algoOrders.find((a) => a.algoStatus === 'NEW' && a.orderType === 'STOP_MARKET');
    expect(stop).toMatchObject({ clientAlgoId: 'ltd-1-stop.1', quantity: 0.012 });
    // Entry 100,000; the rest's share of the entry fee and its exit fee (0.05% each) and 5 bps of slippage: about 100,150.
    expect(stop?.triggerPrice).toBeGreaterThan(100_100);
    expect(stop?.triggerPrice).toBeLessThan(100_200);
    const closed = (stop?.triggerPrice ?? 0) * (1 - 0.0005);
    expect((closed - 100_000) * 0.012 - 100_000 * 0.012 * 0.0005 - closed * 0.012 * 0.0005).toBeGreaterThanOrEqual(0);
  });

  it('when the daemon restarts between the partial fill and the re-arm and the venue refuses the first re-arm, then the old stop stays until a verified one covers the rest', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);
    await proc.close();

    const next = new LiveProcess(venue, store, { env: LADDER });
    procs.push(next);
    await next.prepare();
    await next.parts.reconciler.reconcile();
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } });
    await next.parts.monitor.check(await store.positions.active());

    // Refused: the old full-size stop still rests, the position still says 0.023, the owner is told once.
    expect(resting(venue)).toContain('ltd-1-stop STOP_MARKET 94000 x0.023');
    expect(await store.positions.get(position!.id)).toMatchObject({ quantity: 0.023 });
    expect(next.notifier.ofType('alert').filter((a) => a.incident === `stop-replace:${position!.id}`)).toHaveLength(1);

    venue.advance(60_000);
    await next.parts.monitor.check(await store.positions.active());

    expect(resting(venue)).toEqual(['ltd-1-stop.2 STOP_MARKET 94000 x0.012', 'ltd-1-tp.1 TAKE_PROFIT_MARKET 112000 x0.012']);
    expect(await store.positions.get(position!.id)).toMatchObject({ quantity: 0.012, stopClientOrderId: 'ltd-1-stop.2' });
    expect(next.notifier.ofType('position_partially_closed').map((e) => e.step)).toEqual([1]);
  });

  it('when the daemon dies just after the re-arm wrote the new size, then the next start finishes the step: recorded, target resized, announced once', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();
    const update = store.positions.update.bind(store.positions);
    // The write that makes the re-armed stop current lands, and the process dies right after it.
    store.positions.update = async (id, patch) => {
      const updated = await update(id, patch);
      if (patch.stopClientOrderId === 'ltd-1-stop.1') throw new Error('the process died here');
      return updated;
    };
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);
    await proc.parts.monitor.check(await store.positions.active()).catch(() => undefined);
    store.positions.update = update;
    await proc.close();
    expect(proc.notifier.ofType('position_partially_closed')).toEqual([]);

    const next = new LiveProcess(venue, store, { env: LADDER });
    procs.push(next);
    await next.prepare();
    await next.parts.reconciler.reconcile();

    expect(await store.positions.get(position!.id)).toMatchObject({ quantity: 0.012, stopClientOrderId: 'ltd-1-stop.1' });
    expect((await store.positions.get(position!.id))?.entryFee).toBeCloseTo((position!.entryFee * 0.012) / 0.023, 10);
    // The venue released the closed part's isolated margin: the rest's P&L is read against what is still posted.
    expect((await store.positions.get(position!.id))?.margin).toBeCloseTo((position!.margin * 0.012) / 0.023, 10);
    expect((await store.orders.get('ltd-1-tp1'))?.status).toBe('filled');
    expect(resting(venue)).toEqual(['ltd-1-stop.1 STOP_MARKET 94000 x0.012', 'ltd-1-tp.1 TAKE_PROFIT_MARKET 112000 x0.012']);
    expect(next.notifier.ofType('position_partially_closed').map((e) => e.step)).toEqual([1]);

    await next.parts.reconciler.reconcile();
    expect(next.notifier.ofType('position_partially_closed')).toHaveLength(1);
  });

  it('when a crash left the position opening (entry filled, nothing placed), then the restart places the stop, the final target and the steps, and announces them', async () => {
    venue = await startVenue();
    const store = new InMemoryStore();
    const first = new LiveProcess(venue, store, { env: LADDER });
    procs.push(first);
    await first.prepare();
    venue.setPrice('BTCUSDT', 100_000);
    // What the opener had done when the process died: position and entry intent stored, leverage set, entry filled.
    const openedAt = new Date(venue.now());
    await storeInterruptedEntry(store, { symbol: BTC, quantity: 0.023, entryPrice: 100_000, stopPrice: 94_000, stopLossPct: 0.06, takeProfitPrice: 112_000, openedAt });
    await first.exchange.setLeverage(BTC, 3, 'isolated');
    await first.exchange.placeEntry({ clientOrderId: 'ltd-1-entry', symbol: BTC, side: 'long', quantity: 0.023 });
    await first.close();

    const second = new LiveProcess(venue, store, { env: LADDER });
    procs.push(second);
    await second.daemon.start();

    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.023, stopPrice: 94_000 });
    expect(resting(venue)).toEqual([
      'ltd-1-stop STOP_MARKET 94000 x0.023',
      'ltd-1-tp TAKE_PROFIT_MARKET 112000 x0.023',
      'ltd-1-tp1 TAKE_PROFIT_MARKET 106000 x0.011',
    ]);
    const [message] = second.notifier.ofType('position_opened');
    expect(message?.ladder?.placed).toEqual([expect.objectContaining({ step: 1, quantity: 0.011, triggerPrice: 106_000 })]);
    expect(message?.ladder?.skipped).toEqual([{ step: 2, reason: expect.stringMatching(/below the minimum profit \$50\.00/) }]);
    expect(message?.target).toEqual({ triggerPrice: 112_000, netPnl: 272.274644 });
  });

  it('when the stop fires and the owner opens a smaller long by hand before the check, then ours is booked and theirs is not taken for a filled step', async () => {
    const { venue, proc, store } = await opened();
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 93_900);
    venue.setPrice('BTCUSDT', 95_000);
    await proc.exchange.placeEntry({ clientOrderId: 'web_owner_3', symbol: BTC, side: 'long', quantity: 0.01 });
    const ordersBefore = venue.book.orders.length;
    const stopsBefore = venue.book.algoOrders.filter((a) => a.orderType === 'STOP_MARKET').length;

    const result = await proc.parts.monitor.check(await store.positions.active());

    expect(result.closed).toBe(1);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ positionId: '1', reason: 'stop_loss_on_exchange', quantity: 0.023 });
    expect(proc.notifier.ofType('position_partially_closed')).toEqual([]);
    // No stop re-armed on the owner's 0.01 and no order sent for it; our targets are cancelled.
    expect(venue.book.algoOrders.filter((a) => a.orderType === 'STOP_MARKET')).toHaveLength(stopsBefore);
    expect(venue.book.orders.length).toBe(ordersBefore);
    expect(resting(venue)).toEqual([]);
    expect(venue.book.openPositions().map((p) => p.amount)).toEqual([0.01]);
  });

  it('when the daemon closes the position before any step, then every step order is cancelled and none acts on the next position', async () => {
    const { venue, proc, store } = await opened();
    // $112 net, above twice the minimum: the daemon's own take-profit closes it at market.
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 105_000);
    await proc.parts.monitor.check(await store.positions.active());
    expect((await store.trades.list()).map((t) => t.reason)).toEqual(['take_profit']);
    expect(resting(venue)).toEqual([]);

    venue.advance(3_600_000);
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);

    // Only the new position's own step acted: 0.011 of it closed, and nothing of the first position rests.
    expect(Math.abs(venue.book.openPositions()[0]?.amount ?? 0)).toBeCloseTo(0.012, 9);
    expect(venue.book.algoOrders.filter((a) => a.clientAlgoId.startsWith('ltd-1-')).map((a) => a.algoStatus)).not.toContain('FINISHED');
    expect(resting(venue).every((order) => order.startsWith('ltd-2-'))).toBe(true);
  });
});

describe('size taken off a laddered position by the venue, not by a step', () => {
  it('when the venue deleverages part of it, then the stop is re-armed for the rest and the owner is told what took it, as without a ladder', async () => {
    const { venue, proc, store } = await opened();
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 101_000);
    venue.autoDeleverage('BTCUSDT', 0.005);
    await proc.parts.monitor.check(await store.positions.active());

    expect(await store.positions.get('1')).toMatchObject({ quantity: 0.018 });
    expect(resting(venue).filter((order) => order.includes('STOP_MARKET'))).toEqual(['ltd-1-stop.1 STOP_MARKET 94000 x0.018']);
    expect(proc.notifier.ofType('alert').filter((a) => a.incident === 'reduced:1').map((a) => a.message)).toEqual([expect.stringMatching(/auto-deleveraging took 0\.005/)]);
    expect(proc.notifier.ofType('position_partially_closed')).toEqual([]);
  });

  it('when the re-arm after it is refused, then the alert names the deleveraging, not a take-profit', async () => {
    const { venue, proc, store } = await opened();
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 101_000);
    venue.autoDeleverage('BTCUSDT', 0.005);
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2021, msg: 'Order would immediately trigger.' } });
    await proc.parts.monitor.check(await store.positions.active());

    const alerts = proc.notifier.ofType('alert').map((a) => a.message);
    expect(alerts).toEqual(expect.arrayContaining([expect.stringMatching(/auto-deleveraging took 0\.005.*could not be re-armed/)]));
    expect(alerts.filter((message) => /take-profit/.test(message))).toEqual([]);
  });

  it('when a step filled earlier and the ladder is switched off before a restart, then a later deleveraging is still followed', async () => {
    const { venue, proc: first, store } = await opened();
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);
    await first.parts.monitor.check(await store.positions.active());
    expect(await store.positions.get('1')).toMatchObject({ quantity: 0.012 });
    await first.close();

    const next = new LiveProcess(venue, store, { env: { MIN_PROFIT_USD: '50', TAKE_PROFIT_ON_EXCHANGE: 'true' } });
    procs.push(next);
    await next.prepare();
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 103_000);
    venue.autoDeleverage('BTCUSDT', 0.004);
    await next.parts.monitor.check(await store.positions.active());

    expect(await store.positions.get('1')).toMatchObject({ quantity: 0.008 });
    expect(resting(venue).filter((order) => order.includes('STOP_MARKET'))).toEqual([expect.stringMatching(/^ltd-1-stop\.2 STOP_MARKET \d+ x0\.008$/)]);
    expect(next.notifier.ofType('alert').filter((a) => a.incident === 'reduced:1')).toHaveLength(1);
  });
});

describe('reconciliation and the ladder steps', () => {
  const stepPosts = (venue: FakeBinance): string[] =>
    venue.requests.filter((r) => r.method === 'POST' && r.path === '/fapi/v1/algoOrder' && /-tp\d/.test(String(r.params['clientAlgoId']))).map((r) => String(r.params['clientAlgoId']));

  it('when the owner cancels a step by hand while its share is open, then reconciliation places it again under a new id, verifies it, and it acts as the step', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();
    const step = venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-tp1');
    await proc.exchange.cancelOrder(String(step?.algoId), BTC);

    await proc.parts.reconciler.reconcile();

    expect(resting(venue)).toEqual([
      'ltd-1-stop STOP_MARKET 94000 x0.023',
      'ltd-1-tp TAKE_PROFIT_MARKET 112000 x0.023',
      'ltd-1-tp1.1 TAKE_PROFIT_MARKET 106000 x0.011',
    ]);
    expect(await store.orders.get('ltd-1-tp1.1')).toMatchObject({ status: 'open', quantity: 0.011 });
    expect(await store.orders.get('ltd-1-tp1')).toMatchObject({ status: 'cancelled' });
    expect(proc.notifier.ofType('alert').filter((a) => a.incident === `ladder:${position!.id}:1`).map((a) => a.message)).toEqual([
      expect.stringMatching(/step 1 was gone .* placed again for 0\.011 at 106000/),
    ]);

    // A second look finds it resting: nothing more is sent.
    venue.clearRequests();
    await proc.parts.reconciler.reconcile();
    expect(stepPosts(venue)).toEqual([]);

    // The step placed again is the step: it fills, and the stop and the target are re-armed for the rest.
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);
    await proc.parts.monitor.check(await store.positions.active());
    expect(resting(venue)).toEqual(['ltd-1-stop.1 STOP_MARKET 94000 x0.012', 'ltd-1-tp.1 TAKE_PROFIT_MARKET 112000 x0.012']);
    expect(proc.notifier.ofType('position_partially_closed').map((e) => [e.step, e.quantity])).toEqual([[1, 0.011]]);
  });

  it('when a step filled while the daemon was away, then reconciliation does not place it again: the venue\'s record of the order says it filled', async () => {
    const { venue, proc, store } = await opened();
    await proc.close();
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);
    venue.setPrice('BTCUSDT', 103_000);

    const next = new LiveProcess(venue, store, { env: LADDER });
    procs.push(next);
    await next.prepare();
    venue.clearRequests();
    await next.parts.reconciler.reconcile();

    expect(stepPosts(venue)).toEqual([]);
    expect(next.notifier.ofType('alert').filter((a) => a.incident?.startsWith('ladder:'))).toEqual([]);
  });

  it('when the daemon restarted between placing a step and verifying it, then reconciliation verifies the one that landed and sends nothing twice', async () => {
    const { venue, proc, store } = await opened();
    // What a restart right after the send leaves: the record written before the send, its status never updated.
    await store.orders.update('ltd-1-tp1', { status: 'intent', updatedAt: new Date(venue.now()) });
    await proc.close();

    const next = new LiveProcess(venue, store, { env: LADDER });
    procs.push(next);
    await next.prepare();
    venue.clearRequests();
    await next.parts.reconciler.reconcile();

    expect(stepPosts(venue)).toEqual([]);
    expect(resting(venue)).toContain('ltd-1-tp1 TAKE_PROFIT_MARKET 106000 x0.011');
    expect(await store.orders.get('ltd-1-tp1')).toMatchObject({ status: 'open', exchangeOrderId: String(venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-tp1')?.algoId) });
  });

  it('when the venue refused a step at the opening and the daemon restarted, then reconciliation places it and verifies it', async () => {
    venue = await startVenue();
    const store = new InMemoryStore();
    const proc = new LiveProcess(venue, store, { env: LADDER });
    procs.push(proc);
    await proc.prepare();
    venue.setPrice('BTCUSDT', 100_000);
    // The stop and the final target go through; the step is refused.
    let posts = 0;
    const refuseStep = venue.onRequest((request) => {
      if (request.method === 'POST' && request.path === '/fapi/v1/algoOrder' && (posts += 1) === 3) {
        venue?.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -4045, msg: 'Reach max stop order limit.' } });
      }
    });
    expect((await proc.enter()).status).toBe('opened');
    refuseStep();
    expect(resting(venue).some((order) => order.startsWith('ltd-1-tp1'))).toBe(false);
    expect(await store.orders.get('ltd-1-tp1')).toMatchObject({ status: 'rejected' });
    await proc.close();

    const next = new LiveProcess(venue, store, { env: LADDER });
    procs.push(next);
    await next.prepare();
    await next.parts.reconciler.reconcile();

    expect(resting(venue)).toContain('ltd-1-tp1.1 TAKE_PROFIT_MARKET 106000 x0.011');
    expect(await store.orders.get('ltd-1-tp1.1')).toMatchObject({ status: 'open' });
  });

  it('when a gone step would now book less than the minimum profit, then it is not placed again and the owner is told why', async () => {
    const { venue, proc, store } = await opened();
    const [position] = await store.positions.active();
    const step = venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-tp1');
    await proc.exchange.cancelOrder(String(step?.algoId), BTC);
    await proc.close();

    // The owner raised the minimum profit to $70 before the restart: step 1 books about $65.
    const next = new LiveProcess(venue, store, { env: { ...LADDER, MIN_PROFIT_USD: '70' } });
    procs.push(next);
    await next.prepare();
    venue.clearRequests();
    await next.parts.reconciler.reconcile();
    await next.parts.reconciler.reconcile();

    expect(stepPosts(venue)).toEqual([]);
    expect(resting(venue)).toEqual(['ltd-1-stop STOP_MARKET 94000 x0.023', 'ltd-1-tp TAKE_PROFIT_MARKET 112000 x0.023']);
    expect(next.notifier.ofType('alert').filter((a) => a.incident === `ladder:${position!.id}:1`).map((a) => a.message)).toEqual([
      expect.stringMatching(/step 1 is not placed again: .*below the minimum profit \$70\.00/),
    ]);
  });

  it('when a step of a closed position could not be cancelled, then reconciliation cancels it and it never acts on the next position (NOFX #1194)', async () => {
    const { venue, proc, store } = await opened();
    const [first] = await store.positions.active();
    // The daemon's own take-profit closes at 105,000; every cancel of the leftovers fails.
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 105_000);
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'DELETE', status: 400, body: { code: -1000, msg: 'An unknown error occurred while processing the request.' }, count: 10 });
    await proc.parts.monitor.check(await store.positions.active());
    expect(await store.positions.get(first!.id)).toMatchObject({ status: 'closed' });
    expect(resting(venue)).toContain('ltd-1-tp1 TAKE_PROFIT_MARKET 106000 x0.011');
    venue.clearFaults();

    await proc.parts.reconciler.reconcile();
    expect(resting(venue)).toEqual([]);

    venue.advance(3_600_000);
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 106_000);
    expect(Math.abs(venue.book.openPositions()[0]?.amount ?? 0)).toBeCloseTo(0.012, 9);
    expect(venue.book.algoOrders.filter((a) => a.clientAlgoId.startsWith('ltd-1-')).map((a) => a.algoStatus)).not.toContain('FINISHED');
  });
});
