// After a restart the adapter knows none of the orders an earlier process placed: the fills of those orders must still
// carry the daemon's client ids, or the engine takes its own stop or close for the owner's hand on the exchange.
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtExchange } from '../../../src/adapters/exchange/ccxt/ccxt-exchange.js';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import type { Fill } from '../../../src/domain/trading.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { venueClock } from '../../peers/binance-usdm/index.js';
import { BYBIT_API_KEY, BYBIT_SECRET, startFakeBybit } from '../../peers/bybit/index.js';
import type { LocalPerpVenue } from '../../peers/perp-venue/perp-venue.js';
import { HL_ACCOUNT, HL_AGENT_KEY, startFakeHyperliquid } from '../../peers/hyperliquid/index.js';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

interface VenueCase {
  readonly id: string;
  readonly symbol: string;
  readonly apiKey: string;
  readonly secret: string;
  /** The venue; `fillsCarryIds` false leaves the client id out of its fills. */
  start(fillsCarryIds: boolean): Promise<LocalPerpVenue>;
}

const venues: VenueCase[] = [
  {
    id: 'bybit',
    symbol: 'BTC/USDT:USDT',
    apiKey: BYBIT_API_KEY,
    secret: BYBIT_SECRET,
    start: async (fillsCarryIds) => {
      const venue = await startFakeBybit({ balance: 1_000, takerFeeRate: 0.0005 });
      venue.dialect.executionsCarryLinkId = fillsCarryIds;
      return venue;
    },
  },
  {
    id: 'hyperliquid',
    symbol: 'BTC/USDC:USDC',
    apiKey: HL_ACCOUNT,
    secret: HL_AGENT_KEY,
    start: async (fillsCarryIds) => {
      const venue = await startFakeHyperliquid({ balance: 1_000, takerFeeRate: 0.0005 });
      venue.dialect.fillsCarryCloid = fillsCarryIds;
      return venue;
    },
  },
];

/** One process's adapter; a second one over the same venue is the daemon after a restart. */
function processOn(venue: LocalPerpVenue, id: string, apiKey: string, secret: string): CcxtExchange {
  const logger = new RecordingLogger();
  const clock = venueClock(venue);
  const wsOrigin = venue.origin.replace('http', 'ws');
  const marketData = new CcxtMarketData({ exchangeId: id, apiOrigin: venue.origin, wsOrigin, clock, logger });
  const exchange = new CcxtExchange({ exchangeId: id, apiKey, secret, apiOrigin: venue.origin, wsOrigin, marketData, clock, logger, timeoutMs: 5_000 });
  closers.push(() => exchange.close(), () => marketData.close());
  return exchange;
}

/** The fills a restarted process reads after an entry and its replaced stop, both placed by the process before it. */
async function fillsAfterRestart({ id, symbol, apiKey, secret, start }: VenueCase, fillsCarryIds: boolean): Promise<Fill[]> {
  const venue = await start(fillsCarryIds);
  closers.push(() => venue.close());
  venue.setPrice(symbol, 100_000);
  const before = processOn(venue, id, apiKey, secret);
  await before.setLeverage(symbol, 5, 'isolated');
  const since = new Date(venue.now() - 1_000);
  await before.placeEntry({ clientOrderId: 'ltd-7-entry', symbol, side: 'long', quantity: 0.01 });
  await before.placeProtectiveStop({ clientOrderId: 'ltd-7-stop.2', symbol, positionSide: 'long', quantity: 0.01, triggerPrice: 95_000 });
  venue.advance(1_000);
  venue.setPrice(symbol, 94_000);
  venue.advance(1_000);

  return processOn(venue, id, apiKey, secret).fills(symbol, since);
}

describe.each(venues)('fills of orders placed before a restart on $id (real ccxt, local venue)', (venue) => {
  it('when a replaced stop fired and the daemon restarted, then the entry\'s and the stop\'s fills carry our client ids', async () => {
    const fills = await fillsAfterRestart(venue, true);

    expect(fills.map((f) => [f.side, f.quantity, f.clientOrderId])).toEqual([
      ['buy', 0.01, 'ltd-7-entry'],
      ['sell', 0.01, 'ltd-7-stop.2'],
    ]);
  });

  it('when the fills themselves carry no client id, then each order is read by its id and the fills carry ours', async () => {
    const fills = await fillsAfterRestart(venue, false);

    expect(fills.map((f) => [f.side, f.quantity, f.clientOrderId])).toEqual([
      ['buy', 0.01, 'ltd-7-entry'],
      ['sell', 0.01, 'ltd-7-stop.2'],
    ]);
  });
});
