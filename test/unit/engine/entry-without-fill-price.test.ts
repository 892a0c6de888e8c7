// An entry whose fill comes back without its average price (an order found late on a venue whose order status has
// none, its fills not readable yet) is measured from the price the venue holds it at, not the planned one: a short
// that sold 1% above the plan keeps its stop at least 5% from the real fill.
import { describe, expect, it } from 'vitest';
import type { MarketSnapshot } from '../../../src/domain/analysis.js';
import { adverseDistance } from '../../../src/domain/money.js';
import { buildEngine } from '../../../src/engine/build-engine.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import type { Opportunity } from '../../../src/engine/open-position.js';
import type { Exchange, OrderResult } from '../../../src/ports/exchange.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { vote } from '../../support/factories.js';
import { engineFixture } from '../../support/engine-fixture.js';

const START = new Date('2025-09-20T00:00:00Z');
const SYMBOL = 'ETH/USDT:USDT';

/** The venue as seen through an adapter that could not learn the average price of the entry's fill. */
function withoutAveragePrice(exchange: Exchange): Exchange {
  const strip = (order: OrderResult): OrderResult => {
    const { averagePrice: _ignored, ...rest } = order;
    return rest;
  };
  return new Proxy(exchange, {
    get(target, prop, receiver) {
      if (prop === 'placeEntry') return async (...args: Parameters<Exchange['placeEntry']>) => strip(await target.placeEntry(...args));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A short planned 1% below the market: the price jumped while the entry was on its way. */
async function openShortPlannedBelowTheMarket(strip: boolean) {
  const fixture = await engineFixture({ start: START, analysts: [new ScriptedAnalyst('a', () => ({ action: 'hold' }))] });
  const exchange = strip ? withoutAveragePrice(fixture.ctx.exchange) : fixture.ctx.exchange;
  const ctx: EngineContext = { ...fixture.ctx, exchange };
  const engine = buildEngine(ctx, { orphanPolicy: 'adopt', settingsView: {} });
  await engine.daemon.start();
  const market = (await fixture.marketData.ticker(SYMBOL)).last;
  const planned = Math.round(market * 0.99 * 100) / 100;
  const agreeing = [vote({ analyst: 'a', action: 'short', stopLossPct: 0.05, leverage: 5 }), vote({ analyst: 'b', action: 'short', stopLossPct: 0.05, leverage: 5 })];
  const opportunity = {
    snapshot: { symbol: SYMBOL, price: planned, timeframes: { '1h': { indicators: {} } } } as unknown as MarketSnapshot,
    consensus: { decision: 'short', agreeing, dissenting: [], discarded: [], confidence: 0.8, leverage: 5, stopLossRange: [0.05, 0.05], takeProfitPct: 0.1 },
    score: { total: 90, confidence: 0, consensus: 0, regimeFit: 0, riskReward: 0, alignment: 0 },
  } as unknown as Opportunity;
  const outcome = await engine.daemon.parts.opener.open(opportunity);
  const held = (await fixture.ctx.exchange.positions()).find((p) => p.symbol === SYMBOL);
  return { outcome, held, planned };
}

describe('the stop of an entry whose fill came back without an average price', () => {
  it('when the fill carries its average price, then the stop is at least 5% from it', async () => {
    const { outcome, held } = await openShortPlannedBelowTheMarket(false);

    const position = outcome.status === 'opened' ? outcome.position : expect.fail(`not opened: ${JSON.stringify(outcome)}`);
    expect(adverseDistance('short', held!.entryPrice, position.stopPrice)).toBeGreaterThanOrEqual(0.05);
  });

  it('when it does not, then the position is recorded at the price the venue holds it at, and the stop is at least 5% from that', async () => {
    const { outcome, held, planned } = await openShortPlannedBelowTheMarket(true);

    const position = outcome.status === 'opened' ? outcome.position : expect.fail(`not opened: ${JSON.stringify(outcome)}`);
    expect(held!.entryPrice).toBeGreaterThan(planned * 1.005);
    expect(position.entryPrice).toBeCloseTo(held!.entryPrice, 6);
    expect(adverseDistance('short', held!.entryPrice, position.stopPrice)).toBeGreaterThanOrEqual(0.05);
  });
});
