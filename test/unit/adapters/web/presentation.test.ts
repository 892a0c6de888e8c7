// The liquidation meter and the scans rebuilt from stored answers.
import { describe, expect, it } from 'vitest';
import { groupScans, liquidationMeter } from '../../../../src/adapters/web/api/presentation.js';
import { decisionRecord, position } from '../../../support/factories.js';

describe('liquidation meter', () => {
  it('when a long is between stop and entry, then each level has its distance and the position\'s P&L at that price', () => {
    const long = position({ side: 'long', entryPrice: 100, stopPrice: 94, takeProfitPrice: 112, liquidationPrice: 67, quantity: 2 });

    const meter = liquidationMeter(long, 97);

    expect(meter.stop.distancePct).toBeCloseTo(-3 / 97, 10);
    expect(meter.entry.pnlUsd).toBeCloseTo(0, 10);
    expect(meter.stop.pnlUsd).toBeCloseTo(-12, 10);
    expect(meter.target?.pnlUsd).toBeCloseTo(24, 10);
    expect(meter.liquidation.pnlUsd).toBeCloseTo(-66, 10);
    expect(meter.position).toBeCloseTo((97 - 67) / (112 - 67), 10);
  });

  it('when a short moves against it, then the meter moves toward liquidation (0), and it never leaves 0..1', () => {
    const short = position({ side: 'short', entryPrice: 100, stopPrice: 106, takeProfitPrice: 88, liquidationPrice: 133, quantity: 1 });

    const calm = liquidationMeter(short, 100);
    const worse = liquidationMeter(short, 105);
    const beyond = liquidationMeter(short, 140);

    expect(worse.position).toBeLessThan(calm.position);
    expect(worse.stop.pnlUsd).toBeCloseTo(-6, 10);
    expect(beyond.position).toBe(0);
  });

  it('when a long\'s stop has trailed above its entry, then the stop reads as the gain it locks, not as a loss from here', () => {
    const long = position({ side: 'long', entryPrice: 100, stopPrice: 105, takeProfitPrice: 120, liquidationPrice: 81, quantity: 10 });

    const meter = liquidationMeter(long, 110);

    expect(meter.stop.pnlUsd).toBeCloseTo(50, 10);
    expect(meter.entry.pnlUsd).toBeCloseTo(0, 10);
    expect(meter.target?.pnlUsd).toBeCloseTo(200, 10);
    expect(meter.liquidation.pnlUsd).toBeCloseTo(-190, 10);
  });

  it('when the mark is away from the last price, then the stop and liquidation are measured from the mark, the price shown and the target from the last', () => {
    const long = position({ side: 'long', entryPrice: 100, stopPrice: 94, takeProfitPrice: 112, liquidationPrice: 67, quantity: 2 });

    const meter = liquidationMeter(long, 97, 96);

    expect(meter.price).toBe(97);
    expect(meter.stop.distancePct).toBe((94 - 96) / 96);
    expect(meter.liquidation.distancePct).toBe((67 - 96) / 96);
    expect(meter.target?.distancePct).toBe((112 - 97) / 97);
    expect(meter.entry.distancePct).toBe((100 - 97) / 97);
    expect(meter.position).toBe((96 - 67) / (112 - 67));
  });
});

describe('scans from stored answers', () => {
  it('when answers are more than the gap apart, then they are separate scans, newest first, each market ranked by agreement', () => {
    const at = (seconds: number) => new Date(Date.UTC(2025, 9, 1, 12, 0, seconds));
    const records = [
      decisionRecord({ time: at(200), symbol: 'ETH/USDT:USDT', analyst: 'claude', action: 'long', outcome: 'valid', confidence: 0.9 }),
      decisionRecord({ time: at(199), symbol: 'BTC/USDT:USDT', analyst: 'claude', action: 'long', outcome: 'valid', confidence: 0.8 }),
      decisionRecord({ time: at(198), symbol: 'BTC/USDT:USDT', analyst: 'deepseek', action: 'long', outcome: 'valid', confidence: 0.7 }),
      decisionRecord({ time: at(10), symbol: 'BTC/USDT:USDT', analyst: 'deepseek', action: 'hold', outcome: 'rejected', reason: 'stop 50% is out of range' }),
    ];

    const scans = groupScans(records, 60_000, 0.7);

    expect(scans).toHaveLength(2);
    expect(scans[0]?.markets.map((market) => [market.symbol, market.leaning, market.agreeing])).toEqual([
      ['BTC/USDT:USDT', 'long', 2],
      ['ETH/USDT:USDT', 'long', 1],
    ]);
    expect(scans[0]?.markets[0]?.meanConfidence).toBeCloseTo(0.75, 10);
    expect(scans[1]?.markets[0]?.leaning).toBe('none');
  });

  it('when a long is below the confidence bar, then it is not counted as agreeing: the market ranks as the consensus sees it', () => {
    const at = (seconds: number) => new Date(Date.UTC(2025, 9, 1, 12, 0, seconds));
    const records = [
      decisionRecord({ time: at(200), symbol: 'ETH/USDT:USDT', analyst: 'trend', action: 'long', outcome: 'valid', confidence: 0.8 }),
      decisionRecord({ time: at(199), symbol: 'BTC/USDT:USDT', analyst: 'trend', action: 'long', outcome: 'valid', confidence: 0.9 }),
      decisionRecord({ time: at(198), symbol: 'BTC/USDT:USDT', analyst: 'momentum', action: 'long', outcome: 'valid', confidence: 0.65 }),
    ];

    const [scan] = groupScans(records, 60_000, 0.75);

    expect(scan?.markets.map((market) => [market.symbol, market.leaning, market.agreeing, market.meanConfidence])).toEqual([
      ['BTC/USDT:USDT', 'long', 1, 0.9],
      ['ETH/USDT:USDT', 'long', 1, 0.8],
    ]);
  });
});
