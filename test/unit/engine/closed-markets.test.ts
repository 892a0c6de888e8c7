// A market the venue closed to new positions (delisting, settlement) is asked about and entered once, not at every
// scan: the venue's refusal leaves it out of the scans for a day, on the injected clock.
import { describe, expect, it } from 'vitest';
import { MarketClosedError } from '../../../src/domain/errors.js';
import { DEFAULT_EXIT } from '../../../src/domain/settings.js';
import type { Exchange } from '../../../src/ports/exchange.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { runEngineUntil } from '../../support/run-engine-until.js';

const START = new Date('2025-09-20T00:00:00Z');
const HOUR = 3_600_000;
const ETH = 'ETH/USDT:USDT';

/** The paper venue, refusing every entry in ETH as Binance does once the symbol stops TRADING (-4140). */
function closingEth(exchange: Exchange, entries: string[]): Exchange {
  return new Proxy(exchange, {
    get(target, property, receiver) {
      if (property !== 'placeEntry') return Reflect.get(target, property, receiver) as unknown;
      return async (request: Parameters<Exchange['placeEntry']>[0]) => {
        entries.push(request.symbol);
        if (request.symbol === ETH) throw new MarketClosedError('placeEntry ETH/USDT:USDT failed: the symbol takes reduce-only orders only (delisting or settlement) (venue -4140)');
        return target.placeEntry(request);
      };
    },
  });
}

async function runFor(hours: number) {
  const buying = [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
  const settings = { symbols: [ETH], exits: { ...DEFAULT_EXIT, minProfitUsd: 0 }, consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } };
  const fixture = await engineFixture({ start: START, analysts: buying, settings });
  const entries: string[] = [];
  await runEngineUntil({ ...fixture.ctx, exchange: closingEth(fixture.ctx.exchange, entries) }, new Date(START.getTime() + hours * HOUR));
  return { entries, fixture };
}

describe('a market the venue closed to new positions', () => {
  it('when the venue refuses an entry as closed, then the market is left out of the scans for a day: one entry sent in six hours', async () => {
    const { entries, fixture } = await runFor(6);

    expect(entries).toEqual([ETH]);
    expect(fixture.logger.lines.filter((line) => line.message === 'the venue opens no new positions in this market; left out of the scans')).toHaveLength(1);
    expect(await fixture.store.positions.active()).toEqual([]);
  }, 60_000);

  it('when the day has passed, then the market is scanned and tried again', async () => {
    const { entries } = await runFor(25);

    expect(entries).toEqual([ETH, ETH]);
  }, 120_000);
});
