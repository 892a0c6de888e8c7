// The live edge of the price path: the forming minute completed with the current price, and the mark stops trigger on.
import { describe, expect, it } from 'vitest';
import { buildPricePath } from '../../../../../src/adapters/market-data/ccxt/price-path.js';
import type { Candle } from '../../../../../src/domain/market.js';

const MINUTE = 60_000;
const BASE = Date.UTC(2025, 9, 15, 12, 0);

describe('buildPricePath at the live edge', () => {
  // 12:01 is forming at 12:01:40: it opened at 100 and has crashed to 90 since.
  const minutes: Candle[] = [
    { openTime: BASE, open: 100, high: 100, low: 100, close: 100, volume: 1 },
    { openTime: BASE + MINUTE, open: 100, high: 100, low: 90, close: 90, volume: 1 },
  ];
  const now = BASE + MINUTE + 40_000;
  const current = { last: async () => 90, mark: async () => 90.2 };

  it('when the venue has no mark candle for the forming minute, then its mark is the traded minute so far, ending at the current mark', async () => {
    const path = await buildPricePath(minutes, [], BASE + 50_000, now, now, current);

    // Not a single point at the current mark, which would read as a minute that opened beyond every level it crossed.
    expect(path.at(-1)).toEqual({
      start: BASE + MINUTE,
      end: now,
      open: 100,
      high: 100,
      low: 90,
      close: 90,
      mark: { open: 100, high: 100, low: 90, close: 90.2 },
    });
  });

  it("when the venue has the forming minute's mark candle, then the mark is that candle, up to the current mark", async () => {
    const marks: Candle[] = [{ openTime: BASE + MINUTE, open: 100.1, high: 100.3, low: 91, close: 91, volume: 0 }];

    const path = await buildPricePath(minutes, marks, BASE + 50_000, now, now, current);

    expect(path.at(-1)?.mark).toEqual({ open: 100.1, high: 100.3, low: 90.2, close: 90.2 });
  });

  it('when the venue has not sent the forming minute at all, then its traded price and mark are the current ones', async () => {
    const path = await buildPricePath(minutes.slice(0, 1), [], BASE + 50_000, now, now, current);

    expect(path.at(-1)).toEqual({
      start: BASE + MINUTE,
      end: now,
      open: 90,
      high: 90,
      low: 90,
      close: 90,
      mark: { open: 90.2, high: 90.2, low: 90.2, close: 90.2 },
    });
  });
});
