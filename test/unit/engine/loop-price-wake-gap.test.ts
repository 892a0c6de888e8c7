// The stops trigger on the mark. A stream that carries the mark raises no alarm while only the last price is through a
// stop. A stream without it (a venue whose ticker has no mark) stands in the last price: while a wick or a basis holds
// it past a stop the mark has not reached, each tick raises an alarm, and the checks those alarms bring forward come
// no closer than PRICE_WAKE_MIN_GAP_MS (10 s) apart, not one a tick.
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { MarketData, PriceTick } from '../../../src/ports/market-data.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { EventClock } from '../../support/event-clock.js';

const ETH = 'ETH/USDT:USDT';

/** Position checks during one minute of a tick a second, each tick made from the position's stop price. */
async function checksInAMinute(tickAt: (stop: number) => Pick<PriceTick, 'price' | 'markPrice'>): Promise<{ checks: number; stillOpen: string[] }> {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({
      start: new Date('2025-09-20T10:00:00Z'),
      analysts: longs,
      settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } },
    });
    const clock = new EventClock(fixture.clock);
    const streaming = { on: false, stop: 0 };
    const marketData: MarketData = Object.assign(Object.create(fixture.marketData) as MarketData, {
      async *watchPrice(symbol: string, signal: AbortSignal): AsyncIterable<PriceTick> {
        while (!signal.aborted) {
          await clock.sleep(1_000, signal);
          if (signal.aborted) return;
          if (streaming.on) yield { symbol, ...tickAt(streaming.stop), time: clock.now() };
        }
      },
    });
    const engine = buildEngine({ ...fixture.ctx, marketData, clock }, { orphanPolicy: 'adopt', settingsView: {} });
    const checks: number[] = [];
    const monitor = engine.daemon.parts.monitor;
    const check = monitor.check.bind(monitor);
    monitor.check = async (active) => {
      checks.push(clock.now().getTime());
      return check(active);
    };
    const stop = new AbortController();
    await engine.daemon.start();
    const running = engine.daemon.run(stop.signal);
    // Until the position is open.
    while ((await fixture.store.positions.active()).length === 0) await clock.step();
    const [position] = await fixture.store.positions.active();
    streaming.stop = position!.stopPrice;
    streaming.on = true;
    const from = clock.now().getTime();
    checks.length = 0;
    while (clock.now().getTime() < from + 60_000) if (!(await clock.step())) break;
    stop.abort();
    for (let i = 0; i < 5; i += 1) await clock.step();
    await running;
    return { checks: checks.length, stillOpen: (await fixture.store.positions.active()).map((p) => p.status) };
}

describe('price stream wake-ups when the last price is through the stop and the mark is not', () => {
  it('when the stream has no mark and every tick of a minute raises an alarm, then the checks come at most every 10 s, not at every tick', async () => {
    // The last price 0.2% through the stop; the venue's mark (which the fixture's monitor reads) stays above it.
    const { checks, stillOpen } = await checksInAMinute((stop) => ({ price: stop * 0.998 }));

    expect(stillOpen, 'the monitor (on the mark) keeps the position').toEqual(['open']);
    // One check every 10 s at most: six in the minute (sixty, one a tick, before the gap).
    expect(checks, 'position checks during one minute').toBeLessThanOrEqual(6);
    expect(checks, 'the alarms still bring checks forward').toBeGreaterThan(1);
  }, 60_000);

  it('when the stream carries the mark, then a last price through the stop raises no alarm and only the heartbeat checks', async () => {
    const { checks, stillOpen } = await checksInAMinute((stop) => ({ price: stop * 0.998, markPrice: stop * 1.002 }));

    expect(stillOpen).toEqual(['open']);
    // The 60 s heartbeat falls once at most in the minute.
    expect(checks, 'position checks during one minute').toBeLessThanOrEqual(1);
  }, 60_000);

  it('when the streamed mark crosses the stop, then the alarm brings the check forward', async () => {
    const { checks } = await checksInAMinute((stop) => ({ price: stop * 1.002, markPrice: stop * 0.998 }));

    expect(checks, 'the alarms bring checks forward').toBeGreaterThan(1);
  }, 60_000);
});
