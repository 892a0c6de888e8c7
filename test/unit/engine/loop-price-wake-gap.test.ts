// The price stream reads the last price and the stops trigger on the mark. While a wick or a basis holds the last
// price past a stop the mark has not reached, each streamed tick raises an alarm; the checks those alarms bring
// forward come no closer than PRICE_WAKE_MIN_GAP_MS (10 s) apart, not one a tick.
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { MarketData, PriceTick } from '../../../src/ports/market-data.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { EventClock } from '../../support/event-clock.js';

const ETH = 'ETH/USDT:USDT';

describe('price stream wake-ups when the last price is through the stop and the mark is not', () => {
  it('when every tick of a minute raises an alarm, then the checks come at most every 10 s, not at every tick', async () => {
    const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
    const fixture = await engineFixture({
      start: new Date('2025-09-20T10:00:00Z'),
      analysts: longs,
      settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } },
    });
    const clock = new EventClock(fixture.clock);
    const streaming = { on: false, stop: 0 };
    // The venue's last-price stream: one tick a second, the last price 0.2% through the stop (the mark stays above it).
    const marketData: MarketData = Object.assign(Object.create(fixture.marketData) as MarketData, {
      async *watchPrice(symbol: string, signal: AbortSignal): AsyncIterable<PriceTick> {
        while (!signal.aborted) {
          await clock.sleep(1_000, signal);
          if (signal.aborted) return;
          if (streaming.on) yield { symbol, price: streaming.stop * 0.998, time: clock.now() };
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
    const stillOpen = (await fixture.store.positions.active()).map((p) => p.status);
    expect(stillOpen, 'the monitor (on the mark) keeps the position').toEqual(['open']);
    // One check every 10 s at most: six in the minute (sixty, one a tick, before the gap).
    expect(checks.length, 'position checks during one minute').toBeLessThanOrEqual(6);
    expect(checks.length, 'the alarms still bring checks forward').toBeGreaterThan(1);
  }, 60_000);
});
