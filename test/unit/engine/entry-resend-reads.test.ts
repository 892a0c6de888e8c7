// An entry whose first send never reached the venue is sent again and fills. The check that the venue holds no more
// than that fill (a late first send would be more) must not cost the known fill its stop: a failed read of the market
// or of the positions leaves the fill protected and the position kept, never failed.
import { describe, expect, it } from 'vitest';
import { TemporaryError } from '../../../src/domain/errors.js';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import type { MarketData } from '../../../src/ports/market-data.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const ETH = 'ETH/USDT:USDT';

async function resentEntry(failAfterResend: 'market' | 'positions') {
  const longs = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
  const fixture = await engineFixture({
    start: START,
    analysts: longs,
    settings: { symbols: [ETH], consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } },
  });
  const venue = fixture.ctx.exchange;
  let sends = 0;
  const exchange = new Proxy(venue, {
    get(target, prop, receiver) {
      if (prop === 'placeEntry') {
        return async (request: Parameters<Exchange['placeEntry']>[0]) => {
          sends += 1;
          if (sends === 1) throw new TemporaryError('placeEntry timed out (never reached the venue)');
          return target.placeEntry(request);
        };
      }
      if (prop === 'positions' && failAfterResend === 'positions') {
        return async () => {
          if (sends >= 2) throw new TemporaryError('503 from the venue');
          return target.positions();
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Exchange;
  const md = fixture.ctx.marketData;
  const marketData = new Proxy(md, {
    get(target, prop, receiver) {
      if (prop === 'market' && failAfterResend === 'market') {
        return async (symbol: string) => {
          if (sends >= 2) throw new TemporaryError('market list unavailable');
          return target.market(symbol);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as MarketData;
  const ctx: EngineContext = { ...fixture.ctx, exchange, marketData: marketData as EngineContext['marketData'] };
  const engine = buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
  await engine.daemon.start();
  const scan = await engine.daemon.parts.scanner.scan([ETH]);
  const best = scan.best ?? expect.fail('nothing to trade');
  const outcome = await engine.daemon.parts.opener.open({ snapshot: best.snapshot, consensus: { ...best.consensus, decision: 'long' }, score: best.score });
  return { fixture, venue, outcome, sends: () => sends };
}

describe('a resent entry that filled, with a read after it failing', () => {
  it('when the market read fails, then the position is kept, not marked failed', async () => {
    const { fixture, venue, outcome, sends } = await resentEntry('market');
    expect(sends()).toBe(2);
    const held = (await venue.positions()).filter((p) => p.symbol === ETH);
    expect(outcome.status).not.toBe('rejected');
    expect(held).toHaveLength(1);
    expect((await fixture.store.positions.active()).map((p) => p.symbol)).toEqual([ETH]);
  });

  it('when the position read fails, then the known fill gets its stop and the position opens', async () => {
    const { venue, outcome } = await resentEntry('positions');
    const held = (await venue.positions()).filter((p) => p.symbol === ETH);
    const stops = (await venue.openOrders(ETH)).filter((o) => o.type === 'stop_market');
    expect(held).toHaveLength(1);
    expect(stops.map((order) => order.quantity)).toEqual([held[0]?.quantity]);
    expect(outcome.status).toBe('opened');
  });
});
