// What the three rule-based analysts share: turning the weighed evidence into a Vote (side, confidence, leverage,
// stop, target, reasons) and into an exit opinion. Synchronous and allocation-light: the replay calls it every step.
import type { CallUsage, ExitVote, MarketSnapshot, Vote } from '../../../domain/analysis.js';
import type { Side } from '../../../domain/market.js';
import { oppositeSide } from '../../../domain/money.js';
import type { RiskSettings } from '../../../domain/settings.js';
import type { Position } from '../../../domain/trading.js';
import type { Analyst } from '../../../ports/analyst.js';
import { confidenceOf } from './evidence.js';
import type { SideCase } from './evidence.js';
import { planRisk } from './risk-plan.js';

/** Below this a setup is too thin to put forward; the analyst holds instead of voting for a weak trade. */
export const MIN_VOTE_CONFIDENCE = 0.65;
/** The analyst asks to leave a position when its rules would open the opposite side with at least this much. */
export const EXIT_CONFIDENCE = 0.6;

export abstract class TechnicalAnalyst implements Analyst {
  readonly kind = 'technical' as const;
  abstract readonly name: string;
  /** One phrase for reasoning lines, e.g. `trend-following`. */
  protected abstract readonly style: string;
  /** Target distance as a multiple of the stop distance (>= 1.5). */
  protected abstract readonly riskReward: number;

  /**
   * The last vote per symbol with the closed 15m candle it judged. The rules read closed candles only, so until the
   * next close a scan would get the same answer: it gets this one, marked as a repeat (`usage.cached`), which is
   * what keeps it out of the decisions table and the track record a second time. Bounded by the symbols traded.
   */
  private readonly lastVotes = new Map<string, { readonly candle: number; readonly vote: Vote }>();

  constructor(protected readonly risk: RiskSettings) {}

  /** The rules: whether `side` is set up in `snapshot`, and the weighted evidence for it. */
  abstract evaluate(snapshot: MarketSnapshot, side: Side): SideCase;

  async assess(snapshot: MarketSnapshot): Promise<Vote> {
    const last = this.lastVotes.get(snapshot.symbol);
    if (last && last.candle === snapshot.lastClosedCandle) return { ...last.vote, usage: { ...last.vote.usage, cached: true } };
    const vote = this.vote(snapshot);
    this.lastVotes.set(snapshot.symbol, { candle: snapshot.lastClosedCandle, vote });
    return vote;
  }

  async exitOpinion(position: Position, snapshot: MarketSnapshot): Promise<ExitVote> {
    return this.exitVote(position, snapshot);
  }

  /** Synchronous `assess`, for callers that step through history. */
  vote(snapshot: MarketSnapshot): Vote {
    const hourlyAtrPct = snapshot.timeframes['1h'].indicators.atrPct;
    if (hourlyAtrPct === undefined) {
      return this.hold(0, 'Not enough 1h history to size a stop (ATR unknown).', []);
    }
    const long = this.evaluate(snapshot, 'long');
    const short = this.evaluate(snapshot, 'short');
    const longConfidence = confidenceOf(long);
    const shortConfidence = confidenceOf(short);
    const side: Side = longConfidence >= shortConfidence ? 'long' : 'short';
    const chosen = side === 'long' ? long : short;
    const confidence = Math.max(longConfidence, shortConfidence);

    if (!chosen.applies || confidence < MIN_VOTE_CONFIDENCE) {
      const why = !long.applies && !short.applies
        ? blockers(long, short)
        : `best case ${side} at ${confidence.toFixed(2)} is below ${MIN_VOTE_CONFIDENCE}`;
      return this.hold(confidence, `No ${this.style} trade: ${why}.`, metLabels(chosen));
    }

    const plan = planRisk(hourlyAtrPct, this.riskReward, this.risk);
    const met = metLabels(chosen);
    const penalties = chosen.penalties.map((penalty) => penalty.label);
    const against = penalties.length > 0 ? `; against it: ${penalties.join(', ')}` : '';
    return {
      analyst: this.name,
      outcome: 'valid',
      action: side,
      confidence,
      leverage: plan.leverage,
      stopLossPct: plan.stopLossPct,
      takeProfitPct: plan.takeProfitPct,
      riskReward: plan.riskReward,
      reasoning:
        `${capitalise(side)} (${this.style}, confidence ${confidence.toFixed(2)}): ${met.join(', ')}${against}. ` +
        `Stop ${percentText(plan.stopLossPct)} from 1h ATR ${percentText(hourlyAtrPct)}, ` +
        `target ${percentText(plan.takeProfitPct)}, ${plan.leverage}x.`,
      keyFactors: [...met, ...penalties],
      usage: this.usage(),
    };
  }

  /** Synchronous `exitOpinion`. */
  exitVote(position: Position, snapshot: MarketSnapshot): ExitVote {
    const reverse = oppositeSide(position.side);
    const reverseCase = this.evaluate(snapshot, reverse);
    const confidence = confidenceOf(reverseCase);
    const shouldExit = reverseCase.applies && confidence >= EXIT_CONFIDENCE;
    const reason = shouldExit
      ? `The ${this.style} view has turned ${reverse} (${confidence.toFixed(2)}): ${metLabels(reverseCase).join(', ')}.`
      : `No firm ${this.style} case against the ${position.side} (${reverse} at ${confidence.toFixed(2)}, ` +
        `exit needs ${EXIT_CONFIDENCE}).`;
    return {
      analyst: this.name,
      outcome: 'valid',
      shouldExit,
      confidence: shouldExit ? confidence : round3(1 - confidence),
      reason,
      usage: this.usage(),
    };
  }

  /** A hold's confidence is how sure the analyst is that there is no trade: 1 minus the best side's score. */
  private hold(bestConfidence: number, reasoning: string, keyFactors: readonly string[]): Vote {
    return {
      analyst: this.name,
      outcome: 'valid',
      action: 'hold',
      confidence: round3(1 - bestConfidence),
      reasoning,
      keyFactors,
      usage: this.usage(),
    };
  }

  private usage(): CallUsage {
    return {
      model: `rules:${this.name}`,
      latencyMs: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      promptHash: '',
      cached: false,
    };
  }
}

function blockers(long: SideCase, short: SideCase): string {
  const forLong = long.blocker ?? 'no long setup';
  const forShort = short.blocker ?? 'no short setup';
  return forLong === forShort ? forLong : `for a long, ${forLong}; for a short, ${forShort}`;
}

function metLabels(sideCase: SideCase): string[] {
  return sideCase.factors.filter((f) => f.met).map((f) => f.label);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function percentText(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
