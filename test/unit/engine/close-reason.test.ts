// Why a position vanished is what made its last exit: a stop that filled in part and was re-armed (`-stop.1`) did not
// close the rest when the venue's auto-deleveraging took it.
//
// Long 1 @ 100, liquidation 80.4. Stop ltd-1-stop (1 @ 95) fills 0.4 @ 95 and the venue expires the rest; the daemon
// re-arms ltd-1-stop.1 for 0.6 (still resting, unfilled). Later the venue auto-deleverages the remaining 0.6 @ 110
// (client id adl_autoclose-77). The position is gone and the last exit is the venue's ADL.
// Expected reason: 'adl' (the venue's client id on the last exit).
import { describe, expect, it } from 'vitest';
import { TradeBooker } from '../../../src/engine/trade-booker.js';
import type { Fill, OrderRecord } from '../../../src/domain/trading.js';
import type { OrderResult } from '../../../src/ports/exchange.js';
import { position } from '../../support/factories.js';

const T = Date.parse('2025-10-01T00:00:00Z');
const SYMBOL = 'ETH/USDT:USDT';

describe('the close reason after a stop that filled in part', () => {
  it("is the venue's ADL that closed the rest, not the stop", async () => {
    const pos = position({ id: '1', symbol: SYMBOL, quantity: 0.6, liquidationPrice: 80.4, stopClientOrderId: 'ltd-1-stop.1' });
    const orders: Record<string, OrderResult> = {
      'ltd-1-stop': { id: 's0', clientOrderId: 'ltd-1-stop', symbol: SYMBOL, side: 'sell', type: 'stop_market', status: 'expired', quantity: 1, filledQuantity: 0.4, averagePrice: 95, reduceOnly: true, time: new Date(T + 60_000) },
      'ltd-1-stop.1': { id: 's1', clientOrderId: 'ltd-1-stop.1', symbol: SYMBOL, side: 'sell', type: 'stop_market', status: 'open', quantity: 0.6, filledQuantity: 0, reduceOnly: true, time: new Date(T + 70_000) },
    };
    const fills: Fill[] = [
      { id: 'f1', orderId: 'e', clientOrderId: 'ltd-1-entry', symbol: SYMBOL, side: 'buy', price: 100, quantity: 1, fee: 0.05, time: new Date(T) },
      { id: 'f2', orderId: 's0', clientOrderId: 'ltd-1-stop', symbol: SYMBOL, side: 'sell', price: 95, quantity: 0.4, fee: 0.019, time: new Date(T + 60_000) },
      { id: 'f3', orderId: 'adl', clientOrderId: 'adl_autoclose-77', symbol: SYMBOL, side: 'sell', price: 110, quantity: 0.6, fee: 0, time: new Date(T + 3_600_000) },
    ];
    const records = ['ltd-1-entry', 'ltd-1-stop', 'ltd-1-stop.1'].map((clientOrderId) => ({ clientOrderId, positionId: '1' }) as OrderRecord);
    const ctx = {
      settings: { orderIdPrefix: 'ltd', exits: { venue: { takeProfitOnExchange: true } } },
      exchange: { findOrder: async (id: string) => orders[id] },
      store: { orders: { forPosition: async () => records } },
    };
    const positionFills = { fills: async () => fills };
    const booker = new TradeBooker(ctx as never, positionFills as never, {} as never, {} as never, {} as never, {} as never);
    expect(await booker.reasonForVanished(pos)).toBe('adl');
  });
});
