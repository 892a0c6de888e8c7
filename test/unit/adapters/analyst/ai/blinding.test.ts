import { describe, expect, it } from 'vitest';
import {
  answerInRealPrices,
  blindPosition,
  blindSnapshot,
  PriceScale,
  relativeVolumes,
  VOLUME_AVERAGE_CANDLES,
} from '../../../../../src/adapters/analyst/ai/blinding.js';
import { formatPosition } from '../../../../../src/adapters/analyst/ai/prompt.js';
import { parseEntryAnswer, type TradeAnswer } from '../../../../../src/adapters/analyst/ai/response-parser.js';
import { firstBracketMaintenanceRate } from '../../../../../src/domain/maintenance-margin.js';
import type { Candle, Side } from '../../../../../src/domain/market.js';
import { adverseDistance, liquidationPrice, stopPriceFor, takeProfitPriceFor } from '../../../../../src/domain/money.js';
import { DEFAULT_RISK } from '../../../../../src/domain/settings.js';
import type { Position } from '../../../../../src/domain/trading.js';
import { BTC_CLOSE_AT_DEFAULT, marketSnapshot, openLong } from './fixtures/market-snapshot.js';

const START_PRICE = 120_000;

describe('the blind price scale', () => {
  it('when a market has a start price, then that price is shown as 100 for the whole run', () => {
    const scale = new PriceScale(new Map([['BTC/USDT:USDT', START_PRICE]]));

    expect(scale.factorFor('BTC/USDT:USDT', 130_000) * START_PRICE).toBeCloseTo(100, 10);
    expect(scale.factorFor('BTC/USDT:USDT', 90_000)).toBe(scale.factorFor('BTC/USDT:USDT', 130_000));
  });

  it('when a market has no start price, then the first price asked about becomes its 100 and stays so', () => {
    const scale = new PriceScale();

    const first = scale.factorFor('ETH/USDT:USDT', 4_000);
    const later = scale.factorFor('ETH/USDT:USDT', 4_400);

    expect(first * 4_000).toBeCloseTo(100, 10);
    expect(later).toBe(first);
  });

  it('when there is no usable price to anchor on, then it refuses rather than divide by zero', () => {
    expect(() => new PriceScale().factorFor('XRP/USDT:USDT', 0)).toThrow(/no price to anchor/);
  });
});

describe('a blinded snapshot', () => {
  const real = marketSnapshot();
  const factor = 100 / START_PRICE;
  const blind = blindSnapshot(real, factor);

  it('when blinded, then the symbol and the 24h quote volume are gone and prices are in blind units', () => {
    expect(blind.symbol).toBe('');
    expect(blind.quoteVolume24h).toBeNaN();
    expect(blind.price).toBeCloseTo(BTC_CLOSE_AT_DEFAULT * factor, 10);
    expect(blind.markPrice).toBeCloseTo(real.markPrice * factor, 10);
  });

  it('when blinded, then every candle price and every price-unit indicator is scaled by the same factor', () => {
    for (const timeframe of ['15m', '1h', '4h'] as const) {
      const [before, after] = [real.timeframes[timeframe], blind.timeframes[timeframe]];
      after.candles.forEach((candle, index) => {
        const original = before.candles[index] as Candle;
        for (const field of ['open', 'high', 'low', 'close'] as const) expect(candle[field]).toBeCloseTo(original[field] * factor, 9);
        expect(candle.openTime).toBe(original.openTime);
      });
      const [i, j] = [before.indicators, after.indicators];
      for (const field of ['close', 'sma20', 'sma50', 'sma200', 'ema20', 'ema50', 'ema200', 'atr14'] as const) {
        expect(j[field]).toBeCloseTo((i[field] as number) * factor, 9);
      }
      expect(j.macd?.histogram).toBeCloseTo((i.macd?.histogram ?? 0) * factor, 12);
      expect(j.previousMacd?.signal).toBeCloseTo((i.previousMacd?.signal ?? 0) * factor, 12);
      expect(j.bollinger?.upper).toBeCloseTo((i.bollinger?.upper ?? 0) * factor, 9);
      expect(j.bollinger?.lower).toBeCloseTo((i.bollinger?.lower ?? 0) * factor, 9);
    }
  });

  it('when blinded, then ratios keep their values: RSI, %B, band width, ATR %, ADX and the volume ratio', () => {
    const [i, j] = [real.timeframes['1h'].indicators, blind.timeframes['1h'].indicators];

    expect(j.rsi14).toBe(i.rsi14);
    expect(j.bollinger?.percentB).toBe(i.bollinger?.percentB);
    expect(j.bollinger?.width).toBe(i.bollinger?.width);
    expect(j.atrPct).toBe(i.atrPct);
    expect(j.adx14).toEqual(i.adx14);
    expect(j.volumeRatio).toBe(i.volumeRatio);
    expect(j.volume).toBeCloseTo(i.volumeRatio ?? 0, 10);
    expect(blind.fundingRate).toBe(real.fundingRate);
  });

  it('when blinded, then candle volumes become multiples of their own 20-candle average', () => {
    const candles = real.timeframes['15m'].candles;
    const shown = blind.timeframes['15m'].candles;
    const last = candles.length - 1;
    const window = candles.slice(last - VOLUME_AVERAGE_CANDLES + 1, last + 1);
    const mean = window.reduce((total, candle) => total + candle.volume, 0) / window.length;

    expect(shown[last]?.volume).toBeCloseTo((candles[last] as Candle).volume / mean, 10);
  });
});

describe('relative volumes', () => {
  it('when fewer than twenty candles came before, then the average is over those there are', () => {
    const candles = [10, 30, 20].map((volume, index) => ({ openTime: index, open: 1, high: 1, low: 1, close: 1, volume }));

    expect(relativeVolumes(candles)).toEqual([1, 1.5, 1]);
  });
});

describe('the answer of a blind prompt', () => {
  const realPrice = BTC_CLOSE_AT_DEFAULT;
  const factor = 100 / START_PRICE;
  const shown = realPrice * factor;

  it('when a LONG in blind units is mapped back, then entry, stop and take-profit are the real prices (round trip)', () => {
    const text = JSON.stringify({
      action: 'LONG',
      confidence: 0.8,
      leverage: 3,
      stop_loss_pct: 0.06,
      entry_price: shown,
      stop_loss_price: shown * 0.94,
      take_profit_price: shown * 1.12,
      risk_reward: 2,
      reasoning: 'Trend up.',
    });

    const parsed = parseEntryAnswer(text, { risk: DEFAULT_RISK, price: shown });
    expect(parsed.ok).toBe(true);
    const answer = (parsed as { answer: TradeAnswer }).answer;
    const real = answerInRealPrices(answer, factor);

    expect(real.entryPrice).toBeCloseTo(realPrice, 6);
    expect(real.stopPrice).toBeCloseTo(realPrice * 0.94, 6);
    expect(real.takeProfitPrice).toBeCloseTo(realPrice * 1.12, 6);
    expect(real.stopLossPct).toBe(answer.stopLossPct);
    expect(real.takeProfitPct).toBe(answer.takeProfitPct);
    expect(real.riskReward).toBe(answer.riskReward);
  });

  it('when the blind answer is checked against the real price instead of the shown one, then it is refused', () => {
    const text = JSON.stringify({
      action: 'SHORT',
      confidence: 0.8,
      leverage: 3,
      stop_loss_pct: 0.05,
      entry_price: shown,
      stop_loss_price: shown * 1.05,
      take_profit_price: shown * 0.9,
      risk_reward: 2,
      reasoning: 'Trend down.',
    });

    expect(parseEntryAnswer(text, { risk: DEFAULT_RISK, price: shown }).ok).toBe(true);
    expect(parseEntryAnswer(text, { risk: DEFAULT_RISK, price: realPrice }).ok).toBe(false);
  });
});

describe('a blinded position', () => {
  it('when blinded, then its levels are scaled, its symbol is gone and its P&L in USDT and in percent is unchanged', () => {
    const snapshot = marketSnapshot();
    const position = openLong();
    const factor = 100 / START_PRICE;

    const plain = formatPosition(position, snapshot);
    const blind = formatPosition(blindPosition(position, factor), blindSnapshot(snapshot, factor), { blind: true });

    expect(blind).not.toContain('BTC');
    expect(blind).toContain('LONG 3x, entry 100, now ');
    const pnlLine = (text: string) => text.split('\n')[1];
    expect(pnlLine(blind)).toBe(pnlLine(plain));
    expect(blind).toContain('stop 94 (');
    expect(blind).toContain('liquidation at least 33% away');
    expect(blind).toContain('take-profit 112');
  });
});

describe('the liquidation of a blind position', () => {
  const NOTIONAL = 1_200;
  /** A position of the same size and leverage, liquidated where the market's own first-bracket rate puts it. */
  function positionIn(base: string, entryPrice: number, side: Side, leverage: number): Position {
    const quantity = NOTIONAL / entryPrice;
    const margin = NOTIONAL / leverage;
    const maintenance = { maintenanceMarginRate: firstBracketMaintenanceRate(base), maintenanceAmount: 0 };
    return openLong({
      symbol: `${base}/USDT:USDT`,
      side,
      leverage,
      entryPrice,
      quantity,
      margin,
      stopPrice: stopPriceFor(side, entryPrice, 0.06),
      takeProfitPrice: takeProfitPriceFor(side, entryPrice, 0.12),
      liquidationPrice: liquidationPrice({ side, entryPrice, quantity, margin, ...maintenance }),
    });
  }
  const btc = { base: 'BTC', entry: 120_000 };
  const eth = { base: 'ETH', entry: 4_000 };
  const cases = (['long', 'short'] as const).flatMap((side) => [2, 3, 4, 5].map((leverage) => ({ side, leverage })));
  /** Blind prices from 85 to 115 in steps of 0.1: wherever the price has gone since entry. */
  const blindPrices = Array.from({ length: 301 }, (_, index) => 85 + index / 10);

  const snapshot = marketSnapshot();
  const shown = (market: typeof btc, side: Side, leverage: number, price: number): string => {
    const factor = 100 / market.entry;
    const position = blindPosition(positionIn(market.base, market.entry, side, leverage), factor);
    return formatPosition(position, { ...snapshot, price }, { blind: true });
  };

  it('when BTC (0.4%) and ETH (0.5%) positions of the same leverage are shown at the same blind price, then their text is the same', () => {
    for (const { side, leverage } of cases) {
      for (const price of blindPrices) expect(shown(btc, side, leverage, price)).toBe(shown(eth, side, leverage, price));
    }
  });

  it('when shown, then there is no liquidation price, and the whole-percent distance never puts liquidation farther than it is', () => {
    for (const market of [btc, eth]) {
      for (const { side, leverage } of cases) {
        const factor = 100 / market.entry;
        const liquidation = positionIn(market.base, market.entry, side, leverage).liquidationPrice * factor;
        for (const price of blindPrices) {
          const text = shown(market, side, leverage, price);
          const percent = Number(/liquidation at least (\d+)% away/.exec(text)?.[1]);
          expect(text).not.toMatch(/liquidation \d/);
          expect(percent / 100).toBeLessThanOrEqual(Math.max(0, adverseDistance(side, price, liquidation)));
        }
      }
    }
  });
});
