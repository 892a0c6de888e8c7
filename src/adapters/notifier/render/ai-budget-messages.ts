// What the owner reads about the monthly AI budget (AI_MONTHLY_BUDGET_USD): the one notice a month when it is reached,
// and the line /cost shows under the spend.
import type { TradingEvent } from '../../../domain/events.js';
import type { AiBudgetStatus } from '../../../ports/control.js';
import { formatUsd, formatUtcTime } from './format.js';
import { lines, timeLine } from './render-options.js';

export function renderAiBudgetReached(event: Extract<TradingEvent, { type: 'ai_budget_reached' }>): string {
  return lines(
    '💸 <b>Monthly AI budget reached</b>',
    `Spent this month: ${formatUsd(event.spentUsd)} of the ${formatUsd(event.budgetUsd)} budget (AI_MONTHLY_BUDGET_USD).`,
    `No AI call is made until ${formatUtcTime(event.resumesAt)}: the AI analysts abstain (an answer already cached for the current candle still counts), so new trades stop.`,
    'Still running: the stops and take-profits of open positions, the exits by rule (stop loss, take profit, trailing stop, holding time, liquidation guard) and every breaker.',
    'To raise it: set AI_MONTHLY_BUDGET_USD higher (0 removes the cap) and restart the daemon. /cost shows the spend.',
    timeLine(event.at),
  );
}

/** The budget under the month's spend in /cost; nothing when there is no cap. */
export function aiBudgetLine(budget: AiBudgetStatus | undefined): string | false {
  if (budget === undefined) return false;
  const limit = formatUsd(budget.limitUsd);
  return budget.reached
    ? `⛔ Monthly budget: ${limit}, reached: no AI calls until ${formatUtcTime(budget.resumesAt)}`
    : `Monthly budget: ${limit} (${formatUsd(Math.max(budget.limitUsd - budget.spentUsd, 0))} left)`;
}
