// Hand-shaped markets for the analysts' tests. Prices are built from 15m closes; 1h and 4h candles are aggregated from
// them exactly as the bundled history is, so every timeframe tells the same story.
import type { MarketSnapshot } from '../../../../../src/domain/analysis.js';
import type { Candle } from '../../../../../src/domain/market.js';
import { buildSnapshot } from '../../../../../src/domain/snapshot.js';
import { aggregateCandles } from '../../../domain/indicators/real-candles.js';

const QUARTER_MS = 15 * 60_000;
/** 2025-01-01T00:00Z: any UTC midnight keeps the 1h and 4h groups aligned. */
const START = Date.UTC(2025, 0, 1);
/** 4,000 quarter hours = 250 four-hour candles, enough for every indicator on every timeframe. */
export const HISTORY_LENGTH = 4000;
const WINDOW = 250;

export interface Move {
  /** Relative change of the close over the previous close, e.g. -0.005. */
  readonly change: number;
  /** Volume as a multiple of the ordinary 100. */
  readonly volume?: number;
}

/**
 * 15m candles from a list of relative moves: each opens at the previous close, and its wicks reach 0.05 % beyond the
 * body, so the range is mostly the move itself.
 */
export function candlesFromMoves(startPrice: number, moves: readonly Move[]): Candle[] {
  let previous = startPrice;
  return moves.map((move, i) => {
    const open = previous;
    const close = open * (1 + move.change);
    previous = close;
    return {
      openTime: START + i * QUARTER_MS,
      open,
      high: Math.max(open, close) * 1.0005,
      low: Math.min(open, close) * 0.9995,
      close,
      volume: 100 * (move.volume ?? 1),
    };
  });
}

/**
 * A steady drift per 15m candle plus repeatable noise of about ±0.15 % (a fixed-seed generator, so every run sees the
 * same market): a trend with ordinary small pullbacks.
 */
export function drift(perCandle: number, count: number, seed = 7): Move[] {
  const noise = seededNoise(seed);
  return Array.from({ length: count }, () => ({ change: perCandle + 0.0015 * noise() }));
}

/** Deterministic noise in [-1, 1) (mulberry32). */
function seededNoise(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** No drift: two overlapping swings (5 h and 13 h) of ±0.3 % in total, a market going nowhere. */
export function range(count: number): Move[] {
  const level = (i: number): number => 0.002 * Math.sin((2 * Math.PI * i) / 20) + 0.001 * Math.sin((2 * Math.PI * i) / 52);
  return Array.from({ length: count }, (_, i) => ({ change: level(i + 1) - level(i) }));
}

/** The snapshot the engine would build after the last candle closed, with the last 250 candles of each timeframe. */
export function snapshotOf(quarter: readonly Candle[], symbol = 'TEST/USDT:USDT'): MarketSnapshot {
  const last = quarter[quarter.length - 1]!;
  const hour = aggregateCandles(quarter, 60);
  const fourHour = aggregateCandles(quarter, 240);
  return buildSnapshot({
    symbol,
    time: new Date(last.openTime + QUARTER_MS),
    candles: { '15m': quarter.slice(-WINDOW), '1h': hour.slice(-WINDOW), '4h': fourHour.slice(-WINDOW) },
    price: last.close,
    markPrice: last.close,
    quoteVolume24h: 50_000_000,
    fundingRate: 0.0001,
  });
}

/**
 * Forty days of steady rise (+0.03 % a candle with noise), a three-candle dip of 0.1 % each, then a +1 % candle on four
 * times the usual volume that closes above the recent highs: a trend resuming after a pause. `mirror` flips every
 * move to get the same story going down.
 */
export function trendResumingOnVolume(mirror = false): Candle[] {
  const moves: Move[] = [
    ...drift(0.0003, HISTORY_LENGTH - 4),
    { change: -0.001 },
    { change: -0.001 },
    { change: -0.001 },
    { change: 0.01, volume: 4 },
  ];
  const sign = mirror ? -1 : 1;
  return candlesFromMoves(100, moves.map((move) => ({ ...move, change: sign * move.change })));
}

/**
 * A market going nowhere for forty days, then three sharp 15m drops (-0.5 %, -0.6 %, -0.5 %) on ordinary volume that
 * push the close through the lower Bollinger band, and a small up-close (+0.1 %) as the selling stalls.
 */
export function rangeWithSpikeToLowerBand(): Candle[] {
  return candlesFromMoves(100, [
    ...range(HISTORY_LENGTH - 4),
    { change: -0.005, volume: 1.3 },
    { change: -0.006, volume: 1.5 },
    { change: -0.005, volume: 1.3 },
    { change: 0.001 },
  ]);
}
