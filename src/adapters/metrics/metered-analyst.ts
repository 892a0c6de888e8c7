// Wraps any analyst so every answer it gives is observed, without the analyst or the engine knowing about metrics.
import type { ExitVote, MarketSnapshot, Vote } from '../../domain/analysis.js';
import type { Position } from '../../domain/trading.js';
import type { Analyst } from '../../ports/analyst.js';
import type { AnalystCallObserver } from './analyst-metrics.js';

export class MeteredAnalyst implements Analyst {
  readonly name: string;
  readonly kind: Analyst['kind'];

  constructor(
    private readonly inner: Analyst,
    private readonly observer: AnalystCallObserver,
  ) {
    this.name = inner.name;
    this.kind = inner.kind;
  }

  async assess(snapshot: MarketSnapshot, signal?: AbortSignal): Promise<Vote> {
    const vote = await this.inner.assess(snapshot, signal);
    this.observe(vote);
    return vote;
  }

  async exitOpinion(position: Position, snapshot: MarketSnapshot, signal?: AbortSignal): Promise<ExitVote> {
    const vote = await this.inner.exitOpinion(position, snapshot, signal);
    this.observe(vote);
    return vote;
  }

  private observe(vote: Vote | ExitVote): void {
    // Metrics are a bystander: a fault in them must never change the answer the engine receives.
    try {
      this.observer.observeAnalystCall(vote);
    } catch {
      // ignored on purpose; see above
    }
  }
}
