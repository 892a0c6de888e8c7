// The cost bound an AI backtest states before it asks anything: an upper bound the owner accepts with --yes, so it
// must hold for every setting, and the README's example must be what the command prints.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AiAnalyst } from '../../../src/adapters/analyst/ai/index.js';
import { CLAUDE_MODEL, DEEPSEEK_MODEL } from '../../../src/adapters/analyst/ai/provider-defaults.js';
import { bundledHistoryDir } from '../../../src/adapters/market-data/replay/index.js';
import { estimateBacktestCost } from '../../../src/cli/backtest-cost.js';
import { replayWindow } from '../../../src/cli/backtest-panel.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';

const claude = { name: 'claude', model: CLAUDE_MODEL } as unknown as AiAnalyst;
const deepseek = { name: 'deepseek', model: DEEPSEEK_MODEL } as unknown as AiAnalyst;
const DAY = 86_400_000;

describe('the cost bound of an AI backtest', () => {
  it('counts an exit opinion for every position that may be open at once', () => {
    const one = estimateBacktestCost([claude, deepseek], [claude], 6, DAY, new RecordingLogger());
    const five = estimateBacktestCost([claude, deepseek], [claude], 6, DAY, new RecordingLogger(), { maxOpenPositions: 5 });
    // The monitor asks about each open position every 5 minutes; the replay's cache keeps one answer per position and
    // 15-minute candle, so five positions open all day reach 96 × 5 = 480 calls.
    expect(five.exitCallsAtMost).toBeGreaterThanOrEqual(96 * 5);
    expect(five.exitCallsAtMost).toBe(one.exitCallsAtMost * 5);
    expect(five.entryCallsPerAnalyst).toBe(one.entryCallsPerAnalyst);
  });

  it('is, for the README\'s plain-or-blind example, the figure the README quotes', async () => {
    const window = await replayWindow(bundledHistoryDir(), undefined, new Date('2025-09-20T00:00:00Z'), new Date('2025-10-20T00:00:00Z'));
    const estimate = estimateBacktestCost([claude, deepseek], [claude], window.symbols, window.durationMs, new RecordingLogger());
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(/at most \$(\d+\.\d\d) per run at list prices/.exec(readme)?.[1]).toBe(estimate.costUsdAtMost.toFixed(2));
  });
});
