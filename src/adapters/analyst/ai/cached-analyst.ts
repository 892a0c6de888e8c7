// A decorator that answers a repeated question from the cache. The scan runs every few minutes while the data an
// analyst judges only changes when a 15m candle closes, so the same paid question would otherwise be asked again.
// With shadow strategies the cache is shared, and each entry says who paid for its call: the main account pays for
// every answer it uses, so a shadow that happened to ask first hands that cost over when the main account asks too.
import { z } from 'zod';
import type { ExitVote, MarketSnapshot, Vote } from '../../../domain/analysis.js';
import type { Position } from '../../../domain/trading.js';
import type { Analyst } from '../../../ports/analyst.js';
import type { Cache, Schema } from '../../../ports/cache.js';
import type { Logger } from '../../../ports/logger.js';

/**
 * An entry answer is keyed by its last closed 15m candle, so it only has to outlive that candle: any shorter and a
 * scan every 5 minutes pays two or three times for the same candle, which a replay (one step per candle) never does.
 */
export const DEFAULT_VOTE_TTL_MS = 15 * 60_000;
/** An exit opinion is keyed by its candle, so it only has to outlive that candle. */
export const EXIT_OPINION_TTL_MS = 15 * 60_000;

export interface CachedAnalystOptions {
  readonly ttlMs?: number;
  readonly logger?: Logger;
  /**
   * Questions being asked right now, by cache key, shared by every cached analyst of the process: when the main
   * account and a shadow ask the same question at the same moment, one provider call answers both.
   */
  readonly inFlight?: AnswersInFlight;
  /** The shadow strategy this analyst asks for; absent: the main account. */
  readonly shadow?: string;
}

/** An entry answer found in the cache or just asked, as every account waiting on it sees it. */
export interface SharedAnswer {
  readonly vote: Vote;
  /** A provider call was made for this lookup; only the account that made the lookup reads it. */
  readonly fresh: boolean;
  /** The shadow strategy whose call it was; undefined: the main account's. Moves to the main account when it asks. */
  paidByShadow: string | undefined;
}

export type AnswersInFlight = Map<string, Promise<SharedAnswer>>;

/** An entry answer as the cache keeps it: the vote, and the shadow strategy that paid for it (none: the main account). */
type CachedAnswer = Vote & { readonly paidByShadow?: string };

const share = z.number().finite().min(0).max(1);
const positive = z.number().finite().positive();

const usageSchema = z.object({
  model: z.string(),
  latencyMs: z.number().finite().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().finite().nonnegative(),
  promptHash: z.string(),
  cached: z.boolean(),
});

const voteShape = {
    analyst: z.string(),
    outcome: z.enum(['valid', 'rejected']),
    action: z.enum(['long', 'short', 'hold']),
    confidence: share,
    leverage: z.number().int().positive().optional(),
    stopLossPct: share.optional(),
    takeProfitPct: positive.optional(),
    riskReward: positive.optional(),
    reasoning: z.string(),
    keyFactors: z.array(z.string()),
    reason: z.string().optional(),
    usage: usageSchema,
    raw: z.string().optional(),
};

const actsOnlyWhenValid = (vote: { outcome: string; action: string }): boolean => vote.outcome === 'valid' || vote.action === 'hold';
const tradesWithLevels = (vote: { action: string; leverage?: number | undefined; stopLossPct?: number | undefined }): boolean =>
  vote.action === 'hold' || (vote.leverage !== undefined && vote.stopLossPct !== undefined);

/** What may come out of the cache; the cache is shared storage and is not trusted more than a model. */
export const cachedVoteSchema = z
  .object(voteShape)
  .refine(actsOnlyWhenValid, { message: 'only a valid vote may act' })
  .refine(tradesWithLevels, { message: 'a trade needs leverage and stop' });

const cachedAnswerSchema = z
  .object({ ...voteShape, paidByShadow: z.string().optional() })
  .refine(actsOnlyWhenValid, { message: 'only a valid vote may act' })
  .refine(tradesWithLevels, { message: 'a trade needs leverage and stop' });

const cachedExitVoteSchema = z.object({
  analyst: z.string(),
  outcome: z.enum(['valid', 'rejected']),
  shouldExit: z.boolean(),
  confidence: share,
  reason: z.string(),
  usage: usageSchema,
  raw: z.string().optional(),
}).refine((vote) => vote.outcome === 'valid' || !vote.shouldExit, { message: 'only a valid opinion may exit' });

/** Anything that names its model can be cached per model; other analysts are keyed by name alone. */
export type CacheableAnalyst = Analyst & { readonly model?: string; readonly promptKey?: string };

export class CachedAnalyst implements Analyst {
  readonly name: string;
  readonly kind: Analyst['kind'];
  private readonly ttlMs: number;
  private readonly logger: Logger | undefined;
  private readonly inFlight: AnswersInFlight;
  private readonly shadow: string | undefined;

  constructor(
    private readonly inner: CacheableAnalyst,
    private readonly cache: Cache,
    options: CachedAnalystOptions = {},
  ) {
    this.name = inner.name;
    this.kind = inner.kind;
    this.ttlMs = options.ttlMs ?? DEFAULT_VOTE_TTL_MS;
    this.logger = options.logger?.child({ module: 'analyst-cache', analyst: inner.name });
    this.inFlight = options.inFlight ?? new Map();
    this.shadow = options.shadow;
  }

  /** Analyst, model, prompt, symbol and the last closed candle: the identity of the question. */
  keyFor(snapshot: MarketSnapshot): string {
    const parts = [this.inner.name, this.inner.model ?? '-', this.inner.promptKey ?? '-', snapshot.symbol, String(snapshot.lastClosedCandle)];
    return `analyst-vote:${parts.map(encodeURIComponent).join(':')}`;
  }

  /**
   * An exit opinion is a question about one position on one closed candle. Position ids are numbered per account's
   * store, so the account is part of the key: a shadow's position 3 is not the main account's position 3.
   */
  exitKeyFor(position: Position, snapshot: MarketSnapshot): string {
    const account = this.shadow === undefined ? '-' : `shadow-${this.shadow}`;
    const parts = [this.inner.name, this.inner.model ?? '-', account, position.id, String(snapshot.lastClosedCandle)];
    return `analyst-exit:${parts.map(encodeURIComponent).join(':')}`;
  }

  async assess(snapshot: MarketSnapshot, signal?: AbortSignal): Promise<Vote> {
    const key = this.keyFor(snapshot);
    // Looked up and registered before the first await, so two callers at the same moment cannot both miss it.
    const asking = this.inFlight.get(key);
    if (asking) return this.reuse(key, await asking);
    const answer = this.answer(key, snapshot, signal);
    this.inFlight.set(key, answer);
    try {
      const found = await answer;
      return found.fresh ? found.vote : await this.reuse(key, found);
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async answer(key: string, snapshot: MarketSnapshot, signal?: AbortSignal): Promise<SharedAnswer> {
    const hit = await this.read(key, cachedAnswerSchema);
    if (hit) {
      this.logger?.debug({ symbol: snapshot.symbol, key }, 'vote served from the cache');
      const { paidByShadow, ...vote } = hit;
      return { vote, fresh: false, paidByShadow };
    }
    const vote = await this.inner.assess(snapshot, signal);
    // A failure (timeout, outage) says nothing about the market: the next scan must ask again.
    if (vote.outcome !== 'failed') await this.write(key, this.shadow === undefined ? vote : { ...vote, paidByShadow: this.shadow });
    return { vote, fresh: true, paidByShadow: this.shadow };
  }

  /**
   * An answer this account did not ask the provider for. It is free, except when the main account uses an answer a
   * shadow paid for: the main account would have paid for that call alone, so the cost moves to it (its record names
   * the shadow, whose spend drops by as much) and the entry becomes the main account's.
   */
  private async reuse(key: string, found: SharedAnswer): Promise<Vote> {
    const { vote } = found;
    // A failure is not cached; one our deadline cut off may have been billed, and is counted once, for whoever asked.
    if (vote.outcome === 'failed') return vote.usage.costUsd === 0 ? vote : { ...vote, usage: { ...vote.usage, cached: true, costUsd: 0, latencyMs: 0 } };
    const from = found.paidByShadow;
    if (this.shadow !== undefined || from === undefined) return { ...vote, usage: { ...vote.usage, cached: true, costUsd: 0, latencyMs: 0 } };
    // Changed before any await: another of the main account's callers waiting on the same answer gets it free.
    found.paidByShadow = undefined;
    await this.write(key, vote);
    this.logger?.debug({ key, shadow: from }, 'answer a shadow paid for taken over by the main account');
    return { ...vote, usage: { ...vote.usage, cached: false, latencyMs: 0, takenOverFrom: from } };
  }

  /**
   * A paid exit opinion is asked again only when a new 15m candle has closed: between closes the model would judge
   * the same candles, and the daemon's own rules watch every price move in the meantime. Technical analysts cost
   * nothing and are always asked.
   */
  async exitOpinion(position: Position, snapshot: MarketSnapshot, signal?: AbortSignal): Promise<ExitVote> {
    if (this.kind !== 'ai') return this.inner.exitOpinion(position, snapshot, signal);
    const key = this.exitKeyFor(position, snapshot);
    const hit = await this.read(key, cachedExitVoteSchema);
    if (hit) {
      this.logger?.debug({ symbol: snapshot.symbol, positionId: position.id, key }, 'exit opinion served from the cache');
      return { ...hit, usage: { ...hit.usage, cached: true, costUsd: 0, latencyMs: 0 } };
    }
    const vote = await this.inner.exitOpinion(position, snapshot, signal);
    if (vote.outcome !== 'failed') await this.write(key, vote, EXIT_OPINION_TTL_MS);
    return vote;
  }

  private async read<T extends { analyst: string }>(key: string, schema: Schema<T>): Promise<T | undefined> {
    try {
      const vote = await this.cache.get(key, schema);
      // A vote filed under this key by another analyst is not this analyst's answer.
      return vote && vote.analyst === this.inner.name ? vote : undefined;
    } catch (error) {
      this.logger?.warn({ key, error: String(error) }, 'vote cache read failed; asking the analyst');
      return undefined;
    }
  }

  private async write(key: string, vote: CachedAnswer | ExitVote, ttlMs = this.ttlMs): Promise<void> {
    try {
      await this.cache.set(key, vote, ttlMs);
    } catch (error) {
      this.logger?.warn({ key, error: String(error) }, 'vote cache write failed');
    }
  }
}
