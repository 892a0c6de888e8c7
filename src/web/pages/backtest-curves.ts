// What the Backtests page plots of a saved report: the strategy's equity as the replay read it hourly at the mark,
// its fall from the running peak, and the net P&L of the trades closed at each instant. The drawdown plot and the
// max drawdown the summary line states come from the same readings.

export interface ReportTradePoint {
  readonly exitTime: string;
  readonly netPnl: number;
}

export interface PlottedReport {
  readonly initialCapital?: number;
  readonly trades: readonly ReportTradePoint[];
  /** The comparison's curves; the strategy's equity as `[epoch ms, equity]`. Reports written before it have none. */
  readonly performance?: { readonly curves: readonly { readonly kind: string; readonly equity: readonly (readonly [number, number])[] }[] };
}

export interface Point {
  readonly time: string;
  readonly value: number;
}

export interface ReportCurves {
  readonly equity: Point[];
  /** In percent, 0 at a new peak. */
  readonly drawdown: Point[];
  readonly pnl: Point[];
}

/** The hourly equity at the mark; for a report without it, the equity after each closed trade. */
function equityReadings(report: PlottedReport): Point[] {
  const strategy = report.performance?.curves.find((curve) => curve.kind === 'strategy');
  if (strategy) return strategy.equity.map(([time, equity]) => ({ time: new Date(time).toISOString(), value: equity }));
  let equity = report.initialCapital ?? 100;
  const byTime = new Map<string, number>();
  const closed = [...report.trades].sort((a, b) => a.exitTime.localeCompare(b.exitTime));
  for (const trade of closed) byTime.set(trade.exitTime, (equity += trade.netPnl));
  return [...byTime].map(([time, value]) => ({ time, value }));
}

export function reportCurves(report: PlottedReport): ReportCurves {
  const equity = equityReadings(report);
  // From the capital: a first closed trade that lost is already a fall.
  let peak = report.initialCapital ?? -Infinity;
  const drawdown = equity.map(({ time, value }) => {
    peak = Math.max(peak, value);
    return { time, value: peak > 0 ? ((value - peak) / peak) * 100 : 0 };
  });
  const pnlByTime = new Map<string, number>();
  for (const trade of report.trades) pnlByTime.set(trade.exitTime, (pnlByTime.get(trade.exitTime) ?? 0) + trade.netPnl);
  const pnl = [...pnlByTime].sort(([a], [b]) => a.localeCompare(b)).map(([time, value]) => ({ time, value }));
  return { equity, drawdown, pnl };
}
