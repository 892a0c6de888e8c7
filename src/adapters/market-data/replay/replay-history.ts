// The in-memory form of a replay's data: per market, its spec, its 15m candles with the 1h/4h candles derived once,
// and its funding settlements. Built by `loadHistory` from files, or directly by tests from hand-made candles.
import type { Candle, MarketSpec, Timeframe } from '../../../domain/market.js';
import { TIMEFRAME_MS } from '../../../domain/market.js';
import { aggregateCandles } from './aggregate-candles.js';
import type { FundingRow } from './funding-csv.js';

export interface MarketHistory {
  readonly spec: MarketSpec;
  readonly candles: Readonly<Record<Timeframe, readonly Candle[]>>;
  readonly funding: readonly FundingRow[];
}

export interface ReplayHistory {
  /** Keyed by unified symbol, e.g. `BTC/USDT:USDT`. */
  readonly markets: ReadonlyMap<string, MarketHistory>;
}

export function marketHistory(spec: MarketSpec, candles15m: readonly Candle[], funding: readonly FundingRow[]): MarketHistory {
  const base = TIMEFRAME_MS['15m'];
  for (let index = 0; index < candles15m.length; index += 1) {
    const candle = candles15m[index] as Candle;
    const previous = candles15m[index - 1];
    if (candle.openTime % base !== 0 || (previous !== undefined && previous.openTime >= candle.openTime)) {
      throw new RangeError(`${spec.symbol}: 15m candles must be aligned and strictly increasing (index ${index})`);
    }
  }
  return {
    spec,
    candles: {
      '15m': candles15m,
      '1h': aggregateCandles(candles15m, base, TIMEFRAME_MS['1h']),
      '4h': aggregateCandles(candles15m, base, TIMEFRAME_MS['4h']),
    },
    funding,
  };
}

export function replayHistory(markets: readonly MarketHistory[]): ReplayHistory {
  return { markets: new Map(markets.map((market) => [market.spec.symbol, market])) };
}
