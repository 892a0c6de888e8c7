import type { ExitVote, MarketSnapshot, Vote } from '../domain/analysis.js';
import type { Position } from '../domain/trading.js';

export interface Analyst {
  /** Stable name used in votes, the decisions table and track records (e.g. `claude`, `trend`). */
  readonly name: string;
  readonly kind: 'ai' | 'technical';
  /**
   * Never throws for a bad or missing answer: returns a vote with outcome `rejected` or `failed` and the reason.
   */
  assess(snapshot: MarketSnapshot, signal?: AbortSignal): Promise<Vote>;
  exitOpinion(position: Position, snapshot: MarketSnapshot, signal?: AbortSignal): Promise<ExitVote>;
}
