// Messages about one position: opened, checked on, closed; and the portfolio that lists them.
import type { TradingEvent } from '../../../domain/events.js';
import { exitParts, type ExitParts } from '../../../domain/settlement.js';
import type { Position, Trade } from '../../../domain/trading.js';
import { bold, escapeHtml } from './html.js';
import {
  displaySymbol,
  formatDuration,
  formatFunding,
  formatLeverage,
  formatPct,
  formatQuantity,
  formatSignedPct,
  formatSignedUsd,
  formatUsd,
} from './format.js';
import { lines, nameList, timeLine, type PriceFormatter } from './render-options.js';
import { closeReasonInWords, resultMark, sideLabel, sideMark } from './words.js';

type EventOf<K extends TradingEvent['type']> = Extract<TradingEvent, { type: K }>;

/** `LONG BTC/USDT`, escaped (symbols come from the exchange). */
export function positionName(position: { readonly side: Position['side']; readonly symbol: string }): string {
  return `${sideLabel(position.side)} ${escapeHtml(displaySymbol(position.symbol))}`;
}

function distance(from: number, to: number): number {
  return from === 0 ? 0 : Math.abs(to - from) / from;
}

export function renderPositionOpened(event: EventOf<'position_opened'>, price: PriceFormatter): string {
  const { position } = event;
  const { rationale } = position;
  const symbol = position.symbol;
  const dissent = rationale.dissenting.length > 0 ? ` · not joining: ${nameList(rationale.dissenting)}` : '';
  const liquidationDistance = formatPct(distance(position.entryPrice, position.liquidationPrice));
  const confidence = `${formatPct(rationale.confidence, 0)} confidence · score ${Math.round(rationale.opportunityScore)}`;
  return lines(
    `${sideMark(position.side)} <b>${positionName(position)}</b> opened · ${formatLeverage(position.leverage)}`,
    `Entry: ${price(symbol, position.entryPrice)} · quantity ${formatQuantity(position.quantity)}`,
    `Margin: ${formatUsd(position.margin)} · notional ${formatUsd(position.quantity * position.entryPrice)}`,
    `Stop: ${price(symbol, position.stopPrice)} (${formatPct(position.stopLossPct)} away)`,
    event.target !== undefined && `Target: ${price(symbol, event.target.triggerPrice)} for ${formatSignedUsd(event.target.netPnl)} net, resting on the exchange`,
    `Min-profit price: ${price(symbol, event.minProfitPrice)} · the daemon's own exits book ${formatSignedUsd(event.minProfitUsd)} net or more from there`,
    `Liquidation: ${price(symbol, position.liquidationPrice)} (${liquidationDistance} away)`,
    ...(event.ladder?.placed ?? []).map((step) => `Take-profit ${step.step}: ${formatQuantity(step.quantity)} at ${price(symbol, step.triggerPrice)} for ${formatSignedUsd(step.netPnl)} net`),
    ...(event.ladder?.skipped ?? []).map((step) => `Take-profit ${step.step} not placed: ${escapeHtml(step.reason)}`),
    `AI: ${confidence} · agreed: ${nameList(rationale.agreeing)}${dissent}`,
    timeLine(event.at),
  );
}

export function renderPartialClose(event: EventOf<'position_partially_closed'>, price: PriceFormatter): string {
  const { position } = event;
  return lines(
    `🎯 <b>${positionName(position)}</b> take-profit ${event.step} filled`,
    `Closed ${formatQuantity(event.quantity)} at ${price(position.symbol, event.price)} · ${bold(formatSignedUsd(event.realizedPnl))} net`,
    event.stopRearmed
      ? `Left: ${formatQuantity(position.quantity)} · stop ${price(position.symbol, position.stopPrice)}, re-armed for the rest`
      : `Left: ${formatQuantity(position.quantity)} · the stop could not be re-armed yet; the old one still rests and it is retried`,
    timeLine(event.at),
  );
}

export function renderPositionUpdate(event: EventOf<'position_update'>, price: PriceFormatter): string {
  const { position } = event;
  return lines(
    `📊 <b>${positionName(position)}</b> · ${formatLeverage(position.leverage)}`,
    `Entry: ${price(position.symbol, position.entryPrice)} · now ${price(position.symbol, event.price)}`,
    `P&amp;L: ${bold(formatSignedUsd(event.unrealizedPnl))} (${formatSignedPct(event.unrealizedPct)}) unrealised`,
    `Stop: ${formatPct(event.stopDistancePct)} away · liquidation: ${formatPct(event.liquidationDistancePct)} away`,
    // A funding spike shows here before it shows in the closed trade.
    position.funding !== 0 && `Funding so far: ${formatFunding(position.funding)}`,
    timeLine(event.at),
  );
}

export function renderPositionClosed(event: EventOf<'position_closed'>, price: PriceFormatter): string {
  const { trade } = event;
  const { last, earlier } = exitParts(trade);
  return lines(
    `${resultMark(trade.netPnl)} <b>${positionName(trade)} closed</b> · ${escapeHtml(closeReasonInWords(trade.reason))}`,
    earlier === undefined
      ? `Entry: ${price(trade.symbol, trade.entryPrice)} → exit ${price(trade.symbol, trade.exitPrice)}`
      : `Entry: ${price(trade.symbol, trade.entryPrice)} → exit ${price(trade.symbol, last.price)} for the last ${formatQuantity(last.quantity)}`,
    earlier !== undefined && earlierExitsLine(trade, earlier, price),
    `P&amp;L: ${bold(formatSignedUsd(trade.netPnl))} (${formatSignedPct(trade.pnlPct)}) net of fees and funding${earlier === undefined ? '' : ', the whole position'}`,
    `Fees: ${formatUsd(trade.entryFee + trade.exitFee)} · funding: ${formatFunding(trade.funding)}`,
    `Held: ${formatDuration(trade.closedAt.getTime() - trade.openedAt.getTime())}${holdingLimit(event)}`,
    `Capital: ${formatUsd(event.capitalAfter)}`,
    timeLine(event.at),
  );
}

/** What exits before the last one closed (take-profit steps, most often, each told as it filled), and the average. */
export function earlierExitsLine(trade: Trade, earlier: NonNullable<ExitParts['earlier']>, price: PriceFormatter): string {
  return `Closed before: ${formatQuantity(earlier.quantity)} for ${formatSignedUsd(earlier.netPnl)} net · all exits average ${price(trade.symbol, trade.exitPrice)}`;
}

/** For a time exit, the limit it reached, so the owner sees why a position was closed that was neither won nor lost. */
function holdingLimit(event: EventOf<'position_closed'>): string {
  if (event.trade.reason !== 'time_exit' || event.holdingLimitMs === undefined) return '';
  return ` (limit ${formatDuration(event.holdingLimitMs)})`;
}

/** One line per open position, for the portfolio and for owner commands. */
export function positionSummaryLine(position: Position, price: PriceFormatter): string {
  const entry = price(position.symbol, position.entryPrice);
  const stop = price(position.symbol, position.stopPrice);
  return `${positionName(position)} ${formatLeverage(position.leverage)} · entry ${entry} · stop ${stop}`;
}

export function renderPortfolio(event: EventOf<'portfolio'>, price: PriceFormatter): string {
  const winRate = event.winRate === undefined ? '' : ` · win rate ${formatPct(event.winRate, 0)}`;
  const open =
    event.openPositions.length === 0
      ? 'Open positions: none'
      : lines('Open positions:', ...event.openPositions.map((position) => `• ${positionSummaryLine(position, price)}`));
  return lines(
    '💼 <b>Portfolio</b>',
    `Capital: ${formatUsd(event.capital)}`,
    `Today: ${formatSignedUsd(event.todayPnl)}${winRate}`,
    open,
    timeLine(event.at),
  );
}
