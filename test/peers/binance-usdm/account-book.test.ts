import { describe, expect, it } from 'vitest';
import { AccountBook, type MarketView, type OversizeReduceOnly } from './account-book.js';
import { VenueError } from './venue-error.js';

const FILTERS = { tickSize: 0.1, stepSize: 0.001, minQty: 0.001, minNotional: 5 };

/** One symbol whose last and mark prices the test sets. */
function market(): MarketView & { price: number } {
  return {
    price: 100_000,
    filters: (symbol) => (symbol === 'BTCUSDT' ? FILTERS : undefined),
    lastPrice(symbol) {
      return symbol === 'BTCUSDT' ? this.price : undefined;
    },
    markPrice(symbol) {
      return symbol === 'BTCUSDT' ? this.price : undefined;
    },
    maintenanceRate: () => 0.004,
  };
}

function longBook(oversize: OversizeReduceOnly, amount = 0.01) {
  const view = market();
  const book = new AccountBook(view, 10_000, 0.0005);
  book.oversizeReduceOnly = oversize;
  book.placeMarketOrder({ symbol: 'BTCUSDT', side: 'BUY', quantity: amount, reduceOnly: false, clientOrderId: 'entry' }, 1);
  return { view, book };
}

const sell = (quantity: number, clientOrderId: string) => ({ symbol: 'BTCUSDT', side: 'SELL' as const, quantity, reduceOnly: true, clientOrderId });

function refusal(action: () => unknown): VenueError {
  try {
    action();
  } catch (error) {
    if (error instanceof VenueError) return error;
    throw error;
  }
  throw new Error('expected the venue to refuse');
}

describe('a reduce-only order larger than the position', () => {
  it('when the venue closes (Binance, Bybit), a triggered full-size stop fills the position\u2019s size only and the position is flat', () => {
    const { view, book } = longBook('close');
    // A ladder step took 0.004 of the 0.01; the stop still rests for 0.01.
    book.placeMarketOrder(sell(0.004, 'step-1'), 2);
    book.placeAlgoOrder({ ...sell(0.01, 'stop'), orderType: 'STOP_MARKET', triggerPrice: 99_000, workingType: 'MARK_PRICE' }, 2);
    view.price = 98_900;
    const [fired] = book.evaluateTriggers('BTCUSDT', 3);
    expect(fired).toMatchObject({ algoStatus: 'FINISHED', quantity: 0.01 });
    const order = book.orders.find((o) => o.orderId === fired?.actualOrderId);
    expect(order).toMatchObject({ status: 'FILLED', origQty: 0.01, origType: 'STOP_MARKET', reduceOnly: true, avgPrice: 98_900 });
    expect(order?.executedQty).toBeCloseTo(0.006, 12);
    expect(book.position('BTCUSDT')).toBeUndefined();
    const fills = book.trades.filter((t) => t.orderId === order?.orderId);
    expect(fills).toHaveLength(1);
    expect(fills[0]?.qty).toBeCloseTo(0.006, 12);
    expect(fills[0]?.realizedPnl).toBeCloseTo((98_900 - 100_000) * 0.006, 6);
  });

  it('when the venue closes, a reduce-only MARKET order sent larger than the position fills the position\u2019s size', () => {
    const { book } = longBook('close');
    const order = book.placeMarketOrder(sell(0.02, 'close'), 2);
    expect(order).toMatchObject({ status: 'FILLED', origQty: 0.02, executedQty: 0.01 });
    expect(book.position('BTCUSDT')).toBeUndefined();
  });

  it('when the venue refuses (the strict rule), a triggered oversize stop expires and the position stays open', () => {
    const { view, book } = longBook('reject');
    book.placeMarketOrder(sell(0.004, 'step-1'), 2);
    book.placeAlgoOrder({ ...sell(0.01, 'stop'), orderType: 'STOP_MARKET', triggerPrice: 99_000, workingType: 'MARK_PRICE' }, 2);
    view.price = 98_900;
    const [fired] = book.evaluateTriggers('BTCUSDT', 3);
    expect(fired?.algoStatus).toBe('EXPIRED');
    expect(book.position('BTCUSDT')?.amount).toBeCloseTo(0.006, 12);
    expect(refusal(() => book.placeMarketOrder(sell(0.02, 'close'), 4)).code).toBe(-2022);
  });

  it('either way, a reduce-only LIMIT order larger than the position, one on the position\u2019s own side, and one with no position are refused', () => {
    for (const oversize of ['close', 'reject'] as const) {
      const { book } = longBook(oversize);
      expect(refusal(() => book.placeLimitIocOrder({ ...sell(0.02, `limit-${oversize}`), price: 99_000, timeInForce: 'IOC' }, 2)).code).toBe(-2022);
      const sameSide = { symbol: 'BTCUSDT', side: 'BUY' as const, quantity: 0.005, reduceOnly: true, clientOrderId: `buy-${oversize}` };
      expect(refusal(() => book.placeMarketOrder(sameSide, 2)).code).toBe(-2022);
      book.placeMarketOrder(sell(0.01, `flat-${oversize}`), 3);
      expect(refusal(() => book.placeMarketOrder(sell(0.01, `none-${oversize}`), 4)).code).toBe(-2022);
      expect(book.position('BTCUSDT')).toBeUndefined();
    }
  });

  it('a stop that finds the position already closed expires with nothing filled', () => {
    const { view, book } = longBook('close');
    book.placeAlgoOrder({ ...sell(0.01, 'stop'), orderType: 'STOP_MARKET', triggerPrice: 99_000, workingType: 'MARK_PRICE' }, 2);
    book.placeMarketOrder(sell(0.01, 'exit'), 3);
    view.price = 98_900;
    const tradesBefore = book.trades.length;
    expect(book.evaluateTriggers('BTCUSDT', 4)[0]?.algoStatus).toBe('EXPIRED');
    expect(book.trades).toHaveLength(tradesBefore);
  });
});

describe('a position closed in parts', () => {
  it('when the parts add up to the position, then it is flat, with no binary-fraction remainder left to close', () => {
    const view = market();
    view.price = 1_000;
    const book = new AccountBook(view, 10_000, 0.0005);
    book.placeMarketOrder({ symbol: 'BTCUSDT', side: 'BUY', quantity: 2.781, reduceOnly: false, clientOrderId: 'entry' }, 1);
    book.placeMarketOrder(sell(2.085, 'step-1'), 2);
    book.placeMarketOrder(sell(0.696, 'stop'), 3);

    expect(book.position('BTCUSDT')).toBeUndefined();
    expect(refusal(() => book.placeMarketOrder(sell(0.696, 'again'), 4)).code).toBe(-2022);
  });
});
