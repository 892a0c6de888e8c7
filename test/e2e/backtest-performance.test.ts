// The backtest report's comparison on a real replay: the strategy's curve is the account's own, read hourly in
// order as the replay went, it ends where the account ended, and the benchmarks and figures are in the summary and JSON.
import { describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../src/adapters/market-data/replay/index.js';
import { buildReport, formatSummary } from '../../src/cli/backtest-report.js';
import { runReplay } from '../../src/cli/replay-runner.js';
import { loadConfig } from '../../src/config/load-config.js';
import { InMemoryStore } from '../../src/testing/in-memory-store.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';

const config = loadConfig({ env: {} });

describe('the backtest comparison', () => {
  it('measures the account as the replay knew it beside holding each market, the basket and flat', async () => {
    const result = await runReplay({
      historyDir: bundledHistoryDir(),
      config,
      store: new InMemoryStore(),
      logger: new RecordingLogger(),
      symbols: ['BTC/USDT:USDT', 'SOL/USDT:USDT'],
      from: new Date('2025-09-25T00:00:00Z'),
      to: new Date('2025-10-05T00:00:00Z'),
    });

    const report = buildReport(result, config.initialCapital, 0, [], { bootstrapSeed: 3 });
    const json = JSON.parse(JSON.stringify(report)) as typeof report;

    const times = result.equity.map((point) => point.time.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBe(result.start.getTime());
    expect(times[times.length - 1]).toBe(result.end.getTime());
    expect(result.equity.length).toBeGreaterThanOrEqual(24 * 9);
    expect(result.openPositions).toEqual([]);
    expect(result.equity[result.equity.length - 1]?.equity).toBeCloseTo(result.balance.total, 6);
    expect(json.performance.curves.map((curve) => curve.name)).toEqual(['strategy', 'hold BTC', 'hold SOL', 'equal-weight basket', 'flat']);
    const strategy = json.performance.curves[0];
    expect(strategy?.figures.totalReturn).toBeCloseTo(result.balance.total / config.initialCapital - 1, 6);
    expect(json.performance.trades.trades).toBe(result.trades.length);
    expect(json.performance.bootstrap?.seed ?? 3).toBe(3);
    expect(json.performance.curves.find((curve) => curve.kind === 'flat')?.figures.totalReturn).toBe(0);
    const text = formatSummary(report);
    expect(text).toContain('Against the benchmarks');
    expect(text).toMatch(/hold SOL\s+[+-]\d/);
    expect(text).toMatch(/exposure\s+\d/);
    // Fees and funding appear once, each with the way the money went; a bare sign left the trader to guess.
    const paid = json.performance.trades.fundingPaid;
    const funding = paid < 0 ? `$${(-paid).toFixed(2)} received` : `$${paid.toFixed(2)} paid`;
    expect(text).toContain(`fees / funding  $${json.performance.trades.feesPaid.toFixed(2)} paid / ${funding}`);
    expect(text.match(/fees \/ funding/g)).toHaveLength(1);
  });
});
