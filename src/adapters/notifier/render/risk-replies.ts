// Answers to /risk and /calendar: every limit that can stop an entry, with what is left of it, and the blackouts ahead.
import { dailyLossLeft } from '../../../domain/circuit-breakers.js';
import type { CalendarEntry, RiskOverview } from '../../../ports/control.js';
import { escapeHtml } from './html.js';
import { formatPct, formatSignedUsd, formatUsd, formatUtcTime } from './format.js';
import { lines } from './render-options.js';
import { breakerInWords } from './words.js';

function eventLine(entry: CalendarEntry): string {
  return `${formatUtcTime(entry.time)} · <b>${escapeHtml(entry.kind)}</b> ${escapeHtml(entry.title)} · no entries ${formatUtcTime(entry.blackoutFrom)} to ${formatUtcTime(entry.blackoutUntil)}`;
}

export function renderRiskReply(risk: RiskOverview): string {
  const lossLeft = dailyLossLeft(risk.dailyLossLimit, risk.realizedToday, risk.blocking.some((block) => block.breaker === 'daily_loss'));
  const drawdown =
    risk.drawdown === undefined || risk.equity === undefined
      ? 'Drawdown: not measured yet'
      : `Drawdown: ${formatPct(risk.drawdown)} from the peak ${formatUsd(risk.peakEquity ?? risk.equity)} (equity ${formatUsd(risk.equity)}) · ` +
        (risk.drawdownTripped ? '<b>tripped</b>, /resume to trade again' : `${formatPct(Math.max(0, risk.maxDrawdownPct - risk.drawdown))} left of ${formatPct(risk.maxDrawdownPct, 0)}`);
  const exposure = risk.capital > 0 ? risk.openNotional / risk.capital : 0;
  return lines(
    '🛡 <b>Risk</b>',
    risk.blocking.length === 0
      ? 'Entries: allowed'
      : `Entries: <b>blocked</b> · ${risk.blocking.map((b) => `${escapeHtml(breakerInWords(b.breaker))}: ${escapeHtml(b.detail)}`).join(' · ')}`,
    '',
    `Daily loss: ${formatSignedUsd(risk.realizedToday)} today against a ${formatUsd(risk.dailyLossLimit)} limit · ${formatUsd(lossLeft)} left`,
    `Losing streak: ${risk.consecutiveLosses} of ${risk.maxConsecutiveLosses} · ${Math.max(0, risk.maxConsecutiveLosses - risk.consecutiveLosses)} left`,
    drawdown,
    `Manual pause: ${risk.manualPause ? 'on' : 'off'}`,
    `Exposure: ${formatUsd(risk.openNotional)} notional = ${exposure.toFixed(2)}x capital (cap ${risk.maxTotalExposure}x) · ${risk.openPositions} of ${risk.maxOpenPositions} positions`,
    risk.nextBlackout ? `Next blackout: ${eventLine(risk.nextBlackout)}` : 'Next blackout: none in the calendar',
  );
}

export function renderCalendarReply(events: readonly CalendarEntry[]): string {
  if (events.length === 0) return 'No upcoming events in the calendar (CALENDAR_FILE).';
  return lines('📅 <b>Economic calendar</b>', ...events.map(eventLine));
}
