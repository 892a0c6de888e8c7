// Each analyst's track record: every directional vote is scored once its horizon has passed, against the candles
// that followed it. The owner asks for the records with /models; the backtest report lists them.
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
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const count = await this.scoreBatch(before, now);
      scored += count;
      if (count < BATCH) {
        this.decisions.scoredUpTo(before);
        break;
      }
    }
    return scored;
  }

  private async scoreBatch(before: Date, now: Date): Promise<number> {
    const { store, marketData, settings } = this.ctx;
    const pending = await store.decisions.unscored(before, BATCH);
    const candles = new Map<string, Promise<Candle[]>>();
    const scores: { id: string; hit: boolean | null }[] = [];
    for (const vote of pending) {
      if (!candles.has(vote.symbol)) candles.set(vote.symbol, marketData.candles(vote.symbol, '15m', settings.candleLimit).catch(() => []));
      // A vote older than the candles at hand can never be scored; it is closed as unscorable so it is not retried.
      scores.push({ id: vote.id, hit: scoreVote(vote, await (candles.get(vote.symbol) as Promise<Candle[]>)) ?? null });
    }
    await store.decisions.recordScores(scores, now);
    return pending.length;
  }
}
