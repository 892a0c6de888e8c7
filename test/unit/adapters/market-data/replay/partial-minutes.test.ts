// 1-minute data with a hole: the venue walks a quarter minute by minute only when all fifteen minutes exist, else it
// meets the quarter as one bar at its close. The daemon's price must follow the same pieces, or it would see a price
// through the stop that the venue has not met yet, and its own close would fill far beyond the stop.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../src/adapters/clock/manual-clock.js';
import { PaperExchange } from '../../../../../src/adapters/exchange/paper/paper-exchange.js';
import { marketHistory, replayHistory } from '../../../../../src/adapters/market-data/replay/replay-history.js';
import { ReplayMarketData } from '../../../../../src/adapters/market-data/replay/replay-market-data.js';
import type { Candle } from '../../../../../src/domain/market.js';
import { RecordingLogger } from '../../../../../src/testing/silent-logger.js';
import { at, MemoryPaperAccount, SPEC, SYMBOL, T0 } from '../../exchange/paper/paper-world.js';

const QUARTER = 15 * 60_000;

/** Flat 100 until the 10:00 quarter falls to 80 at 10:05 and closes at 82; `minuteCount` of its minutes exist. */
async function longWithStopAt95(minuteCount: number) {
  const quarters: Candle[] = Array.from({ length: 96 }, (_, index) => {
    const openTime = T0 + index * QUARTER;
    if (openTime === at('10:00').getTime()) return { openTime, open: 100, high: 100, low: 80, close: 82, volume: 1 };
    const price = openTime > at('10:00').getTime() ? 82 : 100;
    return { openTime, open: price, high: price, low: price, close: price, volume: 1 };
  });
  const minutes: Candle[] = Array.from({ length: minuteCount }, (_, minute) => {
    const openTime = at('10:00').getTime() + minute * 60_000;
    if (minute < 5) return { openTime, open: 100, high: 100, low: 100, close: 100, volume: 1 };
    if (minute === 5) return { openTime, open: 100, high: 100, low: 80, close: 82, volume: 1 };
    return { openTime, open: 82, high: 82, low: 82, close: 82, volume: 1 };
  });
  const clock = new ManualClock(at('09:00'));
  const marketData = new ReplayMarketData(replayHistory([marketHistory(SPEC, quarters, [], { minutes })]), clock);
  const exchange = new PaperExchange({ marketData, clock, account: new MemoryPaperAccount(), logger: new RecordingLogger(), initialBalance: 1000, takerFeeRate: 0.0005, slippageBps: 5 });
  await exchange.setLeverage(SYMBOL, 5, 'isolated');
  await exchange.placeEntry({ clientOrderId: 'entry', symbol: SYMBOL, side: 'long', quantity: 1 });
  await exchange.placeProtectiveStop({ clientOrderId: 'stop', symbol: SYMBOL, positionSide: 'long', quantity: 1, triggerPrice: 95 });
  /** What the daemon sees at `time`, after the venue has caught up, as the monitor reads them. */
  const seenAt = async (time: string) => {
    clock.advanceTo(at(time));
    const held = (await exchange.positions()).length;
    return { held, price: (await marketData.ticker(SYMBOL)).last, mark: await marketData.markPrice(SYMBOL), stop: (await exchange.findOrder('stop', SYMBOL))?.status };
  };
  return seenAt;
}

describe('replay prices where the 1-minute data has a hole', () => {
  it('when all fifteen minutes of the quarter exist, then at 10:07 the daemon sees the fall and the venue has already filled the stop', async () => {
    const seenAt = await longWithStopAt95(15);

    expect(await seenAt('10:07')).toEqual({ held: 0, price: 82, mark: 82, stop: 'filled' });
  });

  it('when one minute of the quarter is missing, then the daemon sees the quarter\u2019s open until it closes, and the fall with the stop filled at 10:15', async () => {
    const seenAt = await longWithStopAt95(14);

    expect(await seenAt('10:07')).toEqual({ held: 1, price: 100, mark: 100, stop: 'open' });
    expect(await seenAt('10:15')).toEqual({ held: 0, price: 82, mark: 82, stop: 'filled' });
  });
});
