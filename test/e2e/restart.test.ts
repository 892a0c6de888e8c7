// Stop the daemon mid-position during a replay and start it again on the same database: the open position, the
// owner's pause and the day's realised loss must all come back, and the position must be seen through to its close.
import { describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../src/adapters/market-data/replay/index.js';
import { openStore } from '../../src/adapters/store/open-store.js';
import { runReplay } from '../../src/cli/replay-runner.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { BreakerState } from '../../src/domain/circuit-breakers.js';
import { utcDay } from '../../src/domain/time.js';
import type { Engine } from '../../src/engine/build-engine.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';

// At the shipped minimum score of 80 the built-in analysts trade 4 times in these five weeks, never twice on one day;
// at 70 the story below (a position opened on a day with a closed trade) happens. (At 75 it did while a weak vote
// could join a firm one; with each agreeing vote held to 75% confidence, 75 no longer opens two on one day.)
const config = loadConfig({ env: { MIN_OPPORTUNITY_SCORE: '70' } });
const HOUR = 3_600_000;

describe('a restart in the middle of a position', () => {
  it('restores the position, the pause state and the daily loss, and finishes the position', async () => {
    const store = await openStore({ logger: new RecordingLogger() });
    const historyDir = bundledHistoryDir();
    const to = new Date('2025-10-20T00:00:00Z');
    let engine: Engine | undefined;
    // First run: stop two hours into a position opened on a day that already has a closed trade, after pausing
    // entries from "Telegram".
    const first = await runReplay({
      historyDir,
      config,
      store,
      logger: new RecordingLogger(),
      to,
      onStarted: async (started) => {
        engine = started;
      },
      stopWhen: async () => {
        const active = await store.positions.active();
        const open = active.find((position) => position.status === 'open');
        const now = (await engine?.control.status())?.now ?? new Date(0);
        const day = (await store.state.get('breakers')) as BreakerState | undefined;
        if (!open || !day || day.realizedToday === 0 || day.day !== utcDay(now)) return false;
        if (now.getTime() - open.openedAt.getTime() < 2 * HOUR) return false;
        // Carried out by the daemon as it stops (the loop is asleep in this call, so it is not awaited here).
        void engine?.control.pauseEntries('owner');
        return true;
      },
    });
    const [openBefore] = first.openPositions;
    expect(openBefore?.status).toBe('open');
    const breakersBefore = (await store.state.get('breakers')) as BreakerState;
    expect(breakersBefore.manualPause).toBe(true);
    expect(breakersBefore.realizedToday).not.toBe(0);
    expect(breakersBefore.day).toBe(utcDay(first.end));

    // Second run: the same database, resumed where the first one stopped.
    let statusAtStart: Awaited<ReturnType<Engine['control']['status']>> | undefined;
    let breakersAtStart: BreakerState | undefined;
    const second = await runReplay({
      historyDir,
      config,
      store,
      logger: new RecordingLogger(),
      to,
      resumeAt: first.end,
      onStarted: async (started) => {
        statusAtStart = await started.control.status();
        breakersAtStart = started.daemon.parts.breakers.current();
      },
    });

    expect(statusAtStart?.openPositions.map((view) => view.position.id)).toEqual([openBefore?.id]);
    expect(statusAtStart?.breakers.map((breaker) => breaker.breaker)).toContain('manual_pause');
    // The day's realised P&L and its starting capital come back exactly as they were.
    expect(breakersAtStart).toEqual(breakersBefore);
    // Paused: the second run opens nothing, but it monitors the restored position until it closes.
    expect(second.events.filter((event) => event.type === 'position_opened')).toEqual([]);
    const closed = second.trades.find((trade) => trade.positionId === openBefore?.id);
    expect(closed?.closedAt.getTime()).toBeGreaterThan(first.end.getTime());
    await store.close();
  }, 600_000);
});
