// Answers to the owner's report commands: /balance, /performance, /stats, /logs, /version and the /chart caption.
import type { LogEntry } from '../../../ports/store.js';
import type {
  BalanceOverview,
  EquityHistory,
  HoldingTimes,
  PerformanceReport,
  SymbolPerformance,
  TradeStats,
  VersionInfo,
} from '../../../ports/control.js';
import { bold, code, escapeHtml } from './html.js';
import { capitalLine, cutText, displaySymbol, formatDuration, formatPct, formatSignedPct, formatSignedUsd, formatUsd, formatUtcDay, formatUtcTime, plural } from './format.js';
import { lines } from './render-options.js';
import { closeReasonInWords, modeLabel } from './words.js';

/** A log line's text is cut here: /logs is for spotting trouble, the full line is in the logs. */
export const LOG_MESSAGE_LIMIT = 200;

function winRate(wins: number, trades: number): string {
  return trades === 0 ? 'n/a' : formatPct(wins / trades, 0);
}

function openPnlLines(balance: BalanceOverview): string[] {
  if (balance.unrealizedPnl === undefined || balance.unrealizedNetPnl === undefined || balance.equity === undefined) {
    return ['Open P&amp;L: unknown (no price for an open position)', 'Equity: unknown'];
  }
  const net = balance.openPositions === 0 ? '' : ` · ${formatSignedUsd(balance.unrealizedNetPnl)} net of fees and funding`;
  return [
    `Open P&amp;L: ${formatSignedUsd(balance.unrealizedPnl)} at the last price${net}`,
    `Equity: ${bold(formatUsd(balance.equity))} (account balance + open P&amp;L)`,
  ];
}

export function renderBalanceReply(balance: BalanceOverview): string {
  const positions = balance.openPositions === 0 ? 'no open position' : plural(balance.openPositions, 'position');
  return lines(
    '💰 <b>Balance</b>',
    capitalLine(balance.capital, balance.accountBalance),
    `Available margin: ${formatUsd(balance.availableMargin)}`,
    `Margin in use: ${formatUsd(balance.marginInUse)} (${positions})`,
    ...openPnlLines(balance),
  );
}

function windowLabel(report: PerformanceReport): string {
  if (report.days === undefined || report.from === undefined) return 'all time';
  return `last ${plural(report.days, 'day')} (since ${formatUtcDay(report.from)})`;
}

function symbolLine(row: SymbolPerformance, rank: number): string {
  const trades = `${plural(row.trades, 'trade')}, ${plural(row.wins, 'win')} (${winRate(row.wins, row.trades)})`;
  return `${rank}. ${escapeHtml(displaySymbol(row.symbol))}: ${bold(formatSignedUsd(row.netPnl))} · ${trades} · fees+funding ${formatUsd(row.feesAndFunding)}`;
}

export function renderPerformanceReply(report: PerformanceReport): string {
  if (report.symbols.length === 0) return report.days === undefined ? 'No trades yet.' : `No trades in the ${windowLabel(report)}.`;
  const trades = report.symbols.reduce((total, row) => total + row.trades, 0);
  const net = report.symbols.reduce((total, row) => total + row.netPnl, 0);
  return lines(
    `🏆 <b>Performance by symbol</b> · ${windowLabel(report)}`,
    ...report.symbols.map((row, index) => symbolLine(row, index + 1)),
    `Total: ${formatSignedUsd(net)} over ${plural(trades, 'trade')}`,
  );
}

function holdingLine(label: string, times: HoldingTimes | undefined): string {
  if (times === undefined) return `${label}: none`;
  const figures = `average ${formatDuration(times.averageMs)} · median ${formatDuration(times.medianMs)} · longest ${formatDuration(times.longestMs)}`;
  return `${label} (${times.trades}): ${figures}`;
}

export function renderStatsReply(stats: TradeStats): string {
  if (stats.trades === 0) return 'No trades yet.';
  return lines(
    `📊 <b>Trade statistics</b> · ${plural(stats.trades, 'trade')}`,
    '',
    '<b>Exit reasons</b>',
    ...stats.exits.map(
      (exit) =>
        `${escapeHtml(closeReasonInWords(exit.reason))}: ${exit.trades} · win rate ${winRate(exit.wins, exit.trades)} · ${formatSignedUsd(exit.netPnl)}`,
    ),
    '',
    '<b>Holding time</b>',
    holdingLine('All', stats.holding.all),
    holdingLine('Winners', stats.holding.winners),
    holdingLine('Losers', stats.holding.losers),
  );
}

/** The message, and the error the line carried (most warnings say what failed in `error`), cut to a readable length. */
function logText(entry: LogEntry): string {
  const error = entry.context?.['error'];
  const full = typeof error === 'string' && error !== '' ? `${entry.message}: ${error}` : entry.message;
  const oneLine = full.replace(/\s+/g, ' ').trim();
  return cutText(oneLine, LOG_MESSAGE_LIMIT);
}

function logLine(entry: LogEntry): string {
  const mark = entry.level === 'warn' ? '⚠️' : '🛑';
  const module = entry.module === undefined ? '' : ` · ${code(entry.module)}`;
  return `${mark} ${formatUtcTime(entry.time)}${module} · ${escapeHtml(logText(entry))}`;
}

export function renderLogsReply(entries: readonly LogEntry[]): string {
  if (entries.length === 0) return 'No warnings or errors logged.';
  const title = entries.length === 1 ? 'The last warning or error' : `The last ${entries.length} warnings and errors`;
  return lines(`📋 <b>${title}</b>, newest first`, ...entries.map(logLine));
}

export function renderVersionReply(info: VersionInfo): string {
  return lines(
    '🏷 <b>Version</b>',
    `Version: ${escapeHtml(info.version)}`,
    `Commit: ${info.commit === undefined ? 'unknown' : code(info.commit)}`,
    `Runtime: ${escapeHtml(info.runtime)}`,
    `Mode: ${modeLabel(info.mode)}`,
    `Up: ${formatDuration(info.now.getTime() - info.startedAt.getTime())} (since ${formatUtcTime(info.startedAt)})`,
  );
}

/** The photo's caption; when no trade closed in the window there is no curve to draw, and this is the whole answer. */
export function renderChartCaption(history: EquityHistory): string {
  const first = history.points[0];
  const last = history.points[history.points.length - 1];
  const window = `last ${plural(history.days, 'day')}`;
  if (first === undefined || last === undefined) return `No equity figures for the ${window}.`;
  if (history.trades === 0) return `No trade closed in the ${window}; realised equity stayed at ${formatUsd(last.equity)}.`;
  const change = first.equity === 0 ? '' : ` (${formatSignedPct((last.equity - first.equity) / Math.abs(first.equity))})`;
  return lines(
    `📈 <b>Equity</b> · ${window}, since ${formatUtcDay(history.from)}`,
    `${formatUsd(first.equity)} → ${bold(formatUsd(last.equity))}${change} · ${plural(history.trades, 'trade')}`,
  );
}
