// The backtest's report: a printed summary and a JSON document with every trade, rejection and breaker event.
import type { ContaminationReport, TradeWindow } from '../adapters/analyst/ai/index.js';
import type { PeriodSummary, TradingEvent } from '../domain/events.js';
import type { Trade } from '../domain/trading.js';
import type { ModelRecord } from '../ports/control.js';
import { summarizeTrades } from '../engine/summaries.js';
import { formatRules, replayRules, type ReplayRules } from './backtest-rules.js';
import type { ReplayResult } from './replay-runner.js';
import { backtestPerformance, tooFewToResample, type BacktestPerformance } from './backtest-performance.js';

export interface BacktestReport {
  readonly generatedFrom: { readonly start: string; readonly end: string; readonly symbols: readonly string[] };
  /** What the daemon and the simulated venue could know, and how the venue filled (see backtest-rules.ts). */
  readonly rules: ReplayRules;
  readonly summary: PeriodSummary & { readonly breakerEvents: number; readonly rejections: number };
  /** The wallet at the end: closed trades only. */
  readonly finalBalance: number;
  /** The last equity reading at the mark: the wallet plus what the positions still open would book if closed then. */
  readonly finalEquity: number;
  /** The strategy beside buy-and-hold, an equal-weight basket and flat; trade statistics; the bootstrap interval. */
  readonly performance: BacktestPerformance;
  readonly trades: readonly ReportTrade[];
  readonly openPositions: readonly unknown[];
  readonly rejections: readonly { readonly at: string; readonly symbol: string; readonly side: string; readonly reasons: readonly string[] }[];
  readonly breakerEvents: readonly { readonly at: string; readonly breaker: string; readonly action: string; readonly detail: string }[];
  /** Each analyst's votes and how often price reached its target before its stop within 24 h. */
  readonly analysts: readonly ModelRecord[];
  /** AI backtests: each model's answers and trades before and after its training cutoff, and the warnings. */
  readonly contamination?: ContaminationReport;
}

export interface ReportTrade {
  readonly symbol: string;
  readonly side: string;
  readonly leverage: number;
  readonly quantity: number;
  readonly entryTime: string;
  readonly entryPrice: number;
  readonly exitTime: string;
  readonly exitPrice: number;
  readonly stopPrice: number;
  readonly liquidationPrice: number;
  readonly margin: number;
  readonly fees: number;
  readonly funding: number;
  readonly netPnl: number;
  readonly pnlPct: number;
  readonly reason: string;
  readonly confidence: number;
  readonly opportunityScore: number;
  readonly votes: { readonly agreeing: readonly string[]; readonly dissenting: readonly string[] };
}

const round = (value: number, digits = 8): number => Number(value.toFixed(digits));

function reportTrade(trade: Trade): ReportTrade {
  return {
    symbol: trade.symbol,
    side: trade.side,
    leverage: trade.leverage,
    quantity: trade.quantity,
    entryTime: trade.openedAt.toISOString(),
    entryPrice: round(trade.entryPrice),
    exitTime: trade.closedAt.toISOString(),
    exitPrice: round(trade.exitPrice),
    stopPrice: trade.stopPrice,
    liquidationPrice: round(trade.liquidationPrice),
    margin: round(trade.margin),
    fees: round(trade.entryFee + trade.exitFee),
    funding: round(trade.funding),
    netPnl: round(trade.netPnl),
    pnlPct: round(trade.pnlPct, 6),
    reason: trade.reason,
    confidence: round(trade.rationale.confidence, 4),
    opportunityScore: round(trade.rationale.opportunityScore, 2),
    votes: { agreeing: trade.rationale.agreeing, dissenting: trade.rationale.dissenting },
  };
}

/**
 * The events a report reads. A year's replay tells a minute-by-minute position update tens of thousands of times
 * (about 60 MB kept for 10 markets); a backtest keeps only these (`runReplay`'s `keepEvent`).
 */
export const reportedEvent = (event: TradingEvent): boolean =>
  event.type === 'risk_rejected' || event.type === 'breaker_tripped' || event.type === 'breaker_cleared';

export function buildReport(
  result: ReplayResult,
  initialCapital: number,
  aiCostUsd: number,
  analysts: readonly ModelRecord[] = [],
  options: { readonly bootstrapSeed?: number } = {},
): BacktestReport {
  const rejections = result.events.filter((e): e is Extract<TradingEvent, { type: 'risk_rejected' }> => e.type === 'risk_rejected');
  const breakers = result.events.filter(
    (e): e is Extract<TradingEvent, { type: 'breaker_tripped' | 'breaker_cleared' }> => e.type === 'breaker_tripped' || e.type === 'breaker_cleared',
  );
  const performance = backtestPerformance(result, { initialCapital, bootstrapSeed: options.bootstrapSeed ?? 1 });
  // The drawdown of the hourly equity at the mark, as in the comparison, not of the closed trades alone: a position
  // deep under water that closed with a small loss was still a drawdown the account went through.
  const strategy = performance.curves.find((curve) => curve.kind === 'strategy');
  const summary = {
    ...summarizeTrades(result.trades, result.start, result.end, initialCapital, aiCostUsd),
    ...(strategy && { maxDrawdownPct: strategy.figures.maxDrawdown }),
  };
  return {
    generatedFrom: { start: result.start.toISOString(), end: result.end.toISOString(), symbols: result.symbols },
    rules: replayRules(result.coverage, result.costs),
    summary: { ...summary, breakerEvents: breakers.length, rejections: rejections.length },
    finalBalance: round(result.balance.total),
    finalEquity: round(result.equity.at(-1)?.equity ?? result.balance.total),
    performance,
    trades: result.trades.map(reportTrade),
    openPositions: result.openPositions,
    rejections: rejections.map((e) => ({ at: e.at.toISOString(), symbol: e.symbol, side: e.side, reasons: e.reasons })),
    breakerEvents: breakers.map((e) => ({ at: e.at.toISOString(), breaker: e.breaker, action: e.type === 'breaker_tripped' ? 'tripped' : 'cleared', detail: e.detail })),
    analysts,
  };
}

const usd = (amount: number): string => `${amount < 0 ? '-' : ''}$${Math.abs(amount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
/** Funding as the trader reads it: a sign alone does not say which way the money went. */
export const fundingText = (paid: number): string => (paid < 0 ? `${usd(-paid)} received` : `${usd(paid)} paid`);
const pct = (fraction: number | undefined): string => (fraction === undefined ? 'n/a' : `${(fraction * 100).toFixed(1)}%`);

/** "12 (7 won, 4 lost, 1 even)": the even part only when a trade closed at exactly zero. */
export function tradeCount(counts: { readonly trades: number; readonly wins: number; readonly losses: number }): string {
  const even = counts.trades - counts.wins - counts.losses;
  return `${counts.trades} (${counts.wins} won, ${counts.losses} lost${even > 0 ? `, ${even} even` : ''})`;
}

/** "1 position still open (-$14.47)": what the positions open at the end hold at the mark, beside the wallet. */
export function openText(report: BacktestReport): string {
  const count = report.openPositions.length;
  return `${count} position${count === 1 ? '' : 's'} still open (${usd(report.finalEquity - report.finalBalance)} against the wallet)`;
}

const signedPct = (fraction: number): string => `${fraction > 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;

export function formatSummary(report: BacktestReport): string {
  const s = report.summary;
  const stillOpen = report.openPositions.length;
  const lines = [
    ...formatRules(report.rules),
    '',
    `Replayed ${report.generatedFrom.start.slice(0, 16)} to ${report.generatedFrom.end.slice(0, 16)} UTC on ${report.generatedFrom.symbols.length} symbols`,
    `  trades          ${tradeCount(s)}`,
    `  win rate        ${pct(s.winRate)}`,
    `  profit factor   ${s.profitFactor === undefined ? 'n/a (no losing trade)' : s.profitFactor.toFixed(2)}`,
    `  net P&L         ${usd(s.netPnl)} (${pct(s.netPnl / s.startCapital)} of ${usd(s.startCapital)})${stillOpen > 0 ? ' on the closed trades' : ''}`,
    `  fees / funding  ${usd(s.fees)} paid / ${fundingText(-s.funding)}`,
    `  max drawdown    ${pct(s.maxDrawdownPct)}`,
    `  breaker events  ${s.breakerEvents}`,
    `  rejected entries ${s.rejections}`,
    `  final balance   ${usd(report.finalBalance)}`,
  ];
  // What the closed trades say can hide what the open ones hold: a winner booked and a loser still open read +11%
  // on an account that is down 3%. The equity at the mark comes right after the wallet, not only in the comparison.
  if (stillOpen > 0) lines.push(`  final equity    ${usd(report.finalEquity)} (${signedPct(report.finalEquity / s.startCapital - 1)}) at the last mark, with ${openText(report)}`);
  lines.push(`  AI spend        ${usd(s.aiCostUsd)}`);
  for (const record of report.analysts) {
    const rate = record.hitRate === undefined ? 'not scored yet' : `${pct(record.hitRate)} reached target first (${record.scored} scored)`;
    lines.push(`  ${record.analyst.padEnd(15)} ${record.votes} directional votes, ${rate}`);
  }
  if (stillOpen > 0) lines.push(`  still open      ${stillOpen} position(s) at the end, protected by their stops; the net P&L above leaves them out`);
  lines.push('', ...formatComparison(report.performance));
  return lines.join('\n');
}

// The contamination section: AI answers split at each model's training cutoff (see contamination.ts).

/** The loud lines that open the console summary of an AI backtest. */
export function formatContaminationWarnings(contamination: ContaminationReport): string[] {
  return contamination.warnings.map((warning) => `WARNING: ${warning}`);
}

function formatTradeWindow(label: string, answers: number, window: TradeWindow): string {
  const results = window.trades === 0 ? '' : `, win rate ${pct(window.winRate)}, net P&L ${usd(window.netPnl)}`;
  return `    ${label.padEnd(14)} ${answers} answers, ${window.trades} trades${results}`;
}

export function formatContamination(contamination: ContaminationReport): string {
  const lines = [
    `Before and after each model's training cutoff (${contamination.prompts} prompts; answers about a period a model may have seen can lean on memory)`,
  ];
  for (const entry of contamination.models) {
    const voices = entry.analysts.join(', ');
    if (entry.cutoff === null || entry.trades.beforeCutoff === null || entry.trades.afterCutoff === null) {
      lines.push(`  ${entry.model} (${voices}): cutoff unknown, not in the cutoff table`);
      lines.push(formatTradeWindow('all', entry.answers.total, entry.trades.all));
      continue;
    }
    const { seenUntil, stated, basis } = entry.cutoff;
    lines.push(`  ${entry.model} (${voices}): may have seen data before ${seenUntil} [${basis}: ${stated}]`);
    lines.push(formatTradeWindow('before cutoff', entry.answers.beforeCutoff ?? 0, entry.trades.beforeCutoff));
    lines.push(formatTradeWindow('after cutoff', entry.answers.afterCutoff ?? 0, entry.trades.afterCutoff));
  }
  return lines.join('\n');
}

const ratio = (value: number | undefined): string => (value === undefined ? 'n/a' : value.toFixed(2));
const signed = (fraction: number): string => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(2)}%`;

/** The strategy beside its benchmarks, then its trade statistics and the bootstrap interval. */
export function formatComparison(performance: BacktestPerformance): string[] {
  const width = Math.max(...performance.curves.map((curve) => curve.name.length), 8);
  const lines = [
    'Against the benchmarks (same window, same capital)',
    `  ${''.padEnd(width)}  ${'return'.padStart(9)} ${'max DD'.padStart(7)} ${'Sharpe'.padStart(7)} ${'Sortino'.padStart(8)} ${'Calmar'.padStart(8)}`,
  ];
  for (const { name, figures } of performance.curves) {
    lines.push(
      `  ${name.padEnd(width)}  ${signed(figures.totalReturn).padStart(9)} ${pct(figures.maxDrawdown).padStart(7)} ${ratio(figures.sharpe).padStart(7)} ${ratio(figures.sortino).padStart(8)} ${ratio(figures.calmar).padStart(8)}`,
    );
  }
  const t = performance.trades;
  lines.push(
    `  avg win / loss  ${t.averageWin === undefined ? 'n/a' : usd(t.averageWin)} / ${t.averageLoss === undefined ? 'n/a' : usd(t.averageLoss)}`,
    `  exposure        ${pct(t.exposure)} of the time with a position open`,
  );
  const strategy = performance.curves.find((curve) => curve.kind === 'strategy');
  if (strategy && strategy.monthly.length > 0) {
    lines.push(`  months          ${strategy.monthly.map((m) => `${m.month}${m.partial ? '*' : ''} ${signed(m.return)}`).join(', ')}  (* part of a month)`);
  }
  const b = performance.bootstrap;
  if (b) {
    const level = `${Math.round(b.confidence * 100)}%`;
    lines.push(
      `  bootstrap       ${level} interval over ${b.samples} resamples of ${b.trades} trades (seed ${b.seed}):`,
      `                  return ${signed(b.totalReturn.low)} to ${signed(b.totalReturn.high)}, Sharpe ${ratio(b.sharpe.low)} to ${ratio(b.sharpe.high)} (realised ${signed(b.observed.totalReturn)}, ${ratio(b.observed.sharpe)})`,
    );
  } else {
    lines.push(`  bootstrap       ${tooFewToResample(performance.trades.trades)}`);
  }
  for (const note of performance.notes) lines.push(`  note: ${note}`);
  return lines;
}
