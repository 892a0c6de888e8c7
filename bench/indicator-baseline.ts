// The indicator computation of one market snapshot (15m, 1h and 4h windows of 250 closed candles), done two ways on
// the same real candles: with the `technicalindicators` package the design card named, recomputing every series from
// scratch as a bot calling its `calculate` functions does, and with our fused one-pass `computeIndicators`. The
// microseconds per snapshot are the figure that justified writing our own.
import { ADX, ATR, BollingerBands, EMA, MACD, RSI, SMA } from 'technicalindicators';
import { computeIndicators } from '../src/domain/indicators/compute-indicators.js';
import type { Candle, Timeframe } from '../src/domain/market.js';
import type { ReplayHistory } from '../src/adapters/market-data/replay/index.js';

const WINDOW = 250;
const TIMEFRAMES: readonly Timeframe[] = ['15m', '1h', '4h'];

export interface IndicatorBaseline {
  readonly snapshots: number;
  readonly oursUsPerSnapshot: number;
  readonly libraryUsPerSnapshot: number;
  /** library / ours */
  readonly speedup: number;
}

/** Everything our IndicatorSet holds, from the library: RSI, MACD, Bollinger, SMA and EMA 20/50/200, ATR, ADX, volume SMA. */
function withLibrary(candles: readonly Candle[]): number {
  const close = candles.map((candle) => candle.close);
  const high = candles.map((candle) => candle.high);
  const low = candles.map((candle) => candle.low);
  const volume = candles.map((candle) => candle.volume);
  const results = [
    RSI.calculate({ values: close, period: 14 }),
    MACD.calculate({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }),
    BollingerBands.calculate({ values: close, period: 20, stdDev: 2 }),
    SMA.calculate({ values: close, period: 20 }),
    SMA.calculate({ values: close, period: 50 }),
    SMA.calculate({ values: close, period: 200 }),
    EMA.calculate({ values: close, period: 20 }),
    EMA.calculate({ values: close, period: 50 }),
    EMA.calculate({ values: close, period: 200 }),
    ATR.calculate({ high, low, close, period: 14 }),
    ADX.calculate({ high, low, close, period: 14 }),
    SMA.calculate({ values: volume, period: 20 }),
  ];
  // Touch the results so the work cannot be optimised away.
  return results.reduce((sum, series) => sum + series.length, 0);
}

function withOurs(candles: readonly Candle[]): number {
  const set = computeIndicators(candles);
  return set.close + (set.rsi14 ?? 0);
}

/** `count` consecutive snapshots of one market, each the last 250 closed candles of every timeframe. */
function snapshotWindows(history: ReplayHistory, symbol: string, count: number): Record<Timeframe, readonly Candle[]>[] {
  const market = history.markets.get(symbol);
  if (!market) throw new Error(`${symbol} is not in the history`);
  const quarter = market.candles['15m'];
  const last = quarter.length;
  const windows: Record<Timeframe, readonly Candle[]>[] = [];
  for (let step = 0; step < count; step += 1) {
    const now = quarter.openTime(last - 1 - step) + 15 * 60_000;
    const window = {} as Record<Timeframe, readonly Candle[]>;
    for (const timeframe of TIMEFRAMES) {
      const series = market.candles[timeframe];
      const length = { '15m': 15, '1h': 60, '4h': 240 }[timeframe] * 60_000;
      const closed = series.upperBound(now - length);
      window[timeframe] = series.slice(Math.max(0, closed - WINDOW), closed);
    }
    windows.push(window);
  }
  return windows;
}

/** Median over `rounds` of the time per snapshot, in µs: the median shrugs off a round hit by GC or a neighbour. */
function timePerSnapshot(windows: readonly Record<Timeframe, readonly Candle[]>[], compute: (candles: readonly Candle[]) => number, rounds: number): number {
  const perRound: number[] = [];
  let sink = 0;
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    for (const window of windows) for (const timeframe of TIMEFRAMES) sink += compute(window[timeframe]);
    perRound.push(((performance.now() - started) * 1000) / windows.length);
  }
  if (!Number.isFinite(sink)) throw new Error('indicator results were not finite');
  perRound.sort((a, b) => a - b);
  return perRound[Math.floor(perRound.length / 2)] as number;
}

export function measureIndicatorBaseline(history: ReplayHistory, options: { snapshots: number; rounds: number }): IndicatorBaseline {
  const windows = snapshotWindows(history, 'BTC/USDT:USDT', options.snapshots);
  // One untimed round each, so both are measured after the JIT has compiled them.
  timePerSnapshot(windows, withLibrary, 1);
  timePerSnapshot(windows, withOurs, 1);
  const libraryUs = timePerSnapshot(windows, withLibrary, options.rounds);
  const oursUs = timePerSnapshot(windows, withOurs, options.rounds);
  return { snapshots: windows.length, oursUsPerSnapshot: oursUs, libraryUsPerSnapshot: libraryUs, speedup: libraryUs / oursUs };
}

/** Candles of a fixed pseudo-random walk: the yardstick must not change when the data or our code does. */
function walk(count: number): Candle[] {
  let seed = 20_250_101;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const candles: Candle[] = [];
  let close = 100;
  for (let index = 0; index < count; index += 1) {
    const open = close;
    close = open * (1 + (next() - 0.5) * 0.01);
    const high = Math.max(open, close) * (1 + next() * 0.002);
    const low = Math.min(open, close) * (1 - next() * 0.002);
    candles.push({ openTime: index * 900_000, open, high, low, close, volume: 1000 + next() * 500 });
  }
  return candles;
}

/** Windows of 250 candles the yardstick recomputes, one step apart. */
export const BASELINE_WINDOWS = 600;
const baselineCandles = walk(BASELINE_WINDOWS + WINDOW);

/**
 * The CI gate's yardstick: a fixed amount of CPU work in a pinned library (`technicalindicators` over a fixed walk),
 * which none of our changes can speed up or slow down. A replay measured as a multiple of it keeps its figure on a
 * busy machine, where a neighbour slows both alike.
 */
export function baselineWork(windows = BASELINE_WINDOWS): number {
  let sink = 0;
  for (let index = 0; index < windows; index += 1) sink += withLibrary(baselineCandles.slice(index, index + WINDOW));
  if (!Number.isFinite(sink)) throw new Error('the baseline computed nothing');
  return sink;
}
