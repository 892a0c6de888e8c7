// Messages about the daemon itself: start and stop, scans, risk refusals, breakers and alerts.
import type { TradingEvent } from '../../../domain/events.js';
import { bold, code, escapeHtml } from './html.js';
import { capitalLine, displaySymbol, formatLeverage, formatPct, formatPctCompact, formatUsd, formatUtcTime } from './format.js';
import { lines, nameList, timeLine } from './render-options.js';
import { breakerInWords, modeLabel, sideLabel } from './words.js';

type EventOf<K extends TradingEvent['type']> = Extract<TradingEvent, { type: K }>;

export function renderStarted(event: EventOf<'started'>): string {
  const { limits } = event;
  const stopRange = `${formatPctCompact(limits.minStopLossPct)}–${formatPctCompact(limits.maxStopLossPct)}`;
  const sizing = `leverage up to ${formatLeverage(limits.maxLeverage)} · margin ${formatPctCompact(limits.positionSizePct)} of capital`;
  return lines(
    `🚀 <b>Daemon started</b> · ${modeLabel(event.mode)}`,
    // Warnings go right under the title: a degraded start must not hide below the figures.
    ...event.warnings.map((warning) => `⚠️ ${bold(`WARNING: ${warning}`)}`),
    capitalLine(event.capital, event.accountBalance),
    `Symbols: ${nameList(event.symbols.map(displaySymbol))}`,
    `Analysts: ${nameList(event.analysts)}`,
    `Risk: ${sizing} · stop ${stopRange}`,
    `Daily loss limit ${formatPctCompact(limits.dailyLossLimitPct)} · pause after ${limits.maxConsecutiveLosses} losses in a row`,
    `Min profit ${formatUsd(limits.minProfitUsd)} · min confidence ${formatPctCompact(limits.minConfidence)}`,
    timeLine(event.at),
  );
}

export function renderStopped(event: EventOf<'stopped'>): string {
  return lines(
    '🛑 <b>Daemon stopped</b>',
    `Reason: ${escapeHtml(event.reason)}`,
    event.openPositions === 0 ? 'No open positions.' : `Open positions: ${event.openPositions}`,
    timeLine(event.at),
  );
}

export function renderScanResult(event: EventOf<'scan_result'>): string {
  const { best } = event;
  const bestLine =
    best === undefined
      ? 'Nothing worth trading.'
      : `Best: ${best.action === 'hold' ? 'HOLD' : sideLabel(best.action)} ${escapeHtml(displaySymbol(best.symbol))} · ` +
        `${formatPct(best.confidence, 0)} confidence · score ${Math.round(best.score)}`;
  const agreed = best !== undefined && best.agreeing.length > 0 && `Agreed: ${nameList(best.agreeing)}`;
  const verdict = event.willTrade
    ? '➡️ Opening a trade'
    : `⏸ No trade${event.reason === undefined ? '' : `: ${escapeHtml(event.reason)}`}`;
  return lines(`🔎 <b>Scan</b> · ${event.symbolsScanned} markets`, bestLine, agreed, verdict, timeLine(event.at));
}

export function renderRiskRejected(event: EventOf<'risk_rejected'>): string {
  return lines(
    `🛑 <b>Risk check refused ${sideLabel(event.side)} ${escapeHtml(displaySymbol(event.symbol))}</b>`,
    ...event.reasons.map((reason) => `• ${escapeHtml(reason)}`),
    timeLine(event.at),
  );
}

export function renderBreakerTripped(event: EventOf<'breaker_tripped'>): string {
  return lines(
    `⛔ <b>New entries paused</b> · ${breakerInWords(event.breaker)}`,
    escapeHtml(event.detail),
    event.until !== undefined && `Until: ${formatUtcTime(event.until)}`,
    'Open positions stay protected and watched.',
    timeLine(event.at),
  );
}

export function renderBreakerCleared(event: EventOf<'breaker_cleared'>): string {
  const still = event.stillBlocking ?? [];
  const words = [event.breaker, ...(event.alsoCleared ?? [])].map(breakerInWords);
  // One switch reads as before; several, lifted by one /resume, as a list.
  const cleared = words.length === 1 ? `${escapeHtml(words[0] ?? '')} cleared` : `cleared: ${escapeHtml(`${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`)}`;
  if (still.length > 0) {
    return lines(
      `⏸ <b>New entries still wait</b> · ${cleared}`,
      escapeHtml(event.detail),
      ...still.map((reason) => `Still holding them back: ${escapeHtml(reason)}`),
      timeLine(event.at),
    );
  }
  return lines(
    `▶️ <b>New entries allowed again</b> · ${cleared}`,
    escapeHtml(event.detail),
    timeLine(event.at),
  );
}

export function renderAlert(event: EventOf<'alert'>): string {
  const title = event.cleared ? '✅ <b>Resolved</b>' : event.severity === 'critical' ? '🚨 <b>CRITICAL</b>' : '⚠️ <b>Warning</b>';
  return lines(`${title} · ${code(event.incident)}`, escapeHtml(event.message), timeLine(event.at));
}
