// The whole daemon in replay on the real history bundled in the repo (5 weeks, 6 symbols, including the
// 2025-10-10 liquidation cascade), with the embedded database. Every trade must respect every rule.
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../src/adapters/market-data/replay/index.js';
import { openStore } from '../../src/adapters/store/open-store.js';
import { buildReport } from '../../src/cli/backtest-report.js';
import { runReplay, type ReplayResult } from '../../src/cli/replay-runner.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { TradingEvent } from '../../src/domain/events.js';
import { adverseDistance, entryOrderSide, sideSign } from '../../src/domain/money.js';
import type { Store } from '../../src/ports/store.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';
import { limitBreaches } from '../support/limit-invariants.js';

// The daemon ships with a minimum opportunity score of 80, at which the built-in technical analysts trade 4 times in
// these five weeks; at 70 they trade 7 times, enough for every rule below to be exercised more than once.
const config = loadConfig({ env: { MIN_OPPORTUNITY_SCORE: '70' } });
const PROTECTED_BAND_EXITS = new Set(['stop_loss', 'stop_loss_on_exchange', 'liquidation', 'liquidation_risk']);
let store: Store;
let result: ReplayResult;

beforeAll(async () => {
  store = await openStore({ logger: new RecordingLogger() });
  result = await runReplay({ historyDir: bundledHistoryDir(), config, store, logger: new RecordingLogger() });
}, 600_000);

describe('a replay of the bundled history', () => {
  it('trades enough to make the checks below mean something', () => {
    expect(result.trades.length).toBeGreaterThanOrEqual(7);
    expect(result.events.some((event) => event.type === 'breaker_tripped')).toBe(true);
  });

  it('keeps every stop between 5% and 10% from the entry fill, on the tick: not a hair closer or farther', () => {
    for (const trade of result.trades) {
      const distance = adverseDistance(trade.side, trade.entryPrice, trade.stopPrice);
      expect(distance).toBeGreaterThanOrEqual(config.risk.minStopLossPct);
      expect(distance).toBeLessThanOrEqual(config.risk.maxStopLossPct);
    }
    expect(limitBreaches(result.trades, config.initialCapital, config.risk)).toMatchObject({ stopsUnderMin: 0, stopsOverMax: 0 });
  });

  it('never posts more than 80% of the capital at entry as margin, measured at the slipped fill', () => {
    const found = limitBreaches(result.trades, config.initialCapital, config.risk);
    expect(found.marginsOverCap).toBe(0);
    expect(found.largestMarginShare).toBeLessThanOrEqual(config.risk.positionSizePct);
  });

  it('puts the protective stop on the exchange at the moment of entry, for every position', async () => {
    for (const trade of result.trades) {
      const orders = await store.orders.forPosition(trade.positionId);
      const entry = orders.find((order) => order.purpose === 'entry');
      const stop = orders.find((order) => order.purpose === 'stop');
      expect(entry?.status).toBe('filled');
      expect(stop?.exchangeOrderId).toBeDefined();
      expect(stop?.createdAt.getTime()).toBe(trade.openedAt.getTime());
      expect(['open', 'cancelled']).toContain(stop?.status);
    }
  });

  it('never exceeds the maximum leverage', () => {
    for (const trade of result.trades) {
      expect(trade.leverage).toBeGreaterThanOrEqual(1);
      expect(trade.leverage).toBeLessThanOrEqual(config.risk.maxLeverage);
    }
  });

  it('never closes a position with a net profit between $0 and the minimum profit, except by the stop or liquidation', () => {
    for (const trade of result.trades) {
      if (trade.netPnl >= 0 && trade.netPnl <= config.exits.minProfitUsd) expect(PROTECTED_BAND_EXITS).toContain(trade.reason);
    }
  });

  it('opens nothing while a breaker is tripped', () => {
    const tripped = new Map<string, Date>();
    for (const event of result.events) {
      if (event.type === 'breaker_tripped') tripped.set(event.breaker, event.at);
      if (event.type === 'breaker_cleared') tripped.delete(event.breaker);
      if (event.type === 'position_opened') expect([...tripped.keys()]).toEqual([]);
    }
  });

  it('books each trade as exactly the sum of its fills, minus fees, plus funding', () => {
    for (const trade of result.trades) {
      const opening = entryOrderSide(trade.side);
      const entries = trade.fills.filter((fill) => fill.side === opening);
      const exits = trade.fills.filter((fill) => fill.side !== opening);
      const entryQty = entries.reduce((total, fill) => total + fill.quantity, 0);
      const avgEntry = entries.reduce((total, fill) => total + fill.price * fill.quantity, 0) / entryQty;
      const gross = exits.reduce((total, fill) => total + sideSign(trade.side) * (fill.price - avgEntry) * fill.quantity, 0);
      const fees = trade.fills.reduce((total, fill) => total + fill.fee, 0);
      expect(gross - fees + trade.funding).toBeCloseTo(trade.netPnl, 6);
      expect(trade.entryFee + trade.exitFee).toBeCloseTo(fees, 8);
    }
  });

  it('reconciles the account to the cent: final wallet = initial capital + every trade\u2019s net P&L', () => {
    const open = result.openPositions.reduce((total, position) => total - position.entryFee + position.funding, 0);
    const booked = result.trades.reduce((total, trade) => total + trade.netPnl, 0);
    expect(Math.abs(Math.round((result.balance.total - config.initialCapital - booked - open) * 100))).toBe(0);
  });

  it('stores the same trades the report lists', async () => {
    const report = buildReport(result, config.initialCapital, 0);
    const stored = await store.trades.list();
    expect(report.trades).toHaveLength(stored.length);
    expect(report.trades.map((trade) => trade.netPnl)).toEqual(stored.map((trade) => Number(trade.netPnl.toFixed(8))));
    expect(stored.map((trade) => trade.positionId)).toEqual(result.trades.map((trade) => trade.positionId));
  });

  it('announces every opened and closed position', () => {
    const count = (type: TradingEvent['type']) => result.events.filter((event) => event.type === type).length;
    expect(count('position_opened')).toBe(result.trades.length + result.openPositions.length);
    expect(count('position_closed')).toBe(result.trades.length);
  });
});
