// What the owner reads about the monthly AI budget: the notice when it is reached, and the budget line in /cost.
import { describe, expect, it } from 'vitest';
import { renderAiCostReply } from '../../../../src/adapters/notifier/render/command-replies.js';
import { renderEvent } from '../../../../src/adapters/notifier/render/render-event.js';
import { sampleEvents } from './support/sample-events.js';

const NOVEMBER = new Date('2025-11-01T00:00:00Z');

describe('the monthly AI budget in messages', () => {
  it('when the budget is reached, then the owner reads what was spent, until when no AI call is made, what still runs and how to raise it', () => {
    expect(renderEvent(sampleEvents().ai_budget_reached).text).toBe(
      [
        '💸 <b>Monthly AI budget reached</b>',
        'Spent this month: $20.13 of the $20.00 budget (AI_MONTHLY_BUDGET_USD).',
        'No AI call is made until 2025-11-01 00:00 UTC: the AI analysts abstain (an answer already cached for the current candle still counts), so new trades stop.',
        'Still running: the stops and take-profits of open positions, the exits by rule (stop loss, take profit, trailing stop, holding time, liquidation guard) and every breaker.',
        'To raise it: set AI_MONTHLY_BUDGET_USD higher (0 removes the cap) and restart the daemon. /cost shows the spend.',
        '🕒 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
  });

  it('when a budget is set, then /cost shows it under the month with what is left, or that it is reached and until when', () => {
    const spend = { today: 0.42, monthToDate: 8.1, projectedMonth: 25.11, shadows: [] };
    expect(renderAiCostReply({ ...spend, budget: { limitUsd: 20, spentUsd: 8.1, reached: false, resumesAt: NOVEMBER } })).toBe(
      ['🧠 <b>AI spend</b>', 'Today: $0.42', 'This month: $8.10', 'Projected month: $25.11', 'Monthly budget: $20.00 ($11.90 left)'].join('\n'),
    );
    expect(renderAiCostReply({ ...spend, budget: { limitUsd: 8, spentUsd: 8.1, reached: true, resumesAt: NOVEMBER } })).toContain(
      '⛔ Monthly budget: $8.00, reached: no AI calls until 2025-11-01 00:00 UTC',
    );
  });
});
