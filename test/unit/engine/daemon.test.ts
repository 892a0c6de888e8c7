import { describe, expect, it } from 'vitest';
import { OperationalError, TemporaryError } from '../../../src/domain/errors.js';
import { DEFAULT_PORTFOLIO } from '../../../src/domain/portfolio-limits.js';
import { DEFAULT_EXIT, DEFAULT_RISK } from '../../../src/domain/settings.js';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import type { MarketData } from '../../../src/ports/market-data.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const MINUTE = 60_000;

function build(ctx: EngineContext) {
  return buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
}

/** Runs the loop until `until` holds after a tick, or `maxTicks` ticks. */
async function runUntil(ctx: EngineContext, engine: ReturnType<typeof build>, until: () => Promise<boolean>, maxTicks = 50) {
  const stop = new AbortController();
  let ticks = 0;
  const clock = ctx.clock;
  const bounded: EngineContext = {
    ...ctx,
    clock: {
      now: () => clock.now(),
      sleep: async (ms, signal) => {
        ticks += 1;
        if (ticks >= maxTicks || (await until())) stop.abort();
        else await clock.sleep(ms, signal);
      },
    },
  };
  const looped = build(bounded);
  await looped.daemon.start();
  await looped.daemon.run(stop.signal);
  return { ticks, engine: looped };
}

/** The exchange, with its cancels failing while `failing.cancels` is above zero (each failure counts it down). */
function failingCancels(exchange: Exchange, failing: { cancels: number }): Exchange {
  return new Proxy(exchange, {
    get(target, key) {
      if (key === 'cancelOrder') {
        return async (id: string, symbol: string): Promise<void> => {
          if (failing.cancels > 0) {
            failing.cancels -= 1;
            throw new TemporaryError('503 Service Unavailable');
          }
          await target.cancelOrder(id, symbol);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('the daemon loop', () => {
  it('when a price read of a position check fails for a moment, then it is read again and the check goes through', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({ start: START, analysts: longs, settings: { symbols: ['BTC/USDT:USDT'], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } } });
    const failing = { reads: 0 };
    const marketData = new Proxy(fixture.ctx.marketData, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        const bound = (value as (...args: unknown[]) => unknown).bind(target);
        if (key !== 'ticker' && key !== 'markPrice') return bound;
        return async (...args: unknown[]): Promise<unknown> => {
          if (failing.reads > 0) {
            failing.reads -= 1;
            throw new TemporaryError(`${String(key)} failed: fetch failed: other side closed`);
          }
          return bound(...args);
        };
      },
    });
    const ctx: EngineContext = { ...fixture.ctx, marketData };
    const { engine } = await runUntil(ctx, build(ctx), async () => (await fixture.store.positions.active()).length > 0);
    const active = await fixture.store.positions.active();
    expect(active).toHaveLength(1);

    failing.reads = 2;
    const result = await engine.daemon.parts.monitor.check(active);

    expect(result).toEqual({ closed: 0 });
    expect(failing.reads).toBe(0);
    expect(fixture.logger.lines.filter((line) => line.message === 'position check failed')).toEqual([]);
  });

  it('when a replaced stop\'s old one could not be cancelled, then the loop cancels it at its next passes, before any reconciliation is due', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({ start: START, analysts: longs, settings: { symbols: ['BTC/USDT:USDT'], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 }, reconcileIntervalMs: 24 * 60 * MINUTE } });
    const failing = { cancels: 0 };
    const stop = new AbortController();
    let replacedAt: number | undefined;
    let oldStop: string | undefined;
    const ctx: EngineContext = {
      ...fixture.ctx,
      exchange: failingCancels(fixture.ctx.exchange, failing),
      clock: {
        now: () => fixture.clock.now(),
        // Between two passes of the loop: once a position is open, its stop is moved while every cancel fails.
        sleep: async (ms, signal) => {
          const [position] = await fixture.store.positions.active();
          // Retries sleep too (the replacement's own cancel tries among them): only the first sleep with a position acts.
          if (position && oldStop === undefined) {
            oldStop = position.stopClientOrderId;
            failing.cancels = 100;
            const moved = await engine.daemon.parts.stopMover.replace(position, { triggerPrice: Number((position.stopPrice + 100).toFixed(1)), why: 'test move' });
            expect(moved.replaced ? '' : moved.error).toBe('');
            expect(engine.daemon.parts.stopMover.supersededWaiting).toBe(1);
            failing.cancels = 1;
            replacedAt = fixture.clock.now().getTime();
          } else if (replacedAt !== undefined && engine.daemon.parts.stopMover.supersededWaiting === 0) {
            stop.abort();
            return;
          }
          if (fixture.clock.now().getTime() - START.getTime() > 12 * 60 * MINUTE) stop.abort();
          else await fixture.clock.sleep(ms, signal);
        },
      },
    };
    const engine = build(ctx);
    await engine.daemon.start();
    await engine.daemon.run(stop.signal);

    expect(replacedAt).toBeDefined();
    expect(engine.daemon.parts.stopMover.supersededWaiting).toBe(0);
    const [position] = await fixture.store.positions.active();
    const resting = (await fixture.ctx.exchange.openOrders('BTC/USDT:USDT')).map((order) => order.clientOrderId);
    expect(resting).toEqual([position?.stopClientOrderId]);
    expect(resting).not.toContain(oldStop);
    expect(await fixture.store.orders.get(oldStop ?? '')).toMatchObject({ status: 'cancelled' });
    // Within the loop's passes after the move (one failed try, then the cancel), far inside the 24 h reconciliation.
    expect(fixture.clock.now().getTime() - (replacedAt ?? 0)).toBeLessThan(10 * MINUTE);
  });

  it('when a market-data call throws in one cycle, it alerts once, keeps going, and clears the alert when data returns', async () => {
    const holds = [new ScriptedAnalyst('a', () => ({ action: 'hold' })), new ScriptedAnalyst('b', () => ({ action: 'hold' }))];
    const fixture = await engineFixture({ start: START, analysts: holds });
    let failures = 2;
    const flaky: MarketData = {
      ...fixture.ctx.marketData,
      market: (s) => fixture.marketData.market(s),
      candles: (symbol, timeframe, limit) => {
        if (failures > 0) {
          failures -= symbol === 'XRP/USDT:USDT' && timeframe === '4h' ? 1 : 0;
          return Promise.reject(new Error('exchange unreachable'));
        }
        return fixture.marketData.candles(symbol, timeframe, limit);
      },
      ticker: (s) => fixture.marketData.ticker(s),
      markPrice: (s) => fixture.marketData.markPrice(s),
      fundingRate: (s) => fixture.marketData.fundingRate(s),
      pricePath: (s, f, t) => fixture.marketData.pricePath(s, f, t),
      fundingEvents: (s, f, t) => fixture.marketData.fundingEvents(s, f, t),
    };
    const ctx = { ...fixture.ctx, marketData: flaky };
    const { ticks } = await runUntil(ctx, build(ctx), async () => fixture.notifier.ofType('alert').some((a) => a.cleared));
    const alerts = fixture.notifier.ofType('alert').filter((a) => a.incident === 'market-data');
    expect(alerts.map((a) => a.cleared)).toEqual([false, true]);
    expect(ticks).toBeLessThan(50);
    expect(fixture.logger.lines.some((line) => line.level === 'warn' && line.message === 'symbol skipped in this scan')).toBe(true);
  });

  it('when the scan step failed and the venue then goes down for every market, then a scan that assessed nothing does not announce the step works again', async () => {
    // The maintenance begins while the first scan is asking the analysts: the entry's balance read is refused.
    let maintenance = false;
    const longs = [new ScriptedAnalyst('a', () => ((maintenance = true), { action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({ start: START, analysts: longs, settings: { symbols: ['ETH/USDT:USDT'], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } } });
    // Ten minutes in the market data goes too, for half an hour; afterwards everything answers again.
    const dataGoneAt = START.getTime() + 10 * MINUTE;
    const venueBackAt = START.getTime() + 40 * MINUTE;
    const down = () => maintenance && fixture.clock.now().getTime() < venueBackAt;
    const exchange = fixture.ctx.exchange;
    const inMaintenance: EngineContext = {
      ...fixture.ctx,
      exchange: Object.assign(Object.create(Object.getPrototypeOf(exchange) as object) as typeof exchange, exchange, {
        balance: async () => {
          if (down()) throw new TemporaryError('balance failed: the venue had an internal error (venue -1001: System is under maintenance.)');
          return exchange.balance();
        },
      }),
      marketData: {
        ...fixture.ctx.marketData,
        market: (s) => fixture.marketData.market(s),
        candles: (symbol, timeframe, limit) =>
          fixture.clock.now().getTime() >= dataGoneAt && down() ? Promise.reject(new TemporaryError('candles failed: 503 Service Unavailable')) : fixture.marketData.candles(symbol, timeframe, limit),
        ticker: (s) => fixture.marketData.ticker(s),
        markPrice: (s) => fixture.marketData.markPrice(s),
        fundingRate: (s) => fixture.marketData.fundingRate(s),
        pricePath: (s, f, t) => fixture.marketData.pricePath(s, f, t),
        fundingEvents: (s, f, t) => fixture.marketData.fundingEvents(s, f, t),
      },
    };
    await runUntil(inMaintenance, build(inMaintenance), async () => (await fixture.store.positions.active()).length > 0, 200);

    const scanAlerts = fixture.notifier.ofType('alert').filter((a) => a.incident === 'engine:scan');
    expect(scanAlerts.map((a) => a.cleared)).toEqual([false, true]);
    expect(scanAlerts[1]?.at.getTime()).toBeGreaterThanOrEqual(venueBackAt);
    expect(fixture.notifier.ofType('alert').some((a) => a.incident === 'market-data' && !a.cleared)).toBe(true);
  });

  it('when the cascade asks no more than the screener, then the scan message gives the cascade\'s reason, not missing votes', async () => {
    const panel = [
      new ScriptedAnalyst('deepseek', () => ({ action: 'hold' }), 'ai'),
      new ScriptedAnalyst('claude', () => ({ action: 'long' }), 'ai'),
      new ScriptedAnalyst('grok', () => ({ action: 'long' }), 'ai'),
    ];
    const settings = { symbols: ['BTC/USDT:USDT'], aiMode: 'cascade', screener: 'deepseek', notifyScans: 'all' } as const;
    const fixture = await engineFixture({ start: START, analysts: panel, settings });

    await runUntil(fixture.ctx, build(fixture.ctx), async () => fixture.notifier.ofType('scan_result').length > 0);

    const [scan] = fixture.notifier.ofType('scan_result');
    expect(scan?.willTrade).toBe(false);
    expect(scan?.reason).toMatch(/^(quiet: [01] of 2 technical signals; no analyst was asked|screener deepseek said HOLD; the others were not asked)$/);
  });

  it('scans again at once after a position closes, leaving out the symbol just closed', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    // A 20-cent profit target so the first position closes within hours of simulated time.
    const exits = { ...DEFAULT_EXIT, minProfitUsd: 0.2 };
    const symbols = ['BTC/USDT:USDT', 'ETH/USDT:USDT'];
    const fixture = await engineFixture({ start: START, analysts: longs, settings: { exits, consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 }, symbols } });
    const engine = build(fixture.ctx);
    await runUntil(fixture.ctx, engine, async () => fixture.notifier.ofType('position_opened').length >= 2, 5000);
    const [closed] = fixture.notifier.ofType('position_closed');
    const [first, second] = fixture.notifier.ofType('position_opened');
    const scansAfterClose = fixture.notifier.ofType('scan_result').filter((scan) => closed && scan.at >= closed.at);
    expect(closed?.trade.symbol).toBe(first?.position.symbol);
    // The scan that follows a close happens at the same simulated instant, not five minutes later, and asks only
    // about the other symbol: the one just closed waits for a fresh candle.
    expect(scansAfterClose[0]?.at.getTime()).toBe(closed?.at.getTime());
    expect(scansAfterClose[0]?.symbolsScanned).toBe(1);
    expect(second?.position.symbol).toBe(symbols.find((symbol) => symbol !== first?.position.symbol));
    expect(second?.at.getTime()).toBe(closed?.at.getTime());
  });

  it('does not re-enter a closed symbol before the next 15m candle closes, across a restart too', async () => {
    const longs = () => [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const exits = { ...DEFAULT_EXIT, minProfitUsd: 0.2 };
    const settings = { exits, consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 }, symbols: ['BTC/USDT:USDT'] };
    const fixture = await engineFixture({ start: START, analysts: longs(), settings });
    await runUntil(fixture.ctx, build(fixture.ctx), async () => (await fixture.store.trades.count()) > 0, 5000);
    const [trade] = await fixture.store.trades.list();
    if (!trade) throw new Error('the first position never closed');
    const allowedAt = Math.floor(trade.closedAt.getTime() / (15 * MINUTE)) * 15 * MINUTE + 15 * MINUTE;
    // The first daemon may have re-entered already; a restart on the same store must not either.
    const restarted = { ...fixture.ctx, analysts: longs() };
    await runUntil(restarted, build(restarted), async () => fixture.notifier.ofType('position_opened').length >= 2, 5000);
    const reentry = fixture.notifier.ofType('position_opened')[1];
    expect(reentry?.position.symbol).toBe('BTC/USDT:USDT');
    expect(reentry?.at.getTime()).toBeGreaterThanOrEqual(allowedAt);
    // ...and it does come back once the candle has closed: at the first scan after it.
    expect(reentry?.at.getTime()).toBeLessThanOrEqual(allowedAt + 5 * MINUTE);
  });

  it('while a position is open and nothing scans, an exit opinion is what tells that a model is back', async () => {
    const claude = new ScriptedAnalyst('claude', () => ({ action: 'hold', outcome: 'failed', reason: 'HTTP 503' }), 'ai');
    claude.exitAnswer = { outcome: 'failed', shouldExit: false, confidence: 0, reason: 'HTTP 503' };
    const analysts = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' })), claude];
    const settings = { consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 }, symbols: ['ETH/USDT:USDT'] };
    const fixture = await engineFixture({ start: START, analysts, exitAnalysts: [claude], settings });
    const claudeAlerts = () => fixture.notifier.ofType('alert').filter((a) => a.incident === 'analyst:claude');
    let scansWhileOpen: number | undefined;
    let ticks = 0;
    const stop = new AbortController();
    const ctx: EngineContext = {
      ...fixture.ctx,
      clock: {
        now: () => fixture.clock.now(),
        sleep: async (ms, signal) => {
          ticks += 1;
          if (scansWhileOpen === undefined && (await fixture.store.positions.active()).length > 0) {
            // The position is open and claude's outage announced: from here on claude answers again.
            scansWhileOpen = fixture.notifier.ofType('scan_result').length;
            claude.exitAnswer = { outcome: 'valid', shouldExit: false, confidence: 0.6, reason: 'the trend holds' };
          }
          if (ticks >= 500 || claudeAlerts().some((a) => a.cleared)) stop.abort();
          else await fixture.clock.sleep(ms, signal);
        },
      },
    };
    const engine = build(ctx);
    await engine.daemon.start();
    await engine.daemon.run(stop.signal);
    expect(claudeAlerts().map((a) => a.cleared)).toEqual([false, true]);
    expect(await fixture.store.positions.active()).toHaveLength(1);
    expect(fixture.notifier.ofType('scan_result')).toHaveLength(scansWhileOpen ?? -1);
  });

  it('when the daemon restarts during an analyst outage, then the outage is announced once and the restarted daemon clears it', async () => {
    // Claude fails its first two questions (one before the restart, one after), then answers.
    let claudeCalls = 0;
    const claudeAnswer = () => (++claudeCalls <= 2 ? { action: 'hold' as const, outcome: 'failed' as const, reason: 'HTTP 529' } : { action: 'hold' as const });
    const panel = () => [new ScriptedAnalyst('a', () => ({ action: 'hold' })), new ScriptedAnalyst('b', () => ({ action: 'hold' })), new ScriptedAnalyst('claude', claudeAnswer, 'ai')];
    const fixture = await engineFixture({ start: START, analysts: panel(), settings: { symbols: ['BTC/USDT:USDT'] } });
    const claudeAlerts = () => fixture.notifier.ofType('alert').filter((a) => a.incident === 'analyst:claude');
    await runUntil(fixture.ctx, build(fixture.ctx), async () => claudeAlerts().length > 0);
    expect(claudeCalls).toBe(1);

    const restarted = { ...fixture.ctx, analysts: panel() };
    await runUntil(restarted, build(restarted), async () => claudeAlerts().some((a) => a.cleared));

    expect(claudeCalls).toBeGreaterThanOrEqual(3);
    expect(claudeAlerts().map((a) => a.cleared)).toEqual([false, true]);
  });

  it('when the venue refuses an entry for a reason a human must fix, then entries stop with one alert until /resume, and scans stop meanwhile', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({ start: START, analysts: longs, settings: { symbols: ['ETH/USDT:USDT'], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } } });
    let refusals = 0;
    const exchange = fixture.ctx.exchange;
    const refusing: EngineContext = {
      ...fixture.ctx,
      exchange: Object.assign(Object.create(Object.getPrototypeOf(exchange) as object) as typeof exchange, exchange, {
        setLeverage: async () => {
          refusals += 1;
          throw new OperationalError('setLeverage failed: the API key was refused (missing futures permission)');
        },
      }),
    };
    const { engine } = await runUntil(refusing, build(refusing), async () => false, 30);

    expect(refusals).toBe(1);
    expect(engine.daemon.parts.breakers.blocks().map((b) => b.breaker)).toEqual(['venue_problem']);
    const tripped = fixture.notifier.ofType('breaker_tripped').filter((e) => e.breaker === 'venue_problem');
    expect(tripped).toHaveLength(1);
    expect(tripped[0]?.detail).toMatch(/missing futures permission.*Fix it, then \/resume/);
    expect(longs[0]?.asked).toHaveLength(1);

    const resumed = engine.control.resumeEntries('telegram:owner');
    await engine.daemon.stop('test');
    expect(await resumed).toEqual([]);
    expect(engine.daemon.parts.breakers.blocks()).toEqual([]);
    expect(fixture.notifier.ofType('breaker_cleared').map((e) => e.breaker)).toEqual(['venue_problem']);
  });

  it('does not scan at all while a breaker blocks entries', async () => {
    const watcher = new ScriptedAnalyst('a', () => ({ action: 'long' }));
    const fixture = await engineFixture({ start: START, analysts: [watcher, new ScriptedAnalyst('b', () => ({ action: 'long' }))] });
    const stop = new AbortController();
    const engine = build(fixture.ctx);
    await engine.daemon.start();
    // Commands are carried out by the loop; a daemon that stops first carries out those already sent.
    const pausing = engine.control.pauseEntries('owner');
    await engine.daemon.stop('paused by the owner');
    await pausing;
    let sleeps = 0;
    const ctx: EngineContext = { ...fixture.ctx, clock: { now: () => fixture.clock.now(), sleep: async (ms) => { sleeps += 1; if (sleeps > 20) stop.abort(); else await fixture.clock.sleep(ms); } } };
    const paused = build(ctx);
    await paused.daemon.start();
    await paused.daemon.run(stop.signal);
    expect(watcher.asked).toHaveLength(0);
    expect(fixture.clock.now().getTime() - START.getTime()).toBeGreaterThanOrEqual(20 * 5 * MINUTE - 5 * MINUTE);
  });

  it('on shutdown leaves an open position to its stop, unless told to close it', async () => {
    for (const closeOnShutdown of [false, true]) {
      const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
      const fixture = await engineFixture({ start: START, analysts: longs, settings: { closeOnShutdown, consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 }, symbols: ['ETH/USDT:USDT'] } });
      const { engine } = await runUntil(fixture.ctx, build(fixture.ctx), async () => (await fixture.store.positions.active()).length > 0);
      await engine.daemon.stop('test');
      const open = await fixture.store.positions.active();
      const stopOrders = await fixture.ctx.exchange.openOrders('ETH/USDT:USDT');
      if (closeOnShutdown) {
        expect(open).toEqual([]);
        expect((await fixture.store.trades.list())[0]?.reason).toBe('shutdown');
      } else {
        expect(open.map((p) => p.status)).toEqual(['open']);
        expect(stopOrders.map((o) => o.type)).toEqual(['stop_market']);
      }
      expect(fixture.notifier.ofType('stopped')[0]?.openPositions).toBe(closeOnShutdown ? 0 : 1);
    }
  });

  it('on shutdown with CLOSE_ON_SHUTDOWN, when one close fails, then the others are closed all the same and the goodbye counts what is still open', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({
      start: START,
      analysts: longs,
      settings: {
        closeOnShutdown: true,
        consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 },
        symbols: ['XRP/USDT:USDT', 'DOGE/USDT:USDT'],
        risk: { ...DEFAULT_RISK, maxOpenPositions: 2, positionSizePct: 0.3 },
        // Two longs at once: XRP and DOGE move together, which the correlation limit would otherwise refuse.
        portfolio: { ...DEFAULT_PORTFOLIO, correlationThreshold: 1 },
      },
    });
    const { engine } = await runUntil(fixture.ctx, build(fixture.ctx), async () => (await fixture.store.positions.active()).length > 1);
    expect((await fixture.store.positions.active()).map((p) => p.status)).toEqual(['open', 'open']);
    const { closer } = engine.daemon.parts;
    const close = closer.close.bind(closer);
    let calls = 0;
    closer.close = async (request) => {
      calls += 1;
      if (calls === 1) throw new TemporaryError('503 Service Unavailable');
      return close(request);
    };

    await engine.daemon.stop('test');

    expect(calls).toBe(2);
    expect((await fixture.store.trades.list()).map((trade) => trade.reason)).toEqual(['shutdown']);
    expect(fixture.notifier.ofType('stopped').map((event) => event.openPositions)).toEqual([1]);
  });

  it('on shutdown with CLOSE_ON_SHUTDOWN, closes the positions before it scores votes, which reads every market', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({ start: START, analysts: longs, settings: { closeOnShutdown: true, consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 }, symbols: ['ETH/USDT:USDT'] } });
    const { engine } = await runUntil(fixture.ctx, build(fixture.ctx), async () => (await fixture.store.positions.active()).length > 0);
    const order: string[] = [];
    const { closer, scorer } = engine.daemon.parts;
    const close = closer.close.bind(closer);
    closer.close = async (request) => {
      order.push('close');
      return close(request);
    };
    const score = scorer.scorePending.bind(scorer);
    scorer.scorePending = async () => {
      order.push('score');
      return score();
    };
    await engine.daemon.stop('test');
    expect(order).toEqual(['close', 'score']);
  });
});
