// A venue with just enough behaviour for the engine's close and size-following paths (reduce-only trigger orders
// that rest, look-ups by client id, fills, positions, closes that may fill in part), and a protected long on it.
import { expect } from 'vitest';
import { ManualClock } from '../../src/adapters/clock/index.js';
import { engineSettings } from '../../src/cli/engine-settings.js';
import { loadConfig } from '../../src/config/load-config.js';
import { RejectedError } from '../../src/domain/errors.js';
import type { MarketSpec } from '../../src/domain/market.js';
import { roundToStep } from '../../src/domain/money.js';
import type { Fill } from '../../src/domain/trading.js';
import { buildEngine } from '../../src/engine/build-engine.js';
import type { Exchange, ExchangePosition, OrderResult, StopOrderRequest } from '../../src/ports/exchange.js';
import type { MarketData } from '../../src/ports/market-data.js';
import { InMemoryStore } from '../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../src/testing/recording-notifier.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';

export const SYMBOL = 'ETH/USDT:USDT';
export const T0 = new Date('2025-10-01T00:00:00Z');
export const SPEC: MarketSpec = {
  symbol: SYMBOL, id: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: 0.01, amountStep: 0.001, minAmount: 0.001,
  minNotional: 5, maintenanceMarginRate: 0.005, maintenanceAmount: 0, maxLeverage: 50,
};

/** A venue with just enough behaviour: reduce-only trigger orders that rest, look-ups by client id, fills, positions. */
export class ScriptedVenue implements Exchange {
  readonly name = 'scripted';
  orders: OrderResult[] = [];
  fillsList: Fill[] = [];
  held: ExchangePosition[] = [];
  private next = 1;
  constructor(private readonly clock: ManualClock) {}
  async balance() { return { total: 1_000, available: 1_000, currency: 'USDT' }; }
  async setLeverage() {}
  async placeEntry(): Promise<OrderResult> { throw new Error('not in this story'); }
  private trigger(request: StopOrderRequest, type: 'stop_market' | 'take_profit_market'): OrderResult {
    if (this.orders.some((o) => o.clientOrderId === request.clientOrderId && o.status === 'open')) throw new RejectedError('duplicate client order id');
    const order: OrderResult = {
      id: `V${this.next++}`, clientOrderId: request.clientOrderId, symbol: request.symbol, side: request.positionSide === 'long' ? 'sell' : 'buy',
      type, status: 'open', quantity: roundToStep(request.quantity, SPEC.amountStep, 'down'), filledQuantity: 0,
      triggerPrice: roundToStep(request.triggerPrice, SPEC.tickSize, 'nearest'), reduceOnly: true, time: this.clock.now(),
    };
    this.orders.push(order);
    return order;
  }
  async placeProtectiveStop(request: StopOrderRequest) { return this.trigger(request, 'stop_market'); }
  async placeTakeProfit(request: StopOrderRequest) { return this.trigger(request, 'take_profit_market'); }
  async openOrders(symbol?: string) { return this.orders.filter((o) => o.status === 'open' && (symbol === undefined || o.symbol === symbol)); }
  async findOrder(clientOrderId: string) { return [...this.orders].reverse().find((o) => o.clientOrderId === clientOrderId); }
  async cancelOrder(id: string) {
    const index = this.orders.findIndex((o) => o.id === id && o.status === 'open');
    if (index < 0) throw new RejectedError('unknown order');
    this.orders[index] = { ...(this.orders[index] as OrderResult), status: 'cancelled' };
  }
  /** Fills `closeFills` of the request (all when unset) at 96 and lets the rest expire, as a capped IOC does. */
  closeFills?: number;
  /** How the venue words a close that filled short of its size: ended ('expired'), or 'filled' for what it did fill. */
  shortCloseStatus: 'expired' | 'filled' = 'expired';
  /** Bybit's rule: a client id the venue has seen is refused, whatever became of its order. */
  refusesSeenClientIds = false;
  /** False: a close's fills are held back (the venue's trade list lagging its order answer) until `listHeldFills`. */
  listsCloseFills = true;
  private heldFills: Fill[] = [];
  listHeldFills(): void {
    this.fillsList.push(...this.heldFills);
    this.heldFills = [];
  }
  async closePosition(request: { clientOrderId: string; symbol: string; quantity: number }): Promise<OrderResult> {
    if (this.refusesSeenClientIds && this.orders.some((o) => o.clientOrderId === request.clientOrderId)) throw new RejectedError('duplicate client order id');
    const held = this.held[0] as ExchangePosition;
    const filled = Math.min(this.closeFills ?? request.quantity, held.quantity);
    const order: OrderResult = {
      id: `V${this.next++}`, clientOrderId: request.clientOrderId, symbol: request.symbol, side: 'sell', type: 'market',
      status: filled < request.quantity ? this.shortCloseStatus : 'filled', quantity: request.quantity, filledQuantity: filled, averagePrice: 96,
      fee: 96 * filled * 0.0005, reduceOnly: true, time: this.clock.now(),
    };
    this.orders.push(order);
    const fill: Fill = { id: `f${order.id}`, orderId: order.id, clientOrderId: request.clientOrderId, symbol: request.symbol, side: 'sell', price: 96, quantity: filled, fee: 96 * filled * 0.0005, time: this.clock.now() };
    (this.listsCloseFills ? this.fillsList : this.heldFills).push(fill);
    const left = roundToStep(held.quantity - filled, SPEC.amountStep, 'nearest');
    this.held = left > 0 ? [{ ...held, quantity: left }] : [];
    return order;
  }
  async positions() { return this.held; }
  async fills(_symbol: string, since: Date) { return this.fillsList.filter((f) => f.time >= since); }
  async fundingPayments() { return []; }
  /** Our resting stops of the position, as `quantity@trigger`. */
  restingStops(): string[] { return this.orders.filter((o) => o.status === 'open' && o.type === 'stop_market').map((o) => `${o.quantity}@${o.triggerPrice}`); }
}

function marketData(price: () => number): MarketData {
  return {
    market: async () => SPEC,
    ticker: async () => ({ symbol: SYMBOL, last: price(), quoteVolume24h: 1e9, time: T0 }),
    markPrice: async () => price(),
    fundingRate: async () => ({ rate: 0, intervalHours: 8, nextFundingTime: new Date(T0.getTime() + 8 * 3_600_000) }),
    candles: async () => [],
    pricePath: async () => [],
    fundingEvents: async () => [],
  };
}

/** A long of 1 ETH at 100 (stop 94, target 112), open and protected, with its entry on the venue and in the store. */
export async function scriptedWorld(env: Record<string, string>) {
  const clock = new ManualClock(new Date(T0.getTime() + 3_600_000));
  const venue = new ScriptedVenue(clock);
  let price = 100;
  const store = new InMemoryStore();
  const notifier = new RecordingNotifier();
  const settings = engineSettings(loadConfig({ env: { SYMBOLS: SYMBOL, INITIAL_CAPITAL: '1000', ...env } }), 'live', [SYMBOL]);
  const engine = buildEngine(
    { clock, marketData: marketData(() => price), exchange: venue, analysts: [], exitAnalysts: [], store, notifier, logger: new RecordingLogger(), settings },
    { orphanPolicy: 'adopt', settingsView: {} },
  );
  await engine.daemon.parts.breakers.load(1_000);
  const created = await store.positions.create({
    symbol: SYMBOL, side: 'long', leverage: 3, quantity: 1, entryPrice: 100, margin: 33.33, stopPrice: 94, stopLossPct: 0.06,
    liquidationPrice: 67.2, takeProfitPrice: 112, entryFee: 0.05, funding: 0, openedAt: T0, bestPrice: 100,
    rationale: { confidence: 0.8, opportunityScore: 80, agreeing: ['a', 'b'], dissenting: [] },
  });
  await store.orders.record({ clientOrderId: 'ltd-1-entry', positionId: created.id, symbol: SYMBOL, purpose: 'entry', side: 'buy', type: 'limit', limitPrice: 100.5, quantity: 1, createdAt: T0 });
  await store.orders.update('ltd-1-entry', { status: 'filled', exchangeOrderId: 'E1', filledQuantity: 1, averagePrice: 100, fee: 0.05, updatedAt: T0 });
  venue.orders.push({ id: 'E1', clientOrderId: 'ltd-1-entry', symbol: SYMBOL, side: 'buy', type: 'limit', status: 'filled', quantity: 1, filledQuantity: 1, averagePrice: 100, fee: 0.05, reduceOnly: false, time: T0 });
  venue.fillsList.push({ id: 'f1', orderId: 'E1', clientOrderId: 'ltd-1-entry', symbol: SYMBOL, side: 'buy', price: 100, quantity: 1, fee: 0.05, time: T0 });
  const stop = await engine.daemon.parts.stopMover['stops'].protect(created, { fresh: true });
  expect(stop.protected).toBe(true);
  await store.positions.update(created.id, { status: 'open', stopOrderId: stop.protected ? stop.order.id : undefined });
  venue.held = [{ symbol: SYMBOL, side: 'long', quantity: 1, entryPrice: 100, markPrice: 100, liquidationPrice: 67.2, margin: 33.33 }];
  return { clock, venue, store, engine, notifier, setPrice: (p: number) => { price = p; } };
}
