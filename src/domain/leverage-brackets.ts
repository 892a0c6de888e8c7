// Which maintenance margin applies to a position: the venue's leverage bracket for its size. Larger positions fall
// into brackets with a higher maintenance rate, which puts liquidation closer; a liquidation price computed with the
// first bracket's rate for a large position would sit too far away, and the risk manager would approve it wrongly.
import type { LeverageBracket, MarketSpec } from './market.js';

/**
 * Where the first bracket ends when the venue's table is not known (paper without keys, a replay without a brackets
 * file): the smallest first-bracket cap among Binance USDⓈ-M's tables we know, so an unknown market is never assumed
 * to be deeper than a thin one.
 */
export const UNKNOWN_FIRST_BRACKET_CAP = 5_000;

export interface Maintenance {
  readonly maintenanceMarginRate: number;
  readonly maintenanceAmount: number;
}

/**
 * Brackets from rows of (notional floor, maintenance rate), as the venues publish them. The maintenance amount of each
 * is derived so that the maintenance margin is continuous at every floor: cum_i = cum_(i-1) + floor_i × (rate_i − rate_(i-1)).
 */
export function bracketsFromRates(rows: readonly (readonly [number, number])[], maxLeverages: readonly (number | undefined)[] = []): LeverageBracket[] {
  const sorted = [...rows].sort((a, b) => a[0] - b[0]);
  const brackets: LeverageBracket[] = [];
  let cum = 0;
  sorted.forEach(([floor, rate], index) => {
    const previous = sorted[index - 1];
    if (previous !== undefined) cum += floor * (rate - previous[1]);
    const next = sorted[index + 1];
    const maxLeverage = maxLeverages[index];
    brackets.push({
      notionalFloor: floor,
      notionalCap: next === undefined ? Number.POSITIVE_INFINITY : next[0],
      maintenanceMarginRate: rate,
      maintenanceAmount: cum,
      ...(maxLeverage === undefined ? {} : { maxLeverage }),
    });
  });
  return brackets;
}

/**
 * The maintenance terms for a position of `notional` USDT; undefined when they are not known for that size: above the
 * last bracket of the table, or, without a table, above the first bracket (UNKNOWN_FIRST_BRACKET_CAP), where the only
 * rate we have would place liquidation too far away.
 */
export function maintenanceAt(market: MarketSpec, notional: number): Maintenance | undefined {
  const brackets = market.brackets;
  if (brackets === undefined || brackets.length === 0) {
    return notional < UNKNOWN_FIRST_BRACKET_CAP ? { maintenanceMarginRate: market.maintenanceMarginRate, maintenanceAmount: market.maintenanceAmount } : undefined;
  }
  const bracket = brackets.find((candidate) => notional >= candidate.notionalFloor && notional < candidate.notionalCap);
  return bracket && { maintenanceMarginRate: bracket.maintenanceMarginRate, maintenanceAmount: bracket.maintenanceAmount };
}

/**
 * The largest notional a position at `leverage` may reach and still have known maintenance terms: the end of the
 * known table, or sooner, the floor of the first bracket that does not allow this leverage (the venue would refuse
 * the order there). The reason an entry is sized down, or refused when not even the minimum fits.
 */
export function largestKnownNotional(market: MarketSpec, leverage: number): number {
  const brackets = market.brackets;
  if (brackets === undefined || brackets.length === 0) return UNKNOWN_FIRST_BRACKET_CAP;
  const refusing = brackets.find((bracket) => bracket.maxLeverage !== undefined && bracket.maxLeverage < leverage);
  if (refusing !== undefined) return refusing.notionalFloor;
  return brackets[brackets.length - 1]?.notionalCap ?? UNKNOWN_FIRST_BRACKET_CAP;
}

/**
 * The maintenance terms to estimate a liquidation price for a position that exists whatever the table says (an
 * adopted one, a fill beyond the known brackets): the bracket for its size, else the highest known one, which
 * places liquidation nearer than the first bracket would. Never used to approve an entry.
 */
export function maintenanceEstimate(market: MarketSpec, notional: number): Maintenance {
  const known = maintenanceAt(market, notional);
  if (known !== undefined) return known;
  const last = market.brackets?.[market.brackets.length - 1];
  return last === undefined
    ? { maintenanceMarginRate: market.maintenanceMarginRate, maintenanceAmount: market.maintenanceAmount }
    : { maintenanceMarginRate: last.maintenanceMarginRate, maintenanceAmount: last.maintenanceAmount };
}
