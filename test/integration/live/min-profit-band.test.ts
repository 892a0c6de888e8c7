// The minimum-profit band at the edges: no discretionary exit books a winner below MIN_PROFIT_USD, also when its close
// is retried after a failure, or when size was taken off the position by hand or by the venue; and the owner's own
// close, which the band never holds back, even of a position whose discretionary close had failed.
import { afterEach, describe, expect, it } from 'vitest';
import type { CloseOutcome } from '../../../src/ports/control.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = undefined;
  venue = undefined;
});

function sayingExit(name: string): ScriptedAnalyst {
  const analyst = new ScriptedAnalyst(name, () => ({ action: 'hold' }), 'ai');
  analyst.exitAnswer = { outcome: 'valid', shouldExit: true, confidence: 0.9, reason: 'momentum turned' };
  return analyst;
}

async function opened(): Promise<{ venue: FakeBinance; store: InMemoryStore; proc: LiveProcess }> {
  venue = await startVenue();
  const store = new InMemoryStore();
  proc = new LiveProcess(venue, store, { exitAnalysts: [sayingExit('claude'), sayingExit('grok')] });
  await proc.prepare();
  venue.setPrice('BTCUSDT', 100_000);
  expect((await proc.enter()).status).toBe('opened');
  return { venue, store, proc };
}

/** About $4.60 down, the models say exit, and the venue refuses the close once: the position is left closing. */
async function aiExitThatFailed(failure: (venue: FakeBinance) => void): Promise<{ venue: FakeBinance; store: InMemoryStore; proc: LiveProcess }> {
  const world = await opened();
  world.venue.advance(60_000);
  world.venue.setPrice('BTCUSDT', 99_950);
  failure(world.venue);
  expect((await world.proc.parts.monitor.check(await world.store.positions.active())).closed).toBe(0);
  expect((await world.store.positions.active()).map((p) => [p.status, p.closeReason])).toEqual([['closing', 'ai_exit']]);
  return world;
}

const CLOSE_503 = (venue: FakeBinance): void => venue.failNext({ path: '/fapi/v1/order', method: 'POST', status: 503 });

describe('a discretionary close retried after it failed', () => {
  it('when the AI\'s exit of a loser never reached the venue and the long is now a winner below $2.50, then the close is called off and the owner told', async () => {
    const { venue, store, proc } = await aiExitThatFailed(CLOSE_503);

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 100_200);
    await proc.parts.monitor.check(await store.positions.active());

    expect(await store.trades.list()).toEqual([]);
    expect((await store.positions.active()).map((p) => p.status)).toEqual(['open']);
    const told = proc.notifier.ofType('alert').filter((alert) => alert.incident.startsWith('close:'));
    expect(told.at(-1)).toMatchObject({ cleared: true, message: expect.stringMatching(/did not go through, and at 100200 it would now book \$[01]\.\d\d, a winner below the \$2\.50 minimum profit.*stays open with its stop/) });
    expect(venue.book.algoOrders.filter((order) => order.algoStatus === 'NEW')).toHaveLength(1);
  });

  it('when the stop no longer rests on the venue by the retry, then it is placed again first, and the close of the small winner is called off under it', async () => {
    const { venue, store, proc } = await aiExitThatFailed(CLOSE_503);
    const stop = venue.book.algoOrders.find((order) => order.clientAlgoId === 'ltd-1-stop');
    await proc.exchange.cancelOrder(String(stop?.algoId), BTC);

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 100_200);
    await proc.parts.monitor.check(await store.positions.active());

    expect(await store.trades.list()).toEqual([]);
    expect((await store.positions.active()).map((p) => p.status)).toEqual(['open']);
    expect(venue.book.algoOrders.filter((order) => order.algoStatus === 'NEW').map((order) => order.clientAlgoId)).toEqual(['ltd-1-stop.1']);
  });

  it('when the stop is gone by the retry and cannot be placed again, then the close is not called off: a position without its stop is closed', async () => {
    const { venue, store, proc } = await aiExitThatFailed(CLOSE_503);
    const stop = venue.book.algoOrders.find((order) => order.clientAlgoId === 'ltd-1-stop');
    await proc.exchange.cancelOrder(String(stop?.algoId), BTC);
    venue.failNext({ path: '/fapi/v1/algoOrder', method: 'POST', status: 400, body: { code: -2010, msg: 'Order would immediately trigger.' }, count: 1_000 });

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 100_200);
    await proc.parts.monitor.check(await store.positions.active());

    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['ai_exit']);
    expect(venue.book.openPositions()).toEqual([]);
  });

  it('when the position is still a loser at the retry, then the AI\'s close goes through', async () => {
    const { venue, store, proc } = await aiExitThatFailed(CLOSE_503);

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 99_900);
    await proc.parts.monitor.check(await store.positions.active());

    expect((await store.trades.list()).map((trade) => [trade.reason, trade.netPnl < 0])).toEqual([['ai_exit', true]]);
  });

  it('when the close reached the venue although its answer was lost, then it is not called off: the fill is booked', async () => {
    const { venue, store, proc } = await aiExitThatFailed((v) => v.dropConnection({ path: '/fapi/v1/order', method: 'POST', afterProcessing: true }));

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 100_200);
    await proc.parts.monitor.check(await store.positions.active());

    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['ai_exit']);
    expect(await store.positions.active()).toEqual([]);
  });
});

/** The owner's confirmed close, carried out by the loop's command step (as the loop does between its steps). */
async function ownerClose(p: LiveProcess, positionId: string): Promise<CloseOutcome> {
  const outcome = p.engine.control.closePosition(positionId, 'telegram:owner');
  await (p.daemon as unknown as { carryOutCommands(): Promise<void> }).carryOutCommands();
  return outcome;
}

describe('the owner\u2019s close of a position whose discretionary close failed before', () => {
  it('when the owner is told "closing, the daemon retries it at every check" and the price then turns into a small winner, then the owner\u2019s close is still carried through', async () => {
    const { venue, store, proc } = await aiExitThatFailed(CLOSE_503);
    const [position] = await store.positions.active();

    // The owner presses "Confirm close"; the venue refuses once more, so the owner is told the close is under way.
    CLOSE_503(venue);
    const outcome = await ownerClose(proc, position!.id);
    expect(outcome.status).toBe('pending');

    // Next check: the long is now a winner of about +$1, inside the band the daemon's own exits must not book.
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 100_200);
    await proc.parts.monitor.check(await store.positions.active());

    // The owner asked for the close and was promised retries: the position must not be reopened by the band rule.
    expect(await store.positions.active()).toEqual([]);
    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['manual']);
  });

  it('when the owner\u2019s close of such a position goes through at a small winner, then the trade is the owner\u2019s (manual), not an AI exit below the minimum profit', async () => {
    const { venue, store, proc } = await aiExitThatFailed(CLOSE_503);
    const [position] = await store.positions.active();

    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 100_200);
    const outcome = await ownerClose(proc, position!.id);

    expect(outcome.status).toBe('closed');
    const trade = outcome.status === 'closed' ? outcome.trade : undefined;
    expect(trade!.netPnl).toBeGreaterThan(0);
    expect(trade!.netPnl).toBeLessThan(proc.settings.exits.minProfitUsd);
    // Booked, messaged and counted in /stats as the owner's close.
    expect(trade!.reason).toBe('manual');
    expect(proc.notifier.ofType('position_closed').map((e) => e.trade.reason)).toEqual(['manual']);
  });
});

describe('the owner\u2019s close of a position whose discretionary close did go through', () => {
  it('when the AI\u2019s close reached the venue and filled (its answer lost), then the owner\u2019s close books it as the AI\u2019s exit, not as the owner\u2019s', async () => {
    const { venue, store, proc } = await aiExitThatFailed((v) => v.dropConnection({ path: '/fapi/v1/order', method: 'POST', afterProcessing: true }));
    const [position] = await store.positions.active();

    venue.advance(60_000);
    const outcome = await ownerClose(proc, position!.id);

    expect(outcome.status).toBe('closed');
    expect((await store.trades.list()).map((trade) => trade.reason)).toEqual(['ai_exit']);
  });
});

describe('the minimum profit after size was taken off by hand', () => {
  it('when the owner takes most of a long off at a profit and the rest is a small winner, then the AI\u2019s exit does not close it', async () => {
    const { venue, store, proc } = await opened();
    const [position] = await store.positions.active();
    expect(position?.quantity).toBe(0.023);

    // 0.018 taken off by hand at 100 150; at 100 250 the 0.005 left is about +$0.50 on its share of the fees.
    venue.setPrice('BTCUSDT', 100_150);
    await proc.exchange.closePosition({ clientOrderId: 'web_hand_part', symbol: BTC, positionSide: 'long', quantity: 0.018 });
    venue.advance(60_000);
    venue.setPrice('BTCUSDT', 100_250);
    await proc.parts.monitor.check(await store.positions.active());

    expect(await store.trades.list()).toEqual([]);
    expect(await store.positions.get(position?.id ?? '')).toMatchObject({ status: 'open', quantity: 0.005, entryFee: expect.closeTo(((position?.entryFee ?? 0) * 0.005) / 0.023, 9) });
  });

  it('when the venue deleverages part of a long at a profit and the rest turns a loser that leaves the whole trade a small winner, then the time exit does not close it', async () => {
    venue = await startVenue();
    const store = new InMemoryStore();
    proc = new LiveProcess(venue, store, { env: { MAX_HOLDING_HOURS: '1' } });
    await proc.prepare();
    venue.setPrice('BTCUSDT', 100_000);
    expect((await proc.enter()).status).toBe('opened');

    // 0.01 taken at 101 000 (about +$9 net); at 99 500 the 0.013 left is about -$8.40 net: the trade about +$0.60.
    venue.advance(2 * 3_600_000);
    venue.setPrice('BTCUSDT', 101_000);
    venue.autoDeleverage('BTCUSDT', 0.01);
    venue.setPrice('BTCUSDT', 99_500);
    await proc.parts.monitor.check(await store.positions.active());

    expect(await store.trades.list()).toEqual([]);
    expect(await store.positions.get('1')).toMatchObject({ status: 'open', quantity: 0.013 });
  });
});
