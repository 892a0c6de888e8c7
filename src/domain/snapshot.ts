// Builds the one picture of a market that every analyst is shown: indicators and trend per timeframe, and the regime.
import type { MarketSnapshot, TimeframeView } from './analysis.js';
import { computeIndicators } from './indicators/compute-indicators.js';
import type { Candle, Timeframe } from './market.js';
import { TIMEFRAMES } from './market.js';
import { classifyRegime, trendOf } from './regime.js';

export interface SnapshotInput {
  readonly symbol: string;
  readonly time: Date;
  /** Closed candles per timeframe, oldest first. Kept by reference, so callers must not mutate them afterwards. */
  readonly candles: Readonly<Record<Timeframe, readonly Candle[]>>;
  readonly price: number;
  readonly markPrice: number;
  readonly quoteVolume24h: number;
  readonly fundingRate: number;
  /** Hours between the market's funding settlements, where the market data says. */
  readonly fundingIntervalHours?: number;
}

/** One timeframe's view. Throws a RangeError for no candles: there is nothing to analyse, and the caller should skip. */
export function buildTimeframeView(timeframe: Timeframe, candles: readonly Candle[], symbol = ''): TimeframeView {
  if (candles.length === 0) throw new RangeError(`no ${timeframe} candles for ${symbol}`);
  const indicators = computeIndicators(candles);
  return { timeframe, candles, indicators, trend: trendOf(indicators) };
}

export type SnapshotFromViews = Omit<SnapshotInput, 'candles'> & { readonly views: Readonly<Record<Timeframe, TimeframeView>> };

/** A snapshot from views already built (a view depends only on its closed candles, so callers may reuse one). */
export function assembleSnapshot(input: SnapshotFromViews): MarketSnapshot {
  const timeframes = input.views;
  const quarterHours = timeframes['15m'].candles;
  const lastQuarterHour = quarterHours[quarterHours.length - 1];
  if (!lastQuarterHour) throw new RangeError(`no 15m candles for ${input.symbol}`);
  return {
    symbol: input.symbol,
    time: input.time,
    lastClosedCandle: lastQuarterHour.openTime,
    price: input.price,
    markPrice: input.markPrice,
    quoteVolume24h: input.quoteVolume24h,
    fundingRate: input.fundingRate,
    ...(input.fundingIntervalHours === undefined ? {} : { fundingIntervalHours: input.fundingIntervalHours }),
    regime: classifyRegime(timeframes),
    timeframes,
  };
}

export function buildSnapshot(input: SnapshotInput): MarketSnapshot {
  const views = {} as Record<Timeframe, TimeframeView>;
  for (const timeframe of TIMEFRAMES) views[timeframe] = buildTimeframeView(timeframe, input.candles[timeframe], input.symbol);
  const { candles: _candles, ...rest } = input;
  return assembleSnapshot({ ...rest, views });
}
