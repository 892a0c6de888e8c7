// The loop is the one writer of positions: an owner's /close is a request the loop carries out between its own steps,
// and a trade is booked once however many paths see it close. Real ccxt against the local Binance USDⓈ-M venue.
import { afterEach, describe, expect, it } from 'vitest';
import type { BreakerState } from '../../../src/domain/circuit-breakers.js';
import { utcDay } from '../../../src/domain/time.js';
import type { CloseOutcome } from '../../../src/ports/control.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { LiveProcess, startVenue, waitFor } from './live-harness.js';

let venue: FakeBinance | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

/** A long open at 100 000 (0.024 BTC, stop 94 000), the daemon started on it, its loop not yet running. */
async function openLong(): Promise<{ venue: FakeBinance; proc: LiveProcess; store: InMemoryStore }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  proc = new LiveProcess(venue, store, { positionCheckMs: 200 });
  venue.setPrice('BTCUSDT', 100_000);
  await proc.prepare();
  expect((await proc.enter()).status).toBe('opened');
  await proc.daemon.start();
  return { venue, proc, store };
}

/** Everything a booked trade changes, counted: each must say "one trade". */
async function bookkeeping(proc: LiveProcess, store: InMemoryStore) {
  const trades = await store.trades.list();
  const day = await store.dailyPerformance.get(utcDay(trades[0]?.closedAt ?? new Date()));
  const breakers = (await store.state.get('breakers')) as BreakerState;
  return {
    trades: trades.length,
    netPnl: Math.round(trades.reduce((total, trade) => total + trade.netPnl, 0) * 1e8) / 1e8,
    dayTrades: day?.trades,
    dayNetPnl: day && Math.round(day.netPnl * 1e8) / 1e8,
    // The breakers keep a running float sum; the store keeps 12 decimals.
    realizedToday: Math.round(breakers.realizedToday * 1e8) / 1e8,
    consecutiveLosses: breakers.consecutiveLosses,
    closedMessages: proc.notifier.ofType('position_closed').length,
    portfolioMessages: proc.notifier.ofType('portfolio').length,
  };
}

/** Sends the owner's /close the moment the venue receives the first request to `path`, which is then held for a while. */
function closeWhenVenueSees(venue: FakeBinance, proc: LiveProcess, path: string): () => Promise<CloseOutcome> {
  let owner: Promise<CloseOutcome> | undefined;
  venue.delayNext({ path, method: 'GET', ms: 400 });
  const stopListening = venue.onRequest((request) => {
    if (request.path === path && owner === undefined) owner = proc.engine.control.closePosition('1', 'telegram:owner');
    return undefined;
  });
  return async () => {
    await waitFor(() => owner !== undefined, "the owner's close to be sent");
    stopListening();
    return owner as Promise<CloseOutcome>;
  };
}

describe('one writer for positions (real ccxt, fake Binance USDⓈ-M)', () => {
  it("when the owner confirms /close while the monitor is in the middle of closing the same position, then the trade is booked, counted and announced once", async () => {
    const { venue, proc, store } = await openLong();
    // Far above the profit target: the monitor's next check closes the position. Its position read is held for a
    // moment, and the owner's close arrives while the monitor holds the position as open.
    venue.setPrice('BTCUSDT', 110_000);
    const ownerOutcome = closeWhenVenueSees(venue, proc, '/fapi/v3/positionRisk');
    proc.startLoop();
    const outcome = await ownerOutcome();
    await waitFor(async () => (await store.positions.active()).length === 0 && (await store.trades.count()) > 0, 'the position to be booked');
    await proc.stopLoop();

    const [trade] = await store.trades.list();
    expect(trade?.reason).toBe('take_profit');
    expect(await bookkeeping(proc, store)).toEqual({
      trades: 1,
      netPnl: trade?.netPnl,
      dayTrades: 1,
      dayNetPnl: trade?.netPnl,
      realizedToday: trade?.netPnl,
      consecutiveLosses: 0,
      closedMessages: 1,
      portfolioMessages: 1,
    });
    // The monitor got there first; the owner is told so rather than shown a second close.
    expect(outcome).toEqual({ status: 'not_open' });
    expect(venue.requestsTo('/fapi/v1/order', 'POST').map((r) => r.params['newClientOrderId'])).toEqual(['ltd-1-entry', 'ltd-1-close']);
  });

  it("when the exchange stop fills and the owner's /close arrives while the daemon is booking it, then the loss counts once: one trade, one loss in the streak, one message", async () => {
    const { venue, proc, store } = await openLong();
    // Through the stop at 94 000: the venue's stop order fills, and the position is gone from the venue.
    venue.setPrice('BTCUSDT', 93_500);
    expect(venue.book.openPositions()).toEqual([]);
    // The monitor finds it gone and books it from the fills; the owner's close arrives while the fills are read.
    const ownerOutcome = closeWhenVenueSees(venue, proc, '/fapi/v1/userTrades');
    proc.startLoop();
    const outcome = await ownerOutcome();
    await waitFor(async () => (await store.trades.count()) > 0, 'the stop to be booked');
    await proc.stopLoop();

    const [trade] = await store.trades.list();
    expect(trade?.reason).toBe('stop_loss_on_exchange');
    expect(trade?.netPnl).toBeLessThan(0);
    expect(await bookkeeping(proc, store)).toEqual({
      trades: 1,
      netPnl: trade?.netPnl,
      dayTrades: 1,
      dayNetPnl: trade?.netPnl,
      realizedToday: trade?.netPnl,
      consecutiveLosses: 1,
      closedMessages: 1,
      portfolioMessages: 1,
    });
    expect(outcome).toEqual({ status: 'not_open' });
    // No close order was sent for a position the venue no longer held.
    expect(venue.requestsTo('/fapi/v1/order', 'POST')).toHaveLength(1);
  });

  it("when the owner's /close reaches a position whose exchange stop has just filled, then it is booked once, as the stop's", async () => {
    const { venue, proc, store } = await openLong();
    venue.setPrice('BTCUSDT', 93_500);
    // The loop carries the command out first thing on its next tick, before the monitor has looked.
    const owner = proc.engine.control.closePosition('1', 'telegram:owner');
    proc.startLoop();
    const outcome = await owner;
    await proc.stopLoop();

    expect(outcome).toMatchObject({ status: 'closed', trade: { reason: 'stop_loss_on_exchange' } });
    expect(await bookkeeping(proc, store)).toMatchObject({ trades: 1, dayTrades: 1, consecutiveLosses: 1, closedMessages: 1, portfolioMessages: 1 });
    expect(venue.requestsTo('/fapi/v1/order', 'POST')).toHaveLength(1);
  });
});
