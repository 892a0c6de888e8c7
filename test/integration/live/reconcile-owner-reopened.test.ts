// A restart after our position ended on the venue while the daemon was down (its take-profit, its stop or our close
// filled) and the owner then opened the same symbol and side by hand: the owner's position is not ours. Our trade is
// booked from the fills and our leftover orders are cancelled; none of them acts on the owner's position, and our exit
// rules never close it. Reconciliation then treats it as an unknown position, by ORPHAN_POSITION_POLICY (adopt here:
// kept, with a stop of its own, and the owner told).
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, LiveProcess, describeChanges, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
const processes: LiveProcess[] = [];

afterEach(async () => {
  for (const proc of processes.splice(0)) await proc.close();
  await venue?.close();
  venue = undefined;
});

function boot(v: FakeBinance, store: InMemoryStore): LiveProcess {
  const proc = new LiveProcess(v, store, { env: { TAKE_PROFIT_ON_EXCHANGE: 'true' }, orphanPolicy: 'adopt' });
  processes.push(proc);
  return proc;
}

/** The first run opens a long at 100 000 (0.023 BTC, stop 94 000, target 112 000 on the venue), then ends. */
async function openThenStop(): Promise<{ v: FakeBinance; store: InMemoryStore; takeProfitPrice: number; quantity: number }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  venue.setPrice('BTCUSDT', 100_000);
  const first = boot(venue, store);
  await first.prepare();
  expect((await first.enter()).status).toBe('opened');
  const [open] = await store.positions.active();
  await first.close();
  processes.splice(processes.indexOf(first), 1);
  return { v: venue, store, takeProfitPrice: open?.takeProfitPrice ?? Number.NaN, quantity: open?.quantity ?? Number.NaN };
}

/** The owner buys 0.01 BTC by hand (the venue's app), under a client id that is not ours. */
async function ownerBuys(v: FakeBinance): Promise<void> {
  const hand = boot(v, new InMemoryStore());
  await hand.exchange.placeEntry({ clientOrderId: 'web_owner_1', symbol: BTC, side: 'long', quantity: 0.01 });
  await hand.close();
  processes.splice(processes.indexOf(hand), 1);
}

/** The daemon back: one reconciliation pass, then one position check, whose requests to the venue are kept. */
async function restartAndCheckOnce(v: FakeBinance, store: InMemoryStore): Promise<void> {
  const second = boot(v, store);
  await second.prepare();
  await second.parts.reconciler.reconcile();
  v.clearRequests();
  await second.parts.monitor.check(await store.positions.active());
}

const held = (v: FakeBinance): string[] => v.book.openPositions().map((p) => `${p.symbol} ${p.amount}`);
const resting = (v: FakeBinance): string[] => v.book.algoOrders.filter((order) => order.algoStatus === 'NEW').map((order) => order.clientAlgoId);

describe('a restart after our target filled and the owner opened the same side by hand', () => {
  for (const world of ['our stop was left resting', 'the venue cancelled our stop'] as const) {
    it(`when ${world}, then our trade is booked as the target's, our orders are gone, and the owner's position is adopted in the same pass`, async () => {
      const { v, store, takeProfitPrice } = await openThenStop();
      v.advance(60 * 60_000);
      v.setPrice('BTCUSDT', Math.ceil(takeProfitPrice) + 50);
      expect(held(v)).toEqual([]);
      if (world === 'the venue cancelled our stop') v.dropStops('BTCUSDT');
      v.advance(60_000);
      await ownerBuys(v);
      v.clearRequests();

      const second = boot(v, store);
      await second.prepare();
      const report = await second.parts.reconciler.reconcile();

      expect(report).toMatchObject({ settled: 1, reprotected: 0, adopted: 1 });
      const [trade] = await store.trades.list();
      expect(trade).toMatchObject({ positionId: '1', reason: 'take_profit_on_exchange', quantity: 0.023, exitPrice: Math.ceil(takeProfitPrice) + 50 });
      // Our leftover orders cancelled; the owner's 0.01 adopted as position 2, with a stop of its own and a notice.
      expect(describeChanges(v).filter((change) => !change.startsWith('DELETE'))).toEqual(['POST /fapi/v1/algoOrder ltd-2-stop']);
      expect(resting(v)).toEqual(['ltd-2-stop']);
      expect((await store.positions.active()).map((p) => [p.id, p.quantity])).toEqual([['2', 0.01]]);
      expect(held(v)).toEqual(['BTCUSDT 0.01']);
      expect(second.notifier.ofType('alert').map((alert) => alert.message)).toContainEqual(expect.stringMatching(/unknown LONG BTC\/USDT:USDT position .* adopted it/));

      // The first position check closes nothing: the adopted position is the owner's, at its own entry.
      v.clearRequests();
      await second.parts.monitor.check(await store.positions.active());
      expect(describeChanges(v)).toEqual([]);
      expect(held(v)).toEqual(['BTCUSDT 0.01']);
    });
  }
});

describe('a restart after our close filled and the owner opened the same side by hand', () => {
  it('when the position was left closing, then the first check books our close and does not close the owner\'s position', async () => {
    const { v, store, quantity } = await openThenStop();
    // What the crashed process got done: marked closing, close sent and filled; nothing more.
    await store.positions.update('1', { status: 'closing', closeReason: 'time_exit' });
    await store.orders.record({ clientOrderId: 'ltd-1-close', positionId: '1', symbol: BTC, purpose: 'close', side: 'sell', type: 'market', quantity, createdAt: new Date(v.now()) });
    v.setPrice('BTCUSDT', 103_000);
    const crashed = boot(v, new InMemoryStore());
    await crashed.exchange.closePosition({ clientOrderId: 'ltd-1-close', symbol: BTC, positionSide: 'long', quantity });
    await crashed.close();
    processes.splice(processes.indexOf(crashed), 1);
    v.advance(60_000);
    await ownerBuys(v);

    await restartAndCheckOnce(v, store);

    const [trade] = await store.trades.list();
    expect(trade).toMatchObject({ positionId: '1', reason: 'time_exit', quantity: 0.023, exitPrice: 103_000 });
    // Our stop and target cancelled; no close sent for what the owner holds.
    expect(describeChanges(v).filter((change) => !change.startsWith('DELETE'))).toEqual([]);
    expect(held(v)).toEqual(['BTCUSDT 0.01']);
  });

  it('when the position was left closing before its close went out and its stop filled meanwhile, then the retry books the stop and sends no close', async () => {
    const { v, store } = await openThenStop();
    await store.positions.update('1', { status: 'closing', closeReason: 'time_exit' });
    v.advance(60 * 60_000);
    const [open] = await store.positions.active();
    v.setPrice('BTCUSDT', Math.floor(open?.stopPrice ?? Number.NaN) - 50);
    expect(held(v)).toEqual([]);
    v.advance(60_000);
    await ownerBuys(v);

    await restartAndCheckOnce(v, store);

    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['stop_loss_on_exchange']);
    expect(describeChanges(v).filter((change) => !change.startsWith('DELETE'))).toEqual([]);
    expect(held(v)).toEqual(['BTCUSDT 0.01']);
  });
});

describe('a restart whose look at the fills lags or fails', () => {
  it('when the target\'s fill is not listed yet at the restart, then the position check sends nothing for the owner\'s position, and books ours once it is', async () => {
    const { v, store, takeProfitPrice } = await openThenStop();
    v.advance(60 * 60_000);
    v.setPrice('BTCUSDT', Math.ceil(takeProfitPrice) + 50);
    v.dropStops('BTCUSDT');
    v.advance(60_000);
    await ownerBuys(v);

    const second = boot(v, store);
    await second.prepare();
    // The venue's trade list lags: for a while it ends before the target's fill (and so before the owner's buy).
    const lagging = () => v.rewriteNext({ path: '/fapi/v1/userTrades', count: 10, rewrite: (body) => (body as { side: string }[]).slice(0, 1) });
    lagging();
    expect(await second.parts.reconciler.reconcile()).toMatchObject({ settled: 0, reprotected: 0 });
    v.clearFaults();
    lagging();
    v.clearRequests();
    await second.parts.monitor.check(await store.positions.active());
    expect(describeChanges(v)).toEqual([]);
    expect(held(v)).toEqual(['BTCUSDT 0.01']);

    // Listed now: booked as the target's, and the owner's position left as it is.
    v.clearFaults();
    await second.parts.monitor.check(await store.positions.active());
    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['take_profit_on_exchange']);
    expect(describeChanges(v).filter((change) => !change.startsWith('DELETE'))).toEqual([]);
    expect(held(v)).toEqual(['BTCUSDT 0.01']);
  });

  it('when the fills cannot be read once, then the pass goes on without booking, and the next pass books our target', async () => {
    const { v, store, takeProfitPrice } = await openThenStop();
    v.advance(60 * 60_000);
    v.setPrice('BTCUSDT', Math.ceil(takeProfitPrice) + 50);
    v.advance(60_000);
    await ownerBuys(v);

    const second = boot(v, store);
    await second.prepare();
    v.failNext({ path: '/fapi/v1/userTrades', status: 503 });
    const first = await second.parts.reconciler.reconcile();
    expect(first).toMatchObject({ settled: 0, adopted: 0 });
    expect(await store.trades.list()).toEqual([]);

    const again = await second.parts.reconciler.reconcile();
    expect(again).toMatchObject({ settled: 1, adopted: 1 });
    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['take_profit_on_exchange']);
    expect(held(v)).toEqual(['BTCUSDT 0.01']);
  });
});

describe('an entry where the owner holds a position the daemon does not track yet', () => {
  it('when the scan picks BTC while the owner holds BTC by hand, then the entry is refused in words and no order is sent', async () => {
    venue = await startVenue();
    venue.setPrice('BTCUSDT', 100_000);
    await ownerBuys(venue);
    const store = new InMemoryStore();
    const proc = boot(venue, store);
    await proc.prepare();
    venue.clearRequests();

    const outcome = await proc.enter();

    expect(outcome.status).toBe('rejected');
    expect(outcome.status === 'rejected' && outcome.reasons.join(' ')).toMatch(/the exchange holds a LONG 0\.01 on BTC\/USDT:USDT that the daemon does not track yet/);
    expect(describeChanges(venue)).toEqual([]);
    expect(await store.positions.active()).toEqual([]);
    expect(held(venue)).toEqual(['BTCUSDT 0.01']);
  });
});
