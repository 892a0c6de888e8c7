// Each analyst's track record: every directional vote is scored once its horizon has passed, against the candles
// that followed it. The owner asks for the records with /models; the backtest report lists them.
import { scoreVote, SCORING_HORIZON_MS } from '../domain/vote-scoring.js';
import type { Candle } from '../domain/market.js';
import type { ModelRecord } from '../ports/control.js';
import type { EngineContext } from './engine-context.js';

/** Votes scored per pass; the rest wait for the next hour. */
const BATCH = 500;

/** The newest vote a pass at `now` can score: one whose horizon has passed. */
export function newestScorable(now: Date): Date {
  return new Date(now.getTime() - SCORING_HORIZON_MS);
}

export class ModelScorer {
  constructor(private readonly ctx: EngineContext) {}

  records(): Promise<ModelRecord[]> {
    return this.ctx.store.decisions.trackRecords();
  }

  /** Scores the votes whose horizon has passed. Returns how many were scored. */
  async scorePending(): Promise<number> {
    const { store, clock, marketData, settings } = this.ctx;
    const now = clock.now();
    const pending = await store.decisions.unscored(newestScorable(now), BATCH);
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
