// The Backtests page's plots of a saved report: drawn from the same hourly equity at the mark as the max drawdown
// its summary line states, so the plot never shows a shallower fall than the figure above it.
import { describe, expect, it } from 'vitest';
import { reportCurves } from '../../../src/web/pages/backtest-curves.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');

describe('the plots of a backtest report', () => {
  it('when a position went 20% under water and closed 1% down, then the drawdown plot reaches -20%, as the summary says', () => {
    const curves = reportCurves({
      initialCapital: 1000,
      trades: [{ exitTime: new Date(T0 + 3 * HOUR).toISOString(), netPnl: -10 }],
      performance: {
        curves: [
          { kind: 'strategy', equity: [[T0, 1000], [T0 + HOUR, 800], [T0 + 2 * HOUR, 850], [T0 + 3 * HOUR, 990]] },
          { kind: 'buy-and-hold', equity: [[T0, 1000], [T0 + HOUR, 500]] },
        ],
      },
    });
    expect(curves.equity.map((point) => point.value)).toEqual([1000, 800, 850, 990]);
    expect(Math.min(...curves.drawdown.map((point) => point.value))).toBeCloseTo(-20, 12);
    expect(curves.equity[1]?.time).toBe('2025-01-01T01:00:00.000Z');
    expect(curves.pnl).toEqual([{ time: '2025-01-01T03:00:00.000Z', value: -10 }]);
  });

  it('when a report predates the hourly equity, then the equity steps at each closed trade, from the capital', () => {
    const curves = reportCurves({
      initialCapital: 100,
      trades: [
        { exitTime: '2025-01-02T00:00:00.000Z', netPnl: 10 },
        { exitTime: '2025-01-01T00:00:00.000Z', netPnl: -5 },
        { exitTime: '2025-01-02T00:00:00.000Z', netPnl: 1 },
      ],
    });
    expect(curves.equity).toEqual([
      { time: '2025-01-01T00:00:00.000Z', value: 95 },
      { time: '2025-01-02T00:00:00.000Z', value: 106 },
    ]);
    expect(curves.drawdown.map((point) => point.value)).toEqual([-5, 0]);
    expect(curves.pnl).toEqual([
      { time: '2025-01-01T00:00:00.000Z', value: -5 },
      { time: '2025-01-02T00:00:00.000Z', value: 11 },
    ]);
  });
});
