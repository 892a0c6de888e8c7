// The monthly AI budget (AI_MONTHLY_BUDGET_USD): below it the analysts are asked; once this UTC month's recorded spend
// reaches it, no provider is called, the answer is an abstention that says why, and the owner is told once a month.
import { describe, expect, it } from 'vitest';
import { AiBudget } from '../../../../../src/adapters/analyst/ai/ai-budget.js';
import { BudgetedAnalyst } from '../../../../../src/adapters/analyst/ai/budgeted-analyst.js';
import { CachedAnalyst } from '../../../../../src/adapters/analyst/ai/cached-analyst.js';
import { ManualClock } from '../../../../../src/adapters/clock/index.js';
import type { ExitVote, MarketSnapshot, Vote } from '../../../../../src/domain/analysis.js';
import { monthAiSpendOfAll } from '../../../../../src/engine/ai-spend.js';
import type { Analyst } from '../../../../../src/ports/analyst.js';
import { InMemoryStore } from '../../../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../../../src/testing/recording-notifier.js';
import { RecordingLogger } from '../../../../../src/testing/silent-logger.js';
import { marketSnapshot, openLong } from './fixtures/market-snapshot.js';
import { MemoryCache } from './fixtures/memory-cache.js';
import { paidDecision } from '../../../../support/factories.js';

const OCTOBER = new Date('2025-10-20T12:00:00Z');
const usage = { model: 'model-a', latencyMs: 900, inputTokens: 1_500, outputTokens: 120, costUsd: 0.25, promptHash: 'abc', cached: false };

/** A paid model that counts the calls it is asked for. */
class PaidAnalyst implements Analyst {
  readonly kind = 'ai' as const;
  readonly name = 'claude';
  readonly model = 'model-a';
  calls = 0;
  exitCalls = 0;

  async assess(_snapshot: MarketSnapshot): Promise<Vote> {
    this.calls += 1;
    return { analyst: this.name, outcome: 'valid', action: 'long', confidence: 0.8, leverage: 3, stopLossPct: 0.06, takeProfitPct: 0.12, riskReward: 2, reasoning: 'up', keyFactors: [], usage };
  }

  async exitOpinion(): Promise<ExitVote> {
    this.exitCalls += 1;
    return { analyst: this.name, outcome: 'valid', shouldExit: true, confidence: 0.9, reason: 'turned', usage };
  }
}

async function spend(store: InMemoryStore, time: Date, costUsd: number): Promise<void> {
  await store.decisions.recordMany([paidDecision(time, costUsd)]);
}

function budgeted(options: { limitUsd?: number; store?: InMemoryStore; notifier?: RecordingNotifier } = {}) {
  const clock = new ManualClock(OCTOBER);
  const store = options.store ?? new InMemoryStore();
  const notifier = options.notifier ?? new RecordingNotifier();
  const budget = new AiBudget({
    limitUsd: options.limitUsd ?? 5,
    clock,
    spentThisMonth: (now) => monthAiSpendOfAll(store, [], now),
    notifier,
    state: store.state,
    logger: new RecordingLogger(),
  });
  const inner = new PaidAnalyst();
  return { clock, store, notifier, budget, inner, analyst: new BudgetedAnalyst(inner, budget) };
}

describe('the monthly AI budget', () => {
  it('when this month has cost less than the budget, then the model is asked and its answer passes unchanged', async () => {
    const { store, inner, analyst, notifier } = budgeted({ limitUsd: 5 });
    await spend(store, new Date('2025-10-02T08:00:00Z'), 4.99);
    // Last month's spend does not count against this one.
    await spend(store, new Date('2025-09-30T23:59:59Z'), 50);

    const vote = await analyst.assess(marketSnapshot());

    expect(inner.calls).toBe(1);
    expect(vote).toMatchObject({ outcome: 'valid', action: 'long', usage });
    expect(notifier.events).toEqual([]);
  });

  it('when this month has cost the whole budget, then no model is asked and the vote abstains, saying why and when calls resume', async () => {
    const { store, inner, analyst } = budgeted({ limitUsd: 5 });
    await spend(store, new Date('2025-10-02T08:00:00Z'), 3);
    await spend(store, OCTOBER, 2);

    const vote = await analyst.assess(marketSnapshot());
    const exit = await analyst.exitOpinion(openLong(), marketSnapshot());

    expect(inner.calls).toBe(0);
    expect(inner.exitCalls).toBe(0);
    expect(vote).toMatchObject({ analyst: 'claude', outcome: 'failed', action: 'hold', confidence: 0 });
    expect(vote.reason).toBe('monthly AI budget of $5.00 reached ($5.00 spent); AI calls resume on 1 Nov (UTC)');
    expect(vote.usage).toMatchObject({ costUsd: 0, cached: true });
    expect(exit).toMatchObject({ outcome: 'failed', shouldExit: false, reason: vote.reason });
  });

  it('when the next UTC month begins, then the models are asked again', async () => {
    const { clock, store, inner, analyst } = budgeted({ limitUsd: 5 });
    await spend(store, new Date('2025-10-02T08:00:00Z'), 6);
    await analyst.assess(marketSnapshot());
    expect(inner.calls).toBe(0);

    clock.advanceTo(new Date('2025-10-31T23:59:59.999Z'));
    await analyst.assess(marketSnapshot());
    expect(inner.calls).toBe(0);

    clock.advanceTo(new Date('2025-11-01T00:00:00Z'));
    await analyst.assess(marketSnapshot());
    await analyst.exitOpinion(openLong(), marketSnapshot());
    expect([inner.calls, inner.exitCalls]).toEqual([1, 1]);
  });

  it('when the budget is reached, then the owner is told once that month, not at every call nor after a restart, and again the next month it is reached', async () => {
    const { clock, store, analyst, notifier } = budgeted({ limitUsd: 5 });
    await spend(store, new Date('2025-10-02T08:00:00Z'), 5.5);

    await Promise.all([1, 2, 3].map(() => analyst.assess(marketSnapshot())));
    clock.advanceBy(15 * 60_000);
    await analyst.assess(marketSnapshot());
    // A restart: a new budget over the same records.
    const restarted = budgeted({ limitUsd: 5, store, notifier });
    restarted.clock.advanceTo(clock.now());
    await restarted.analyst.assess(marketSnapshot());

    expect(notifier.ofType('ai_budget_reached')).toEqual([
      { type: 'ai_budget_reached', at: OCTOBER, budgetUsd: 5, spentUsd: 5.5, resumesAt: new Date('2025-11-01T00:00:00Z') },
    ]);

    const november = new Date('2025-11-03T10:00:00Z');
    restarted.clock.advanceTo(november);
    await spend(store, new Date('2025-11-02T10:00:00Z'), 5);
    await restarted.analyst.assess(marketSnapshot());
    expect(notifier.ofType('ai_budget_reached').map((event) => event.resumesAt)).toEqual([new Date('2025-11-01T00:00:00Z'), new Date('2025-12-01T00:00:00Z')]);
  });

  it('when the owner raises the budget after the notice, then the model is asked again, and the owner is told again when the new budget runs out', async () => {
    const { clock, store, analyst, notifier } = budgeted({ limitUsd: 5 });
    await spend(store, new Date('2025-10-02T08:00:00Z'), 5.5);
    await analyst.assess(marketSnapshot());

    // Restarted with a budget of $10 the same month.
    const raised = budgeted({ limitUsd: 10, store, notifier });
    raised.clock.advanceTo(clock.now());
    await raised.analyst.assess(marketSnapshot());
    expect(raised.inner.calls).toBe(1);
    await spend(store, new Date('2025-10-10T12:30:00Z'), 4.6);
    raised.clock.advanceBy(60 * 60_000);
    await raised.analyst.assess(marketSnapshot());

    expect(raised.inner.calls).toBe(1);
    expect(notifier.ofType('ai_budget_reached').map((event) => event.budgetUsd)).toEqual([5, 10]);
  });

  it('when the budget is reached, then an answer already in the vote cache is still used, at no cost', async () => {
    const { store, inner, analyst } = budgeted({ limitUsd: 5 });
    const cached = new CachedAnalyst(analyst, new MemoryCache());
    const asked = marketSnapshot();
    await cached.assess(asked);
    await spend(store, OCTOBER, 5);

    const again = await cached.assess(asked);
    const fresh = await cached.assess(marketSnapshot({ lastClosedCandle: asked.lastClosedCandle + 15 * 60_000 }));

    expect(inner.calls).toBe(1);
    expect(again).toMatchObject({ outcome: 'valid', action: 'long', usage: { cached: true, costUsd: 0 } });
    expect(fresh).toMatchObject({ outcome: 'failed', action: 'hold' });
  });

  it('when the spend cannot be read, then no call is made, as spending it could not be kept under the cap', async () => {
    const inner = new PaidAnalyst();
    const budget = new AiBudget({
      limitUsd: 5,
      clock: new ManualClock(OCTOBER),
      spentThisMonth: () => Promise.reject(new Error('database down')),
      notifier: new RecordingNotifier(),
      state: new InMemoryStore().state,
      logger: new RecordingLogger(),
    });

    const vote = await new BudgetedAnalyst(inner, budget).assess(marketSnapshot());

    expect(inner.calls).toBe(0);
    expect(vote.reason).toMatch(/could not be read/);
  });

  it('when the budget is 0, then there is no cap and the spend is never read', async () => {
    const budget = new AiBudget({
      limitUsd: 0,
      clock: new ManualClock(OCTOBER),
      spentThisMonth: () => Promise.reject(new Error('must not be read')),
      notifier: new RecordingNotifier(),
      state: new InMemoryStore().state,
      logger: new RecordingLogger(),
    });

    expect(budget.capped).toBe(false);
    expect(await budget.check()).toEqual({ open: true });
  });
});
