// One entry through the real opener on the bundled history's paper venue, with some of the venue's (or the market
// data's) calls replaced: the stories of entries whose answers are lost or whose reads fail.
import { buildEngine } from '../../src/engine/build-engine.js';
import type { EngineContext } from '../../src/engine/engine-context.js';
import type { Exchange } from '../../src/ports/exchange.js';
import type { MarketData } from '../../src/ports/market-data.js';
import { ScriptedAnalyst } from '../../src/testing/scripted-analyst.js';
import { engineFixture, openLongFromScan } from './engine-fixture.js';

export const START = new Date('2025-09-20T00:00:00Z');
export const ETH = 'ETH/USDT:USDT';

/** `target` with the named calls replaced; every other call goes to it unchanged. */
export function withCalls<T extends object>(target: T, replaced: Partial<Record<keyof T, (...args: never[]) => unknown>>): T {
  return new Proxy(target, {
    get(object, prop, receiver) {
      const replacement = (replaced as Record<string | symbol, unknown>)[prop];
      if (replacement !== undefined) return replacement;
      const value = Reflect.get(object, prop, receiver);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

/** Two analysts that always want a long on ETH, the engine started, and one scan's best entry sent to the opener. */
export async function entryOnFaultyVenue(faults: { exchange?: (venue: Exchange) => Exchange; marketData?: (data: MarketData) => MarketData }) {
  const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
  const fixture = await engineFixture({
    start: START,
    analysts: longs,
    settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } },
  });
  const venue = fixture.ctx.exchange;
  const exchange = faults.exchange?.(venue) ?? venue;
  const marketData = (faults.marketData?.(fixture.ctx.marketData) ?? fixture.ctx.marketData) as EngineContext['marketData'];
  const engine = buildEngine({ ...fixture.ctx, exchange, marketData }, { orphanPolicy: 'adopt', settingsView: {} });
  await engine.daemon.start();
  const outcome = await openLongFromScan(engine, ETH);
  return { fixture, venue, engine, outcome };
}
