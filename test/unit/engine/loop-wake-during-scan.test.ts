// A wake-up that comes while a scan runs beside an open position (a stop crossed on the price stream, or filled on the
// order stream) keeps its check at once, also when that scan opens a second position.
import { describe, expect, it } from 'vitest';
import { PaperExchange } from '../../../src/adapters/exchange/paper/index.js';
import { buildEngine, type Engine } from '../../../src/engine/build-engine.js';
import type { Clock } from '../../../src/ports/clock.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const ETH = 'ETH/USDT:USDT';
const BTC = 'BTC/USDT:USDT';

describe('a wake-up during a scan that opens a second position', () => {
  it('when the scan opens a position, then the position already open is still checked at once after the wake-up, not a minute later', async () => {
    const phase = { second: false, wokenAt: undefined as number | undefined };
    const holder: { engine?: Engine } = {};
    const script = (snapshot: { symbol: string }) => {
      if (!phase.second) return { action: snapshot.symbol === ETH ? ('long' as const) : ('hold' as const) };
      // The second scan: the analysts take their time on BTC; meanwhile the price stream sees ETH cross its stop.
      if (snapshot.symbol === BTC && phase.wokenAt === undefined) {
        phase.wokenAt = holder.engine!.daemon['ctx'].clock.now().getTime();
        events.push(`wake@${phase.wokenAt}`);
        holder.engine!.daemon.wake();
      }
      return { action: snapshot.symbol === BTC ? ('short' as const) : ('hold' as const) };
    };
    const analysts = [new ScriptedAnalyst('a', script), new ScriptedAnalyst('b', script)];
    const fixture = await engineFixture({
      start: new Date('2025-09-20T10:00:00Z'),
      analysts,
      settings: {
        symbols: [ETH, BTC],
        consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 },
        risk: { ...(await engineFixture({ start: new Date('2025-09-20T10:00:00Z'), analysts: [] })).ctx.settings.risk, maxOpenPositions: 2, positionSizePct: 0.3 },
      },
    });
    const events: string[] = [];
    // A 10,000 USDT paper account, so that two positions fit.
    const exchange = new PaperExchange({ marketData: fixture.marketData, clock: fixture.clock, account: fixture.store.paperAccount, initialBalance: 10_000, takerFeeRate: fixture.ctx.settings.costs.takerFeeRate, slippageBps: fixture.ctx.settings.costs.slippageBps, logger: fixture.logger });
    const stop = new AbortController();
    let sleeps = 0;
    const clock: Clock = {
      now: () => fixture.clock.now(),
      sleep: async (ms, signal) => {
        sleeps += 1;
        if (sleeps > 40) return stop.abort();
        await fixture.clock.sleep(ms, signal);
      },
    };
    const engine = buildEngine({ ...fixture.ctx, exchange, clock }, { orphanPolicy: 'adopt', settingsView: {} });
    holder.engine = engine;
    const monitor = engine.daemon.parts.monitor;
    const check = monitor.check.bind(monitor);
    monitor.check = async (active) => {
      events.push(`check@${fixture.clock.now().getTime()}:${active.map((p) => p.symbol).join(',')}`);
      return check(active);
    };
    await engine.daemon.start();
    // First the ETH long; from its first check on, the next scan asks about BTC.
    const origOpen = engine.daemon.parts.opener.open.bind(engine.daemon.parts.opener);
    engine.daemon.parts.opener.open = async (opportunity) => {
      const outcome = await origOpen(opportunity);
      events.push(`open ${opportunity.snapshot.symbol}: ${outcome.status}@${fixture.clock.now().getTime()} ${JSON.stringify((outcome as { reasons?: unknown }).reasons ?? (outcome as { error?: unknown }).error ?? "")}`);
      if (outcome.status === 'opened' && opportunity.snapshot.symbol === ETH) phase.second = true;
      if (outcome.status === 'opened' && opportunity.snapshot.symbol === BTC) stopSoon = true;
      return outcome;
    };
    let stopSoon = false;
    let afterOpen = 0;
    const runClock = clock.sleep;
    clock.sleep = async (ms, signal) => {
      if (stopSoon && (afterOpen += 1) >= 3) return stop.abort();
      return runClock(ms, signal);
    };
    await engine.daemon.run(stop.signal);
    expect(phase.wokenAt, 'the wake-up happened during the BTC scan').toBeDefined();
    expect(events.some((e) => e.startsWith(`open ${BTC}: opened`)), 'the BTC scan opened a position').toBe(true);
    const wakeIndex = events.indexOf(`wake@${phase.wokenAt}`);
    const nextCheck = events.slice(wakeIndex + 1).find((e) => e.startsWith('check@'));
    expect(nextCheck, 'a check after the wake-up').toBeDefined();
    const checkedAt = Number(nextCheck!.slice('check@'.length).split(':')[0]);
    expect(checkedAt - phase.wokenAt!, 'delay from the wake-up to the next position check (ms)').toBeLessThanOrEqual(1_000);
  }, 60_000);
});
