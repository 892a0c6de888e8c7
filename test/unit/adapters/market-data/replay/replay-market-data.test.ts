import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../../src/adapters/clock/manual-clock.js';
import { marketHistory, replayHistory } from '../../../../../src/adapters/market-data/replay/replay-history.js';
import { ReplayMarketData } from '../../../../../src/adapters/market-data/replay/replay-market-data.js';
import { RejectedError } from '../../../../../src/domain/errors.js';
import type { Candle, MarketSpec } from '../../../../../src/domain/market.js';
import type { MarketData } from '../../../../../src/ports/market-data.js';

const SYMBOL = 'TEST/USDT:USDT';
const M15 = 15 * 60_000;
const T0 = Date.UTC(2025, 9, 10, 0, 0); // 2025-10-10 00:00 UTC
const at = (hhmm: string, extraMs = 0): Date => new Date(Date.parse(`2025-10-10T${hhmm}Z`) + extraMs);

const SPEC: MarketSpec = {
  symbol: SYMBOL,
  id: 'TESTUSDT',
  base: 'TEST',
  quote: 'USDT',
  tickSize: 0.01,
  amountStep: 0.001,
  minAmount: 0.001,
  minNotional: 5,
  maintenanceMarginRate: 0.005,
  maintenanceAmount: 0,
  maxLeverage: 125,
};

function flatDay(): Candle[] {
  return Array.from({ length: 96 }, (_, index) => ({ openTime: T0 + index * M15, open: 100, high: 100, low: 100, close: 100, volume: 1 }));
}

/** A day of flat 100 candles with chosen candles replaced, and funding at 00:00, 08:00, 16:00. */
function world(replace: Record<string, Omit<Candle, 'openTime'>> = {}, start = at('00:00')) {
  const candles = flatDay().map((candle) => {
    const key = new Date(candle.openTime).toISOString().slice(11, 16);
    const replacement = replace[key];
    return replacement === undefined ? candle : { openTime: candle.openTime, ...replacement };
  });
  const funding = [0, 8, 16].map((hour, index) => ({ time: T0 + hour * 3_600_000, intervalHours: 8, rate: [0.0001, -0.0002, 0.0003][index] as number }));
  const clock = new ManualClock(start);
  const data = new ReplayMarketData(replayHistory([marketHistory(SPEC, candles, funding)]), clock);
  return { clock, data };
}

describe('ReplayMarketData candles', () => {
  it('when the clock is one millisecond before 11:00, then the 10:00 hourly candle is not visible yet; at 11:00 it is', async () => {
    const { clock, data } = world({}, at('10:59:59', 999));

    const before = await data.candles(SYMBOL, '1h', 100);
    clock.advanceTo(at('11:00'));
    const after = await data.candles(SYMBOL, '1h', 100);

    expect(before.at(-1)?.openTime).toBe(Date.parse('2025-10-10T09:00:00Z'));
    expect(after.at(-1)?.openTime).toBe(Date.parse('2025-10-10T10:00:00Z'));
    expect(after).toHaveLength(11);
  });

  it('when the clock is inside a 15m candle, then that candle is not returned and the previous one is the last', async () => {
    const { data } = world({}, at('10:14:59', 999));

    const candles = await data.candles(SYMBOL, '15m', 3);

    expect(candles.map((candle) => new Date(candle.openTime).toISOString().slice(11, 16))).toEqual(['09:15', '09:30', '09:45']);
  });

  it('when 4h candles are asked for at 07:59, then only the 00:00 bar has closed', async () => {
    const { data } = world({}, at('07:59'));

    expect((await data.candles(SYMBOL, '4h', 10)).map((candle) => candle.openTime)).toEqual([T0]);
  });

  it('when the limit is larger than what has closed, then everything closed is returned, oldest first', async () => {
    const { data } = world({}, at('00:45'));

    expect((await data.candles(SYMBOL, '15m', 500)).map((candle) => candle.openTime)).toEqual([T0, T0 + M15, T0 + 2 * M15]);
  });
});

describe('ReplayMarketData price inside a candle', () => {
  // 10:00: O 100, H 120, L 90, C 110; the next candle opens at 111. 11:00: O 100, H 105, L 80, C 90.
  const moves = {
    '10:00': { open: 100, high: 120, low: 90, close: 110, volume: 1 },
    '10:15': { open: 111, high: 111, low: 111, close: 111, volume: 1 },
    '11:00': { open: 100, high: 105, low: 80, close: 90, volume: 1 },
  };

  it.each([
    ['10:00', 100],
    ['10:02:30', 100],
    ['10:10', 100],
    ['10:14:59', 100],
    ['10:15', 111],
    ['11:07:30', 100],
  ])('the price at %s is what had traded by then: the forming candle\'s open, never a point on a guessed path (%d)', async (time, price) => {
    const { data } = world(moves, at(time));

    const ticker = await data.ticker(SYMBOL);

    expect(ticker.last).toBe(price);
    // No mark candles in this world: the traded price stands in for the mark.
    expect(await data.markPrice(SYMBOL)).toBe(price);
  });

  it('when the forming candle\'s high, low and close are changed, then nothing the daemon reads inside it changes', async () => {
    const reads = async (replace: Record<string, Omit<Candle, 'openTime'>>) => {
      const { data } = world(replace, at('10:07:30'));
      return {
        ticker: (await data.ticker(SYMBOL)).last,
        mark: await data.markPrice(SYMBOL),
        candles: await data.candles(SYMBOL, '15m', 5),
        path: await data.pricePath(SYMBOL, at('09:50').getTime(), at('10:07:30').getTime()),
      };
    };

    const asRecorded = await reads(moves);
    const otherwise = await reads({ ...moves, '10:00': { open: 100, high: 101, low: 60, close: 61, volume: 9 } });

    expect(otherwise).toEqual(asRecorded);
  });
});

describe('ReplayMarketData venue path', () => {
  const moves = {
    '10:00': { open: 100, high: 120, low: 90, close: 110, volume: 1 },
    '10:15': { open: 111, high: 111, low: 111, close: 111, volume: 1 },
  };

  it('when the venue syncs inside a candle, then it learns the closed candle before it whole and the forming one\'s open alone', async () => {
    const { data } = world(moves, at('12:00'));

    const bars = await data.pricePath(SYMBOL, at('09:59').getTime(), at('10:07:30').getTime());

    expect(bars).toEqual([
      { start: at('09:45').getTime(), end: at('10:00').getTime(), open: 100, high: 100, low: 100, close: 100 },
      { start: at('10:00').getTime(), end: at('10:00').getTime(), open: 100, high: 100, low: 100, close: 100 },
    ]);
  });

  it('when the next sync passes the close, then the candle comes whole, dated at its close, and then the next open', async () => {
    const { data } = world(moves, at('12:00'));

    const bars = await data.pricePath(SYMBOL, at('10:07:30').getTime(), at('10:15').getTime());

    expect(bars).toEqual([
      { start: at('10:00').getTime(), end: at('10:15').getTime(), open: 100, high: 120, low: 90, close: 110 },
      { start: at('10:15').getTime(), end: at('10:15').getTime(), open: 111, high: 111, low: 111, close: 111 },
    ]);
  });

  it('when a sync ends before a candle opens, then nothing of that candle is in the path', async () => {
    const { data } = world(moves, at('12:00'));

    const bars = await data.pricePath(SYMBOL, at('10:15').getTime(), at('10:29:59').getTime());

    expect(bars).toEqual([]);
  });
});

describe('ReplayMarketData with 1-minute candles', () => {
  // The 10:00 quarter as fifteen minutes: 100 for five minutes, a drop to 92 at 10:05, then 108 from 10:10.
  const minuteOf = (minute: number): Candle => {
    const price = minute < 5 ? 100 : minute < 10 ? 92 : 108;
    return { openTime: at('10:00').getTime() + minute * 60_000, open: price, high: price + 1, low: price - 1, close: price, volume: 1 };
  };
  const minutes = Array.from({ length: 15 }, (_, minute) => minuteOf(minute));

  function minuteWorld(start: Date) {
    const candles = flatDay().map((candle) =>
      candle.openTime === at('10:00').getTime() ? { ...candle, open: 100, high: 109, low: 91, close: 108 } : candle,
    );
    const clock = new ManualClock(start);
    return { clock, data: new ReplayMarketData(replayHistory([marketHistory(SPEC, candles, [], { minutes })]), clock) };
  }

  it('when the clock is inside a minute, then the price is that minute\'s open', async () => {
    const { data } = minuteWorld(at('10:06:30'));

    expect((await data.ticker(SYMBOL)).last).toBe(92);
  });

  it('when the venue syncs across minutes, then each closed minute is a bar and the forming one only opens', async () => {
    const { data } = minuteWorld(at('12:00'));

    const bars = await data.pricePath(SYMBOL, at('10:04').getTime(), at('10:06:30').getTime());

    expect(bars.map((bar) => [new Date(bar.start).toISOString().slice(11, 19), new Date(bar.end).toISOString().slice(11, 19), bar.low])).toEqual([
      ['10:04:00', '10:05:00', 99],
      ['10:05:00', '10:06:00', 91],
      ['10:06:00', '10:06:00', 92],
    ]);
  });
});

describe('ReplayMarketData ticker, funding and markets', () => {
  it('24h quote volume sums close × volume over the last 96 closed quarters only', async () => {
    // Day one: 96 quarters closing at 100 with volume 1; day two's first candle (close 200, volume 3) has closed
    // at 00:15, so it replaces day one's first quarter: 95 × 100 + 200 × 3 = 10,100.
    const dayTwo: Candle = { openTime: T0 + 96 * M15, open: 100, high: 200, low: 100, close: 200, volume: 3 };
    const forming: Candle = { openTime: T0 + 97 * M15, open: 200, high: 200, low: 200, close: 200, volume: 1000 };
    const clock = new ManualClock(new Date(T0 + 97 * M15 + 60_000));
    const data = new ReplayMarketData(replayHistory([marketHistory(SPEC, [...flatDay(), dayTwo, forming], [])]), clock);

    const ticker = await data.ticker(SYMBOL);

    expect(ticker.quoteVolume24h).toBeCloseTo(10_100, 9);
    expect(ticker.time).toEqual(clock.now());
  });

  it('the funding rate is the latest settled at or before now, and the next funding is the next 8h boundary', async () => {
    const { clock, data } = world({}, at('07:59:59'));

    const before = await data.fundingRate(SYMBOL);
    clock.advanceTo(at('08:00'));
    const atSettlement = await data.fundingRate(SYMBOL);

    expect(before).toEqual({ rate: 0.0001, intervalHours: 8, nextFundingTime: at('08:00') });
    expect(atSettlement).toEqual({ rate: -0.0002, intervalHours: 8, nextFundingTime: at('16:00') });
  });

  it('when the history settles the market every 4 hours, then funding and the listing carry that interval; before its first settlement, 8 hours', async () => {
    const funding = [0, 4, 8].map((hour) => ({ time: T0 + 2 * 3_600_000 + hour * 3_600_000, intervalHours: 4, rate: 0.0005 }));
    const clock = new ManualClock(at('01:00'));
    const data = new ReplayMarketData(replayHistory([marketHistory(SPEC, flatDay(), funding)]), clock);

    const beforeFirst = await data.fundingRate(SYMBOL);
    clock.advanceTo(at('07:00'));
    const settled = await data.fundingRate(SYMBOL);
    const [listing] = await data.listings();

    expect(beforeFirst).toEqual({ rate: 0, intervalHours: 8, nextFundingTime: at('08:00') });
    expect(settled).toEqual({ rate: 0.0005, intervalHours: 4, nextFundingTime: at('08:00') });
    expect(listing).toMatchObject({ symbol: SYMBOL, fundingRate: 0.0005, fundingIntervalHours: 4 });
  });

  it('funding events are those with from < time <= to', async () => {
    const { data } = world({}, at('23:00'));

    const events = await data.fundingEvents(SYMBOL, T0, at('16:00').getTime());

    expect(events).toEqual([
      { time: at('08:00').getTime(), rate: -0.0002 },
      { time: at('16:00').getTime(), rate: 0.0003 },
    ]);
  });

  it('when an unknown symbol is asked for, then the answer is a rejection that names it', async () => {
    const { data } = world();

    await expect(data.market('BTC/USDC:USDC')).rejects.toThrow(RejectedError);
    await expect(data.candles('BTC/USDC:USDC', '15m', 10)).rejects.toThrow(/BTC\/USDC:USDC is not a linear USDT perpetual/);
  });

  it('range runs from the first candle open to the last candle close', () => {
    const { data } = world();

    expect(data.range()).toEqual({ from: new Date(T0), to: new Date(T0 + 96 * M15) });
  });

  it('when the clock has run past the end of the data, then the market is delisted: its last price stands, and it is settled at its end', async () => {
    const { data } = world({ '23:45': { open: 100, high: 101, low: 99, close: 101, volume: 1 } }, new Date(T0 + 96 * M15 + 1));

    expect((await data.ticker(SYMBOL)).last).toBe(101);
    expect(data.delisting(SYMBOL)).toEqual({ time: T0 + 96 * M15, markPrice: 101 });
  });

  it('when the clock stands at the close of the last candle, then the market still trades: no candle was missed yet', async () => {
    const { data } = world({}, new Date(T0 + 96 * M15));

    expect(data.delisting(SYMBOL)).toBeUndefined();
  });

  it('has no live price stream', () => {
    const { data } = world();
    const port: MarketData = data;

    expect(port.watchPrice).toBeUndefined();
  });
});
