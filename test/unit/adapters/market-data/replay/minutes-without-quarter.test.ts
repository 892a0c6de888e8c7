// 1-minute data over a quarter the 15m data lacks: the venue walks only the quarters that exist, so it never meets
// those minutes. The daemon's price must not show them either, or it would act on a price the venue has not met.
import { describe, expect, it } from 'vitest';
import { knownPrice } from '../../../../../src/adapters/market-data/replay/known-prices.js';
import { marketHistory } from '../../../../../src/adapters/market-data/replay/replay-history.js';
import { venueBars } from '../../../../../src/adapters/market-data/replay/venue-bars.js';
import type { Candle } from '../../../../../src/domain/market.js';
import { at, SPEC } from '../../exchange/paper/paper-world.js';

const QUARTER = 15 * 60_000;

/** Quarters 09:00 to 10:45 flat at 100 without the 10:00 one; all fifteen minutes of 10:00 falling to 80. */
function marketWithoutTheTenOClockQuarter() {
  const quarters: Candle[] = Array.from({ length: 8 }, (_, index) => at('09:00').getTime() + index * QUARTER)
    .filter((openTime) => openTime !== at('10:00').getTime())
    .map((openTime) => ({ openTime, open: 100, high: 100, low: 100, close: 100, volume: 1 }));
  const minutes: Candle[] = Array.from({ length: 15 }, (_, minute) => {
    const openTime = at('10:00').getTime() + minute * 60_000;
    return { openTime, open: 80, high: 80, low: 80, close: 80, volume: 1 };
  });
  return marketHistory(SPEC, quarters, [], { minutes });
}

describe('replay prices where 1-minute candles cover a missing 15m candle', () => {
  it('when the daemon asks inside the missing quarter, then it sees the last quarter\u2019s close, as the venue met no minute of it', () => {
    const market = marketWithoutTheTenOClockQuarter();

    const venueMet = venueBars(market, at('09:45').getTime(), at('10:15').getTime()).map((bar) => bar.close);

    expect(venueMet.every((price) => price === 100)).toBe(true);
    expect(knownPrice(market, at('10:07').getTime())).toBe(100);
    expect(knownPrice(market, at('10:14:59').getTime())).toBe(100);
  });
});
