import { describe, expect, it } from 'vitest';
import { computeIndicators } from '../../../src/domain/indicators/index.js';
import type { Candle } from '../../../src/domain/market.js';
import { classifyRegime, trendOf } from '../../../src/domain/regime.js';
import { buildSnapshot } from '../../../src/domain/snapshot.js';
import type { SnapshotInput } from '../../../src/domain/snapshot.js';
import { aggregateCandles, loadRealCandles } from './indicators/real-candles.js';

const quarter = loadRealCandles('SOLUSDT').slice(0, 4000);
const hour = aggregateCandles(quarter, 60).slice(-250);
const fourHour = aggregateCandles(quarter, 240).slice(-250);
const candles = { '15m': quarter.slice(-250), '1h': hour, '4h': fourHour };
const last = candles['15m'][249]!;

const input: SnapshotInput = {
  symbol: 'SOL/USDT:USDT',
  time: new Date(last.openTime + 15 * 60_000),
  candles,
  price: last.close,
  markPrice: last.close * 1.0001,
  quoteVolume24h: 4.2e9,
  fundingRate: 0.0001,
};

describe('buildSnapshot', () => {
  it('when given three timeframes of real candles, then each view carries its indicators and trend', () => {
    const snapshot = buildSnapshot(input);
    for (const timeframe of ['15m', '1h', '4h'] as const) {
      const view = snapshot.timeframes[timeframe];
      expect(view.timeframe).toBe(timeframe);
      expect(view.indicators).toEqual(computeIndicators(candles[timeframe]));
      expect(view.trend).toBe(trendOf(view.indicators));
    }
  });

  it('when built, then the candle arrays are the caller’s own (no copies)', () => {
    const snapshot = buildSnapshot(input);
    expect(snapshot.timeframes['15m'].candles).toBe(candles['15m']);
    expect(snapshot.timeframes['1h'].candles).toBe(candles['1h']);
    expect(snapshot.timeframes['4h'].candles).toBe(candles['4h']);
  });

  it('when built, then the data identity is the open time of the last 15m candle and the market fields pass through', () => {
    const snapshot = buildSnapshot(input);
    expect(snapshot.lastClosedCandle).toBe(last.openTime);
    expect(snapshot).toMatchObject({
      symbol: 'SOL/USDT:USDT',
      time: input.time,
      price: input.price,
      markPrice: input.markPrice,
      quoteVolume24h: 4.2e9,
      fundingRate: 0.0001,
    });
  });

  it('when built, then the regime is the one the views imply', () => {
    const snapshot = buildSnapshot(input);
    expect(snapshot.regime).toEqual(classifyRegime(snapshot.timeframes));
  });

  it('when a timeframe has no candles, then it refuses with the symbol and timeframe in the message', () => {
    const empty: readonly Candle[] = [];
    expect(() => buildSnapshot({ ...input, candles: { ...candles, '4h': empty } })).toThrow(/4h.*SOL/);
  });
});
