// The simulated venue sizes maintenance margin by the position's leverage bracket, and refuses a position its
// table does not cover, as Binance refuses one beyond the brackets for its leverage.
import { describe, expect, it } from 'vitest';
import { bracketsFromRates, UNKNOWN_FIRST_BRACKET_CAP } from '../../../../../src/domain/leverage-brackets.js';
import { liquidationPrice } from '../../../../../src/domain/money.js';
import { paperWorld, SPEC, SYMBOL } from './paper-world.js';

async function fiveTimesLong(quantity: number, spec = SPEC) {
  const world = paperWorld({ initialBalance: 10_000, spec });
  await world.exchange.setLeverage(SYMBOL, 5, 'isolated');
  const entry = world.exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity });
  return { world, entry };
}

describe('PaperExchange leverage brackets', () => {
  it('when no table is known and the position would leave the first bracket, then the entry is refused with the reason', async () => {
    // 50 at 100.05 is 5 002.50 of notional, past the 5 000 assumed for an unknown market.
    const { world, entry } = await fiveTimesLong(50);
    await expect(entry).rejects.toThrow(/beyond the leverage brackets known/);
    expect(await world.exchange.positions()).toEqual([]);
    expect((await world.exchange.balance()).total).toBe(10_000);
    expect(50 * 100.05).toBeGreaterThan(UNKNOWN_FIRST_BRACKET_CAP);
  });

  it('when no table is known, then a position inside the first bracket opens with the first bracket\u2019s terms', async () => {
    const { world, entry } = await fiveTimesLong(49);
    await entry;
    const [position] = await world.exchange.positions();
    const margin = Math.round(((49 * 100.05) / 5) * 100) / 100;
    expect(position?.liquidationPrice).toBeCloseTo(
      liquidationPrice({ side: 'long', entryPrice: 100.05, quantity: 49, margin, maintenanceMarginRate: 0.005, maintenanceAmount: 0 }),
      9,
    );
  });

  it('when the table is known, then a larger position opens and liquidates by its own bracket', async () => {
    const spec = { ...SPEC, brackets: bracketsFromRates([[0, 0.005], [2_000, 0.02]]) };
    const { world, entry } = await fiveTimesLong(60, spec);
    await entry;
    const [position] = await world.exchange.positions();
    const margin = Math.round(((60 * 100.05) / 5) * 100) / 100;
    // cum = 2 000 × (0.02 − 0.005) = 30
    const ownBracket = liquidationPrice({ side: 'long', entryPrice: 100.05, quantity: 60, margin, maintenanceMarginRate: 0.02, maintenanceAmount: 30 });
    const firstBracket = liquidationPrice({ side: 'long', entryPrice: 100.05, quantity: 60, margin, maintenanceMarginRate: 0.005, maintenanceAmount: 0 });
    expect(position?.liquidationPrice).toBeCloseTo(ownBracket, 9);
    expect(ownBracket).toBeGreaterThan(firstBracket);
  });
});
