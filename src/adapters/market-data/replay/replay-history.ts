// The in-memory form of a replay's data: per market, its spec, its 15m candles with the 1h/4h candles derived once,
// its funding settlements, and where the data folder has them, 1-minute candles (a finer path inside each quarter)
// and mark-price candles. Built by `loadHistory` from files, or directly by tests from hand-made candles.
import type { Candle, MarketSpec, Timeframe } from '../../../domain/market.js';
import { TIMEFRAME_MS } from '../../../domain/market.js';
import { MINUTE_MS } from '../../../domain/time.js';
import { aggregateCandles } from './aggregate-candles.js';
import type { FundingRow } from './funding-csv.js';

/** Mark-price candles of one interval (Binance's `markPriceKlines`), oldest first. */
export interface MarkSeries {
  readonly intervalMs: number;
  readonly candles: readonly Candle[];
}

export interface MarketHistory {
  readonly spec: MarketSpec;
  readonly candles: Readonly<Record<Timeframe, readonly Candle[]>>;
  readonly funding: readonly FundingRow[];
  /** 1-minute traded-price candles; empty when the data folder has none. */
  readonly minutes: readonly Candle[];
  /** Mark-price candles; undefined when the data folder has none, and the traded price stands in for the mark. */
  readonly mark: MarkSeries | undefined;
}

export interface ReplayHistory {
  /** Keyed by unified symbol, e.g. `BTC/USDT:USDT`. */
  readonly markets: ReadonlyMap<string, MarketHistory>;
}

export interface MarketExtras {
  readonly minutes?: readonly Candle[];
  readonly mark?: MarkSeries;
}

export function marketHistory(
  spec: MarketSpec,
  candles15m: readonly Candle[],
  funding: readonly FundingRow[],
  extras: MarketExtras = {},
): MarketHistory {
  const base = TIMEFRAME_MS['15m'];
  checkSeries(spec, '15m', candles15m, base);
  const minutes = extras.minutes ?? [];
  checkSeries(spec, '1m', minutes, MINUTE_MS);
  if (extras.mark) checkSeries(spec, 'mark', extras.mark.candles, extras.mark.intervalMs);
  return {
    spec,
    candles: {
      '15m': candles15m,
      '1h': aggregateCandles(candles15m, base, TIMEFRAME_MS['1h']),
      '4h': aggregateCandles(candles15m, base, TIMEFRAME_MS['4h']),
    },
    funding,
    minutes,
    mark: extras.mark,
  };
}

function checkSeries(spec: MarketSpec, name: string, candles: readonly Candle[], intervalMs: number): void {
  for (let index = 0; index < candles.length; index += 1) {
    const candle = candles[index] as Candle;
    const previous = candles[index - 1];
    if (candle.openTime % intervalMs !== 0 || (previous !== undefined && previous.openTime >= candle.openTime)) {
      throw new RangeError(`${spec.symbol}: ${name} candles must be aligned and strictly increasing (index ${index})`);
    }
  }
}

export function replayHistory(markets: readonly MarketHistory[]): ReplayHistory {
  return { markets: new Map(markets.map((market) => [market.spec.symbol, market])) };
}
