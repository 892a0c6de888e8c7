// SIGTERM while the loop carries out an owner's request between a scan and its entry: no entry goes out after the
// daemon was told to stop.
import { describe, expect, it } from 'vitest';
import { PaperExchange } from '../../../src/adapters/exchange/paper/index.js';
import { buildEngine, type Engine } from '../../../src/engine/build-engine.js';
import type { Clock } from '../../../src/ports/clock.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const ETH = 'ETH/USDT:USDT';
const BTC = 'BTC/USDT:USDT';

describe('SIGTERM during a command carried out between a scan and its entry', () => {
  it('when the stop signal comes as the owner\'s close is carried out, then the scan\'s entry is not sent', async () => {
    const phase = { second: false, asked: false };
    const holder: { engine?: Engine; closeAnswer?: Promise<unknown> } = {};
    const script = (snapshot: { symbol: string }) => {
      if (!phase.second) return { action: snapshot.symbol === ETH ? ('long' as const) : ('hold' as const) };
      if (snapshot.symbol === BTC && !phase.asked) {
        phase.asked = true;
        // While the analysts think about BTC, the owner closes the ETH position.
        const [eth] = openIds;
        holder.closeAnswer = holder.engine!.control.closePosition(eth!, 'telegram:owner');
      }
      return { action: snapshot.symbol === BTC ? ('short' as const) : ('hold' as const) };
    };
    const openIds: string[] = [];
    const analysts = [new ScriptedAnalyst('a', script), new ScriptedAnalyst('b', script)];
    const base = await engineFixture({ start: new Date('2025-09-20T10:00:00Z'), analysts: [] });
    const fixture = await engineFixture({
      start: new Date('2025-09-20T10:00:00Z'),
      analysts,
      settings: { symbols: [ETH, BTC], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 }, risk: { ...base.ctx.settings.risk, maxOpenPositions: 2, positionSizePct: 0.3 } },
    });
    const exchange = new PaperExchange({ marketData: fixture.marketData, clock: fixture.clock, account: fixture.store.paperAccount, initialBalance: 10_000, takerFeeRate: 0.0005, slippageBps: 5, logger: fixture.logger });
    const sigterm = new AbortController();
    let sleeps = 0;
    const clock: Clock = {
      now: () => fixture.clock.now(),
      sleep: async (ms, signal) => {
        if ((sleeps += 1) > 40) return sigterm.abort();
        await fixture.clock.sleep(ms, signal);
      },
    };
    const engine = buildEngine({ ...fixture.ctx, exchange, clock }, { orphanPolicy: 'adopt', settingsView: {} });
    holder.engine = engine;
    const events: string[] = [];
    const opener = engine.daemon.parts.opener;
    const open = opener.open.bind(opener);
    opener.open = async (opportunity) => {
      events.push(`entry ${opportunity.snapshot.symbol}${sigterm.signal.aborted ? ' AFTER SIGTERM' : ''}`);
      const outcome = await open(opportunity);
      if (outcome.status === 'opened') {
        openIds.push(outcome.position.id);
        if (opportunity.snapshot.symbol === ETH) phase.second = true;
      }
      return outcome;
    };
    const closer = engine.daemon.parts.closer;
    const close = closer.attempt.bind(closer);
    closer.attempt = async (request) => {
      // SIGTERM (a reboot) while the owner's close is under way.
      if (request.reason === 'manual') {
        sigterm.abort();
        events.push('SIGTERM');
      }
      return close(request);
    };
    await engine.daemon.start();
    await engine.daemon.run(sigterm.signal);
    await engine.daemon.stop('shutdown requested');
    await holder.closeAnswer;
    const active = await fixture.store.positions.active();
    expect(events).toContain('SIGTERM');
    expect(events.filter((e) => e.includes('AFTER SIGTERM')), 'entries sent after SIGTERM').toEqual([]);
    expect(active.map((position) => position.symbol), 'nothing opened on BTC').not.toContain(BTC);
  }, 60_000);
});
