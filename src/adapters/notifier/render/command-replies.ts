// Answers to the owner's Telegram commands, built from the same helpers as the notifications.
import type { PeriodSummary } from '../../../domain/events.js';
import { exitParts } from '../../../domain/settlement.js';
import type { Trade } from '../../../domain/trading.js';
import type { ActiveBreaker, AiCostOverview, DaemonStatus, ModelRecord, PnlOverview, PositionView, ReportPeriod } from '../../../ports/control.js';
import { exampleCount, type CommandEntry } from '../command-catalogue.js';
import { aiBudgetLine } from './ai-budget-messages.js';
import { bold, escapeHtml, pre } from './html.js';
import {
  formatDuration,
  formatLeverage,
  formatPct,
  formatSignedPct,
  formatSignedUsd,
  formatUsd,
  formatUtcTime,
  plural,
  capitalLine,
} from './format.js';
import { earlierExitsLine, positionName } from './position-messages.js';
import { lines, nameList, type PriceFormatter } from './render-options.js';
import { renderPeriodSummary, type SummaryPeriod } from './summary-messages.js';
import { breakerInWords, closeReasonInWords, modeLabel, resultMark, sideMark } from './words.js';

/**
 * A position whose close is under way (sent and not yet seen filled, or being retried): said so on its first line, as a
 * trader must not read it as one still running. Its P&L is what it would be at today's price, not what is booked.
 */
function closingNote(view: PositionView): string | false {
  const { position } = view;
  if (position.status !== 'closing') return false;
  return `⏳ Closing (reason: ${escapeHtml(closeReasonInWords(position.closeReason ?? 'manual'))}): the close is under way and is retried at every check`;
}

function unrealizedLine(view: PositionView): string {
  if (view.unrealizedPnl === undefined) return 'P&amp;L: unknown (no price)';
  const pct = view.unrealizedPct === undefined ? '' : ` (${formatSignedPct(view.unrealizedPct)})`;
  return `P&amp;L: ${bold(formatSignedUsd(view.unrealizedPnl))}${pct} unrealised`;
}

/** A position as the owner sees it in /positions and in the /close prompt. */
export function positionBlock(view: PositionView, price: PriceFormatter, now: Date): string {
  const { position } = view;
  const current = view.price === undefined ? 'unknown' : price(position.symbol, view.price);
  return lines(
    `${sideMark(position.side)} <b>${positionName(position)}</b> · ${formatLeverage(position.leverage)}`,
    closingNote(view),
    `Entry: ${price(position.symbol, position.entryPrice)} · now ${current}`,
    unrealizedLine(view),
    `Stop: ${price(position.symbol, position.stopPrice)} · liquidation: ${price(position.symbol, position.liquidationPrice)}`,
    `Opened: ${formatUtcTime(position.openedAt)} (${formatDuration(now.getTime() - position.openedAt.getTime())} ago)`,
  );
}

function breakerLine(active: ActiveBreaker): string {
  const until = active.until === undefined ? '' : ` (until ${formatUtcTime(active.until)})`;
  return `⛔ Entries paused: ${breakerInWords(active.breaker)} · ${escapeHtml(active.detail)}${until}`;
}

/** The answer to /resume: what the owner lifted, and what still holds entries back (it cannot lift those). */
/** What a /resume lifts, when it was sent after the pause began. */
const LIFTED_BY_RESUME: ReadonlySet<string> = new Set(['manual_pause', 'loss_streak', 'venue_problem', 'drawdown']);

export function renderResumeReply(stillBlocking: readonly ActiveBreaker[]): string {
  if (stillBlocking.length === 0) return '▶️ New entries allowed again.';
  // Said the same whether or not there was a pause to lift: a /resume under the day's loss limit alone lifted nothing.
  if (!stillBlocking.some((block) => LIFTED_BY_RESUME.has(block.breaker))) {
    return lines('⏸ New entries still wait for what /resume cannot lift:', ...stillBlocking.map(breakerLine));
  }
  // One this /resume could have lifted began after it was sent (a third loss booked while it waited for the loop).
  return lines(
    '⏸ New entries still wait for:',
    ...stillBlocking.map(breakerLine),
    'A pause that began after you sent /resume is not lifted by it: send /resume again if you still want entries.',
  );
}

function statusPositionLine(view: PositionView, price: PriceFormatter): string {
  const { position } = view;
  const pnl = view.unrealizedPnl === undefined ? 'P&amp;L unknown' : `P&amp;L ${formatSignedUsd(view.unrealizedPnl)}`;
  const entry = price(position.symbol, position.entryPrice);
  const closing = position.status === 'closing' ? ' · ⏳ closing' : '';
  return `${positionName(position)} ${formatLeverage(position.leverage)} · entry ${entry} · ${pnl}${closing}`;
}

export function renderStatusReply(status: DaemonStatus, price: PriceFormatter): string {
  const entries = status.breakers.length === 0 ? ['Entries: allowed'] : status.breakers.map(breakerLine);
  const open =
    status.openPositions.length === 0
      ? 'Open positions: none'
      : lines('Open positions:', ...status.openPositions.map((view) => `• ${statusPositionLine(view, price)}`));
  return lines(
    `🤖 <b>Status</b> · ${modeLabel(status.mode)}`,
    `Up: ${formatDuration(status.now.getTime() - status.startedAt.getTime())} (since ${formatUtcTime(status.startedAt)})`,
    capitalLine(status.capital, status.accountBalance),
    `Analysts: ${nameList(status.analysts)}`,
    ...entries,
    open,
    status.lastTickAt !== undefined && `Last check: ${formatUtcTime(status.lastTickAt)}`,
    status.breakers.length > 0 ? 'Next scan: none while entries are paused' : status.nextScanAt !== undefined && `Next scan: ${formatUtcTime(status.nextScanAt)}`,
  );
}

export function renderPositionsReply(views: readonly PositionView[], price: PriceFormatter, now: Date): string {
  if (views.length === 0) return 'No open positions.';
  return ['📂 <b>Open positions</b>', ...views.map((view) => positionBlock(view, price, now))].join('\n\n');
}

export function renderPnlReply(pnl: PnlOverview): string {
  return lines(
    '💰 <b>P&amp;L</b>',
    `Today: ${formatSignedUsd(pnl.today)}`,
    `This week: ${formatSignedUsd(pnl.week)}`,
    `All time: ${formatSignedUsd(pnl.allTime)} over ${plural(pnl.tradesAllTime, 'trade')}`,
  );
}

const SUMMARY_OF: Readonly<Record<ReportPeriod, SummaryPeriod>> = { day: 'daily', week: 'weekly', month: 'monthly' };

export function renderSummaryReply(period: ReportPeriod, summary: PeriodSummary): string {
  return renderPeriodSummary(SUMMARY_OF[period], summary);
}

export function renderTradesReply(trades: readonly Trade[], price: PriceFormatter): string {
  if (trades.length === 0) return 'No trades yet.';
  return lines(
    `📜 <b>Last ${plural(trades.length, 'trade')}</b>`,
    ...trades.map((trade) => {
      const mark = resultMark(trade.netPnl);
      const prices = `${price(trade.symbol, trade.entryPrice)} → ${price(trade.symbol, trade.exitPrice)}`;
      const reason = escapeHtml(closeReasonInWords(trade.reason));
      return `${mark} ${formatSignedUsd(trade.netPnl)} ${positionName(trade)} · ${prices} · ${reason} · ${formatUtcTime(trade.closedAt)}`;
    }),
  );
}

/** AI calls cost fractions of a cent: a small spend shown as $0.00 would read as none. */
function formatSpend(value: number): string {
  return value > 0 && value < 0.01 ? `$${value.toFixed(4)}` : formatUsd(value);
}

export function renderAiCostReply(cost: AiCostOverview): string {
  const main = lines(
    '🧠 <b>AI spend</b>',
    `Today: ${formatSpend(cost.today)}`,
    `This month: ${formatSpend(cost.monthToDate)}`,
    `Projected month: ${formatSpend(cost.projectedMonth)}`,
    aiBudgetLine(cost.budget),
  );
  if (cost.shadows.length === 0) return main;
  // Shadows are billed to the same keys: the owner must see what they add, apart from what the account costs.
  const sum = (key: 'today' | 'monthToDate' | 'projectedMonth'): number => cost[key] + cost.shadows.reduce((total, shadow) => total + shadow[key], 0);
  return lines(
    main,
    '',
    '👥 <b>Shadow strategies</b> (their extra calls only: an answer this account uses too is paid by this account)',
    ...cost.shadows.map(
      (shadow) =>
        `${bold(shadow.name)}: today ${formatSpend(shadow.today)} · month ${formatSpend(shadow.monthToDate)} · projected ${formatSpend(shadow.projectedMonth)}`,
    ),
    `All together: today ${formatSpend(sum('today'))} · month ${formatSpend(sum('monthToDate'))} · projected ${formatSpend(sum('projectedMonth'))}`,
  );
}

function modelLine(record: ModelRecord): string {
  const name = `${bold(record.analyst)}: ${plural(record.votes, 'vote')}`;
  if (record.scored === 0 || record.hitRate === undefined) return `${name} · not scored yet`;
  const right = record.avgConfidenceWhenRight === undefined ? 'n/a' : formatPct(record.avgConfidenceWhenRight, 0);
  const wrong = record.avgConfidenceWhenWrong === undefined ? 'n/a' : formatPct(record.avgConfidenceWhenWrong, 0);
  const hits = `${record.hits}/${record.scored} right (${formatPct(record.hitRate, 0)})`;
  return `${name} · ${hits} · confidence when right ${right}, when wrong ${wrong}`;
}

export function renderModelsReply(records: readonly ModelRecord[]): string {
  if (records.length === 0) return 'No analyst has voted yet.';
  return lines('🎯 <b>Analyst track record</b>', ...records.map(modelLine));
}

export function renderConfigReply(config: Readonly<Record<string, string>>): string {
  const keys = Object.keys(config).sort();
  if (keys.length === 0) return 'No settings to show.';
  const width = Math.max(...keys.map((key) => key.length));
  return lines('⚙️ <b>Settings</b>', pre(keys.map((key) => `${key.padEnd(width)} = ${config[key]}`).join('\n')));
}

function helpLine(entry: CommandEntry): string {
  const usage = entry.usage === undefined ? '' : ` ${entry.usage}`;
  return `/${entry.command}${escapeHtml(usage)}: ${escapeHtml(entry.summary)}`;
}

/** The answer to a count argument that is not one: what was given, and the command as it is meant. */
export function renderInvalidCountReply(entry: CommandEntry, argument: string): string {
  const spec = entry.argument;
  const example = spec === undefined ? '' : ` e.g. /${entry.command} ${exampleCount(spec)}${spec.days === true ? ` or /${entry.command} ${exampleCount(spec)}d` : ''}`;
  const wanted = spec?.days === true ? 'a number of days' : 'a whole number from 1';
  return `⚠️ /${entry.command} ${escapeHtml(argument.trim())}: not ${wanted}. Usage: /${entry.command} ${escapeHtml(entry.usage ?? '')},${example}`;
}

/** Every command, those for the whole chat first, then those that change what the daemon does. */
export function renderHelpReply(entries: readonly CommandEntry[]): string {
  return lines(
    '<b>Commands</b>',
    ...entries.filter((entry) => entry.access === 'chat').map(helpLine),
    '',
    '🔒 <b>Owners only</b> (TELEGRAM_OWNER_IDS; in a private chat without it, you)',
    ...entries.filter((entry) => entry.access === 'owner').map(helpLine),
  );
}

export function renderCloseDone(trade: Trade, price: PriceFormatter): string {
  const { last, earlier } = exitParts(trade);
  return lines(
    `${resultMark(trade.netPnl)} <b>${positionName(trade)} closed</b> at ${price(trade.symbol, last.price)}`,
    earlier !== undefined && earlierExitsLine(trade, earlier, price),
    `P&amp;L: ${bold(formatSignedUsd(trade.netPnl))} (${formatSignedPct(trade.pnlPct)}) net of fees and funding${earlier === undefined ? '' : ', the whole position'}`,
  );
}
