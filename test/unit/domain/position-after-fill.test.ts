import { describe, expect, it } from 'vitest';
import { adverseDistance, liquidationPrice } from '../../../src/domain/money.js';
import { positionAfterFill, protectiveStopPrice } from '../../../src/domain/position-after-fill.js';
import { marketSpec } from '../../support/factories.js';

const BAND = { minStopLossPct: 0.05, maxStopLossPct: 0.1 };
const LIMITS = { band: BAND, takerFeeRate: 0.0005 };
const btc = marketSpec({ symbol: 'BTC/USDT:USDT', tickSize: 0.1, maintenanceMarginRate: 0.004 });

describe('the protective stop on the tick', () => {
  it('when 5% under the fill lies between ticks, then the stop goes down a tick: at least 5% away', () => {
    // 100 000.1 x 0.95 = 95 000.095; the nearest tick, 95 000.1, is 4.999995% away.
    const stop = protectiveStopPrice('long', 100_000.1, 0.05, 0.1, BAND);
    expect(stop).toBe(95_000);
    expect(adverseDistance('long', 100_000.1, stop ?? NaN)).toBeGreaterThanOrEqual(0.05);
  });

  it('when the distance is inside the band, then the stop rounds towards the entry: it never adds to the loss', () => {
    expect(protectiveStopPrice('long', 100_003.7, 0.06, 0.1, BAND)).toBe(94_003.5);
    expect(protectiveStopPrice('short', 100_003.7, 0.06, 0.1, BAND)).toBe(106_003.9);
  });

  it('when 10% above a short\u2019s fill lies between ticks, then the stop rounds down: at most 10% away', () => {
    // 100 000.7 x 1.10 = 110 000.77; the nearest tick, 110 000.8, is 10.00003% away.
    expect(protectiveStopPrice('short', 100_000.7, 0.1, 0.1, BAND)).toBe(110_000.7);
  });

  it('when the only tick in the band lies exactly at the minimum, then it is the stop, though its distance computes one unit in the last place short', () => {
    // 12% above 100 000.1 is 112 000.112 exactly; in floats (112 000.112 - 100 000.1) / 100 000.1 is 0.11999999999999987,
    // the minimum 0.11999999999999988. Without room for that, no tick fitted and the stop fell back a tick closer,
    // 11.9999999% away (a fast-check counterexample).
    const band = { minStopLossPct: 0.11999999999999988, maxStopLossPct: 0.11999999999999988 };

    expect(protectiveStopPrice('short', 100_000.1, 0.11999999999999988, 0.00001, band)).toBe(112_000.112);
  });

  it('when a tick a hair past the minimum passes as computed, then it is preferred to one that needs the noise', () => {
    const band = { minStopLossPct: 0.11999999999999988, maxStopLossPct: 0.1299999999999999 };

    expect(protectiveStopPrice('short', 100_000.1, 0.11999999999999988, 0.00001, band)).toBe(112_000.11201);
  });

  it('when no tick lies between 5% and 10% of the fill, then there is no stop to give', () => {
    // With a tick of 6, the stops either side of the band under 100.5 are 96 (4.48% away) and 90 (10.45%).
    expect(protectiveStopPrice('long', 100.5, 0.05, 6, BAND)).toBeUndefined();
  });
});

describe('the position after a fill', () => {
  it('when the entry fills higher than planned, then stop, margin and liquidation are measured from the real fill', () => {
    const terms = positionAfterFill({ side: 'long', entryPrice: 100_000.1, quantity: 0.023, leverage: 3, stopLossPct: 0.05, entryFee: 1.15 }, btc, LIMITS);

    const margin = (100_000.1 * 0.023) / 3;
    expect(terms).toEqual({
      entryPrice: 100_000.1,
      quantity: 0.023,
      margin,
      stopPrice: 95_000,
      liquidationPrice: liquidationPrice({ side: 'long', entryPrice: 100_000.1, quantity: 0.023, margin, maintenanceMarginRate: 0.004, maintenanceAmount: 0 }),
      entryFee: 1.15,
      bestPrice: 100_000.1,
    });
  });

  it('when the venue did not say the fee, then it is estimated at the taker rate until the fills tell', () => {
    const terms = positionAfterFill({ side: 'short', entryPrice: 2_000, quantity: 1.5, leverage: 2, stopLossPct: 0.06 }, marketSpec(), LIMITS);
    expect(terms.entryFee).toBeCloseTo(1.5, 12);
  });

  it('when the venue reports margin and liquidation, then its own figures are kept', () => {
    const terms = positionAfterFill(
      { side: 'long', entryPrice: 100_000, quantity: 0.01, leverage: 3, stopLossPct: 0.1, margin: 333.5, liquidationPrice: 67_100 },
      btc,
      LIMITS,
    );
    expect(terms).toMatchObject({ margin: 333.5, liquidationPrice: 67_100, stopPrice: 90_000 });
  });

  it('when the tick is too coarse for the band (a position adopted as found), then the stop still exists, towards the entry', () => {
    const terms = positionAfterFill({ side: 'long', entryPrice: 100.5, quantity: 1, leverage: 1, stopLossPct: 0.1 }, marketSpec({ tickSize: 6 }), LIMITS);
    expect(terms.stopPrice).toBe(96);
  });
});
