// The drawdown kill switch, the calendar blackout and the entry-count cap, through the daemon's loop.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DRAWDOWN } from '../../../src/domain/drawdown.js';
import { DEFAULT_PORTFOLIO } from '../../../src/domain/portfolio-limits.js';
import { DEFAULT_RISK } from '../../../src/domain/settings.js';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { runEngineForWakeUps } from '../../support/run-engine-until.js';

const START = new Date('2025-09-20T00:00:00Z');
const MINUTE = 60_000;
const longs = () => [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
const consensus = { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 };

function build(ctx: EngineContext) {
  return buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
}

describe('the drawdown kill switch', () => {
  it('when equity is 25% below its saved peak, entries stop; after a restart they are still stopped, until /resume', async () => {
    const fixture = await engineFixture({ start: START, analysts: longs(), settings: { consensus } });
    // The peak a previous run saw: the paper account's 100 USDT is now 25% below it.
    await fixture.store.state.put('drawdown', { peakEquity: 100 / 0.75, peakAt: START.toISOString(), warned: [], tripped: false });
    await runEngineForWakeUps(fixture.ctx, 3);
    expect(fixture.notifier.ofType('breaker_tripped').map((e) => e.breaker)).toEqual(['drawdown']);
    expect(fixture.notifier.ofType('alert').filter((a) => a.incident.startsWith('drawdown:')).map((a) => a.incident)).toEqual(['drawdown:0.05', 'drawdown:0.1']);
    expect(fixture.notifier.ofType('position_opened')).toEqual([]);

    // A restart: a new engine on the same store, before any equity is read.
    const restarted = build(fixture.ctx);
    await restarted.daemon.start();
    expect(restarted.daemon.parts.breakers.blocks().map((b) => b.breaker)).toContain('drawdown');

    // /resume is a request: the restarted engine's loop carries it out.
    const resumed = restarted.control.resumeEntries('owner');
    const stop = new AbortController();
    const loop = restarted.daemon.run(stop.signal);
    await resumed;
    stop.abort();
    await loop;
    expect(restarted.daemon.parts.breakers.blocks().map((b) => b.breaker)).not.toContain('drawdown');
    expect(await fixture.store.state.get('drawdown')).toMatchObject({ tripped: false, peakEquity: 100 });
    // Nothing else holds entries back: the owner is told they are allowed again.
    expect(fixture.notifier.ofType('breaker_cleared').map((e) => [e.breaker, e.stillBlocking])).toEqual([['drawdown', []]]);
  });

  it('with DRAWDOWN_CLOSE_ALL, the loop closes the open position when the switch trips', async () => {
    const fixture = await engineFixture({ start: START, analysts: longs(), settings: { consensus, drawdown: { ...DEFAULT_DRAWDOWN, closeAll: true } } });
    await runEngineForWakeUps(fixture.ctx, 2);
    expect(fixture.notifier.ofType('position_opened')).toHaveLength(1);
    // A peak far above: the next check trips the switch.
    await fixture.store.state.put('drawdown', { peakEquity: 1000, peakAt: START.toISOString(), warned: [0.05, 0.1], tripped: false });
    fixture.clock.advanceBy(MINUTE);
    await runEngineForWakeUps(fixture.ctx, 3);
    expect(fixture.notifier.ofType('position_closed').map((e) => e.trade.reason)).toEqual(['drawdown']);
  });

  it('with DRAWDOWN_CLOSE_ALL, when the close of one position fails before it is under way, then the other is closed at the trip and that one at the next reading', async () => {
    const fixture = await engineFixture({
      start: START,
      analysts: longs(),
      settings: {
        consensus,
        symbols: ['XRP/USDT:USDT', 'DOGE/USDT:USDT'],
        risk: { ...DEFAULT_RISK, maxOpenPositions: 2, positionSizePct: 0.3 },
        portfolio: { ...DEFAULT_PORTFOLIO, correlationThreshold: 1 },
        drawdown: { ...DEFAULT_DRAWDOWN, closeAll: true },
      },
    });
    const holdsTwo = async () => (await fixture.store.positions.active()).length === 2;
    for (let tries = 0; tries < 10 && !(await holdsTwo()); tries++) await runEngineForWakeUps(fixture.ctx, 2);
    expect(await holdsTwo()).toBe(true);
    await fixture.store.state.put('drawdown', { peakEquity: 1000, peakAt: START.toISOString(), warned: [0.05, 0.1], tripped: false });
    fixture.clock.advanceBy(MINUTE);
    let calls = 0;
    await runEngineForWakeUps(fixture.ctx, 4, {
      beforeRun: (engine) => {
        const { closer } = engine.daemon.parts;
        const close = closer.close.bind(closer);
        closer.close = async (request) => {
          calls += 1;
          // The first close of the trip fails before anything is written or sent (the store did not answer).
          if (calls === 1) throw new Error('the store did not answer');
          return close(request);
        };
      },
    });

    expect(calls).toBeGreaterThanOrEqual(3);
    expect(fixture.notifier.ofType('position_closed').map((e) => e.trade.reason)).toEqual(['drawdown', 'drawdown']);
    expect(await fixture.store.positions.active()).toEqual([]);
  });
});

describe('the drawdown read after a close', () => {
  it('when a /close books a loss that takes the account past the limit, the scan that close brings forward opens nothing', async () => {
    const fixture = await engineFixture({ start: START, analysts: longs(), settings: { consensus } });
    const first = await runEngineForWakeUps(fixture.ctx, 2);
    const [open] = await fixture.store.positions.active();
    if (!open) throw new Error('the first scan opens a position');
    // The limit sits a hair under the equity at the mark: the close's exit fee alone (0.05% of a notional at least as
    // large as the equity) takes the account past it.
    const equity = (await first.control.balance()).equity ?? Number.NaN;
    await fixture.store.state.put('drawdown', { peakEquity: (equity * 0.9999) / 0.75, peakAt: START.toISOString(), warned: [0.05, 0.1], tripped: false });
    fixture.clock.advanceBy(MINUTE);

    // A restart reads that peak; the owner's /close waits for the loop's first sleep.
    let closed: Promise<unknown> | undefined;
    await runEngineForWakeUps(fixture.ctx, 4, {
      onSleep: (sleep, engine) => {
        if (sleep === 1) closed = engine.control.closePosition(open.id, 'owner');
      },
    });

    expect(await closed).toMatchObject({ status: 'closed' });
    expect(fixture.notifier.ofType('breaker_tripped').map((e) => e.breaker)).toEqual(['drawdown']);
    expect(fixture.notifier.ofType('position_opened')).toHaveLength(1);
    expect(await fixture.store.positions.active()).toEqual([]);
  });
});

describe('the drawdown read after a /close during a scan', () => {
  /**
   * An open position, a drawdown limit a hair under the equity (the close's exit fee alone takes the account past it),
   * and the owner's /close of that position arriving while the next scan asks the analysts. `failedReadings` lists the
   * drawdown readings of that run (counting from 1) the venue does not answer.
   */
  async function closeDuringScan(wakeUps: number, failedReadings: readonly number[] = []) {
    let duringScan: (() => void) | undefined;
    const answering = [
      new ScriptedAnalyst('a', () => {
        duringScan?.();
        return { action: 'long' };
      }),
      new ScriptedAnalyst('b', () => ({ action: 'long' })),
    ];
    const fixture = await engineFixture({ start: START, analysts: answering, settings: { consensus, risk: { ...DEFAULT_RISK, maxOpenPositions: 3 } } });
    const first = await runEngineForWakeUps(fixture.ctx, 2);
    const [open] = await fixture.store.positions.active();
    if (!open) throw new Error('the first scan opens a position');
    const equity = (await first.control.balance()).equity ?? Number.NaN;
    await fixture.store.state.put('drawdown', { peakEquity: (equity * 0.9999) / 0.75, peakAt: START.toISOString(), warned: [0.05, 0.1], tripped: false });
    fixture.clock.advanceBy(5 * MINUTE);

    let closed: Promise<unknown> | undefined;
    await runEngineForWakeUps(fixture.ctx, wakeUps, {
      beforeRun: (engine) => {
        duringScan = () => {
          duringScan = undefined;
          closed = engine.control.closePosition(open.id, 'owner');
        };
        const drawdown = engine.daemon.parts.drawdown;
        const observe = drawdown.observe.bind(drawdown);
        let readings = 0;
        drawdown.observe = async (active) => {
          readings += 1;
          if (failedReadings.includes(readings)) throw new Error('balance: request timed out');
          return observe(active);
        };
      },
    });
    return { fixture, closed };
  }

  it('when the close carried out between the scan and its entry takes the account past the limit, then the entry does not go out', async () => {
    const { fixture, closed } = await closeDuringScan(2);

    expect(closed).toBeDefined();
    expect(await closed).toMatchObject({ status: 'closed' });
    expect(fixture.notifier.ofType('breaker_tripped').map((e) => e.breaker)).toEqual(['drawdown']);
    expect(fixture.notifier.ofType('position_opened')).toHaveLength(1);
    expect(await fixture.store.positions.active()).toEqual([]);
  });

  it('when the reading after that close fails, then neither that entry nor the scan the close brought forward goes out before the next reading', async () => {
    // The run's first reading (at its start) answers, the one after the close does not, the next a minute later does.
    const { fixture, closed } = await closeDuringScan(4, [2]);

    expect(await closed).toMatchObject({ status: 'closed' });
    expect(fixture.notifier.ofType('position_opened')).toHaveLength(1);
    expect(fixture.notifier.ofType('breaker_tripped').map((e) => e.breaker)).toEqual(['drawdown']);
  });
});

describe('the calendar blackout', () => {
  it('from 30 minutes before an event, no scan and no entry; the block says which event', async () => {
    const event = { time: new Date(START.getTime() + 20 * MINUTE), kind: 'FOMC', title: 'FOMC statement' };
    const fixture = await engineFixture({ start: START, analysts: longs(), settings: { consensus, calendar: [event] } });
    const engine = await runEngineForWakeUps(fixture.ctx, 4);
    expect(fixture.notifier.ofType('position_opened')).toEqual([]);
    expect(fixture.notifier.ofType('scan_result')).toEqual([]);
    expect(engine.daemon.parts.breakers.blocks()[0]?.reason).toMatch(/^FOMC \(FOMC statement\) at 2025-09-20 00:20 UTC: no entries until 2025-09-20 01:20 UTC/);
    const risk = await engine.control.riskOverview();
    expect(risk.blocking.map((b) => b.breaker)).toEqual(['calendar_blackout']);
    expect(risk.nextBlackout?.kind).toBe('FOMC');
  });

  it('31 minutes before the event, entries go ahead', async () => {
    const event = { time: new Date(START.getTime() + 31 * MINUTE), kind: 'FOMC', title: 'FOMC statement' };
    const fixture = await engineFixture({ start: START, analysts: longs(), settings: { consensus, calendar: [event] } });
    await runEngineForWakeUps(fixture.ctx, 2);
    expect(fixture.notifier.ofType('position_opened')).toHaveLength(1);
  });
});

describe('portfolio limits', () => {
  it('with two positions allowed and one entry a day, the second entry is refused by the day cap', async () => {
    const fixture = await engineFixture({
      start: START,
      analysts: longs(),
      settings: {
        consensus,
        symbols: ['XRP/USDT:USDT', 'DOGE/USDT:USDT'],
        risk: { ...DEFAULT_RISK, maxOpenPositions: 2, positionSizePct: 0.4 },
        portfolio: { ...DEFAULT_PORTFOLIO, maxEntriesPerDay: 1, correlationThreshold: 1 },
      },
    });
    await runEngineForWakeUps(fixture.ctx, 12);
    expect(fixture.notifier.ofType('position_opened')).toHaveLength(1);
    expect(fixture.notifier.ofType('risk_rejected')[0]?.reasons).toContain('1 entries today (UTC); the cap is 1');
  });

  it('a second long on a symbol whose 1h returns moved with the open long is refused by the correlation guard', async () => {
    const fixture = await engineFixture({
      start: START,
      analysts: longs(),
      settings: { consensus, symbols: ['XRP/USDT:USDT', 'DOGE/USDT:USDT'], risk: { ...DEFAULT_RISK, maxOpenPositions: 2, positionSizePct: 0.4 }, portfolio: { ...DEFAULT_PORTFOLIO, correlationThreshold: 0.5 } },
    });
    await runEngineForWakeUps(fixture.ctx, 12);
    expect(fixture.notifier.ofType('position_opened')).toHaveLength(1);
    expect(fixture.notifier.ofType('risk_rejected')[0]?.reasons.join(' ')).toMatch(/1h returns correlated 0\.\d\d over 7 days; limit 0\.5/);
  });
});
