// What a backtest with real AI providers may cost, said before any call is made. The figure is an upper bound: the
// per-candle cache, the cascade and the answer archive all make the real bill smaller.
import { callCostUsd, DEFAULT_PRICES, priceFor, type AiAnalyst } from '../adapters/analyst/ai/index.js';
import type { Logger } from '../ports/logger.js';

/** Measured sizes of our prompts and answers (entry prompt with 60 candles: 1.3-1.8k tokens; answers ~250). */
export const TYPICAL_INPUT_TOKENS = 1_800;
export const TYPICAL_OUTPUT_TOKENS = 250;
const FIFTEEN_MINUTES = 15 * 60_000;
const EXIT_INTERVAL = 5 * 60_000;

export interface CostEstimate {
  readonly entryCallsPerAnalyst: number;
  readonly exitCallsAtMost: number;
  readonly costUsdAtMost: number;
  readonly lines: readonly string[];
}

export function estimateBacktestCost(
  analysts: readonly AiAnalyst[],
  exitAnalysts: readonly AiAnalyst[],
  symbols: number,
  durationMs: number,
  logger: Logger,
  options: { readonly blind?: boolean; readonly maxOpenPositions?: number } = {},
): CostEstimate {
  // One question per closed 15m candle per symbol per analyst at most (the cache serves the other scans).
  const entryCalls = Math.ceil(durationMs / FIFTEEN_MINUTES) * symbols;
  // Exit opinions every 5 minutes for each open position: at most the whole period, for as many as may be open.
  const exitCalls = Math.ceil(durationMs / EXIT_INTERVAL) * (options.maxOpenPositions ?? 1);
  const perCall = (analyst: AiAnalyst) => callCostUsd(priceFor(analyst.model, DEFAULT_PRICES, logger), TYPICAL_INPUT_TOKENS, TYPICAL_OUTPUT_TOKENS);
  const entryCost = analysts.reduce((total, analyst) => total + entryCalls * perCall(analyst), 0);
  const exitCost = exitAnalysts.reduce((total, analyst) => total + exitCalls * perCall(analyst), 0);
  const usd = (amount: number) => `$${amount.toFixed(2)}`;
  return {
    entryCallsPerAnalyst: entryCalls,
    exitCallsAtMost: exitCalls * exitAnalysts.length,
    costUsdAtMost: entryCost + exitCost,
    lines: [
      `At most ${entryCalls.toLocaleString('en-US')} entry questions per analyst (${analysts.map((a) => `${a.name}: ${usd(entryCalls * perCall(a))}`).join(', ')})`,
      `and at most ${(exitCalls * exitAnalysts.length).toLocaleString('en-US')} exit opinions (${usd(exitCost)}),`,
      `so at most ${usd(entryCost + exitCost)} at list prices (~${TYPICAL_INPUT_TOKENS} input and ${TYPICAL_OUTPUT_TOKENS} output tokens per call).`,
      'The cascade and the per-candle cache make far fewer calls; answers already in the archive cost nothing.',
      ...(options.blind
        ? ['Blind prompts are about as long as plain ones but are archived apart: a blind run pays again for a window a plain run already asked.']
        : []),
    ],
  };
}
