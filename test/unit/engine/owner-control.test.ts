// The owner's read-only reports from the engine: /status, /balance, /performance, /stats, /logs, /version and /chart
// read the store, the exchange and the market as they are, over the bundled history, the in-memory store and the paper
// account.
import { describe, expect, it } from 'vitest';
import type { CloseReason, Position, Trade } from '../../../src/domain/trading.js';
import { renderStatusReply } from '../../../src/adapters/notifier/render/command-replies.js';
import { DaemonStartingError } from '../../../src/domain/errors.js';
import { formatUtcTime } from '../../../src/adapters/notifier/render/format.js';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineSettings } from '../../../src/engine/engine-context.js';
import type { DecisionRecord, NewPosition } from '../../../src/ports/store.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture, type EngineFixture } from '../../support/engine-fixture.js';

const NOW = new Date('2025-09-20T12:00:00Z');
const ETH = 'ETH/USDT:USDT';
const BUILD = { version: '9.8.7', commit: 'abc1234', runtime: 'Node.js 20.19.0' };

async function reports(settings: Partial<EngineSettings> = {}) {
  const holding = [new ScriptedAnalyst('a', () => ({ action: 'hold' })), new ScriptedAnalyst('b', () => ({ action: 'hold' }))];
  const fixture = await engineFixture({ start: NOW, analysts: holding, settings });
  const engine = buildEngine(fixture.ctx, { orphanPolicy: 'adopt', settingsView: {}, build: BUILD });
  return { fixture, control: engine.control };
}

function position(overrides: Partial<NewPosition> = {}): NewPosition {
  return {
    symbol: ETH,
    side: 'long',
    leverage: 5,
    quantity: 0.1,
    entryPrice: 4000,
    margin: 80,
    stopPrice: 3800,
    stopLossPct: 0.05,
    liquidationPrice: 3300,
    entryFee: 0.2,
    funding: -0.05,
    openedAt: new Date('2025-09-20T10:00:00Z'),
    rationale: { confidence: 0.8, opportunityScore: 85, agreeing: ['a', 'b'], dissenting: [] },
    ...overrides,
  };
}

async function openPosition(fixture: EngineFixture, overrides: Partial<NewPosition> = {}): Promise<Position> {
  const created = await fixture.store.positions.create(position(overrides));
  return fixture.store.positions.update(created.id, { status: 'open' });
}

/** A closed trade booked in the store, as the trade booker leaves it. */
async function closedTrade(fixture: EngineFixture, symbol: string, netPnl: number, closedAt: string, reason: CloseReason = 'take_profit'): Promise<Trade> {
  const openedAt = new Date(Date.parse(closedAt) - 2 * 3_600_000);
  const created = await fixture.store.positions.create(position({ symbol, openedAt }));
  await fixture.store.positions.markClosed(created.id, { closedAt: new Date(closedAt), closeReason: reason, funding: 0, entryFee: 0.2 });
  const trade: Trade = {
    positionId: created.id,
    symbol,
    side: 'long',
    leverage: 5,
    quantity: 0.1,
    entryPrice: 4000,
    exitPrice: 4000 + netPnl * 10,
    margin: 80,
    stopPrice: 3800,
    liquidationPrice: 3300,
    entryFee: 0.2,
    exitFee: 0.2,
    funding: 0,
    grossPnl: netPnl + 0.4,
    netPnl,
    pnlPct: netPnl / 80,
    reason,
    openedAt,
    closedAt: new Date(closedAt),
    rationale: created.rationale,
    fills: [],
  };
  await fixture.store.trades.record(trade);
  return trade;
}

describe('/status right after a start', () => {
  it('when the loop has not stepped yet, then no next scan is given (never 1970), and after its first step the scheduled one is', async () => {
    const holding = [new ScriptedAnalyst('a', () => ({ action: 'hold' })), new ScriptedAnalyst('b', () => ({ action: 'hold' }))];
    const fixture = await engineFixture({ start: NOW, analysts: holding, settings: { symbols: [ETH] } });
    const stop = new AbortController();
    const engine = buildEngine({ ...fixture.ctx, clock: { now: () => fixture.clock.now(), sleep: async () => stop.abort() } }, { orphanPolicy: 'adopt', settingsView: {} });
    const price = (_symbol: string, value: number) => String(value);

    await engine.daemon.start();
    const starting = await engine.control.status();
    await engine.daemon.run(stop.signal);
    const running = await engine.control.status();

    expect(starting.nextScanAt).toBeUndefined();
    expect(renderStatusReply(starting, price)).not.toMatch(/Next scan|1970/);
    expect(running.nextScanAt).toEqual(new Date(NOW.getTime() + fixture.ctx.settings.schedule.scanIntervalMs));
    expect(renderStatusReply(running, price)).toContain(`Next scan: ${formatUtcTime(running.nextScanAt!)}`);
  });
});

describe('/status and /risk before the start has loaded the breakers', () => {
  it('when asked before the start, then they say the daemon is still starting, a known state and not a fault; after it they answer', async () => {
    const holding = [new ScriptedAnalyst('a', () => ({ action: 'hold' })), new ScriptedAnalyst('b', () => ({ action: 'hold' }))];
    const fixture = await engineFixture({ start: NOW, analysts: holding, settings: { symbols: [ETH] } });
    const engine = buildEngine(fixture.ctx, { orphanPolicy: 'adopt', settingsView: {} });

    const early = [await engine.control.status().catch((error: unknown) => error), await engine.control.riskOverview().catch((error: unknown) => error)];
    await engine.daemon.start();

    for (const answer of early) {
      expect(answer).toBeInstanceOf(DaemonStartingError);
      expect((answer as Error).message).toBe('the daemon is still starting; try again in a few seconds');
    }
    expect((await engine.control.status()).breakers).toEqual([]);
    expect((await engine.control.riskOverview()).manualPause).toBe(false);
  });
});

describe('/status while entries are blocked', () => {
  it('when the owner has paused entries, then no next scan is given, as none runs, and the reply says so', async () => {
    const holding = [new ScriptedAnalyst('a', () => ({ action: 'hold' })), new ScriptedAnalyst('b', () => ({ action: 'hold' }))];
    const fixture = await engineFixture({ start: NOW, analysts: holding, settings: { symbols: [ETH] } });
    const stop = new AbortController();
    const engine = buildEngine({ ...fixture.ctx, clock: { now: () => fixture.clock.now(), sleep: async () => stop.abort() } }, { orphanPolicy: 'adopt', settingsView: {} });
    const price = (_symbol: string, value: number) => String(value);
    await engine.daemon.start();
    await engine.daemon.run(stop.signal);

    await engine.daemon.parts.breakers.pause('telegram:owner');
    const paused = await engine.control.status();

    expect(paused.breakers.map((active) => active.breaker)).toEqual(['manual_pause']);
    expect(paused.nextScanAt).toBeUndefined();
    expect(renderStatusReply(paused, price)).toContain('Next scan: none while entries are paused');
  });
});

describe('/balance', () => {
  it('when a long is open, then open P&L is at the last price before fees, the net one as /positions shows it, and equity adds it to the balance', async () => {
    const { fixture, control } = await reports();
    await openPosition(fixture);
    const last = (await fixture.marketData.ticker(ETH)).last;
    const [view] = await control.openPositions();

    const balance = await control.balance();

    const gross = (last - 4000) * 0.1;
    expect(balance).toMatchObject({ currency: 'USDT', capital: 100, accountBalance: 100, availableMargin: 100, marginInUse: 80, openPositions: 1 });
    expect(balance.unrealizedPnl).toBeCloseTo(gross, 9);
    expect(balance.unrealizedNetPnl).toBe(view?.unrealizedPnl);
    expect(balance.equity).toBeCloseTo(100 + gross, 9);
  });

  it('when live trading is capped below the account, then the trading capital and the account balance are told apart', async () => {
    const { control } = await reports({ capitalCap: 60 });

    const balance = await control.balance();

    expect(balance).toMatchObject({ capital: 60, accountBalance: 100, availableMargin: 60, marginInUse: 0, openPositions: 0, unrealizedPnl: 0, equity: 100 });
  });

  it('when a position\u2019s market cannot be read, then open P&L and equity are left unknown', async () => {
    const { fixture, control } = await reports();
    await openPosition(fixture, { symbol: 'NOPE/USDT:USDT' });

    const balance = await control.balance();

    expect(balance.marginInUse).toBe(80);
    expect(balance.unrealizedPnl).toBeUndefined();
    expect(balance.equity).toBeUndefined();
  });
});

describe('/positions and the dashboard meter', () => {
  async function withMark(markPrice: () => Promise<number>) {
    const holding = [new ScriptedAnalyst('a', () => ({ action: 'hold' })), new ScriptedAnalyst('b', () => ({ action: 'hold' }))];
    const fixture = await engineFixture({ start: NOW, analysts: holding });
    const marketData = Object.assign(Object.create(fixture.marketData) as typeof fixture.marketData, { markPrice });
    const engine = buildEngine({ ...fixture.ctx, marketData }, { orphanPolicy: 'adopt', settingsView: {} });
    await openPosition(fixture);
    return { fixture, control: engine.control };
  }

  it('when the mark differs from the last price, then the view carries both: P&L on the last, the mark for the stop and liquidation', async () => {
    const { fixture, control } = await withMark(async () => 3950);
    const last = (await fixture.marketData.ticker(ETH)).last;

    const [view] = await control.openPositions();

    expect(last).not.toBe(3950);
    expect(view?.price).toBe(last);
    expect(view?.markPrice).toBe(3950);
  });

  it('when the mark cannot be read, then the view measures from the last price rather than losing the position\'s price', async () => {
    const { fixture, control } = await withMark(async () => {
      throw new Error('mark price unavailable');
    });
    const last = (await fixture.marketData.ticker(ETH)).last;

    const [view] = await control.openPositions();

    expect(view?.price).toBe(last);
    expect(view?.markPrice).toBe(last);
    expect(view?.unrealizedPnl).toBeDefined();
  });
});

describe('/performance and /stats', () => {
  it('when asked for the last 2 days, then the window is today and yesterday (UTC), whole days; without days, all time', async () => {
    const { fixture, control } = await reports();
    await closedTrade(fixture, ETH, 5, '2025-09-18T23:59:00Z');
    await closedTrade(fixture, ETH, -2, '2025-09-19T00:00:00Z', 'stop_loss');
    await closedTrade(fixture, 'BTC/USDT:USDT', 3, '2025-09-20T11:00:00Z');

    const recent = await control.performance(2);
    const allTime = await control.performance();

    expect(recent).toMatchObject({ days: 2, from: new Date('2025-09-19T00:00:00Z'), to: NOW });
    expect(recent.symbols.map((row) => [row.symbol, row.trades, row.netPnl])).toEqual([
      ['BTC/USDT:USDT', 1, 3],
      [ETH, 1, -2],
    ]);
    expect(allTime.days).toBeUndefined();
    expect(allTime.symbols.map((row) => [row.symbol, row.trades, row.netPnl])).toEqual([
      ['BTC/USDT:USDT', 1, 3],
      [ETH, 2, 3],
    ]);
    expect((await control.tradeStats()).exits.map((exit) => [exit.reason, exit.trades])).toEqual([
      ['take_profit', 2],
      ['stop_loss', 1],
    ]);
  });

  it('when asked for /daily, /weekly and /monthly, then each counts the trades since the start of its UTC day, Monday or 1st', async () => {
    // NOW is Saturday 20 September 2025, 12:00 UTC.
    const { fixture, control } = await reports();
    await closedTrade(fixture, ETH, 7, '2025-08-31T23:00:00Z');
    await closedTrade(fixture, ETH, 5, '2025-09-01T01:00:00Z');
    await closedTrade(fixture, ETH, -2, '2025-09-15T00:30:00Z', 'stop_loss');
    await closedTrade(fixture, ETH, 3, '2025-09-20T11:00:00Z');

    const [day, week, month] = await Promise.all([control.summary('day'), control.summary('week'), control.summary('month')]);

    expect([day, week, month].map((summary) => [summary.from.toISOString(), summary.trades, summary.netPnl])).toEqual([
      ['2025-09-20T00:00:00.000Z', 1, 3],
      ['2025-09-15T00:00:00.000Z', 2, 1],
      ['2025-09-01T00:00:00.000Z', 3, 6],
    ]);
  });

  it('when a number of days is not a whole number from 1, then the request is refused', async () => {
    const { control } = await reports();
    await expect(control.performance(0)).rejects.toThrow(RangeError);
    await expect(control.equityHistory(1.5)).rejects.toThrow(RangeError);
  });
});

describe('/logs, /version and /chart', () => {
  it('when the log holds lines of every level, then only warnings and worse come back, newest first, up to the limit', async () => {
    const { fixture, control } = await reports();
    const line = (minute: number, level: string) => ({ time: new Date(NOW.getTime() - minute * 60_000), level, message: `${level} ${minute}` });
    await fixture.store.logs.append([line(5, 'warn'), line(4, 'info'), line(3, 'error'), line(2, 'debug'), line(1, 'warn')]);

    expect((await control.recentLogs(10)).map((entry) => entry.message)).toEqual(['warn 1', 'error 3', 'warn 5']);
    expect((await control.recentLogs(2)).map((entry) => entry.message)).toEqual(['warn 1', 'error 3']);
  });

  it('then /version tells the build, the mode and when the daemon started', async () => {
    const { control } = await reports();

    expect(await control.version()).toEqual({ ...BUILD, mode: 'replay', startedAt: NOW, now: NOW });
  });

  it('when trades closed in the last 7 days, then the equity history starts six whole days before today and steps at each close', async () => {
    const { fixture, control } = await reports();
    await closedTrade(fixture, ETH, 4, '2025-09-13T12:00:00Z');
    await closedTrade(fixture, ETH, 5, '2025-09-15T12:00:00Z');
    await closedTrade(fixture, ETH, -2, '2025-09-19T08:00:00Z');

    const history = await control.equityHistory(7);

    expect(history).toMatchObject({ days: 7, from: new Date('2025-09-14T00:00:00Z'), to: NOW, trades: 2 });
    const start = history.points[0]!.equity;
    expect(history.points.map((point) => [point.time.toISOString(), point.equity - start])).toEqual([
      ['2025-09-14T00:00:00.000Z', 0],
      ['2025-09-15T12:00:00.000Z', 5],
      ['2025-09-19T08:00:00.000Z', 3],
    ]);
  });

  it('when shadow strategies made calls of their own, then /cost counts them apart from the account, and shared answers not at all', async () => {
    const holding = [new ScriptedAnalyst('a', () => ({ action: 'hold' }))];
    const fixture = await engineFixture({ start: NOW, analysts: holding });
    const shadowStore = new InMemoryStore();
    const engine = buildEngine(fixture.ctx, {
      orphanPolicy: 'adopt',
      settingsView: {},
      build: BUILD,
      shadows: [{ name: 'picky', changes: { MIN_AI_CONFIDENCE: '0.9' }, store: shadowStore, exchange: fixture.ctx.exchange }],
    });
    const paid = (time: string, costUsd: number, cached = false): DecisionRecord => ({
      time: new Date(time),
      symbol: ETH,
      analyst: 'claude',
      purpose: 'entry',
      outcome: 'valid',
      action: 'hold',
      confidence: 0.5,
      reasoning: 'r',
      usage: { model: 'm', latencyMs: 1, inputTokens: 10, outputTokens: 10, costUsd, promptHash: 'h', cached },
      price: 4000,
    });
    await fixture.store.decisions.recordMany([paid('2025-09-20T08:00:00Z', 0.3), paid('2025-09-02T08:00:00Z', 1)]);
    // The shadow's own prompt: paid. The same question the account asked: served from the cache at no cost.
    await shadowStore.decisions.recordMany([paid('2025-09-20T09:00:00Z', 0.05), paid('2025-09-20T08:00:00Z', 0, true), paid('2025-09-10T08:00:00Z', 0.15)]);

    const cost = await engine.control.aiCost();

    expect(cost.today).toBeCloseTo(0.3, 10);
    expect(cost.monthToDate).toBeCloseTo(1.3, 10);
    expect(cost.shadows).toHaveLength(1);
    expect(cost.shadows[0]).toMatchObject({ name: 'picky' });
    expect(cost.shadows[0]?.today).toBeCloseTo(0.05, 10);
    expect(cost.shadows[0]?.monthToDate).toBeCloseTo(0.2, 10);
    // 19.5 days into a 30-day month.
    expect(cost.shadows[0]?.projectedMonth).toBeCloseTo((0.2 / 19.5) * 30, 10);
  });

  it('when no shadow strategy runs, then /cost has the account alone', async () => {
    const { control } = await reports();
    expect((await control.aiCost()).shadows).toEqual([]);
  });
});
