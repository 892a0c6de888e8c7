import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import type { MarketData } from '../../../src/ports/market-data.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture, openLongFromScan } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const ETH = 'ETH/USDT:USDT';
const MINUTE = 60_000;

/**
 * A long on ETH (settled 8-hourly in the bundled history) opened at midnight and closed on the venue at `closeAt`, on a
 * venue that lists a settlement's payment `postingDelayMs` after its instant (never, at Infinity).
 */
async function closedAfterSettlement(closeAt: Date, postingDelayMs: number, marketData?: (inner: MarketData) => MarketData) {
  const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
  const fixture = await engineFixture({ start: START, analysts: longs, settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } } });
  const venue = fixture.ctx.exchange;
  const lagging = new Proxy(venue, {
    get: (target, property) => {
      if (property === 'fundingPayments') {
        return async (symbol: string, since: Date) =>
          (await target.fundingPayments(symbol, since)).filter((payment) => payment.time.getTime() + postingDelayMs <= fixture.clock.now().getTime());
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as Exchange;
  const ctx: EngineContext = { ...fixture.ctx, exchange: lagging, marketData: marketData ? marketData(fixture.ctx.marketData) : fixture.ctx.marketData };
  const engine = buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
  await engine.daemon.start();
  const opened = await openLongFromScan(engine, ETH);
  const position = opened.status === 'opened' ? opened.position : expect.fail(`not opened: ${JSON.stringify(opened)}`);
  fixture.clock.advanceTo(closeAt);
  await venue.closePosition({ clientOrderId: 'by-hand', symbol: ETH, positionSide: 'long', quantity: position.quantity });
  const paid = async (from: Date, to: Date) =>
    (await venue.fundingPayments(ETH, from)).filter((payment) => payment.time > from && payment.time <= to).reduce((sum, payment) => sum + payment.amount, 0);
  return { fixture, engine, position, paid };
}

describe('booking a trade closed just after a funding settlement', () => {
  it('when the venue lists the 08:00 payment a minute after a close at 08:00:05, then the trade waits for it and is booked with it, once', async () => {
    const { fixture, engine, position, paid } = await closedAfterSettlement(new Date('2025-09-20T08:00:05Z'), MINUTE);
    const { booker } = engine.daemon.parts;
    const payment = await paid(START, new Date('2025-09-20T08:00:05Z'));
    expect(payment).not.toBe(0);

    expect(await booker.bookVanished(position)).toBeUndefined();
    expect(await fixture.store.trades.count()).toBe(0);
    expect((await fixture.store.positions.get(position.id))?.status).not.toBe('closed');

    fixture.clock.advanceTo(new Date('2025-09-20T08:01:10Z'));
    const trade = (await booker.bookVanished(position)) ?? expect.fail('not booked once the payment was listed');

    expect(trade.funding).toBeCloseTo(payment, 8);
    expect(trade.netPnl).toBeCloseTo(trade.grossPnl - trade.entryFee - trade.exitFee + payment, 8);
    const day = await fixture.store.dailyPerformance.get('2025-09-20');
    expect(day?.funding).toBeCloseTo(payment, 8);
    expect(day?.netPnl).toBeCloseTo(trade.netPnl, 8);
    expect(fixture.notifier.ofType('position_closed').map((event) => event.trade.funding)).toEqual([trade.funding]);
    expect(await booker.bookVanished(position)).toBeUndefined();
    expect(await fixture.store.trades.count()).toBe(1);
  });

  it('when the venue never lists a payment for the settlement, then the trade is booked without it once the posting window has passed, with no alarm that it cannot be booked', async () => {
    const { fixture, engine, position } = await closedAfterSettlement(new Date('2025-09-20T08:00:05Z'), Number.POSITIVE_INFINITY);
    const { booker } = engine.daemon.parts;

    for (const at of ['08:00:05', '08:04:00', '08:09:50']) {
      fixture.clock.advanceTo(new Date(`2025-09-20T${at}Z`));
      expect(await booker.bookVanished(position), at).toBeUndefined();
    }
    fixture.clock.advanceTo(new Date('2025-09-20T08:10:00Z'));
    const trade = (await booker.bookVanished(position)) ?? expect.fail('not booked after the posting window');

    expect(trade.funding).toBe(0);
    expect(fixture.notifier.ofType('alert').filter((alert) => alert.incident.startsWith('unbooked:'))).toEqual([]);
  });

  it('when a close comes just after a whole hour that is no settlement of the market, then it is booked at once; just after one that is, it waits', async () => {
    const notSettlement = await closedAfterSettlement(new Date('2025-09-20T09:00:05Z'), Number.POSITIVE_INFINITY);
    expect(await notSettlement.engine.daemon.parts.booker.bookVanished(notSettlement.position)).toBeDefined();

    const settlement = await closedAfterSettlement(new Date('2025-09-20T16:00:05Z'), Number.POSITIVE_INFINITY);
    expect(await settlement.engine.daemon.parts.booker.bookVanished(settlement.position)).toBeUndefined();
  });

  it('when the market data cannot tell whether the market settled, then the booking waits for the payment rather than leave it out', async () => {
    let unreachable = false;
    const failing = (inner: MarketData): MarketData =>
      new Proxy(inner, {
        get: (target, property) => {
          if (unreachable && (property === 'fundingEvents' || property === 'fundingRate')) return () => Promise.reject(new Error('venue unreachable'));
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    const { fixture, engine, position } = await closedAfterSettlement(new Date('2025-09-20T08:00:05Z'), 2 * MINUTE, failing);
    const { booker } = engine.daemon.parts;
    unreachable = true;

    expect(await booker.bookVanished(position)).toBeUndefined();
    fixture.clock.advanceTo(new Date('2025-09-20T08:02:05Z'));
    expect((await booker.bookVanished(position))?.funding).not.toBe(0);
  });
});
