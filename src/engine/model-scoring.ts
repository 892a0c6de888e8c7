// Each analyst's track record: every directional vote is scored once its horizon has passed, against the candles
// that followed it. The owner asks for the records with /models; the backtest report lists them.
import { describeError, RejectedError } from '../domain/errors.js';
import { scoreVote, SCORING_HORIZON_MS } from '../domain/vote-scoring.js';
import type { Candle } from '../domain/market.js';
import type { ModelRecord } from '../ports/control.js';
import type { DecisionRecorder } from './decision-recorder.js';
import type { EngineContext } from './engine-context.js';

/** Votes read and scored per statement. */
const BATCH = 500;
/** Batches per pass: enough for a busy day of votes; a longer backlog (after downtime) waits for the next pass. */
const MAX_BATCHES = 20;

/** The newest vote a pass at `now` can score: one whose horizon has passed. */
export function newestScorable(now: Date): Date {
  return new Date(now.getTime() - SCORING_HORIZON_MS);
}

export class ModelScorer {
  constructor(
    private readonly ctx: EngineContext,
    private readonly decisions: DecisionRecorder,
  ) {}

  /** The track records, with every vote whose horizon has passed scored first. */
  async records(): Promise<ModelRecord[]> {
    await this.scorePending();
    return this.ctx.store.decisions.trackRecords();
  }

  /** Scores the votes whose horizon has passed. Returns how many were scored. */
  async scorePending(): Promise<number> {
    const now = this.ctx.clock.now();
    const before = newestScorable(now);
    // A replay's buffer holds the last few hundred answers, mostly too recent to score; writing them only when one is
    // due keeps the batches large (PGlite pays per statement, and a year of replay writes thousands of rows).
    await this.decisions.flushFrom(before);
    if (!this.decisions.scoringDue(before)) return 0;
    let scored = 0;
    // Symbols whose candles could not be read in this pass: their votes wait, unscored, for the next one.
    const unavailable = new Set<string>();
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const { read, count } = await this.scoreBatch(before, now, unavailable);
      scored += count;
      // A full batch of waiting votes would be read again and again: the pass ends there.
      if (read < BATCH || count === 0) {
        if (unavailable.size === 0) this.decisions.scoredUpTo(before);
        break;
      }
    }
    return scored;
  }

  private async scoreBatch(before: Date, now: Date, unavailable: Set<string>): Promise<{ read: number; count: number }> {
    const { store, marketData, settings, logger } = this.ctx;
    const pending = await store.decisions.unscored(before, BATCH);
    const candles = new Map<string, Candle[]>();
    const scores: { id: string; hit: boolean | null }[] = [];
    for (const vote of pending) {
      if (unavailable.has(vote.symbol)) continue;
      let history = candles.get(vote.symbol);
      if (history === undefined) {
        try {
          history = await marketData.candles(vote.symbol, '15m', settings.candleLimit);
        } catch (error) {
          // A market the venue refuses for good (delisted) has no candles to come: its votes close as unscorable, or
          // they would hold back every later pass. Any other failure may pass, and a vote is scored once for good.
          if (error instanceof RejectedError) {
            history = [];
          } else {
            unavailable.add(vote.symbol);
            logger.warn({ symbol: vote.symbol, error: describeError(error) }, 'candles unavailable: its votes are scored at a later pass');
            continue;
          }
        }
        candles.set(vote.symbol, history);
      }
      // A vote older than the candles at hand can never be scored; it is closed as unscorable so it is not retried.
      scores.push({ id: vote.id, hit: scoreVote(vote, history) ?? null });
    }
    await store.decisions.recordScores(scores, now);
    return { read: pending.length, count: scores.length };
  }
}
