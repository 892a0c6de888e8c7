// What every AI analyst does around the provider call: build the prompt, bound the call in time, measure latency,
// usage and cost, validate the answer, and turn any failure into a vote instead of an exception.
import { createHash } from 'node:crypto';
import type { CallUsage, ExitVote, MarketSnapshot, Vote } from '../../../domain/analysis.js';
import type { RiskSettings } from '../../../domain/settings.js';
import type { Position } from '../../../domain/trading.js';
import type { Analyst } from '../../../ports/analyst.js';
import type { Logger } from '../../../ports/logger.js';
import type { ModelPrice, PriceTable } from './pricing.js';
import { callCostUsd, DEFAULT_PRICES, estimateTokens, priceFor } from './pricing.js';
import type { Prompt } from './prompt.js';
import { buildEntryPrompt, buildExitPrompt, entrySystemPrompt, type EntryRules } from './prompt.js';
import type { SdkErrorClasses } from './provider-errors.js';
import { describeProviderError, describeRefusal } from './provider-errors.js';
import { watchCall, type CallWatch, type Refusal } from './call-watch.js';
import { DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './provider-defaults.js';
import { parseEntryAnswer, parseExitAnswer } from './response-parser.js';
import type { AnswerArchive } from './answer-archive.js';
import { answerFacts } from './answer-archive.js';
import type { PriceScale } from './blinding.js';
import { answerInRealPrices, blindPosition, blindSnapshot } from './blinding.js';

/** The raw answer kept with a vote for the decisions table. */
export const MAX_RAW_CHARS = 4_096;

export interface AiAnalystOptions {
  /** Name in votes and track records, e.g. `claude`, `deepseek`, `grok`. */
  readonly name: string;
  readonly apiKey: string;
  readonly baseURL?: string;
  readonly model?: string;
  /** Budget of one assessment, SDK retries included. */
  readonly timeoutMs?: number;
  /** Retries of the SDK on 408/409/429/5xx and connection errors. */
  readonly maxRetries?: number;
  readonly prices?: PriceTable;
  readonly risk: RiskSettings;
  /** Least confidence at which the prompt allows a trade. */
  readonly minConfidence: number;
  readonly logger: Logger;
  readonly maxOutputTokens?: number;
  /** How far the model's entry may be from the market price (fraction); see the response parser's default. */
  readonly maxEntryDeviationPct?: number;
  /** Backtests: answers kept by prompt hash; a hit is served without a provider call. */
  readonly archive?: AnswerArchive;
  /** Blind backtests: prompts without symbol or dates, prices rescaled per market (blinding.ts). */
  readonly blinding?: PriceScale;
  /** A shadow strategy's extra instruction, appended to the entry system prompt. */
  readonly promptNote?: string;
}

export interface CompletionRequest {
  readonly system: string;
  readonly user: string;
  /** Aborts at the deadline or when the caller gives up. */
  readonly signal: AbortSignal;
}

/** One provider answer, already checked to be the documented response shape. */
export interface Completion {
  readonly text: string;
  /** The model that answered, as the provider names it. */
  readonly model?: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /** Why the provider stopped early (`max_tokens`, `refusal`), which explains an unusable answer. */
  readonly stoppedEarly?: string;
}

type Answered =
  | { readonly ok: true; readonly completion: Completion; readonly latencyMs: number; readonly archived?: boolean }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly latencyMs: number;
      /** Cut off by our own deadline while a request was out: the provider had it and may bill what it went on to write. */
      readonly timedOut?: boolean;
    };

function boundRaw(text: string): string {
  if (text.length <= MAX_RAW_CHARS) return text;
  return `${text.slice(0, MAX_RAW_CHARS)}...[${text.length - MAX_RAW_CHARS} more characters]`;
}

/** Settles with `work`, or rejects as soon as `signal` aborts even if `work` would keep waiting (SDK retry sleeps). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * An answer the provider stopped before the model finished it (the token limit, a refusal, a content filter) is no
 * vote, however well its first part parses: what came after (a "wait, I withdraw that" and a HOLD) was cut off.
 */
function unfinished(completion: Completion): { readonly ok: false; readonly reason: string } | undefined {
  if (completion.stoppedEarly === undefined) return undefined;
  return { ok: false, reason: `the provider stopped the answer before it was finished (${completion.stoppedEarly}); an unfinished answer is no vote` };
}

export abstract class AiAnalyst implements Analyst {
  readonly kind = 'ai' as const;
  readonly name: string;
  readonly model: string;
  protected readonly apiKey: string;
  protected readonly timeoutMs: number;
  protected readonly maxRetries: number;
  protected readonly maxOutputTokens: number;
  protected readonly logger: Logger;
  private readonly risk: RiskSettings;
  private readonly minConfidence: number;
  private readonly maxEntryDeviationPct: number | undefined;
  private readonly price: ModelPrice;
  private readonly archive: AnswerArchive | undefined;
  private readonly blinding: PriceScale | undefined;
  private readonly promptNote: string | undefined;
  /**
   * Identity of the entry system prompt (rules and note): answers are shared through the cache only between analysts
   * that ask the same question, e.g. the main account and a shadow that changes nothing the model is told.
   */
  readonly promptKey: string;

  protected constructor(options: AiAnalystOptions, defaultModel: string) {
    this.name = options.name;
    this.model = options.model ?? defaultModel;
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.maxOutputTokens = options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    this.risk = options.risk;
    this.minConfidence = options.minConfidence;
    this.maxEntryDeviationPct = options.maxEntryDeviationPct;
    this.logger = options.logger.child({ module: 'analyst', analyst: options.name, model: this.model });
    this.price = priceFor(this.model, options.prices ?? DEFAULT_PRICES, this.logger);
    this.archive = options.archive;
    this.blinding = options.blinding;
    this.promptNote = options.promptNote;
    const system = entrySystemPrompt(this.entryRules());
    this.promptKey = createHash('sha256').update(this.blinding ? `blind\u0000${system}` : system).digest('hex').slice(0, 12);
  }

  private entryRules(): EntryRules {
    return { risk: this.risk, minConfidence: this.minConfidence, ...(this.promptNote ? { note: this.promptNote } : {}) };
  }

  /** One provider call; throws the SDK's errors, or MalformedResponseError for a body of the wrong shape. */
  protected abstract complete(request: CompletionRequest): Promise<Completion>;
  protected abstract readonly sdkErrors: SdkErrorClasses;

  async assess(snapshot: MarketSnapshot, signal?: AbortSignal): Promise<Vote> {
    const factor = this.blinding?.factorFor(snapshot.symbol, snapshot.price);
    const shown = factor === undefined ? snapshot : blindSnapshot(snapshot, factor);
    const prompt = buildEntryPrompt(shown, this.entryRules(), { blind: factor !== undefined });
    const answered = await this.ask(prompt, signal, factor !== undefined);
    const log = this.logger.child({ symbol: snapshot.symbol });
    if (!answered.ok) {
      log.warn({ reason: answered.reason, latencyMs: answered.latencyMs }, 'analyst gave no answer');
      return this.voteWithout('failed', answered.reason, this.failedUsage(prompt, answered));
    }
    const { completion } = answered;
    const usage = this.usage(prompt, completion, answered);
    const raw = boundRaw(completion.text);
    // Checked against the price the model was shown; a blind answer is in blind units, and so is that price.
    const parsed =
      unfinished(completion) ??
      parseEntryAnswer(completion.text, {
        risk: this.risk,
        price: shown.price,
        maxEntryDeviationPct: this.maxEntryDeviationPct,
        minConfidence: this.minConfidence,
      });
    if (!parsed.ok) {
      const { reason } = parsed;
      log.warn({ reason, latencyMs: usage.latencyMs }, 'analyst answer rejected');
      return { ...this.voteWithout('rejected', reason, usage), raw };
    }
    // Only the fractions below reach the engine, so the risk manager works from the real market price either way;
    // the levels are mapped back for the log, where a reader compares them with the chart.
    const answer = parsed.answer.action !== 'hold' && factor !== undefined ? answerInRealPrices(parsed.answer, factor) : parsed.answer;
    const levels = answer.action === 'hold' ? {} : { entry: answer.entryPrice, stop: answer.stopPrice, takeProfit: answer.takeProfitPrice };
    log.info(
      { action: answer.action, confidence: answer.confidence, ...levels, latencyMs: usage.latencyMs, costUsd: usage.costUsd },
      'analyst voted',
    );
    const common = {
      analyst: this.name,
      outcome: 'valid' as const,
      confidence: answer.confidence,
      reasoning: answer.reasoning,
      keyFactors: answer.keyFactors,
      usage,
      raw,
    };
    if (answer.action === 'hold') return { ...common, action: 'hold', ...(answer.heldBecause === undefined ? {} : { reason: answer.heldBecause }) };
    return {
      ...common,
      action: answer.action,
      leverage: answer.leverage,
      stopLossPct: answer.stopLossPct,
      takeProfitPct: answer.takeProfitPct,
      riskReward: answer.riskReward,
    };
  }

  async exitOpinion(position: Position, snapshot: MarketSnapshot, signal?: AbortSignal): Promise<ExitVote> {
    const factor = this.blinding?.factorFor(snapshot.symbol, snapshot.price);
    const prompt =
      factor === undefined
        ? buildExitPrompt(position, snapshot)
        : buildExitPrompt(blindPosition(position, factor), blindSnapshot(snapshot, factor), { blind: true });
    const answered = await this.ask(prompt, signal, factor !== undefined);
    const log = this.logger.child({ symbol: snapshot.symbol, positionId: position.id });
    const negative = { analyst: this.name, shouldExit: false, confidence: 0 };
    if (!answered.ok) {
      log.warn({ reason: answered.reason, latencyMs: answered.latencyMs }, 'analyst gave no exit opinion');
      const usage = this.failedUsage(prompt, answered);
      return { ...negative, outcome: 'failed', reason: answered.reason, usage };
    }
    const { completion } = answered;
    const usage = this.usage(prompt, completion, answered);
    const raw = boundRaw(completion.text);
    const parsed = unfinished(completion) ?? parseExitAnswer(completion.text);
    if (!parsed.ok) {
      const { reason } = parsed;
      log.warn({ reason }, 'analyst exit opinion rejected');
      return { ...negative, outcome: 'rejected', reason, usage, raw };
    }
    log.info({ shouldExit: parsed.answer.shouldExit, confidence: parsed.answer.confidence }, 'analyst exit opinion');
    return { analyst: this.name, outcome: 'valid', ...parsed.answer, usage, raw };
  }

  /** Blind prompts differ from plain ones (see BLIND_NOTE), so their hashes, and archive keys, differ too. */
  private async ask(prompt: Prompt, signal: AbortSignal | undefined, blind: boolean): Promise<Answered> {
    const key = `${this.name}:${this.model}:${prompt.hash}`;
    const archived = await this.archive?.get(key);
    if (archived) return { ok: true, completion: archived, latencyMs: 0, archived: true };
    const answered = await this.askProvider(prompt, signal);
    if (answered.ok) {
      // The wall-clock time of the answer: archive metadata, never part of a decision.
      const facts = answerFacts(answered.completion.model ?? this.model, blind, new Date());
      await this.archive?.put(key, answered.completion, facts);
    }
    return answered;
  }

  private async askProvider(prompt: Prompt, signal: AbortSignal | undefined): Promise<Answered> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    // One controller for both the deadline and the caller; the caller's listener is removed again in `finally`, so a
    // long-lived shutdown signal passed to every call does not collect listeners.
    const controller = new AbortController();
    let timedOut = false;
    let billable = false;
    // A refusal asking for a longer wait than the deadline leaves: the SDK would sleep through the rest of it.
    let hopeless: Refusal | undefined;
    const watch: CallWatch = {
      inFlight: false,
      onRefusal: (refusal) => {
        if (refusal.retryAfterMs === undefined || elapsed() + refusal.retryAfterMs < this.timeoutMs) return;
        hopeless = refusal;
        controller.abort();
      },
    };
    const timer = setTimeout(() => {
      timedOut = true;
      billable = watch.inFlight;
      controller.abort();
    }, this.timeoutMs);
    const onCallerAbort = (): void => controller.abort();
    if (signal?.aborted) controller.abort();
    else signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const request = { system: prompt.system, user: prompt.user, signal: controller.signal };
      const completion = await untilAborted(watchCall(watch, () => this.complete(request)), controller.signal);
      return { ok: true, completion, latencyMs: elapsed() };
    } catch (error) {
      const refusal = hopeless ?? (timedOut && !billable ? watch.lastRefusal : undefined);
      const reason = refusal
        ? describeRefusal(refusal, this.timeoutMs)
        : timedOut
          ? `timed out after ${this.timeoutMs} ms`
          : signal?.aborted
            ? 'aborted before the provider answered'
            : describeProviderError(error, this.sdkErrors, {
                apiKey: this.apiKey,
                timeoutMs: this.timeoutMs,
                maxRetries: this.maxRetries,
              });
      return { ok: false, reason, latencyMs: elapsed(), ...(billable ? { timedOut: true } : {}) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private usage(prompt: Prompt, completion: Completion, answered: { latencyMs: number; archived?: boolean }): CallUsage {
    const { latencyMs } = answered;
    const estimated = completion.inputTokens === undefined || completion.outputTokens === undefined;
    const inputTokens = completion.inputTokens ?? estimateTokens(prompt.system + prompt.user);
    const outputTokens = completion.outputTokens ?? estimateTokens(completion.text);
    if (estimated) {
      this.logger.warn(
        { inputTokens, outputTokens },
        'the provider reported no token usage; cost is estimated from text length',
      );
    }
    return {
      model: completion.model ?? this.model,
      latencyMs,
      inputTokens,
      outputTokens,
      // An archived answer was paid for in an earlier run; this run made no call.
      costUsd: answered.archived ? 0 : callCostUsd(this.price, inputTokens, outputTokens),
      promptHash: prompt.hash,
      cached: false,
      ...(answered.archived ? { archived: true } : {}),
    };
  }

  /**
   * A call that failed is free, except one our deadline cut off while a request was out: the provider had it and
   * finishes and bills it regardless. Its cost is estimated on the high side (the prompt, and an answer as long as the
   * limit allows), so the spend and its monthly projection do not leave out what a slow provider was paid. A deadline
   * that found the SDK asleep between retries (after a 429 or 529) cut off nothing the provider was writing.
   */
  private failedUsage(prompt: Prompt, answered: { readonly latencyMs: number; readonly timedOut?: boolean }): CallUsage {
    const common = { model: this.model, latencyMs: answered.latencyMs, promptHash: prompt.hash, cached: false };
    if (!answered.timedOut) return { ...common, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    const inputTokens = estimateTokens(prompt.system + prompt.user);
    const outputTokens = this.maxOutputTokens;
    return { ...common, inputTokens, outputTokens, costUsd: callCostUsd(this.price, inputTokens, outputTokens) };
  }

  private voteWithout(outcome: 'rejected' | 'failed', reason: string, usage: CallUsage): Vote {
    return { analyst: this.name, outcome, action: 'hold', confidence: 0, reasoning: '', keyFactors: [], reason, usage };
  }
}
