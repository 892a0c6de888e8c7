// Daily, weekly and monthly summaries: the same figures, the week and the month adding profit factor and drawdown.
import type { PeriodSummary } from '../../../domain/events.js';
import type { Trade } from '../../../domain/trading.js';
import { bold } from './html.js';
import { formatFunding, formatPct, formatRatio, formatSignedPct, formatSignedUsd, formatUsd, formatUtcDay, plural } from './format.js';
import { positionName } from './position-messages.js';
import { lines, timeLine } from './render-options.js';

export type SummaryPeriod = 'daily' | 'weekly' | 'monthly';

function tradeLine(label: string, trade: Trade): string {
  return `${label}: ${formatSignedUsd(trade.netPnl)} ${positionName(trade)}`;
}

function tradesLine(summary: PeriodSummary): string {
  if (summary.trades === 0) return 'Trades: none';
  const winRate = summary.winRate === undefined ? '' : ` · win rate ${formatPct(summary.winRate, 0)}`;
  const even = summary.trades - summary.wins - summary.losses;
  const evenPart = even > 0 ? `, ${even} even` : '';
  return `Trades: ${summary.trades} (${plural(summary.wins, 'win')}, ${plural(summary.losses, 'loss', 'losses')}${evenPart})${winRate}`;
}

function periodTitle(period: SummaryPeriod, summary: PeriodSummary): string {
  if (period === 'daily') return `📅 <b>Daily summary</b> · ${formatUtcDay(summary.from)}`;
  // `to` is exclusive (the next Monday 00:00), so the last day shown is the one just before it.
  const lastDay = new Date(Math.max(summary.from.getTime(), summary.to.getTime() - 1));
  const title = period === 'weekly' ? '📈 <b>Weekly summary</b>' : '🗓 <b>Monthly summary</b>';
  return `${title} · ${formatUtcDay(summary.from)} → ${formatUtcDay(lastDay)}`;
}

/** The summary text; `at` adds the time line (events have one, command replies are answered now). */
export function renderPeriodSummary(period: SummaryPeriod, summary: PeriodSummary, at?: Date): string {
  const base = summary.tradingCapital ?? summary.startCapital;
  // With money paid in or taken out during the period, no single capital is the base of a percentage.
  const change = base > 0 && summary.transfers === undefined ? ` (${formatSignedPct(summary.netPnl / base)}${summary.tradingCapital === undefined ? '' : ' of the trading capital'})` : '';
  const moved =
    summary.transfers === undefined ? '' : ` (${formatUsd(Math.abs(summary.transfers))} ${summary.transfers >= 0 ? 'paid in' : 'taken out'}, not counted in the P&amp;L)`;
  const worst =
    summary.worst !== undefined && summary.worst.positionId !== summary.best?.positionId ? summary.worst : undefined;
  // A period of days gets the measures a single day cannot give.
  const longer = period !== 'daily';
  return lines(
    periodTitle(period, summary),
    tradesLine(summary),
    `P&amp;L: ${bold(formatSignedUsd(summary.netPnl))}${change}`,
    summary.tradingCapital === undefined
      ? `Capital: ${formatUsd(summary.startCapital)} → ${formatUsd(summary.endCapital)}${moved}`
      : `Trading capital: ${formatUsd(summary.tradingCapital)} · account balance ${formatUsd(summary.startCapital)} → ${formatUsd(summary.endCapital)}`,
    summary.best !== undefined && tradeLine('Best', summary.best),
    worst !== undefined && tradeLine('Worst', worst),
    `Fees: ${formatUsd(summary.fees)} · funding: ${formatFunding(summary.funding)}`,
    longer && `Profit factor: ${summary.profitFactor === undefined ? 'n/a' : formatRatio(summary.profitFactor)}`,
    longer && `Max drawdown: ${formatPct(summary.maxDrawdownPct)}`,
    `AI spend: ${formatUsd(summary.aiCostUsd)}`,
    at !== undefined && timeLine(at),
  );
}
