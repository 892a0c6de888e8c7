import { describe, expect, it } from 'vitest';
import { contaminationReport, unknownCutoffWarning, warningFor } from '../../../../../src/adapters/analyst/ai/contamination.js';
import type { CutoffLookup } from '../../../../../src/adapters/analyst/ai/model-cutoffs.js';
import type { Trade } from '../../../../../src/domain/trading.js';
import type { DecisionRecord } from '../../../../../src/ports/store.js';

/** A table of its own, so the story does not depend on today's real cutoffs. */
const lookup = (model: string): CutoffLookup =>
  model === 'old-model'
    ? { known: true, model, cutoff: { seenUntil: '2025-10-01', basis: 'published', stated: 'training data to Sep 2025', source: 'https://example.test/old' } }
    : model === 'new-model'
      ? { known: true, model, cutoff: { seenUntil: '2026-07-01', basis: 'published', stated: 'training data to Jun 2026', source: 'https://example.test/new' } }
      : { known: false, model };

const at = (iso: string) => new Date(`${iso}Z`);

function decision(analyst: string, model: string, time: string, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    time: at(time),
    symbol: 'BTC/USDT:USDT',
    analyst,
    purpose: 'entry',
    outcome: 'valid',
    action: 'long',
    confidence: 0.8,
    side: 'long',
    reasoning: '',
    usage: { model, latencyMs: 1, inputTokens: 1, outputTokens: 1, costUsd: 0, promptHash: 'h', cached: false },
    price: 100,
    ...overrides,
  };
}

/** The same answer again, from the per-candle cache. */
function served(analyst: string, model: string, time: string, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  const record = decision(analyst, model, time, overrides);
  return { ...record, usage: { ...record.usage, cached: true } };
}

function trade(openedAt: string, netPnl: number, agreeing: readonly string[]): Trade {
  return {
    positionId: openedAt,
    symbol: 'BTC/USDT:USDT',
    side: 'long',
    leverage: 3,
    quantity: 1,
    entryPrice: 100,
    exitPrice: 101,
    margin: 33,
    stopPrice: 94,
    liquidationPrice: 70,
    entryFee: 0,
    exitFee: 0,
    funding: 0,
    grossPnl: netPnl,
    netPnl,
    pnlPct: netPnl / 33,
    reason: 'take_profit',
    openedAt: at(openedAt),
    closedAt: new Date(at(openedAt).getTime() + 3_600_000),
    rationale: { confidence: 0.8, opportunityScore: 85, agreeing, dissenting: [] },
    fills: [],
  } as Trade;
}

describe('the contamination report', () => {
  it('when the window straddles a model cutoff, then its answers and trades are split there, with P&L and win rate each side', () => {
    const decisions = [
      decision('claude', 'old-model', '2025-09-20T00:00'),
      decision('claude', 'old-model', '2025-09-25T00:00'),
      decision('claude', 'old-model', '2025-10-02T00:00'),
      decision('claude', 'old-model', '2025-10-03T00:00', { purpose: 'exit', action: 'stay' }),
      served('claude', 'old-model', '2025-10-03T00:05', { purpose: 'exit', action: 'stay' }),
      decision('claude', 'old-model', '2025-10-04T00:00', { outcome: 'failed', action: 'hold' }),
      decision('rsi', 'rule-based', '2025-09-20T00:00'),
    ];
    const trades = [
      trade('2025-09-20T00:05', 10, ['claude', 'rsi']),
      trade('2025-09-30T23:50', -4, ['claude', 'rsi']),
      trade('2025-10-02T00:10', 3, ['claude', 'rsi']),
      trade('2025-10-05T00:00', 7, ['rsi', 'trend']),
    ];

    const report = contaminationReport({ decisions, trades, aiAnalysts: ['claude'], end: at('2025-10-06T00:00'), lookup });

    expect(report.models).toHaveLength(1);
    const [old] = report.models;
    expect(old?.model).toBe('old-model');
    expect(old?.analysts).toEqual(['claude']);
    // A failed call is no answer; the exit opinion is one, and the same opinion served again from the cache is not another.
    expect(old?.answers).toEqual({ total: 4, beforeCutoff: 2, afterCutoff: 2 });
    // The trade opened 10 minutes before the cutoff counts as before: the model may have seen what followed it.
    expect(old?.trades.beforeCutoff).toEqual({ trades: 2, wins: 1, winRate: 0.5, netPnl: 6 });
    expect(old?.trades.afterCutoff).toEqual({ trades: 1, wins: 1, winRate: 1, netPnl: 3 });
    expect(old?.trades.all.trades).toBe(3);
    expect(old?.wholeWindowBeforeCutoff).toBe(false);
    expect(report.warnings).toEqual([]);
  });

  it('when the whole window lies before a model cutoff, then the report warns that its results may be inflated', () => {
    const decisions = [decision('claude', 'new-model', '2025-09-20T00:00'), decision('deepseek', 'old-model', '2025-09-20T00:00')];

    const report = contaminationReport({ decisions, trades: [], aiAnalysts: ['claude', 'deepseek'], end: at('2025-09-28T00:00'), lookup });

    expect(report.warnings).toEqual([warningFor('new-model'), warningFor('old-model')]);
    expect(warningFor('new-model')).toBe(
      'every answer of new-model is about a period it may have seen in training; these results may be inflated',
    );
    expect(report.models.find((entry) => entry.model === 'new-model')?.trades.afterCutoff).toEqual({ trades: 0, wins: 0, netPnl: 0 });
  });

  it('when a model is not in the table, then its cutoff is reported unknown, nothing is split, and it is warned about', () => {
    const decisions = [decision('grok', 'mystery-model', '2025-09-20T00:00')];

    const report = contaminationReport({ decisions, trades: [trade('2025-09-20T01:00', 5, ['grok', 'claude'])], aiAnalysts: ['grok'], end: at('2025-09-28T00:00'), lookup });

    expect(report.models[0]).toMatchObject({
      model: 'mystery-model',
      cutoff: null,
      answers: { total: 1, beforeCutoff: null, afterCutoff: null },
      trades: { all: { trades: 1, wins: 1, winRate: 1, netPnl: 5 }, beforeCutoff: null, afterCutoff: null },
    });
    expect(report.warnings).toEqual([unknownCutoffWarning('mystery-model')]);
  });

  it('when an analyst changed model during the run, then each trade counts for the model that answered before it opened', () => {
    const decisions = [decision('claude', 'old-model', '2025-09-20T00:00'), decision('claude', 'new-model', '2025-09-22T00:00')];
    const trades = [trade('2025-09-21T00:00', 1, ['claude']), trade('2025-09-23T00:00', -1, ['claude'])];

    const report = contaminationReport({ decisions, trades, aiAnalysts: ['claude'], end: at('2025-09-28T00:00'), lookup, blind: true });

    expect(report.prompts).toBe('blind');
    expect(report.models.find((entry) => entry.model === 'old-model')?.trades.all).toMatchObject({ trades: 1, netPnl: 1 });
    expect(report.models.find((entry) => entry.model === 'new-model')?.trades.all).toMatchObject({ trades: 1, netPnl: -1 });
  });

  it('when one scan asked the same analyst about two markets through two models, then a trade counts for the model that answered about its market', () => {
    // The BTC answer came from the archive (old model), the ETH answer at the same instant fresh (new model).
    const decisions = [
      decision('claude', 'old-model', '2025-09-20T12:00'),
      decision('claude', 'new-model', '2025-09-20T12:00', { symbol: 'ETH/USDT:USDT', action: 'hold', side: undefined }),
    ];

    const report = contaminationReport({ decisions, trades: [trade('2025-09-20T12:00', 2, ['claude'])], aiAnalysts: ['claude'], end: at('2025-09-28T00:00'), lookup });

    expect(report.models.find((entry) => entry.model === 'old-model')?.trades.all).toMatchObject({ trades: 1, netPnl: 2 });
    expect(report.models.find((entry) => entry.model === 'new-model')?.trades.all).toMatchObject({ trades: 0 });
  });
});
