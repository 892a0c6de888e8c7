// Every analyst answer goes to the decisions table — valid, rejected or failed — with its model, latency, tokens,
// cost and prompt hash. One multi-row write per scan keeps long replays fast.
import type { ExitVote, Vote } from '../domain/analysis.js';
import type { Position } from '../domain/trading.js';
import type { DecisionRecord } from '../ports/store.js';
import type { EngineContext } from './engine-context.js';

export class DecisionRecorder {
  private buffer: DecisionRecord[] = [];

  constructor(private readonly ctx: EngineContext) {}

  /** A vote served from the cache is an answer already recorded, so only fresh answers become rows. */
  entryRecords(symbol: string, price: number, votes: readonly Vote[]): DecisionRecord[] {
    const time = this.ctx.clock.now();
    return votes.filter((vote) => !vote.usage.cached).map((vote) => ({
      time,
      symbol,
      analyst: vote.analyst,
      purpose: 'entry',
      outcome: vote.outcome,
      action: vote.action,
      confidence: vote.confidence,
      side: vote.action === 'hold' ? undefined : vote.action,
      leverage: vote.leverage,
      stopLossPct: vote.stopLossPct,
      takeProfitPct: vote.takeProfitPct,
      riskReward: vote.riskReward,
      reasoning: vote.reasoning,
      reason: vote.reason,
      usage: vote.usage,
      raw: vote.raw,
      price,
    }));
  }

  /**
   * Live trading writes each scan's answers at once. A replay (`decisionBatchRows` > 0) collects them and writes
   * hundreds per statement; `flush` runs before anything reads decisions back and when the daemon stops.
   */
  async record(records: readonly DecisionRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.buffer.push(...records);
    if (this.buffer.length >= this.ctx.settings.decisionBatchRows) await this.flush();
  }

  /** Flushes only when a buffered record is as old as `time` or older: a reader of old decisions needs no others. */
  async flushFrom(time: Date): Promise<void> {
    if (this.buffer.some((record) => record.time.getTime() <= time.getTime())) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      await this.ctx.store.decisions.recordMany(batch);
    } catch (error) {
      // Kept for the next attempt rather than lost; the store is the record.
      this.buffer = [...batch, ...this.buffer];
      throw error;
    }
  }

  async recordExitVotes(position: Position, price: number, votes: readonly ExitVote[]): Promise<void> {
    const time = this.ctx.clock.now();
    await this.record(
      votes.map((vote) => ({
        time,
        symbol: position.symbol,
        analyst: vote.analyst,
        purpose: 'exit',
        outcome: vote.outcome,
        action: vote.shouldExit ? 'exit' : 'stay',
        confidence: vote.confidence,
        side: position.side,
        reasoning: vote.reason,
        reason: vote.outcome === 'valid' ? undefined : vote.reason,
        usage: vote.usage,
        raw: vote.raw,
        price,
        positionId: position.id,
      })),
    );
  }
}
