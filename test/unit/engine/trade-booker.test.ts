import { describe, expect, it } from 'vitest';
import type { BreakerState } from '../../../src/domain/circuit-breakers.js';
import type { TradingEvent } from '../../../src/domain/events.js';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { Notifier } from '../../../src/ports/notifier.js';
import type { Store } from '../../../src/ports/store.js';
import { TemporaryError } from '../../../src/domain/errors.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture, openLongFromScan } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const ETH = 'ETH/USDT:USDT';

/** A long on ETH opened by the engine, then closed on the paper venue behind the engine's back. */
async function closedOnTheVenue(notifier?: (inner: Notifier) => Notifier, closeAt?: Date) {
  const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
  const fixture = await engineFixture({ start: START, analysts: longs, settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } } });
  const ctx: EngineContext = notifier ? { ...fixture.ctx, notifier: notifier(fixture.notifier) } : fixture.ctx;
  const engine = buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
  await engine.daemon.start();
  const opened = await openLongFromScan(engine, ETH);
  const position = opened.status === 'opened' ? opened.position : expect.fail(`not opened: ${JSON.stringify(opened)}`);
  fixture.clock.advanceTo(closeAt ?? new Date(fixture.clock.now().getTime() + 60 * 60_000));
  await ctx.exchange.closePosition({ clientOrderId: 'by-hand', symbol: ETH, positionSide: 'long', quantity: position.quantity });
  return { fixture, engine, position };
}

async function counted(fixture: Awaited<ReturnType<typeof closedOnTheVenue>>['fixture']) {
  const [trade] = await fixture.store.trades.list();
  const breakers = (await fixture.store.state.get('breakers')) as BreakerState;
  const day = await fixture.store.dailyPerformance.get('2025-09-20');
  return {
    trades: await fixture.store.trades.count(),
    dayTrades: day?.trades,
    dayNet: day && Math.round(day.netPnl * 1e8),
    realized: Math.round(breakers.realizedToday * 1e8),
    tradeNet: trade && Math.round(trade.netPnl * 1e8),
    closedMessages: fixture.notifier.ofType('position_closed').length,
    portfolio: fixture.notifier.ofType('portfolio').length,
  };
}

describe('booking a trade', () => {
  it('when the same closed position is booked twice (two paths saw it close, or a restart came between), then everything it changes happens once', async () => {
    const { fixture, engine, position } = await closedOnTheVenue();
    const { booker } = engine.daemon.parts;

    const first = await booker.book(position, 'reconciled');
    const second = await booker.book(position, 'manual');

    expect(first?.positionId).toBe(position.id);
    expect(second).toBeUndefined();
    const figures = await counted(fixture);
    expect(figures).toEqual({ trades: 1, dayTrades: 1, dayNet: figures.tradeNet, realized: figures.tradeNet, tradeNet: figures.tradeNet, closedMessages: 1, portfolio: 1 });
    expect((await fixture.store.positions.get(position.id))?.status).toBe('closed');
  });

  it('when a trade closes just after midnight and is booked before the loop rolls the day, then it counts toward the new day, and the roll that follows keeps it', async () => {
    const { fixture, engine, position } = await closedOnTheVenue(undefined, new Date('2025-09-21T00:00:02Z'));
    const capitalBefore = (await fixture.ctx.exchange.balance()).total;

    const trade = (await engine.daemon.parts.booker.book(position, 'manual')) ?? expect.fail('not booked');
    await engine.daemon.parts.breakers.rollDay(capitalBefore);

    const breakers = (await fixture.store.state.get('breakers')) as BreakerState;
    expect(breakers.day).toBe('2025-09-21');
    // The entry fee and the funding settled before midnight came off yesterday's balance: today counts the rest of the
    // trade. (A settlement at the entry's own instant was paid on what was held before it.)
    const midnight = new Date('2025-09-21T00:00:00Z');
    const payments = await fixture.ctx.exchange.fundingPayments(ETH, position.openedAt);
    const fundingYesterday = payments.filter((payment) => payment.time > position.openedAt && payment.time < midnight).reduce((sum, payment) => sum + payment.amount, 0);
    const yesterdays = fundingYesterday - trade.entryFee;
    expect(breakers.realizedToday).toBeCloseTo(trade.netPnl - yesterdays, 8);
    expect(breakers.dayStartCapital + breakers.realizedToday).toBeCloseTo(capitalBefore, 8);
    expect(engine.daemon.parts.breakers.current()).toMatchObject({ day: '2025-09-21', realizedToday: breakers.realizedToday });
  });

  it('when the daemon restarts after midnight and a take-profit step filled before it while down, then the step stays in yesterday: today counts the rest alone, of the capital at midnight', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({ start: START, analysts: longs, settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } } });
    const engine = buildEngine(fixture.ctx, { orphanPolicy: 'adopt', settingsView: {} });
    await engine.daemon.start();
    const opened = await openLongFromScan(engine, ETH);
    const position = opened.status === 'opened' ? opened.position : expect.fail(`not opened: ${JSON.stringify(opened)}`);

    // The daemon is down from here: half is taken at 22:00 (a step whose fill the store never learns of), the rest
    // closes at 03:00 the next day, and the daemon starts again at 10:00.
    fixture.clock.advanceTo(new Date('2025-09-20T22:00:00Z'));
    // On the market's 0.001 lot.
    const step = Math.round(position.quantity * 500) / 1000;
    await fixture.ctx.exchange.closePosition({ clientOrderId: 'step-by-venue', symbol: ETH, positionSide: 'long', quantity: step });
    fixture.clock.advanceTo(new Date('2025-09-20T23:59:59Z'));
    const atMidnight = (await fixture.ctx.exchange.balance()).total;
    fixture.clock.advanceTo(new Date('2025-09-21T03:00:00Z'));
    await fixture.ctx.exchange.closePosition({ clientOrderId: 'rest-by-venue', symbol: ETH, positionSide: 'long', quantity: Math.round((position.quantity - step) * 1000) / 1000 });
    const afterClose = (await fixture.ctx.exchange.balance()).total;
    fixture.clock.advanceTo(new Date('2025-09-21T10:00:00Z'));
    const restarted = buildEngine(fixture.ctx, { orphanPolicy: 'adopt', settingsView: {} });
    await restarted.daemon.start();

    expect(await fixture.store.trades.count()).toBe(1);
    const breakers = restarted.daemon.parts.breakers.current();
    expect(breakers.day).toBe('2025-09-21');
    expect(breakers.dayStartCapital).toBeCloseTo(atMidnight, 8);
    expect(breakers.realizedToday).toBeCloseTo(afterClose - atMidnight, 8);
  });

  it("when the booking's transaction fails at its message, then nothing of it remains, and the next attempt books it once", async () => {
    // Only a message of the booking fails: the opening's own message is written in a transaction too.
    let failOnce = true;
    const { fixture, engine, position } = await closedOnTheVenue((inner) => ({
      notify: async (event: TradingEvent, within) => {
        if (within && failOnce && event.type !== 'position_opened') {
          failOnce = false;
          throw new Error('outbox write failed');
        }
        await inner.notify(event, within);
      },
    }));
    const { booker } = engine.daemon.parts;

    await expect(booker.book(position, 'manual')).rejects.toThrow('outbox write failed');
    expect((await fixture.store.positions.get(position.id))?.status).toBe('open');
    expect(await counted(fixture)).toMatchObject({ trades: 0, dayTrades: undefined, realized: 0, closedMessages: 0, portfolio: 0 });
    expect(engine.daemon.parts.breakers.current().realizedToday).toBe(0);

    await booker.book(position, 'manual');

    const figures = await counted(fixture);
    expect(figures).toMatchObject({ trades: 1, dayTrades: 1, realized: figures.tradeNet, closedMessages: 1, portfolio: 1 });
  });

  it('when a booking commits but its answer is lost, then the breakers take the stored trade before the next entry or the owner\'s /pause', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({ start: START, analysts: longs, settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } } });
    let loseAnswer = false;
    const transaction = async <T>(work: Parameters<Store['transaction']>[0]): Promise<T> => {
      const result = (await fixture.store.transaction(work)) as T;
      if (loseAnswer) {
        loseAnswer = false;
        throw new TemporaryError('connection lost during COMMIT');
      }
      return result;
    };
    const store = new Proxy(fixture.store, {
      get: (target, property) => (property === 'transaction' ? transaction : (Reflect.get(target, property, target) as unknown)),
    }) as Store;
    // A daily loss limit that this trade's loss (fees alone) reaches.
    const ctx: EngineContext = { ...fixture.ctx, store, settings: { ...fixture.ctx.settings, risk: { ...fixture.ctx.settings.risk, dailyLossLimitPct: 0.00001 } } };
    const engine = buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
    await engine.daemon.start();
    const best = (await engine.daemon.parts.scanner.scan([ETH])).best ?? expect.fail('nothing to trade');
    const opened = await engine.daemon.parts.opener.open({ snapshot: best.snapshot, consensus: { ...best.consensus, decision: 'long' }, score: best.score });
    const position = opened.status === 'opened' ? opened.position : expect.fail('not opened');
    fixture.clock.advanceTo(new Date(fixture.clock.now().getTime() + 60 * 60_000));
    await ctx.exchange.closePosition({ clientOrderId: 'by-hand', symbol: ETH, positionSide: 'long', quantity: position.quantity });
    const { booker, breakers } = engine.daemon.parts;

    loseAnswer = true;
    await expect(booker.book(position, 'manual')).rejects.toThrow('during COMMIT');
    // Closed in the store: no later booking of this position will ever read the stored breakers again.
    expect(await store.positions.active()).toEqual([]);
    const stored = (await fixture.store.state.get('breakers')) as BreakerState;
    expect(stored.dailyLossTripped).toBe(true);

    await breakers.pause('owner');

    const after = (await fixture.store.state.get('breakers')) as BreakerState;
    expect(after).toMatchObject({ realizedToday: stored.realizedToday, consecutiveLosses: stored.consecutiveLosses, dailyLossTripped: true });
    expect(breakers.blocks().map((block) => block.breaker)).toEqual(expect.arrayContaining(['daily_loss', 'manual_pause']));
  });

  it('when a close is booked, then the portfolio message follows it with the capital, the day\u2019s P&L and win rate, and the open positions', async () => {
    const { fixture, engine, position } = await closedOnTheVenue();

    const trade = await engine.daemon.parts.booker.book(position, 'manual');

    const types = fixture.notifier.events.map((event) => event.type);
    expect(types.slice(types.indexOf('position_closed'))).toEqual(['position_closed', 'portfolio']);
    const [portfolio] = fixture.notifier.ofType('portfolio');
    const balance = await fixture.ctx.exchange.balance();
    expect(portfolio).toMatchObject({ capital: balance.total, openPositions: [], winRate: (trade?.netPnl ?? 0) > 0 ? 1 : 0 });
    expect(portfolio?.todayPnl).toBeCloseTo(trade?.netPnl ?? NaN, 8);
  });
});
