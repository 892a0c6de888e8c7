import { describe, expect, it } from 'vitest';
import {
  fundingPayment,
  grossPnl,
  liquidationPrice,
  roundToStep,
  slippedPrice,
  tradingFee,
} from '../../../src/domain/money.js';

describe('liquidation price of an isolated position', () => {
  // Worked example: 4 units at 100 with 80 USDT margin (5x), maintenance rate 0.4 %, no maintenance amount.
  // Long: liquidation where margin + (LP - 100)·4 = 0.004·LP·4  →  80 + 4·LP - 400 = 0.016·LP  →  LP = 320 / 3.984.
  it('for a long is where margin plus the loss equals the maintenance margin', () => {
    const price = liquidationPrice({ side: 'long', entryPrice: 100, quantity: 4, margin: 80, maintenanceMarginRate: 0.004, maintenanceAmount: 0 });
    expect(price).toBeCloseTo(320 / 3.984, 10);
    expect(price).toBeCloseTo(80.3213, 4);
  });

  // Short: 80 + (100 - LP)·4 = 0.016·LP  →  480 = 4.016·LP.
  it('for a short mirrors it above entry', () => {
    const price = liquidationPrice({ side: 'short', entryPrice: 100, quantity: 4, margin: 80, maintenanceMarginRate: 0.004, maintenanceAmount: 0 });
    expect(price).toBeCloseTo(480 / 4.016, 10);
    expect(price).toBeCloseTo(119.5219, 4);
  });

  it('is not the 0.9/leverage shortcut: a higher maintenance rate pulls it closer', () => {
    const base = { side: 'long' as const, entryPrice: 100, quantity: 4, margin: 80, maintenanceAmount: 0 };
    expect(liquidationPrice({ ...base, maintenanceMarginRate: 0.01 })).toBeGreaterThan(liquidationPrice({ ...base, maintenanceMarginRate: 0.004 }));
  });
});

describe('P&L with fees and funding', () => {
  it('adds up to the hand-computed figure for a long held through two funding settlements', () => {
    // 0.01 BTC long from 50,000 to 52,000, taker fee 0.05 %.
    const gross = grossPnl('long', 50_000, 52_000, 0.01); // 20.00
    const entryFee = tradingFee(50_000, 0.01, 0.0005); // 0.25
    const exitFee = tradingFee(52_000, 0.01, 0.0005); // 0.26
    const firstFunding = fundingPayment('long', 0.0001, 0.01, 51_000); // long pays 0.051
    const secondFunding = fundingPayment('long', -0.0002, 0.01, 51_500); // long receives 0.103
    const net = gross - entryFee - exitFee + firstFunding + secondFunding;
    expect(gross).toBeCloseTo(20, 10);
    expect(firstFunding).toBeCloseTo(-0.051, 10);
    expect(secondFunding).toBeCloseTo(0.103, 10);
    expect(net).toBeCloseTo(19.542, 10);
  });

  it('gives a short the mirror image of the move and of funding', () => {
    expect(grossPnl('short', 100, 90, 2)).toBeCloseTo(20, 10);
    expect(fundingPayment('short', 0.0001, 2, 100)).toBeCloseTo(0.02, 10);
  });

  it('moves market fills against the trader by the slippage', () => {
    expect(slippedPrice('buy', 100, 5)).toBeCloseTo(100.05, 10);
    expect(slippedPrice('sell', 100, 5)).toBeCloseTo(99.95, 10);
  });
});

describe('rounding to exchange precision', () => {
  it('rounds quantities down and never produces float residue', () => {
    expect(roundToStep(0.30000000000000004, 0.1, 'down')).toBe(0.3);
    expect(roundToStep(1.23456, 0.001, 'down')).toBe(1.234);
    expect(roundToStep(0.3, 0.1, 'down')).toBe(0.3);
  });

  it('rounds prices to the tick in the asked direction', () => {
    expect(roundToStep(95.123, 0.1, 'nearest')).toBe(95.1);
    expect(roundToStep(95.123, 0.1, 'up')).toBe(95.2);
    expect(roundToStep(0.123456, 0.00001, 'nearest')).toBe(0.12346);
  });

  it('keeps a price already on the tick where it is, however many ticks it counts', () => {
    // 2697.0132 on a 0.0001 tick is 26,970,132 ticks; its float form carries noise of a few billionths of a tick,
    // which once turned a short's limit into the next tick up, a price it could not fill below.
    const onTick = Math.round(2697.01315 / 0.0001) * 0.0001;
    expect(onTick).not.toBe(2697.0132);
    expect(roundToStep(onTick, 0.0001, 'up')).toBe(2697.0132);
    expect(roundToStep(onTick, 0.0001, 'down')).toBe(2697.0132);
    expect(roundToStep(2697.01321, 0.0001, 'up')).toBe(2697.0133);
    expect(roundToStep(2697.01319, 0.0001, 'down')).toBe(2697.0131);
  });

  it('rounds a price a hair off a fine grid the way it was asked, not to the nearest step', () => {
    // A minimum-profit floor 5e-7 of a tick above 100 100.1: the target must not book a hair less than the minimum.
    expect(roundToStep(100_100.10000005, 0.1, 'up')).toBe(100_100.2);
    expect(roundToStep(100_000.00000991, 0.00001, 'down')).toBe(100_000);
    expect(roundToStep(999_999_999.9995, 1, 'down')).toBe(999_999_999);
  });
});
