// A decorator that makes no paid AI call once the month's AI budget is spent. It sits under the vote cache, so an
// answer already paid for is still used. In place of a call it gives no answer: a failed vote, which the consensus
// counts as a missing voice and never as a trade, and an exit opinion that changes nothing.
import type { CallUsage, ExitVote, MarketSnapshot, Vote } from '../../../domain/analysis.js';
import type { Position } from '../../../domain/trading.js';
import type { SpendingGate } from './ai-budget.js';
import type { CacheableAnalyst } from './cached-analyst.js';

export class BudgetedAnalyst implements CacheableAnalyst {
  readonly name: string;
  readonly kind: CacheableAnalyst['kind'];
  // The cache keys its answers by model and prompt: passed through, so a gated analyst shares the ungated one's answers.
  readonly model: string | undefined;
  readonly promptKey: string | undefined;

  constructor(
    private readonly inner: CacheableAnalyst,
    private readonly budget: SpendingGate,
  ) {
    this.name = inner.name;
    this.kind = inner.kind;
    this.model = inner.model;
    this.promptKey = inner.promptKey;
  }

  async assess(snapshot: MarketSnapshot, signal?: AbortSignal): Promise<Vote> {
    const check = await this.budget.check();
    if (check.open) return this.inner.assess(snapshot, signal);
    return { analyst: this.name, outcome: 'failed', action: 'hold', confidence: 0, reasoning: '', keyFactors: [], reason: check.reason, usage: this.noCall() };
  }

  async exitOpinion(position: Position, snapshot: MarketSnapshot, signal?: AbortSignal): Promise<ExitVote> {
    const check = await this.budget.check();
    if (check.open) return this.inner.exitOpinion(position, snapshot, signal);
    return { analyst: this.name, outcome: 'failed', shouldExit: false, confidence: 0, reason: check.reason, usage: this.noCall() };
  }

  /**
   * No provider was asked. Marked as cached, as a cache hit is the other answer that costs nothing: it is not a row for
   * the decisions table at every scan, nor an outage for the analyst-health alerts, since the owner hears of the
   * budget in one message of its own.
   */
  private noCall(): CallUsage {
    return { model: this.model ?? this.name, latencyMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, promptHash: '', cached: true };
  }
}
