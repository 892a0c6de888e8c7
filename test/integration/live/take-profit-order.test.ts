// The take-profit order on the venue (TAKE_PROFIT_ON_EXCHANGE), through the engine, real ccxt and the fake Binance
// venue: placed after the verified stop, met on the mark while the daemon looks away, the stop cancelled after it,
// and placed again by reconciliation when it went missing.
import { afterEach, describe, expect, it } from 'vitest';
import { valuePosition } from '../../../src/domain/exit-rules.js';
import { closedPartsNetPnl } from '../../../src/engine/closed-parts.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, LiveProcess, describeChanges, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

async function boot(env: Record<string, string> = {}): Promise<{ venue: FakeBinance; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  proc = new LiveProcess(venue, store, { env: { TAKE_PROFIT_ON_EXCHANGE: 'true', ...env } });
  await proc.prepare();
  return { venue, proc, store };
}

describe('the take-profit order on the venue', () => {
  it('when a long opens, then a reduce-only TAKE_PROFIT_MARKET on the mark rests at the target after the stop, and is verified', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);

    expect((await proc.enter()).status).toBe('opened');

    const [open] = await store.positions.active();
    const placed = venue.requests.filter((r) => r.method === 'POST' && r.path === '/fapi/v1/algoOrder').map((r) => r.params);
    expect(placed.map((p) => p['clientAlgoId'])).toEqual(['ltd-1-stop', 'ltd-1-tp']);
    expect(placed[1]).toMatchObject({ type: 'TAKE_PROFIT_MARKET', side: 'SELL', quantity: String(open?.quantity), reduceOnly: 'true', workingType: 'MARK_PRICE' });
    // On the 0.1 tick, never nearer the entry than the planned target.
    expect(Number(placed[1]?.['triggerPrice'])).toBeGreaterThanOrEqual(open?.takeProfitPrice ?? Infinity);
    expect(Number(placed[1]?.['triggerPrice']) - (open?.takeProfitPrice ?? 0)).toBeLessThan(0.1);
    expect(await store.orders.get('ltd-1-tp')).toMatchObject({ purpose: 'tp', type: 'take_profit_market', status: 'open' });
    const tpAt = venue.requests.findIndex((r) => r.params['clientAlgoId'] === 'ltd-1-tp');
    expect(venue.requests.slice(tpAt + 1).some((r) => r.path === '/fapi/v1/openAlgoOrders')).toBe(true);
  });

  it('when the mark reaches the target while the daemon looks away, then the venue closes the position, the trade is booked as the target, and the stop is cancelled', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    const [open] = await store.positions.active();

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', (open?.takeProfitPrice ?? 0) + 50);
    expect(venue.book.openPositions()).toEqual([]);
    const result = await proc.parts.monitor.check(await store.positions.active());

    expect(result.closed).toBe(1);
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ reason: 'take_profit_on_exchange', quantity: open?.quantity });
    expect(trade?.netPnl).toBeGreaterThan(0);
    expect(venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-stop')?.algoStatus).toBe('CANCELED');
    expect(venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW')).toEqual([]);
    expect(proc.notifier.ofType('position_closed').map((event) => event.trade.reason)).toEqual(['take_profit_on_exchange']);
  });

  it('when the stop fills first, then the target is cancelled and can never close a later position', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    const [open] = await store.positions.active();

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', (open?.stopPrice ?? 0) - 50);
    await proc.parts.monitor.check(await store.positions.active());

    expect((await store.trades.list()).map((t) => t.reason)).toEqual(['stop_loss_on_exchange']);
    expect(venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-tp')?.algoStatus).toBe('CANCELED');
  });

  it('when the target went missing from the venue, then reconciliation places it again and leaves the stop alone', async () => {
    const { venue, proc } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    const tp = venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-tp');
    await proc.exchange.cancelOrder(String(tp?.algoId), 'BTC/USDT:USDT');

    await proc.parts.reconciler.reconcile();

    const resting = venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => a.clientAlgoId);
    expect(resting.sort()).toEqual(['ltd-1-stop', 'ltd-1-tp']);
  });

  it('when the owner adds to the position by hand, then after the stop the target is resized to the whole size, never two targets together covering more than the position', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    const overTargeted: string[] = [];
    const targetAudit = venue.onRequest((request) => {
      const held = Math.abs(venue?.book.openPositions()[0]?.amount ?? 0);
      const targets = (venue?.book.algoOrders ?? []).filter((a) => a.algoStatus === 'NEW' && a.orderType === 'TAKE_PROFIT_MARKET');
      const covered = targets.reduce((sum, a) => sum + a.quantity, 0);
      if (covered > held + 1e-12) overTargeted.push(`${request.method} ${request.path}: ${covered} of targets for ${held}`);
    });
    venue.clearRequests();

    venue.setPrice('BTCUSDT', 100_100);
    await proc.exchange.placeEntry({ clientOrderId: 'web_hand_add_1', symbol: BTC, side: 'long', quantity: 0.002 });
    venue.setPrice('BTCUSDT', 99_900);
    await proc.parts.monitor.check(await store.positions.active());
    await proc.parts.monitor.check(await store.positions.active());

    const resting = venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => `${a.clientAlgoId} ${a.orderType} x${a.quantity}`);
    expect(resting.sort()).toEqual(['ltd-1-stop.1 STOP_MARKET x0.025', 'ltd-1-tp.1 TAKE_PROFIT_MARKET x0.025']);
    // The stop first (placed, then the old one cancelled), then the target: the old one cancelled, the new one placed.
    const oldTp = String(venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-tp')?.algoId);
    const oldStop = String(venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-stop')?.algoId);
    expect(describeChanges(venue)).toEqual([
      'POST /fapi/v1/order web_hand_add_1',
      'POST /fapi/v1/algoOrder ltd-1-stop.1',
      `DELETE /fapi/v1/algoOrder ${oldStop}`,
      `DELETE /fapi/v1/algoOrder ${oldTp}`,
      'POST /fapi/v1/algoOrder ltd-1-tp.1',
    ]);
    expect(await store.orders.get('ltd-1-tp.1')).toMatchObject({ status: 'open', quantity: 0.025 });
    expect(await store.orders.get('ltd-1-tp')).toMatchObject({ status: 'cancelled' });

    // The target met on the venue closes the whole position, the added part included.
    const [open] = await store.positions.active();
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', Math.ceil(open?.takeProfitPrice ?? 0) + 1);
    expect(venue.book.openPositions()).toEqual([]);
    await proc.parts.monitor.check(await store.positions.active());
    targetAudit();
    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ quantity: 0.025 });
    expect(overTargeted).toEqual([]);
  });

  it('when the owner closes part of the position by hand, then after the stop the target is resized to what is left', async () => {
    const { venue, proc, store } = await boot();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    venue.setPrice('BTCUSDT', 99_500);
    await proc.exchange.closePosition({ clientOrderId: 'web_hand_part', symbol: BTC, positionSide: 'long', quantity: 0.005 });

    await proc.parts.monitor.check(await store.positions.active());

    const resting = venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => `${a.clientAlgoId} ${a.orderType} x${a.quantity}`);
    expect(resting.sort()).toEqual(['ltd-1-stop.1 STOP_MARKET x0.018', 'ltd-1-tp.1 TAKE_PROFIT_MARKET x0.018']);
  });

  it('when so much is taken off by hand that the rest at the target would book less than the minimum profit, then the resized target moves out to where the whole trade books the minimum', async () => {
    // A $200 minimum: 0.023 BTC at the 12% target nets about $270; the 0.005 left would net about $58 there.
    const { venue, proc, store } = await boot({ MIN_PROFIT_USD: '200' });
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    const [open] = await store.positions.active();
    venue.setPrice('BTCUSDT', 99_500);
    await proc.exchange.closePosition({ clientOrderId: 'web_hand_part', symbol: BTC, positionSide: 'long', quantity: 0.018 });

    await proc.parts.monitor.check(await store.positions.active());

    const target = venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-tp.1' && a.algoStatus === 'NEW');
    const [rest] = await store.positions.active();
    expect(rest?.quantity).toBe(0.005);
    expect(target?.triggerPrice).toBeGreaterThan(open?.takeProfitPrice ?? Infinity);
    // The part taken off by hand at 99,500 lost money: the rest at the target makes up for it, as the trade is booked whole.
    const closedPart = await closedPartsNetPnl(store.orders, rest!, proc.settings.costs.takerFeeRate);
    expect(closedPart).toBeLessThan(0);
    const atTarget = valuePosition(rest!, target?.triggerPrice ?? 0, proc.settings.costs).netPnl + closedPart;
    expect(atTarget).toBeGreaterThanOrEqual(200 - 1e-6);
    // On the 0.1 tick, no farther than it has to be.
    expect(atTarget).toBeLessThan(200 + 0.1 * 0.005);
  });

  it('when funding paid after the target was placed would leave it booking less than the minimum profit, then it is re-placed farther out', async () => {
    // A $300 minimum: above what the 12% target nets, so the target rests on the minimum-profit floor from the start.
    const { venue, proc, store } = await boot({ MIN_PROFIT_USD: '300' });
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');
    const first = venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-tp' && a.algoStatus === 'NEW');
    expect(first).toBeDefined();

    venue.advance(60_000);
    // A long pays 1% of its $2,300 notional.
    venue.settleFunding('BTCUSDT', 0.01);
    await proc.parts.monitor.check(await store.positions.active());

    const [open] = await store.positions.active();
    expect(open?.funding).toBeLessThan(-20);
    const target = venue.book.algoOrders.find((a) => a.clientAlgoId === 'ltd-1-tp.1' && a.algoStatus === 'NEW');
    expect(target?.triggerPrice).toBeGreaterThan(first?.triggerPrice ?? Infinity);
    expect(valuePosition(open!, target?.triggerPrice ?? 0, proc.settings.costs).netPnl).toBeGreaterThanOrEqual(300 - 1e-6);
    expect(venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => a.clientAlgoId).sort()).toEqual(['ltd-1-stop', 'ltd-1-tp.1']);

    // Funding received since leaves it where it is: it would only fill later than needed.
    venue.advance(60_000);
    venue.settleFunding('BTCUSDT', -0.001);
    await proc.parts.monitor.check(await store.positions.active());
    expect(venue.book.algoOrders.filter((a) => a.algoStatus === 'NEW').map((a) => a.clientAlgoId).sort()).toEqual(['ltd-1-stop', 'ltd-1-tp.1']);
  });
});
