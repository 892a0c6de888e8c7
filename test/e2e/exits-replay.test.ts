// The whole daemon in replay on the bundled history with the venue exits on: the take-profit ladder, the final target
// on the venue and the trailing stop that moves the venue stop. The same engine path as live (the paper venue
// stands in), and every trade must still respect every rule: the first stop in the band, the protected band, the
// booking from fills, the wallet to the cent; and every moved or re-armed stop was verified before the old one went.
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../src/adapters/market-data/replay/index.js';
import { openStore } from '../../src/adapters/store/open-store.js';
import { runReplay, type ReplayResult } from '../../src/cli/replay-runner.js';
import { loadConfig } from '../../src/config/load-config.js';
import { adverseDistance, entryOrderSide, sideSign } from '../../src/domain/money.js';
import { clientOrderId, parseClientOrderId } from '../../src/domain/order-ids.js';
import type { Store } from '../../src/ports/store.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';

const config = loadConfig({
  env: {
    MIN_OPPORTUNITY_SCORE: '70',
    // A step must book the minimum profit on its own, and the daemon's own take-profit closes the whole position at
    // twice the minimum (or 2% beyond its price): a step of 75% at 3.5% and a 1% trail fit between the two with a $10
    // minimum on these position sizes; a step of half the position or less never could.
    TAKE_PROFIT_LADDER: '0.75@3.5%',
    TAKE_PROFIT_BREAK_EVEN: 'true',
    TAKE_PROFIT_ON_EXCHANGE: 'true',
    TRAILING_STOP_PERCENT: '0.01',
    TRAILING_ACTIVATION_PERCENT: '0.01',
    MIN_PROFIT_USD: '10',
  },
});
const PROTECTED_BAND_EXITS = new Set(['stop_loss', 'stop_loss_on_exchange', 'liquidation', 'liquidation_risk', 'take_profit_on_exchange']);
let store: Store;
let result: ReplayResult;

beforeAll(async () => {
  store = await openStore({ logger: new RecordingLogger() });
  result = await runReplay({ historyDir: bundledHistoryDir(), config, store, logger: new RecordingLogger() });
}, 900_000);

describe('a replay with the ladder and the venue trailing stop on', () => {
  it('trades, and the venue exits act: a ladder step fills and a stop is moved or re-armed', async () => {
    expect(result.trades.length).toBeGreaterThanOrEqual(3);
    expect(result.events.some((event) => event.type === 'position_partially_closed')).toBe(true);
    let replaced = 0;
    for (const trade of result.trades) {
      const stops = (await store.orders.forPosition(trade.positionId)).filter((order) => order.purpose === 'stop');
      replaced += stops.filter((order) => (parseClientOrderId(config.orderIdPrefix, order.clientOrderId)?.version ?? 0) > 0).length;
    }
    expect(replaced).toBeGreaterThan(0);
  });

  it('keeps every first stop between 5% and 10% from the entry fill', async () => {
    for (const trade of result.trades) {
      const first = await store.orders.get(clientOrderId(config.orderIdPrefix, trade.positionId, 'stop'));
      const distance = adverseDistance(trade.side, trade.entryPrice, first?.triggerPrice ?? Number.NaN);
      expect(distance).toBeGreaterThanOrEqual(config.risk.minStopLossPct - 1e-9);
      expect(distance).toBeLessThanOrEqual(config.risk.maxStopLossPct + 1e-9);
    }
  });

  it('only ever moves a stop toward profit, and leaves no stop but the last one uncancelled', async () => {
    for (const trade of result.trades) {
      const stops = (await store.orders.forPosition(trade.positionId))
        .filter((order) => order.purpose === 'stop' && order.status !== 'rejected' && order.exchangeOrderId !== undefined)
        .sort((a, b) => (parseClientOrderId(config.orderIdPrefix, a.clientOrderId)?.version ?? 0) - (parseClientOrderId(config.orderIdPrefix, b.clientOrderId)?.version ?? 0));
      for (let i = 1; i < stops.length; i += 1) {
        expect(sideSign(trade.side) * ((stops[i]?.triggerPrice ?? 0) - (stops[i - 1]?.triggerPrice ?? 0))).toBeGreaterThanOrEqual(0);
        expect(stops[i - 1]?.status).toBe('cancelled');
      }
    }
  });

  it('never closes a position with a net profit between $0 and the minimum profit, except by the stop, a target on the venue or liquidation', () => {
    for (const trade of result.trades) {
      if (trade.netPnl >= 0 && trade.netPnl <= config.exits.minProfitUsd) expect(PROTECTED_BAND_EXITS).toContain(trade.reason);
    }
  });

  it('books each trade, partial exits included, as exactly the sum of its fills, minus fees, plus funding', () => {
    for (const trade of result.trades) {
      const opening = entryOrderSide(trade.side);
      const entries = trade.fills.filter((fill) => fill.side === opening);
      const exits = trade.fills.filter((fill) => fill.side !== opening);
      const entryQty = entries.reduce((total, fill) => total + fill.quantity, 0);
      const exitQty = exits.reduce((total, fill) => total + fill.quantity, 0);
      expect(exitQty).toBeCloseTo(entryQty, 9);
      const avgEntry = entries.reduce((total, fill) => total + fill.price * fill.quantity, 0) / entryQty;
      const gross = exits.reduce((total, fill) => total + sideSign(trade.side) * (fill.price - avgEntry) * fill.quantity, 0);
      const fees = trade.fills.reduce((total, fill) => total + fill.fee, 0);
      expect(gross - fees + trade.funding).toBeCloseTo(trade.netPnl, 6);
    }
  });

  it('announces each partial once, and each closed position once', async () => {
    const partials = result.events.filter((event) => event.type === 'position_partially_closed');
    let filledSteps = 0;
    for (const trade of result.trades) {
      const orders = await store.orders.forPosition(trade.positionId);
      filledSteps += orders.filter((order) => parseClientOrderId(config.orderIdPrefix, order.clientOrderId)?.step !== undefined && order.status === 'filled').length;
    }
    expect(partials.length).toBe(filledSteps);
    expect(result.events.filter((event) => event.type === 'position_closed')).toHaveLength(result.trades.length);
  });

  it('reconciles the account to the cent: final wallet = initial capital + every trade\u2019s net P&L', () => {
    const open = result.openPositions.reduce((total, position) => total - position.entryFee + position.funding, 0);
    const booked = result.trades.reduce((total, trade) => total + trade.netPnl, 0);
    expect(Math.abs(Math.round((result.balance.total - config.initialCapital - booked - open) * 100))).toBe(0);
  });
});
