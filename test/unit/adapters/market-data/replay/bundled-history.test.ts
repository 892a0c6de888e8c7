// The replay over the real bundled history, around the 2025-10-10 liquidation cascade. Expected candles are read off
// the rows of history/binance-usdm/klines/BTCUSDT-15m.csv (lines 5938–5941, 20:00–20:45 UTC).
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../src/adapters/clock/manual-clock.js';
import { loadHistory } from '../../../../../src/adapters/market-data/replay/load-history.js';
import type { ReplayHistory } from '../../../../../src/adapters/market-data/replay/replay-history.js';
import { ReplayMarketData } from '../../../../../src/adapters/market-data/replay/replay-market-data.js';

const BUNDLED = fileURLToPath(new URL('../../../../../history/binance-usdm', import.meta.url));
const BTC = 'BTC/USDT:USDT';

let history: ReplayHistory;
beforeAll(async () => {
  history = await loadHistory(BUNDLED, { symbols: [BTC] });
});

describe('ReplayMarketData on the bundled BTC history', () => {
  it('at 21:00 on 2025-10-10 the last hourly candle is the 20:00 hour built from its four quarters', async () => {
    const data = new ReplayMarketData(history, new ManualClock(new Date('2025-10-10T21:00:00Z')));

    const [hour] = await data.candles(BTC, '1h', 1);

    // Quarters: 116605.2/116850/116514/116720.3, 116720.3/117122.2/116626.9/117014,
    // 117014/117145.3/116712.9/116970, 116970.1/117040.3/112786.6/114198.
    expect(hour).toMatchObject({ openTime: Date.parse('2025-10-10T20:00:00Z'), open: 116605.2, high: 117145.3, low: 112786.6, close: 114198 });
    expect(hour?.volume).toBeCloseTo(1587.687 + 1929.865 + 1413.703 + 26562.594, 6);
  });

  it('at 20:46:40 the price is the 20:45 open: the candle\'s high, low and close do not exist yet', async () => {
    const data = new ReplayMarketData(history, new ManualClock(new Date('2025-10-10T20:46:40Z')));

    const ticker = await data.ticker(BTC);

    // 20:45 candle: O 116970.1, H 117040.3, L 112786.6, C 114198.
    expect(ticker.last).toBe(116970.1);
  });

  it('the range covers 2025-08-10 00:00 to 2025-10-20 00:00', () => {
    const data = new ReplayMarketData(history, new ManualClock(new Date('2025-09-01T00:00:00Z')));

    expect(data.range()).toEqual({ from: new Date('2025-08-10T00:00:00Z'), to: new Date('2025-10-20T00:00:00Z') });
  });
});
