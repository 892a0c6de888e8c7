// Capped live mode after losses: the start-up, position-closed and portfolio messages and the summaries show the
// capital the daemon trades with (its share: the cap less what it lost since), as /status does, not the whole cap.
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
const drawdown = { ...DEFAULT_DRAWDOWN, maxDrawdownPct: 1 };

async function cappedSince(...netPnls: number[]): Promise<EngineFixture> {
  const fixture = await engineFixture({ start: START, analysts: longs(), settings: { consensus, drawdown, capitalCap: CAP } });
  const since = new Date(START.getTime() - 86_400_000);
  await fixture.store.state.put('drawdown-footing', { cap: CAP, since: since.toISOString() });
  await fixture.store.state.put('drawdown', { peakEquity: CAP, peakAt: since.toISOString(), warned: [], tripped: false });
  for (const [index, netPnl] of netPnls.entries()) {
    const closedAt = new Date(since.getTime() + (index + 1) * 3_600_000);
    const created = await fixture.store.positions.create(position({ openedAt: new Date(closedAt.getTime() - 60_000) }));
    await fixture.store.positions.markClosed(created.id, { closedAt, closeReason: 'stop_loss', funding: 0, entryFee: 0 });
    const trade: Trade = {
      positionId: created.id, symbol: created.symbol, side: 'long', leverage: 5, quantity: 1, entryPrice: 100, exitPrice: 100 + netPnl,
      margin: 20, stopPrice: 95, liquidationPrice: 81, entryFee: 0, exitFee: 0, funding: 0, grossPnl: netPnl, netPnl, pnlPct: netPnl / 20,
      reason: 'stop_loss', openedAt: created.openedAt, closedAt, rationale: created.rationale, fills: [],
    };
    await fixture.store.trades.record(trade);
  }
  return fixture;
}

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
