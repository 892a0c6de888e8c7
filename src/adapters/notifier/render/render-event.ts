// The one place a TradingEvent becomes words (Telegram HTML); the console prints the same text without tags.
import type { TradingEvent } from '../../../domain/events.js';
import { renderAiBudgetReached } from './ai-budget-messages.js';
import { renderPortfolio, renderPositionClosed, renderPositionOpened, renderPositionUpdate, renderPartialClose } from './position-messages.js';
import { priceFormatter, type RenderedMessage, type RenderOptions } from './render-options.js';
import { renderPeriodSummary } from './summary-messages.js';
import {
  renderAlert,
  renderBreakerCleared,
  renderBreakerTripped,
  renderRiskRejected,
  renderScanResult,
  renderStarted,
  renderStopped,
} from './system-messages.js';

export function renderEvent(event: TradingEvent, options: RenderOptions = {}): RenderedMessage {
  const price = priceFormatter(options);
  switch (event.type) {
    case 'started':
      return { text: renderStarted(event) };
    case 'stopped':
      return { text: renderStopped(event) };
    case 'position_opened':
      return { text: renderPositionOpened(event, price) };
    case 'position_update':
      return { text: renderPositionUpdate(event, price) };
    case 'position_partially_closed':
      return { text: renderPartialClose(event, price) };
    case 'position_closed':
      return { text: renderPositionClosed(event, price) };
    case 'portfolio':
      return { text: renderPortfolio(event, price) };
    case 'scan_result':
      return { text: renderScanResult(event) };
    case 'risk_rejected':
      return { text: renderRiskRejected(event) };
    case 'breaker_tripped':
      return { text: renderBreakerTripped(event) };
    case 'breaker_cleared':
      return { text: renderBreakerCleared(event) };
    case 'alert':
      return { text: renderAlert(event) };
    case 'ai_budget_reached':
      return { text: renderAiBudgetReached(event) };
    case 'daily_summary':
      return { text: renderPeriodSummary('daily', event.summary, event.at) };
    case 'weekly_summary':
      return {
        text: renderPeriodSummary('weekly', event.summary, event.at),
        // A curve needs two points to be a line; with fewer the figures say it all.
        ...(event.equityCurve.length >= 2 ? { image: { kind: 'equity_curve', points: event.equityCurve } } : {}),
      };
  }
}
