import type { Order, Position } from 'ccxt';
import { describe, expect, it } from 'vitest';
import { toExchangePosition, toOrderResult } from '../../../../../src/adapters/exchange/ccxt/order-mapping.js';
import { TemporaryError } from '../../../../../src/domain/errors.js';

const NOW = new Date(Date.UTC(2025, 9, 15, 12));

function order(overrides: Partial<Order>): Order {
  return {
    id: '1',
    clientOrderId: 'c-1',
    datetime: undefined,
    timestamp: NOW.getTime(),
    lastTradeTimestamp: undefined,
    status: 'closed',
    symbol: 'BTC/USDT:USDT',
    type: 'market',
    side: 'buy',
    price: undefined,
    average: 100_000,
    amount: 0.01,
    filled: 0.01,
    remaining: 0,
    cost: 1_000,
    trades: [],
    fee: undefined,
    reduceOnly: false,
    postOnly: false,
    info: { type: 'MARKET' },
    ...overrides,
  } as Order;
}

describe('toOrderResult', () => {
  it('when ccxt types a conditional order as market, then the venue type makes it a stop_market', () => {
    const stop = order({ status: 'open', info: { algoId: 7, orderType: 'STOP_MARKET' }, triggerPrice: 95_000, filled: 0, average: undefined, reduceOnly: true });

    expect(toOrderResult(stop, NOW)).toMatchObject({ type: 'stop_market', status: 'open', triggerPrice: 95_000, reduceOnly: true, filledQuantity: 0 });
  });

  it.each([
    ['Bybit', { orderType: 'Market', triggerDirection: 1 }, { takeProfitPrice: 105_000, stopLossPrice: undefined }],
    ['Hyperliquid', { orderType: 'Take Profit Market', isTrigger: true }, { takeProfitPrice: 105_000, stopLossPrice: undefined }],
    ['Binance', { algoId: 8, orderType: 'TAKE_PROFIT_MARKET' }, {}],
  ])('when %s answers a target, then it is a take_profit_market, not a stop', (_venue, info, prices) => {
    const target = order({ status: 'open', side: 'sell', info, triggerPrice: 105_000, filled: 0, average: undefined, reduceOnly: true, ...prices });

    expect(toOrderResult(target, NOW)).toMatchObject({ type: 'take_profit_market', triggerPrice: 105_000 });
  });

  it('when Bybit answers a stop, then ccxt\u2019s stop-loss reading keeps it a stop_market', () => {
    const stop = order({ status: 'open', info: { orderType: 'Market', triggerDirection: 2 }, triggerPrice: 95_000, stopLossPrice: 95_000, filled: 0, average: undefined, reduceOnly: true });

    expect(toOrderResult(stop, NOW)).toMatchObject({ type: 'stop_market' });
  });

  it('when a market order is closed, then it is filled at its average price', () => {
    expect(toOrderResult(order({}), NOW)).toMatchObject({ type: 'market', status: 'filled', averagePrice: 100_000, quantity: 0.01 });
  });

  it.each([
    ['canceled', 'cancelled'],
    ['expired', 'expired'],
    ['rejected', 'rejected'],
  ])('when ccxt says %s, then the port says %s', (ccxtStatus, expected) => {
    expect(toOrderResult(order({ status: ccxtStatus }), NOW).status).toBe(expected);
  });

  it('when the amount is missing, then a TemporaryError names the field instead of a NaN quantity', () => {
    expect(() => toOrderResult(order({ amount: undefined }), NOW)).toThrow(TemporaryError);
    expect(() => toOrderResult(order({ amount: undefined }), NOW)).toThrow(/order 1\.amount/);
  });
});

describe('toExchangePosition', () => {
  const position = (overrides: Partial<Position>): Position =>
    ({
      symbol: 'ETH/USDT:USDT',
      side: 'short',
      contracts: 0.5,
      entryPrice: 4_000,
      markPrice: 3_900,
      notional: -1_950,
      initialMargin: 650,
      unrealizedPnl: 50,
      liquidationPrice: 5_000,
      info: { isolatedWallet: '666.5' },
      ...overrides,
    }) as Position;

  it('when the venue no longer reports leverage, then it is recovered as notional / initial margin', () => {
    // 1 950 / 650 = 3.
    expect(toExchangePosition(position({}))).toMatchObject({ side: 'short', quantity: 0.5, leverage: 3, margin: 666.5 });
  });

  it('when the position is flat, then there is no position', () => {
    expect(toExchangePosition(position({ contracts: 0 }))).toBeUndefined();
  });

  it('when the report carries no size at all, then it is an error naming the field, never a flat position', () => {
    expect(() => toExchangePosition(position({ contracts: undefined }))).toThrow(/position ETH\/USDT:USDT\.contracts is not a finite number \(missing\)/);
  });

  it('when only the raw size is there, then it is used', () => {
    expect(toExchangePosition(position({ contracts: undefined, info: { positionAmt: '-0.5' } }))).toMatchObject({ quantity: 0.5 });
  });

  it('when the entry price is missing, then a TemporaryError names it', () => {
    expect(() => toExchangePosition(position({ entryPrice: undefined }))).toThrow(/position ETH\/USDT:USDT\.entryPrice/);
  });
});
