// The account's leverage brackets, read through real ccxt from the local Binance USDⓈ-M venue's signed bracket
// endpoint, reach the engine's contract specs; the risk manager sizes within them.
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import type { FakeBinance } from '../../peers/binance-usdm/index.js';
import { BTC, LiveProcess, startVenue } from './live-harness.js';

let venue: FakeBinance | undefined;
let proc: LiveProcess | undefined;

afterEach(async () => {
  await proc?.close();
  await venue?.close();
  proc = venue = undefined;
});

describe("the venue's leverage brackets (real ccxt, fake venue)", () => {
  it('when the engine asks for a contract, then its spec carries the account\u2019s bracket table, read once', async () => {
    venue = await startVenue();
    proc = new LiveProcess(venue, new InMemoryStore());

    const spec = await proc.marketData.market(BTC);
    await proc.marketData.market(BTC);

    expect(spec.brackets).toEqual([
      { notionalFloor: 0, notionalCap: 50_000, maintenanceMarginRate: spec.maintenanceMarginRate, maintenanceAmount: 0, maxLeverage: 75 },
    ]);
    expect(venue.requestsTo('/fapi/v1/leverageBracket')).toHaveLength(1);
  });

  it('when the bracket endpoint fails, then the spec goes without a table and positions stay inside the first bracket', async () => {
    venue = await startVenue();
    proc = new LiveProcess(venue, new InMemoryStore());
    venue.failNext({ path: '/fapi/v1/leverageBracket', status: 500 });

    const spec = await proc.marketData.market(BTC);

    expect(spec.brackets).toBeUndefined();
    expect(proc.logger.lines.some((line) => line.message.includes('leverage brackets unavailable'))).toBe(true);
    // Not asked again at every scan: ten minutes later, and then the table arrives.
    await proc.marketData.market(BTC);
    expect(venue.requestsTo('/fapi/v1/leverageBracket')).toHaveLength(1);
    venue.advance(10 * 60_000);
    expect((await proc.marketData.market(BTC)).brackets).toHaveLength(1);
    expect(venue.requestsTo('/fapi/v1/leverageBracket')).toHaveLength(2);
  });
});
