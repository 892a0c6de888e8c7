// A scan once the month's AI budget is spent: the AI analysts are not asked, their votes abstain, the consensus holds
// as it does for missing voices, and the owner hears of it once; /cost shows the budget and that it is reached.
import { describe, expect, it } from 'vitest';
import { AiBudget } from '../../../src/adapters/analyst/ai/ai-budget.js';
import { BudgetedAnalyst } from '../../../src/adapters/analyst/ai/budgeted-analyst.js';
import { monthAiSpendOfAll } from '../../../src/engine/ai-spend.js';
import { AnalystHealth } from '../../../src/engine/analyst-health.js';
import { buildEngine } from '../../../src/engine/build-engine.js';
import { DecisionRecorder } from '../../../src/engine/decision-recorder.js';
import { IncidentTracker } from '../../../src/engine/incidents.js';
import { MarketScanner } from '../../../src/engine/scan-markets.js';
import { SnapshotService } from '../../../src/engine/snapshots.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { ScriptedAnalyst } from '../../../src/testing/scripted-analyst.js';
import { engineFixture } from '../../support/engine-fixture.js';
import { paidDecision } from '../../support/factories.js';

const START = new Date('2025-09-20T00:00:00Z');
const SYMBOL = 'BTC/USDT:USDT';
const BUDGET_USD = 2;

const paid = (time: Date, costUsd: number) => paidDecision(time, costUsd, { symbol: SYMBOL });

/** Three AI models that all want to go long, behind the budget, over a store that has recorded `spentUsd` this month. */
async function scanWithSpend(spentUsd: number) {
  const store = new InMemoryStore();
  await store.decisions.recordMany([paid(new Date('2025-09-02T08:00:00Z'), spentUsd)]);
  const models = ['claude', 'deepseek', 'grok'].map((name) => new ScriptedAnalyst(name, () => ({ action: 'long', confidence: 0.9 }), 'ai'));
  const fixture = await engineFixture({ start: START, analysts: [], store, settings: { aiMode: 'full', consensus: { minAgreeing: 2, minConfidence: 0.75, minOpportunityScore: 0 } } });
  const { clock, notifier, logger } = fixture;
  const budget = new AiBudget({ limitUsd: BUDGET_USD, clock, spentThisMonth: (now) => monthAiSpendOfAll(store, [], now), notifier, state: store.state, logger });
  const ctx = { ...fixture.ctx, analysts: models.map((model) => new BudgetedAnalyst(model, budget)) };
  const incidents = new IncidentTracker(clock, notifier, logger, store.state);
  const scanner = new MarketScanner(ctx, new SnapshotService(ctx.marketData, clock, 250), new DecisionRecorder(ctx), incidents, new AnalystHealth(ctx.analysts.map((a) => a.name), incidents));
  return { fixture, models, scanner };
}

describe('a scan under the monthly AI budget', () => {
  it('when the month has cost less than the budget, then the models are asked and their agreement makes the best candidate', async () => {
    const { models, scanner, fixture } = await scanWithSpend(1.5);

    const result = await scanner.scan([SYMBOL]);

    expect(models.map((model) => model.asked.length)).toEqual([1, 1, 1]);
    expect(result.best?.consensus.decision).toBe('long');
    expect(fixture.notifier.ofType('ai_budget_reached')).toEqual([]);
  });

  it('when the month has cost the budget, then no model is asked, no trade is proposed, and the owner is told once with no outage alerts', async () => {
    const { models, scanner, fixture } = await scanWithSpend(BUDGET_USD);

    const first = await scanner.scan([SYMBOL]);
    fixture.clock.advanceBy(15 * 60_000);
    const second = await scanner.scan([SYMBOL]);

    expect(models.map((model) => model.asked.length)).toEqual([0, 0, 0]);
    for (const result of [first, second]) {
      expect(result.best).toBeUndefined();
      expect(result.ranked[0]?.consensus.decision).toBe('hold');
      expect(result.ranked[0]?.votes.map((vote) => vote.reason)).toEqual(Array(3).fill('monthly AI budget of $2.00 reached ($2.00 spent); AI calls resume on 1 Oct (UTC)'));
    }
    expect(fixture.notifier.ofType('ai_budget_reached')).toHaveLength(1);
    expect(fixture.notifier.ofType('alert')).toEqual([]);
    // No call, no cost: the month's spend is what it was.
    expect(await fixture.store.decisions.costBetween(new Date('2025-09-01T00:00:00Z'), fixture.clock.now())).toBe(BUDGET_USD);
  });
});

describe('/cost under the monthly AI budget', () => {
  it('when a budget is set, then /cost shows it, what the accounts spent against it and whether it is reached; without one, nothing', async () => {
    const holding = [new ScriptedAnalyst('a', () => ({ action: 'hold' }))];
    const capped = await engineFixture({ start: START, analysts: holding, settings: { aiMonthlyBudgetUsd: BUDGET_USD } });
    await capped.store.decisions.recordMany([paid(new Date('2025-09-02T08:00:00Z'), 1.2)]);
    const shadowStore = new InMemoryStore();
    await shadowStore.decisions.recordMany([paid(new Date('2025-09-03T08:00:00Z'), 0.8)]);
    const engine = buildEngine(capped.ctx, {
      orphanPolicy: 'adopt',
      settingsView: {},
      shadows: [{ name: 'picky', changes: {}, store: shadowStore, exchange: capped.ctx.exchange }],
    });

    const budget = (await engine.control.aiCost()).budget;

    expect(budget).toMatchObject({ limitUsd: BUDGET_USD, reached: true, resumesAt: new Date('2025-10-01T00:00:00Z') });
    expect(budget?.spentUsd).toBeCloseTo(2, 10);

    const uncapped = await engineFixture({ start: START, analysts: holding });
    const plain = buildEngine(uncapped.ctx, { orphanPolicy: 'adopt', settingsView: {} });
    expect((await plain.control.aiCost()).budget).toBeUndefined();
  });
});
