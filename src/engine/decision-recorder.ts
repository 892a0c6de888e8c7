// Every AI answer goes to the decisions table — valid, rejected or failed — with its model, latency, tokens, cost
// and prompt hash. So does every technical analyst's call to act and any answer of theirs that went wrong; their
// valid "hold" and "stay" are not stored: they cost nothing, follow from the candles alone, no report or track record
// reads them, and they were 97% of a replay's rows. One multi-row write per scan keeps long replays fast.
import { describeError, TemporaryError } from '../domain/errors.js';
import type { ExitVote, Vote, VoteOutcome } from '../domain/analysis.js';
import type { Position } from '../domain/trading.js';
import type { DecisionRecord } from '../ports/store.js';
import type { EngineContext } from './engine-context.js';

/** The votes the scorer will read back: valid directional entries with both levels. */
function isScorable(record: DecisionRecord): boolean {
  return (
    record.purpose === 'entry' &&
    record.outcome === 'valid' &&
    record.side !== undefined &&
    record.stopLossPct !== undefined &&
    record.takeProfitPct !== undefined
  );
}

export class DecisionRecorder {
  private buffer: DecisionRecord[] = [];
  /** Analysts whose valid non-acting answers are not stored (see the header). */
  private readonly technical: ReadonlySet<string>;
  /** Times of the scorable votes recorded since scoring last caught up (at most a scoring horizon of them). */
  private awaitingScore: number[] = [];
  /** Every scorable vote older than this has been scored; unknown until the first complete pass after a start. */
  private scoredBefore: number | undefined;

  constructor(private readonly ctx: EngineContext) {
    this.technical = new Set(
      [...ctx.analysts, ...ctx.exitAnalysts].filter((analyst) => analyst.kind === 'technical').map((analyst) => analyst.name),
    );
  }

  /** A vote served from the cache is an answer already recorded, so only fresh answers become rows. */
  entryRecords(symbol: string, price: number, votes: readonly Vote[]): DecisionRecord[] {
    const time = this.ctx.clock.now();
    const stored = votes.filter((vote) => !vote.usage.cached && !this.isUnstored(vote.analyst, vote.outcome, vote.action !== 'hold'));
    return stored.map((vote) => ({
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
    for (const record of records) if (isScorable(record)) this.awaitingScore.push(record.time.getTime());
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
      // A store that is away keeps the batch for the next attempt: the store is the record. One that refuses the batch
      // itself would refuse it at every attempt, and every scan and position check that records would fail behind it
      // until a restart: that batch is logged whole and let go, and recording goes on.
      if (!(error instanceof TemporaryError)) {
        this.ctx.logger.error({ error: describeError(error), records: batch.length, first: batch[0]?.time.toISOString(), last: batch.at(-1)?.time.toISOString(), batch }, 'the store refused these AI decision records; they are dropped, and recording goes on');
        return;
      }
      this.buffer = [...batch, ...this.buffer];
      throw error;
    }
  }

  /** A technical analyst's valid answer that does not act (see the header). */
  private isUnstored(analyst: string, outcome: VoteOutcome, acts: boolean): boolean {
    return !acts && outcome === 'valid' && this.technical.has(analyst);
  }

  /**
   * Whether a scoring pass for votes older than `before` could find any: always after a start (the store may hold
   * votes from before it), afterwards only when a scorable vote recorded since the last complete pass is that old.
   * Saves a query that would find nothing.
   */
  scoringDue(before: Date): boolean {
    if (this.scoredBefore === undefined) return true;
    return this.awaitingScore.some((time) => time < before.getTime());
  }

  /** Called after a pass found every scorable vote older than `before`. */
  scoredUpTo(before: Date): void {
    this.scoredBefore = before.getTime();
    this.awaitingScore = this.awaitingScore.filter((time) => time >= before.getTime());
  }

  async recordExitVotes(position: Position, price: number, votes: readonly ExitVote[]): Promise<void> {
    const time = this.ctx.clock.now();
    // A failure that made no call (the answer of a call another account made, an abstention once the monthly AI budget
    // is spent) is no attempt of the model's: stored at every check, it would read as an outage on its record.
    const stored = votes.filter((vote) => !(vote.outcome === 'failed' && vote.usage.cached) && !this.isUnstored(vote.analyst, vote.outcome, vote.shouldExit));
    await this.record(
      stored.map((vote) => ({
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
