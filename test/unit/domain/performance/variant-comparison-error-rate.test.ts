// The promise behind "better": a variant no better than the main account is called better at most 5% of the time,
// however often the owner looks and however its trades bunch by day. Checked by simulating many histories of two
// accounts drawn from one distribution and asking at every checkpoint and halfway between.
import { describe, expect, it } from 'vitest';
import { compareVariant, DEFAULT_COMPARISON_RULE, type ComparisonRule, type DatedReturn, type Verdict } from '../../../../src/domain/performance/variant-comparison.js';
import { seededRandom } from '../../../../src/domain/seeded-random.js';

/**
 * The daemon's checkpoints and error rate with fewer resamples, for speed: 199 puts the 1% tail on the 2nd of 199, an
 * exact rank, and gave the same rates as 1,999 in a trial run.
 */
const RULE: ComparisonRule = { ...DEFAULT_COMPARISON_RULE, resamples: 199 };
const LAST = DEFAULT_COMPARISON_RULE.checkpoints.at(-1) ?? 0;
/** The owner's looks: each checkpoint and halfway to the next (between them the verdict must not move anyway). */
const LOOKS = [20, 30, 40, 60, 80, 120, 160, 240, 320];

interface Market {
  /** Trades closed per UTC day. */
  readonly perDay: number;
  /** Correlation of two trades of one day (one shared day effect). */
  readonly sameDay: number;
  /** Spread of a trade's return. */
  readonly spread: number;
}

/** Standard normal draws from the seeded generator (Box-Muller). */
function normals(seed: number): () => number {
  const random = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function history(normal: () => number, market: Market, meanReturn: number): DatedReturn[] {
  let dayEffect = 0;
  return Array.from({ length: LAST }, (_, i) => {
    if (i % market.perDay === 0) dayEffect = normal();
    const shock = Math.sqrt(market.sameDay) * dayEffect + Math.sqrt(1 - market.sameDay) * normal();
    return { closedAt: new Date(Date.UTC(2026, 0, 1 + Math.floor(i / market.perDay), 2 * (i % market.perDay))), value: meanReturn + market.spread * shock };
  });
}

/** Of `histories` simulated pairs, the share ever called better and ever called worse at any of the owner's looks. */
function everCalled(market: Market, variantEdge: number, histories: number): Record<Exclude<Verdict, 'not enough evidence'>, number> {
  const normal = normals(4_242);
  const ever = { better: 0, worse: 0 };
  for (let h = 0; h < histories; h++) {
    const main = history(normal, market, 0.002);
    const variant = history(normal, market, 0.002 + variantEdge);
    const verdicts = new Set(LOOKS.map((count) => compareVariant(main.slice(0, count), variant.slice(0, count), { ...RULE, seed: h }).verdict));
    if (verdicts.has('better')) ever.better += 1;
    if (verdicts.has('worse')) ever.worse += 1;
  }
  return { better: ever.better / histories, worse: ever.worse / histories };
}

/**
 * A market whose drift, shared by both accounts, changes every ten days (a normal draw of `driftSpread` per stretch),
 * and one account trading `perDay` a day on it for `days` days, each trade the drift plus its own noise.
 */
function drifting(normal: () => number, drifts: readonly number[], perDay: number, days: number): DatedReturn[] {
  return Array.from({ length: perDay * days }, (_, i) => {
    const day = Math.floor(i / perDay);
    return { closedAt: new Date(Date.UTC(2026, 0, 1 + day, (24 / perDay) * (i % perDay))), value: 0.002 + (drifts[Math.floor(day / 10)] ?? 0) + 0.02 * normal() };
  });
}

/**
 * As `everCalled`, for a main account trading four a day and a variant one a day, both on the same drifting market with
 * the same edge: the owner looks when the variant has closed each of the looks' counts, and sees what each side closed
 * by then.
 */
function everCalledUnequalRates(driftSpread: number, histories: number): Record<Exclude<Verdict, 'not enough evidence'>, number> {
  const normal = normals(4_242);
  const ever = { better: 0, worse: 0 };
  for (let h = 0; h < histories; h++) {
    const drifts = Array.from({ length: Math.ceil(LAST / 10) }, () => driftSpread * normal());
    const main = drifting(normal, drifts, 4, LAST);
    const variant = drifting(normal, drifts, 1, LAST);
    const verdicts = new Set(
      LOOKS.map((count) => {
        const at = variant[count - 1]?.closedAt.getTime() ?? 0;
        return compareVariant(main.filter(({ closedAt }) => closedAt.getTime() <= at), variant.slice(0, count), { ...RULE, seed: h }).verdict;
      }),
    );
    if (verdicts.has('better')) ever.better += 1;
    if (verdicts.has('worse')) ever.worse += 1;
  }
  return { better: ever.better / histories, worse: ever.worse / histories };
}

/**
 * 1,000 histories put the Monte Carlo error of a 5% rate at about 0.7 points, so 6% is the promise plus about 1.5 of
 * those: a rule that keeps its 5% passes (these runs give about 4%), and one that does not (each look at 95% with
 * trades resampled one by one gives well over 10%) fails.
 */
const HISTORIES = 1_000;
const TOLERANCE = 0.06;

describe('the error rate of the shadow verdict', () => {
  it('when both accounts trade one strategy, three independent trades a day, then neither is ever called better or worse more than 5% of the time over all looks', () => {
    const ever = everCalled({ perDay: 3, sameDay: 0, spread: 0.02 }, 0, HISTORIES);
    expect(ever.better).toBeLessThanOrEqual(TOLERANCE);
    expect(ever.worse).toBeLessThanOrEqual(TOLERANCE);
  });

  it('when the trades of a day move together (three a day, correlation 0.8), then the same holds', () => {
    const ever = everCalled({ perDay: 3, sameDay: 0.8, spread: 0.02 }, 0, HISTORIES);
    expect(ever.better).toBeLessThanOrEqual(TOLERANCE);
    expect(ever.worse).toBeLessThanOrEqual(TOLERANCE);
  });

  it('when the variant trades a quarter as often as the main account on a market whose drift changes every ten days, then the same holds', () => {
    // Judged on the first trades of each, the variant's covered four times the main account's stretch of the market,
    // and the drift between them was called a difference: about 10% ever better and 12% ever worse. Half the histories,
    // for time (a variant's 320 trades here span 320 days): a Monte Carlo error of about one point, and these runs give
    // 2% to 4%.
    const ever = everCalledUnequalRates(0.005, HISTORIES / 2);
    expect(ever.better).toBeLessThanOrEqual(TOLERANCE);
    expect(ever.worse).toBeLessThanOrEqual(TOLERANCE);
  });

  it('when the variant earns half a spread more per trade, on correlated days, then it is found better by the last checkpoint and never worse', () => {
    const ever = everCalled({ perDay: 3, sameDay: 0.8, spread: 0.02 }, 0.01, 200);
    expect(ever.better).toBeGreaterThanOrEqual(0.85);
    expect(ever.worse).toBe(0);
  });
});
