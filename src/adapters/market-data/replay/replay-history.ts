// The in-memory form of a replay's data: per market, its spec, its 15m candles with the 1h/4h candles derived once,
// its funding settlements, and where the data folder has them, 1-minute candles (a finer path inside each quarter)
// and mark-price candles. Built by `loadHistory` from files, or directly by tests from hand-made candles. Candles are
// held as compact series (candle-series.ts): a year of several markets as objects would take most of a backtest's memory.
import type { Candle, MarketSpec, Timeframe } from '../../../domain/market.js';
import { TIMEFRAME_MS } from '../../../domain/market.js';
import { MINUTE_MS } from '../../../domain/time.js';
import { aggregateSeries } from './aggregate-candles.js';
import { CandleSeries } from './candle-series.js';
import type { FundingRow } from './funding-csv.js';

/** Mark-price candles of one interval (Binance's `markPriceKlines`), oldest first. */
export interface MarkSeries {
  readonly intervalMs: number;
  readonly candles: CandleSeries;
}

export interface MarketHistory {
  readonly spec: MarketSpec;
  readonly candles: Readonly<Record<Timeframe, CandleSeries>>;
  readonly funding: readonly FundingRow[];
  /** 1-minute traded-price candles; empty when the data folder has none. */
  readonly minutes: CandleSeries;
  /** Mark-price candles; undefined when the data folder has none, and the traded price stands in for the mark. */
  readonly mark: MarkSeries | undefined;
}

export interface ReplayHistory {
  /** Keyed by unified symbol, e.g. `BTC/USDT:USDT`. */
  readonly markets: ReadonlyMap<string, MarketHistory>;
}

/** Candles as a test or a loader has them: objects, or a series already compact. */
export type CandleInput = readonly Candle[] | CandleSeries;

export interface MarketExtras {
  readonly minutes?: CandleInput;
  readonly mark?: { readonly intervalMs: number; readonly candles: CandleInput };
}

export function marketHistory(
  spec: MarketSpec,
  candles15m: CandleInput,
  funding: readonly FundingRow[],
  extras: MarketExtras = {},
): MarketHistory {
  const base = TIMEFRAME_MS['15m'];
  const quarters = CandleSeries.from(candles15m);
  checkSeries(spec, '15m', quarters, base);
  const minutes = CandleSeries.from(extras.minutes ?? CandleSeries.empty);
  checkSeries(spec, '1m', minutes, MINUTE_MS);
  const mark = extras.mark && { intervalMs: extras.mark.intervalMs, candles: CandleSeries.from(extras.mark.candles) };
  if (mark) checkSeries(spec, 'mark', mark.candles, mark.intervalMs);
  return {
    spec,
    candles: {
      '15m': quarters,
      '1h': aggregateSeries(quarters, base, TIMEFRAME_MS['1h']),
      '4h': aggregateSeries(quarters, base, TIMEFRAME_MS['4h']),
    },
    funding,
    minutes,
    mark,
  };
}

function checkSeries(spec: MarketSpec, name: string, candles: CandleSeries, intervalMs: number): void {
  for (let index = 0; index < candles.length; index += 1) {
    const openTime = candles.openTime(index);
    if (openTime % intervalMs !== 0 || (index > 0 && candles.openTime(index - 1) >= openTime)) {
      throw new RangeError(`${spec.symbol}: ${name} candles must be aligned and strictly increasing (index ${index})`);
    }
  }
}

export function replayHistory(markets: readonly MarketHistory[]): ReplayHistory {
  return { markets: new Map(markets.map((market) => [market.spec.symbol, market])) };
}
