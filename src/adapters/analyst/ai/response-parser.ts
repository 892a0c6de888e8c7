// Strict validation of a model's answer. A model's text is untrusted input: every field is checked against the
// account's rules and the market price, and any violation rejects the whole answer with a reason that names the
// field and the value. Nothing is rescaled, clamped or guessed.
import { z } from 'zod';
import type { Side } from '../../../domain/market.js';
import type { RiskSettings } from '../../../domain/settings.js';
import { extractJsonObject, NON_JSON_NUMBER_PREFIX } from './json-extraction.js';
import { MIN_RISK_REWARD } from './prompt.js';

/** How far (fraction of the market price) the model's entry may sit from the price it was shown. */
export const DEFAULT_MAX_ENTRY_DEVIATION_PCT = 0.02;
/** Relative slack between stop_loss_pct and the distance its stop price implies: models round prices. */
const STOP_CONSISTENCY_TOLERANCE = 0.05;
/** Relative slack between the stated risk_reward and the one its prices give. */
const RISK_REWARD_CONSISTENCY_TOLERANCE = 0.1;
/** Slack on the minimum risk/reward recomputed from rounded prices. */
const RISK_REWARD_ROUNDING_SLACK = 0.01;
/** The farthest take-profit (fraction of the entry) that is still a plan: a long's target has no bound otherwise. */
export const MAX_TAKE_PROFIT_PCT = 1;

const MAX_REASONING_CHARS = 1_000;
const MAX_KEY_FACTORS = 8;
const MAX_KEY_FACTOR_CHARS = 160;

export interface EntryValidationContext {
  readonly risk: RiskSettings;
  /** The price the model was shown. */
  readonly price: number;
  readonly maxEntryDeviationPct?: number;
  readonly minRiskReward?: number;
  /** The confidence below which the rules tell the model to answer HOLD: a LONG or SHORT under it breaks them. */
  readonly minConfidence?: number;
}

export interface HoldAnswer {
  readonly action: 'hold';
  readonly confidence: number;
  readonly reasoning: string;
  readonly keyFactors: readonly string[];
  /** Set when the model proposed a trade below the confidence bar, which the rules make a HOLD: what it said. */
  readonly heldBecause?: string;
}

export interface TradeAnswer {
  readonly action: Side;
  readonly confidence: number;
  readonly leverage: number;
  readonly stopLossPct: number;
  readonly entryPrice: number;
  readonly stopPrice: number;
  readonly takeProfitPrice: number;
  /** Distance from entry to take-profit as a fraction of entry. */
  readonly takeProfitPct: number;
  /** What the placed trade has: from the prices, or from takeProfitPct over stopLossPct when that is lower. */
  readonly riskReward: number;
  readonly reasoning: string;
  readonly keyFactors: readonly string[];
}

export type EntryAnswer = HoldAnswer | TradeAnswer;

export interface ExitAnswer {
  readonly shouldExit: boolean;
  readonly confidence: number;
  readonly reason: string;
}

export type ParseResult<T> = { readonly ok: true; readonly answer: T } | { readonly ok: false; readonly reason: string };

const baseSchema = z.object({
  action: z.enum(['LONG', 'SHORT', 'HOLD']),
  confidence: z.number(),
  reasoning: z.string(),
});

const tradeSchema = z.object({
  leverage: z.number(),
  stop_loss_pct: z.number(),
  entry_price: z.number(),
  stop_loss_price: z.number(),
  take_profit_price: z.number(),
  risk_reward: z.number(),
  key_factors: z.array(z.string()).optional(),
});

const exitSchema = z.object({
  should_exit: z.boolean(),
  confidence: z.number(),
  reason: z.string(),
});

const EXPECTATIONS: Readonly<Record<string, string>> = {
  action: 'one of "LONG", "SHORT", "HOLD"',
  reasoning: 'a string',
  reason: 'a string',
  key_factors: 'a list of strings',
  should_exit: 'true or false',
};

/** A value as the model wrote it, for a reason string. */
function show(value: unknown): string {
  if (typeof value === 'string' && value.startsWith(NON_JSON_NUMBER_PREFIX)) {
    return value.slice(NON_JSON_NUMBER_PREFIX.length);
  }
  if (typeof value === 'number') return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeIssue(input: Record<string, unknown>, path: readonly PropertyKey[]): string {
  const [field, index] = path;
  const name = String(field);
  const value = input[name];
  if (value === undefined) return `${name} is missing`;
  if (name === 'key_factors' && typeof index === 'number' && Array.isArray(value)) {
    return `key_factors[${index}] must be a string, got ${show(value[index])}`;
  }
  return `${name} must be ${EXPECTATIONS[name] ?? 'a finite number'}, got ${show(value)}`;
}

function typed<T>(schema: z.ZodType<T>, input: Record<string, unknown>): ParseResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, answer: result.data };
  const issue = result.error.issues[0];
  return { ok: false, reason: issue ? describeIssue(input, issue.path) : 'the answer does not match the format' };
}

function confidenceProblem(confidence: number): string | undefined {
  return confidence < 0 || confidence > 1 ? `confidence ${confidence} is outside 0..1` : undefined;
}

function boundedText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function keyFactorsOf(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return [];
  return value.slice(0, MAX_KEY_FACTORS).map((item: string) => boundedText(item, MAX_KEY_FACTOR_CHARS));
}

function leverageProblem(leverage: number, maxLeverage: number): string | undefined {
  if (!Number.isInteger(leverage)) return `leverage ${leverage} is not a whole number`;
  if (leverage < 1) return `leverage ${leverage} is below the minimum 1`;
  if (leverage > maxLeverage) return `leverage ${leverage} exceeds the maximum ${maxLeverage}`;
  return undefined;
}

function stopPctProblem(stopLossPct: number, risk: RiskSettings): string | undefined {
  if (stopLossPct > 1) {
    return `stop_loss_pct ${stopLossPct} looks like a percentage; a fraction such as 0.06 is expected`;
  }
  if (stopLossPct < risk.minStopLossPct) return `stop_loss_pct ${stopLossPct} is below the minimum ${risk.minStopLossPct}`;
  if (stopLossPct > risk.maxStopLossPct) return `stop_loss_pct ${stopLossPct} exceeds the maximum ${risk.maxStopLossPct}`;
  return undefined;
}

type TradeFields = z.infer<typeof tradeSchema>;

function priceProblem(side: Side, fields: TradeFields, context: EntryValidationContext): string | undefined {
  const { entry_price: entry, stop_loss_price: stop, take_profit_price: takeProfit } = fields;
  for (const [name, value] of [
    ['entry_price', entry],
    ['stop_loss_price', stop],
    ['take_profit_price', takeProfit],
  ] as const) {
    if (value <= 0) return `${name} ${value} is not a positive price`;
  }
  const label = side === 'long' ? 'LONG' : 'SHORT';
  const [stopOk, takeProfitOk] = side === 'long' ? [stop < entry, takeProfit > entry] : [stop > entry, takeProfit < entry];
  const [stopSide, takeProfitSide] = side === 'long' ? ['below', 'above'] : ['above', 'below'];
  if (!stopOk) return `stop_loss_price ${stop} is not ${stopSide} entry_price ${entry} for a ${label}`;
  if (!takeProfitOk) return `take_profit_price ${takeProfit} is not ${takeProfitSide} entry_price ${entry} for a ${label}`;
  if (Math.abs(takeProfit - entry) / entry > MAX_TAKE_PROFIT_PCT) {
    return `take_profit_price ${takeProfit} is more than ${MAX_TAKE_PROFIT_PCT * 100}% from entry_price ${entry}`;
  }
  const maxDeviation = context.maxEntryDeviationPct ?? DEFAULT_MAX_ENTRY_DEVIATION_PCT;
  const deviation = Math.abs(entry - context.price) / context.price;
  if (deviation > maxDeviation) {
    const [actual, allowed] = [deviation, maxDeviation].map((value) => `${(value * 100).toFixed(2)}%`);
    return `entry_price ${entry} is ${actual} from the market price ${context.price} (at most ${allowed})`;
  }
  const impliedStopPct = Math.abs(entry - stop) / entry;
  if (Math.abs(impliedStopPct - fields.stop_loss_pct) > fields.stop_loss_pct * STOP_CONSISTENCY_TOLERANCE) {
    const implied = `${(impliedStopPct * 100).toFixed(2)}%`;
    return `stop_loss_price ${stop} is ${implied} from entry, which does not match stop_loss_pct ${fields.stop_loss_pct}`;
  }
  return undefined;
}

function riskRewardProblem(fields: TradeFields, implied: number, placed: number, minimum: number): string | undefined {
  const stated = fields.risk_reward;
  if (stated < minimum) return `risk_reward ${stated} is below the minimum ${minimum}`;
  if (Math.abs(stated - implied) > implied * RISK_REWARD_CONSISTENCY_TOLERANCE) {
    return `risk_reward ${stated} does not match the prices, which give ${implied.toFixed(2)}`;
  }
  if (placed < minimum - RISK_REWARD_ROUNDING_SLACK) {
    return placed < implied
      ? `the target over stop_loss_pct ${fields.stop_loss_pct} gives a risk/reward of ${placed.toFixed(2)}, below the minimum ${minimum}`
      : `the prices give a risk/reward of ${implied.toFixed(2)}, below the minimum ${minimum}`;
  }
  return undefined;
}

function parseTrade(
  side: Side,
  base: z.infer<typeof baseSchema>,
  input: Record<string, unknown>,
  context: EntryValidationContext,
): ParseResult<TradeAnswer> {
  const parsed = typed(tradeSchema, input);
  if (!parsed.ok) return parsed;
  const fields = parsed.answer;
  const problem =
    leverageProblem(fields.leverage, context.risk.maxLeverage) ??
    stopPctProblem(fields.stop_loss_pct, context.risk) ??
    priceProblem(side, fields, context);
  if (problem) return { ok: false, reason: problem };
  const entry = fields.entry_price;
  const reward = Math.abs(fields.take_profit_price - entry);
  const takeProfitPct = reward / entry;
  const implied = reward / Math.abs(entry - fields.stop_loss_price);
  // The trade is placed from stop_loss_pct, not from the stop price, and the slack between them may widen the stop:
  // the risk/reward that counts is the one the placed trade has when that is the lower.
  const riskReward = Math.min(implied, takeProfitPct / fields.stop_loss_pct);
  const rrProblem = riskRewardProblem(fields, implied, riskReward, context.minRiskReward ?? MIN_RISK_REWARD);
  if (rrProblem) return { ok: false, reason: rrProblem };
  return {
    ok: true,
    answer: {
      action: side,
      confidence: base.confidence,
      leverage: fields.leverage,
      stopLossPct: fields.stop_loss_pct,
      entryPrice: entry,
      stopPrice: fields.stop_loss_price,
      takeProfitPrice: fields.take_profit_price,
      takeProfitPct,
      riskReward,
      reasoning: boundedText(base.reasoning, MAX_REASONING_CHARS),
      keyFactors: keyFactorsOf(fields.key_factors),
    },
  };
}

/** The entry answer, validated; HOLD needs only action, confidence and reasoning. */
export function parseEntryAnswer(text: string, context: EntryValidationContext): ParseResult<EntryAnswer> {
  const extraction = extractJsonObject(text);
  if (!extraction.ok) return extraction;
  const input = extraction.value;
  const base = typed(baseSchema, input);
  if (!base.ok) return base;
  const confidence = confidenceProblem(base.answer.confidence);
  if (confidence) return { ok: false, reason: confidence };
  if (base.answer.action === 'HOLD') {
    return {
      ok: true,
      answer: {
        action: 'hold',
        confidence: base.answer.confidence,
        reasoning: boundedText(base.answer.reasoning, MAX_REASONING_CHARS),
        keyFactors: keyFactorsOf(input.key_factors),
      },
    };
  }
  const trade = parseTrade(base.answer.action === 'LONG' ? 'long' : 'short', base.answer, input, context);
  if (!trade.ok || context.minConfidence === undefined || trade.answer.confidence >= context.minConfidence) return trade;
  // A well-formed trade below the bar is the HOLD the rules ask for, said another way: the model answers, and its
  // answer counts as a voice (for the analyst's health and the panel's quorum), just not for a trade.
  const { reasoning, keyFactors } = trade.answer;
  const stated = trade.answer.confidence;
  const heldBecause = `${base.answer.action} at confidence ${stated}, below the ${context.minConfidence} the rules ask of a trade: counted as HOLD`;
  return { ok: true, answer: { action: 'hold', confidence: stated, reasoning, keyFactors, heldBecause } };
}

export function parseExitAnswer(text: string): ParseResult<ExitAnswer> {
  const extraction = extractJsonObject(text);
  if (!extraction.ok) return extraction;
  const parsed = typed(exitSchema, extraction.value);
  if (!parsed.ok) return parsed;
  const confidence = confidenceProblem(parsed.answer.confidence);
  if (confidence) return { ok: false, reason: confidence };
  return {
    ok: true,
    answer: {
      shouldExit: parsed.answer.should_exit,
      confidence: parsed.answer.confidence,
      reason: boundedText(parsed.answer.reason, MAX_REASONING_CHARS),
    },
  };
}
