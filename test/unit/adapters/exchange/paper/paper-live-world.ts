// A live paper world for the paper exchange's stories: one market whose price moves at given instants, read as a live
// venue serves it (1-minute traded and mark candles known only once the clock has reached them, the forming minute
// completed at the current price by the real buildPricePath, as CcxtMarketData does), a manual clock, and an
// in-memory paper account. Traded and mark price are the same; `noMarkCandles` makes a venue that publishes no mark
// candles but a current mark (Hyperliquid).
import { ManualClock } from '../../../../../src/adapters/clock/manual-clock.js';
import { PaperExchange } from '../../../../../src/adapters/exchange/paper/paper-exchange.js';
import { buildPricePath } from '../../../../../src/adapters/market-data/ccxt/price-path.js';
import type { Candle, FundingEvent } from '../../../../../src/domain/market.js';
import { MINUTE_MS } from '../../../../../src/domain/time.js';
import type { MarketData } from '../../../../../src/ports/market-data.js';
import { RecordingLogger } from '../../../../../src/testing/silent-logger.js';
import { at, MemoryPaperAccount, SPEC, SYMBOL, T0 } from './paper-world.js';

export interface LiveWorldOptions {
  /** `HH:MM[:SS]` → the price from then on; the first sets the clock's start. */
  readonly moves: Readonly<Record<string, number>>;
  readonly funding?: readonly FundingEvent[];
  /** A settlement is listed only this long after its instant. */
  readonly fundingListedAfterMs?: number;
  readonly noMarkCandles?: boolean;
  readonly account?: MemoryPaperAccount;
}

export function livePaperWorld(options: LiveWorldOptions) {
  const moves = Object.entries(options.moves)
    .map(([time, price]) => [at(time).getTime(), price] as const)
    .sort((a, b) => a[0] - b[0]);
  const clock = new ManualClock(new Date(moves[0]?.[0] ?? T0));
  const priceAt = (time: number): number => moves.filter(([since]) => since <= time).at(-1)?.[1] ?? (moves[0]?.[1] as number);
  const minutesUntil = (now: number): Candle[] => {
    const candles: Candle[] = [];
    for (let openTime = T0; openTime <= now; openTime += MINUTE_MS) {
      const open = priceAt(openTime);
      const inside = moves.filter(([time]) => time > openTime && time < openTime + MINUTE_MS && time <= now).map(([, price]) => price);
      const close = priceAt(Math.min(now, openTime + MINUTE_MS - 1));
      candles.push({ openTime, open, high: Math.max(open, ...inside), low: Math.min(open, ...inside), close, volume: 1 });
    }
    return candles;
  };
  const now = (): number => clock.now().getTime();
  const listedAfter = options.fundingListedAfterMs ?? 0;
  const marketData: MarketData = {
    market: async () => SPEC,
    candles: async () => [],
    ticker: async () => ({ symbol: SYMBOL, last: priceAt(now()), quoteVolume24h: 1, time: clock.now() }),
    markPrice: async () => priceAt(now()),
    fundingRate: async () => ({ rate: 0, intervalHours: 8, nextFundingTime: new Date(T0 + 8 * 60 * MINUTE_MS) }),
    pricePath: async (_symbol, from, to) => {
      const minutes = minutesUntil(now()).filter((candle) => candle.openTime + 2 * MINUTE_MS > from);
      const current = { last: async () => priceAt(now()), mark: async () => priceAt(now()) };
      return buildPricePath(minutes, options.noMarkCandles === true ? [] : minutes, from, to, now(), current);
    },
    fundingEvents: async (_symbol, from, to) =>
      (options.funding ?? []).filter((event) => event.time > from && event.time <= to && event.time + listedAfter <= now()),
  };
  const account = options.account ?? new MemoryPaperAccount();
  const logger = new RecordingLogger();
  const open = (): PaperExchange =>
    new PaperExchange({ marketData, clock, account, logger, initialBalance: 1000, takerFeeRate: 0.0005, slippageBps: 5 });
  return { clock, account, logger, exchange: open(), reopen: open };
}
