// Live mode with INITIAL_CAPITAL below the account's balance: a new entry is sized on the daemon's share of the
// account (the cap plus its booked trades since), never above the cap. Through the daemon's loop, on the paper account
// of the bundled history (100 USDT) with a cap of 60.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DRAWDOWN } from '../../../src/domain/drawdown.js';
import type { Trade } from '../../../src/domain/trading.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture, type EngineFixture } from '../../support/engine-fixture.js';
import { runEngineForWakeUps } from '../../support/run-engine-until.js';
import { position } from '../../support/factories.js';

const START = new Date('2025-09-20T00:00:00Z');
const CAP = 60;
const longs = () => [new ScriptedAnalyst('a', () => ({ action: 'long' })), new ScriptedAnalyst('b', () => ({ action: 'long' }))];
const consensus = { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 };
// The drawdown switch would stop entries after such losses; here it stays out of the way so the sizing shows.
const drawdown = { ...DEFAULT_DRAWDOWN, maxDrawdownPct: 1 };

/** A daemon that has traded on this cap since a day before START, with these trades booked (net P&L each). */
async function cappedSince(...netPnls: number[]): Promise<EngineFixture> {
  const fixture = await engineFixture({ start: START, analysts: longs(), settings: { consensus, drawdown, capitalCap: CAP } });
  const since = new Date(START.getTime() - 86_400_000);
  await fixture.store.state.put('drawdown-footing', { cap: CAP, since: since.toISOString() });
  await fixture.store.state.put('drawdown', { peakEquity: CAP, peakAt: since.toISOString(), warned: [], tripped: false });
  for (const [index, netPnl] of netPnls.entries()) {
    const closedAt = new Date(since.getTime() + (index + 1) * 3_600_000);
    const created = await fixture.store.positions.create(position({ openedAt: new Date(closedAt.getTime() - 60_000) }));
    await fixture.store.positions.markClosed(created.id, { closedAt, closeReason: netPnl < 0 ? 'stop_loss' : 'take_profit', funding: 0, entryFee: 0 });
    const trade: Trade = {
      positionId: created.id, symbol: created.symbol, side: 'long', leverage: 5, quantity: 1, entryPrice: 100, exitPrice: 100 + netPnl,
      margin: 20, stopPrice: 95, liquidationPrice: 81, entryFee: 0, exitFee: 0, funding: 0, grossPnl: netPnl, netPnl, pnlPct: netPnl / 20,
      reason: netPnl < 0 ? 'stop_loss' : 'take_profit', openedAt: created.openedAt, closedAt, rationale: created.rationale, fills: [],
    };
    await fixture.store.trades.record(trade);
  }
  return fixture;
}

/**
 * The margin of the entry the loop opened, and the capital /risk shows beside it with that entry's fee put back (the
 * fee is paid, so the share already counts it).
 */
async function opened(fixture: EngineFixture): Promise<{ margin: number; capital: number; beforeFee: number }> {
  const engine = await runEngineForWakeUps(fixture.ctx, 2);
  const [event] = fixture.notifier.ofType('position_opened');
  expect(event, 'an entry was expected').toBeDefined();
  const { capital } = await engine.control.riskOverview();
  return { margin: event!.position.margin, capital, beforeFee: Number((capital + event!.position.entryFee).toFixed(9)) };
}

describe('sizing in live mode with INITIAL_CAPITAL below the balance', () => {
  it('when the daemon has lost 30 of its 60 since the cap was set, then the next entry is sized on 30, not on the cap', async () => {
    const whole = await opened(await cappedSince());

    const afterLosses = await opened(await cappedSince(-10, -20));

    // The same market and the same plan on half the capital: half the margin, within a lot of rounding.
    expect(whole.beforeFee).toBe(60);
    expect(afterLosses.beforeFee).toBe(30);
    expect(afterLosses.margin).toBeLessThanOrEqual(whole.margin / 2 + 1e-9);
    expect(afterLosses.margin).toBeGreaterThan(whole.margin * 0.45);
  });

  it('when the daemon has made money since the cap was set, then it still sizes on the cap', async () => {
    const whole = await opened(await cappedSince());

    const afterGains = await opened(await cappedSince(25));

    expect(afterGains.capital).toBe(60);
    expect(afterGains.margin).toBeCloseTo(whole.margin, 9);
  });

  it('when the daemon has lost nearly all of its share, then it opens nothing and says the capital left is too small', async () => {
    const fixture = await cappedSince(-59.5);

    await runEngineForWakeUps(fixture.ctx, 2);

    expect(fixture.notifier.ofType('position_opened')).toEqual([]);
    const rejected = fixture.notifier.ofType('risk_rejected');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]!.reasons.join(' ')).toContain('(capital $0.50)');
  });
});

describe('the trading capital in messages, capped live mode', () => {
  it('when the daemon lost 30 of its 60 cap, then the start-up, close and portfolio messages give its share, as /status does', async () => {
    const fixture = await cappedSince(-10, -20);
    const engine = await runEngineForWakeUps(fixture.ctx, 2);
    const started = fixture.notifier.ofType('started')[0]!;
    expect(started.capital).toBeCloseTo(30, 8);

    const [open] = await fixture.store.positions.active();
    expect(open).toBeDefined();
    const trade = await engine.daemon.parts.closer.close({ position: open!, reason: 'manual' });
    expect(trade).toBeDefined();
    const closed = fixture.notifier.ofType('position_closed')[0]!;
    const portfolio = fixture.notifier.ofType('portfolio').at(-1)!;
    const after = await engine.control.status();
    expect(after.capital).toBeLessThan(30);
    expect(closed.capitalAfter).toBeCloseTo(after.capital, 8);
    expect(portfolio.capital).toBeCloseTo(after.capital, 8);
  });

  it('when a day is summarised, then its P&L is read against the share at the day\'s start', async () => {
    const fixture = await cappedSince(-10, -20);
    const engine = await runEngineForWakeUps(fixture.ctx, 1);
    const { summary } = await engine.daemon.parts.summaries.summary(START, new Date(START.getTime() + 86_400_000));
    expect(summary.tradingCapital).toBeCloseTo(30, 8);
  });
});
