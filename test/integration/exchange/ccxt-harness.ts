// Wires the real ccxt adapters to a fresh fake venue for one test.
import { CcxtExchange } from '../../../src/adapters/exchange/ccxt/ccxt-exchange.js';
import { CcxtMarketData } from '../../../src/adapters/market-data/ccxt/ccxt-market-data.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import {
  type FakeBinance,
  type FakeBinanceOptions,
  TEST_API_KEY,
  TEST_SECRET,
  startFakeBinance,
  venueClock,
} from '../../peers/binance-usdm/index.js';

export const BTC = 'BTC/USDT:USDT';

export interface Harness {
  readonly venue: FakeBinance;
  readonly marketData: CcxtMarketData;
  readonly exchange: CcxtExchange;
  readonly logger: RecordingLogger;
  close(): Promise<void>;
}

export async function startHarness(
  venueOptions: FakeBinanceOptions = {},
  exchangeOptions: { secret?: string; apiKey?: string; timeoutMs?: number; entryLookUpAfterMs?: number } = {},
): Promise<Harness> {
  const venue = await startFakeBinance(venueOptions);
  const logger = new RecordingLogger();
  const clock = venueClock(venue);
  const marketData = new CcxtMarketData({ apiOrigin: venue.origin, wsOrigin: venue.wsOrigin, clock, logger });
  const exchange = new CcxtExchange({
    apiKey: exchangeOptions.apiKey ?? TEST_API_KEY,
    secret: exchangeOptions.secret ?? TEST_SECRET,
    apiOrigin: venue.origin,
    wsOrigin: venue.wsOrigin,
    marketData,
    clock,
    logger,
    timeoutMs: exchangeOptions.timeoutMs ?? 3_000,
    entryLookUpAfterMs: exchangeOptions.entryLookUpAfterMs,
  });
  return {
    venue,
    marketData,
    exchange,
    logger,
    close: async () => {
      await exchange.close();
      await marketData.close();
      await venue.close();
    },
  };
}

/** The signed requests that changed or read the account, without the client's own housekeeping. */
export function accountRequests(venue: FakeBinance): { method: string; path: string; params: Record<string, string> }[] {
  const housekeeping = new Set(['/fapi/v1/leverageBracket']);
  return venue
    .signedRequests()
    .filter((r) => !housekeeping.has(r.path))
    .map((r) => ({ method: r.method, path: r.path, params: { ...r.params } }));
}
