import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { marketHistory, replayHistory } from '../../../src/adapters/market-data/replay/replay-history.js';
import { ReplayMarketData } from '../../../src/adapters/market-data/replay/replay-market-data.js';
import type { MarketSpec } from '../../../src/domain/market.js';
import { SnapshotService } from '../../../src/engine/snapshots.js';

const SYMBOL = 'TEST/USDT:USDT';
const T0 = Date.UTC(2025, 9, 10);
const HOUR = 3_600_000;
const SPEC: MarketSpec = {
  symbol: SYMBOL, id: 'TESTUSDT', base: 'TEST', quote: 'USDT', tickSize: 0.01, amountStep: 0.001, minAmount: 0.001,
  minNotional: 5, maintenanceMarginRate: 0.005, maintenanceAmount: 0, maxLeverage: 50,
};

describe('the market snapshot the analysts see', () => {
  it('when the market settles funding every hour, then the snapshot carries the interval beside the rate', async () => {
    const candles = Array.from({ length: 96 }, (_, index) => ({ openTime: T0 + index * 15 * 60_000, open: 100, high: 101, low: 99, close: 100, volume: 1 }));
    const funding = Array.from({ length: 24 }, (_, hour) => ({ time: T0 + hour * HOUR, intervalHours: 1, rate: 0.0001 }));
    const clock = new ManualClock(new Date(T0 + 20 * HOUR));
    const snapshots = new SnapshotService(new ReplayMarketData(replayHistory([marketHistory(SPEC, candles, funding)]), clock), clock, 50);

    const snapshot = await snapshots.snapshot(SYMBOL);

    expect(snapshot).toMatchObject({ fundingRate: 0.0001, fundingIntervalHours: 1 });
  });
});
