// Property: no exit decision closes a position whose net P&L is between $0 and MIN_PROFIT_USD, unless the reason is
// the stop or the liquidation guard — over random positions, prices, AI opinions and the configurable exit settings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExitVote } from '../../../src/domain/analysis.js';
import { evaluateExit, valuePosition } from '../../../src/domain/exit-rules.js';
import type { Side } from '../../../src/domain/market.js';
import { liquidationPrice, stopPriceFor } from '../../../src/domain/money.js';
import { DEFAULT_EXIT, type ExitSettings } from '../../../src/domain/settings.js';
import type { Position } from '../../../src/domain/trading.js';

const RUNS = 10_000;
const ALLOWED_IN_BAND = new Set(['stop_loss', 'liquidation_risk']);
/** The exit rules compare money with a tolerance of a billionth of a dollar; the band is read with the same. */
const CENT_FRACTION = 1e-9;
const OPENED = Date.UTC(2025, 9, 1);

const fraction = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const scenario = fc.record({
  side: fc.constantFrom<Side>('long', 'short'),
  entryPrice: fraction(0.01, 200_000),
  notional: fraction(5, 5_000_000),
  leverage: fc.integer({ min: 1, max: 5 }),
  stopLossPct: fraction(0.01, 0.2),
  feeRate: fraction(0, 0.01),
  slippageBps: fraction(0, 200),
  funding: fraction(-50, 50),
  /** Price now, relative to entry; and the mark a little off it. */
  move: fraction(-0.3, 0.3),
  markOffset: fraction(-0.01, 0.01),
  bestMove: fraction(0, 0.3),
  heldHours: fraction(0, 1_000),
  settings: fc.record({
    minProfitUsd: fc.oneof(fc.constant(0), fc.constant(2.5), fraction(0, 1_000)),
    aiExitMinConfidence: fraction(0.5, 1),
    trailingStopPct: fc.option(fraction(0.005, 0.2), { nil: undefined }),
    maxHoldingHours: fc.option(fraction(1, 720), { nil: undefined }),
  }),
  /** Mostly an AI opinion that wants out: the discretionary exit the band exists to hold back. */
  vote: fc.option(
    fc.record({
      shouldExit: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
      confidence: fraction(0.5, 1),
    }),
    { nil: undefined },
  ),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function positionOf(s: Scenario): Position {
  const quantity = s.notional / s.entryPrice;
  const margin = s.notional / s.leverage;
  const sign = s.side === 'long' ? 1 : -1;
  return {
    id: '1',
    symbol: 'ETH/USDT:USDT',
    side: s.side,
    status: 'open',
    leverage: s.leverage,
    quantity,
    entryPrice: s.entryPrice,
    margin,
    stopPrice: stopPriceFor(s.side, s.entryPrice, s.stopLossPct),
    stopLossPct: s.stopLossPct,
    liquidationPrice: liquidationPrice({ side: s.side, entryPrice: s.entryPrice, quantity, margin, maintenanceMarginRate: 0.005, maintenanceAmount: 0 }),
    entryFee: s.notional * s.feeRate,
    funding: s.funding,
    openedAt: new Date(OPENED),
    bestPrice: s.entryPrice * (1 + sign * s.bestMove),
    rationale: { confidence: 0.8, opportunityScore: 85, agreeing: ['a', 'b'], dissenting: [] },
  };
}

describe('exit rules (property)', () => {
  it('never closes a position netting between $0 and MIN_PROFIT_USD, except at the stop or the liquidation guard', () => {
    let inBand = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const position = positionOf(s);
        const costs = { takerFeeRate: s.feeRate, slippageBps: s.slippageBps };
        const settings: ExitSettings = {
          ...DEFAULT_EXIT,
          minProfitUsd: s.settings.minProfitUsd,
          aiExitMinConfidence: s.settings.aiExitMinConfidence,
          trailingStopPct: s.settings.trailingStopPct,
          maxHoldingMs: s.settings.maxHoldingHours === undefined ? undefined : s.settings.maxHoldingHours * 3_600_000,
        };
        const price = s.entryPrice * (1 + s.move);
        const mark = { price, markPrice: price * (1 + s.markOffset), now: new Date(OPENED + s.heldHours * 3_600_000) };
        const vote: ExitVote | undefined =
          s.vote === undefined
            ? undefined
            : { analyst: 'claude', outcome: 'valid', shouldExit: s.vote.shouldExit, confidence: s.vote.confidence, reason: 'test', usage: { model: 'm', latencyMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, promptHash: '', cached: false } };

        const decision = evaluateExit(position, mark, vote, settings, costs);

        const { netPnl } = valuePosition(position, price, costs);
        const protectedBand = netPnl >= 0 && netPnl < settings.minProfitUsd - CENT_FRACTION;
        if (!protectedBand) return;
        inBand += 1;
        if (decision.action === 'close') expect(ALLOWED_IN_BAND).toContain(decision.reason);
      }),
      { numRuns: RUNS },
    );
    // Enough positions landed in the band for the property to say something.
    expect(inBand).toBeGreaterThan(RUNS / 50);
  });
});
