// Every entry passes here. Pure: given a proposal, the account and the contract, it either returns a complete,
// exchange-ready plan or the reasons a trader would want to read for refusing it. Every limit is checked for the
// whole range of prices the entry can fill at (its immediate-or-cancel limit caps the slippage), after tick and lot
// rounding, because the stop, the margin and the loss are measured from the real fill.
import {
  entryQuantity,
  fillRange,
  moveForNetProfit,
  type FillRange,
  type SizingInput,
  worstLiquidationDistance,
  worstLiquidationDistanceAtAnySize,
} from './entry-sizing.js';
import { largestKnownNotional, maintenanceEstimate } from './leverage-brackets.js';
import type { MarketSpec, Side } from './market.js';
import { adverseDistance, liquidationPrice, lossAtStopShare, roundToStep, takeProfitPriceFor, usd } from './money.js';
import { exposureProblem, notionalRoom, DEFAULT_PORTFOLIO, type HeldPosition, type PortfolioSettings } from './portfolio-limits.js';
import { bandHoldsATick, protectiveStopPrice } from './position-after-fill.js';
import { DEFAULT_SIZING, lossBudget, type SizingSettings, type TrackRecord } from './position-sizing.js';
import type { CostSettings, RiskSettings } from './settings.js';
import type { Position } from './trading.js';

/** Comparisons of fractions tolerate float noise (0.05 computed from prices may be 0.04999999999). */
const EPSILON = 1e-9;
/** The stop is placed about this many 1h ATRs away, then kept inside the allowed and agreed range. */
const STOP_ATR_MULTIPLE = 2.5;
/**
 * Rule 8: an entry whose price must move more than this (fraction of entry) to net MIN_PROFIT_USD after fees is
 * refused. A position that small could only be closed by its stop, its liquidation guard or a large move.
 */
export const MAX_MOVE_FOR_MIN_PROFIT = 0.15;

export interface EntryProposal {
  readonly symbol: string;
  readonly side: Side;
  /** Expected entry price (current price). */
  readonly price: number;
  readonly leverage: number;
  /** Stop distances the agreeing analysts suggested; the plan's stop is chosen inside it. */
  readonly stopLossRange?: readonly [number, number];
  /** 1h ATR as a fraction of price: a stop inside the normal noise would be hit for nothing. */
  readonly atrPct?: number;
  readonly takeProfitPct?: number;
  /** The agreeing analysts' pooled scored votes, for Kelly sizing. */
  readonly trackRecord?: TrackRecord;
}

export interface AccountView {
  /** Wallet balance (capital) in USDT. */
  readonly capital: number;
  readonly available: number;
  /** Each with its mark where the caller read one: the exposure caps count the larger of mark and entry (heldNotional). */
  readonly activePositions: readonly (Position & HeldPosition)[];
  /** Reasons entries are blocked right now (circuit breakers, pause), already in words. */
  readonly entryBlocks: readonly string[];
}

export interface EntryPlan {
  readonly symbol: string;
  readonly side: Side;
  readonly leverage: number;
  /** The price the plan was made at; the fill may differ by up to the slippage allowance. */
  readonly entryPrice: number;
  /** Limit of the immediate-or-cancel entry: the worst price it may fill at, on the tick. */
  readonly limitPrice: number;
  readonly quantity: number;
  /** Notional, margin, stop and liquidation at `entryPrice`; the position's own come from its fill. */
  readonly notional: number;
  readonly margin: number;
  readonly stopLossPct: number;
  readonly stopPrice: number;
  readonly liquidationPrice: number;
  readonly takeProfitPrice?: number;
  readonly estimatedEntryFee: number;
  /** Loss if the stop fills, at the worst fill of the range: fees and the stop's slippage included. */
  readonly lossAtStop: number;
  /** How the sizing mode set the loss budget, in words. */
  readonly sizingBasis: string;
  /** What the quantity was sized from (account, budget, fill range), so a fill can be held to the same limits. */
  readonly sizedWith: SizingInput;
  /** The quantity's notional at the top of that range: every limit was checked for up to this much. */
  readonly checkedNotional: number;
}

/** An entry as the venue filled it, with the stop recomputed from the fill. */
export interface FilledEntry {
  readonly side: Side;
  readonly price: number;
  readonly quantity: number;
  readonly stopPrice: number;
}

export type EntryDecision =
  | { readonly approved: true; readonly plan: EntryPlan }
  | { readonly approved: false; readonly reasons: readonly string[] };

const pct = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;

export class RiskManager {
  constructor(
    private readonly risk: RiskSettings,
    private readonly costs: CostSettings,
    /** MIN_PROFIT_USD, for rule 8. */
    private readonly minProfitUsd: number,
    private readonly sizing: SizingSettings = DEFAULT_SIZING,
    private readonly portfolio: PortfolioSettings = DEFAULT_PORTFOLIO,
  ) {}

  validateEntry(proposal: EntryProposal, account: AccountView, market: MarketSpec): EntryDecision {
    const reasons = [...account.entryBlocks, ...this.exposureProblems(proposal, account), ...this.leverageProblems(proposal, market)];
    const stop = this.chooseStopLoss(proposal);
    if (typeof stop === 'string') reasons.push(stop);
    if (reasons.length > 0 || typeof stop === 'string') return { approved: false, reasons };
    return this.plan(proposal, account, market, stop);
  }

  /** The stop distance: near STOP_ATR_MULTIPLE x ATR, inside both the allowed range and the analysts' range. */
  chooseStopLoss(proposal: EntryProposal): number | string {
    const { minStopLossPct: min, maxStopLossPct: max } = this.risk;
    const [low, high] = proposal.stopLossRange ?? [min, max];
    if (high < min - EPSILON) return `stop-loss ${pct(high)} is closer than the ${pct(min)} minimum`;
    if (low > max + EPSILON) return `stop-loss ${pct(low)} is farther than the ${pct(max)} maximum`;
    // A range that reaches the band only within EPSILON is clamped onto it: a stop a float's noise inside the
    // minimum would round to a tick just inside it, and no tick either side of that is a stop the band allows.
    const lo = Math.min(max, Math.max(min, low));
    const hi = Math.max(min, Math.min(max, high));
    const preferred = proposal.atrPct === undefined ? (lo + hi) / 2 : STOP_ATR_MULTIPLE * proposal.atrPct;
    return Math.min(hi, Math.max(lo, preferred));
  }

  private exposureProblems(proposal: EntryProposal, account: AccountView): string[] {
    const problems: string[] = [];
    if (account.activePositions.some((position) => position.symbol === proposal.symbol)) {
      problems.push(`a position in ${proposal.symbol} is already open`);
    }
    if (account.activePositions.length >= this.risk.maxOpenPositions) {
      problems.push(`${account.activePositions.length} position(s) open; the maximum is ${this.risk.maxOpenPositions}`);
    }
    if (!(proposal.price > 0) || !Number.isFinite(proposal.price)) problems.push(`no valid price (${proposal.price})`);
    const exposure = exposureProblem(this.portfolio, account.capital, account.activePositions);
    if (exposure) problems.push(exposure);
    return problems;
  }

  private leverageProblems(proposal: EntryProposal, market: MarketSpec): string[] {
    const leverage = proposal.leverage;
    if (!Number.isInteger(leverage) || leverage < 1) return [`leverage ${leverage} is not a whole number of at least 1`];
    if (leverage > this.risk.maxLeverage) return [`leverage ${leverage}x exceeds the ${this.risk.maxLeverage}x maximum`];
    if (leverage > market.maxLeverage) return [`leverage ${leverage}x exceeds the exchange's ${market.maxLeverage}x for ${market.symbol}`];
    return [];
  }

  private plan(proposal: EntryProposal, account: AccountView, market: MarketSpec, stopLossPct: number): EntryDecision {
    const { side, price, leverage } = proposal;
    const { minStopLossPct, maxStopLossPct } = this.risk;
    const fills = fillRange(side, price, this.costs.slippageBps, market.tickSize);
    const stopPrice = protectiveStopPrice(side, price, stopLossPct, market.tickSize, { minStopLossPct, maxStopLossPct });
    // Past this the band [min, max] may hold no tick at some fill of the range; the stop is recomputed at the fill.
    if (market.tickSize * (1 + EPSILON) > (maxStopLossPct - minStopLossPct) * fills.low || stopPrice === undefined) {
      return reject(
        `the price step of ${market.symbol} (${market.tickSize}) is ${pct(market.tickSize / price)} of its price: ` +
          `no stop on that step can be relied on to sit between ${pct(minStopLossPct)} and ${pct(maxStopLossPct)} from the fill`,
      );
    }
    // A limit rounded back towards the price may pass it (a price off a coarse step, SLIPPAGE_BPS under one step): an
    // immediate-or-cancel order that cannot fill at the price it was planned at.
    if (side === 'long' ? fills.limit < price : fills.limit > price) {
      return reject(
        `the entry limit ${fills.limit} on the price step of ${market.symbol} (${market.tickSize}) would be on the wrong side of the ` +
          `price ${price}: SLIPPAGE_BPS (${this.costs.slippageBps}) is less than one step (${pct(market.tickSize / price)})`,
      );
    }
    // Rounded on the tick, the stop may end up to one tick farther than chosen (never past the maximum).
    const worstStopDistance = Math.min(maxStopLossPct, stopLossPct + market.tickSize / fills.low);
    const budget = lossBudget(this.sizing, this.risk, { stopLossPct, takeProfitPct: proposal.takeProfitPct, record: proposal.trackRecord });
    if (!budget.ok) return reject(budget.reason);
    const notionalCap = notionalRoom(this.portfolio, account.capital, account.activePositions);
    const sizing = { side, capital: account.capital, available: account.available, leverage, fills, worstStopDistance, lossBudgetPct: budget.lossPct, notionalCap };
    const quantity = entryQuantity(sizing, market, this.risk, this.costs);
    const orderValue = quantity * Math.min(price, fills.limit);
    if (quantity < market.minAmount || orderValue < market.minNotional) {
      return reject(
        `a position of ${usd(orderValue)} is below the exchange minimum of ${usd(market.minNotional)} ` +
          `for ${market.symbol} (capital ${usd(account.capital)})`,
      );
    }
    const reasons = [...this.limitProblems(sizing, quantity, market, true), ...this.minProfitProblems(side, price, quantity)];
    if (reasons.length > 0) return { approved: false, reasons };
    const notional = quantity * price;
    const margin = notional / leverage;
    const { slippageBps, takerFeeRate } = this.costs;
    return {
      approved: true,
      plan: {
        symbol: proposal.symbol,
        side,
        leverage,
        entryPrice: price,
        limitPrice: fills.limit,
        quantity,
        notional,
        margin,
        stopLossPct,
        stopPrice,
        liquidationPrice: liquidationPrice({
          side,
          entryPrice: price,
          quantity,
          margin,
          ...maintenanceEstimate(market, notional),
        }),
        takeProfitPrice: proposal.takeProfitPct === undefined ? undefined : this.target(side, price, proposal.takeProfitPct, quantity, fills, market.tickSize),
        estimatedEntryFee: notional * takerFeeRate,
        lossAtStop: quantity * fills.high * lossAtStopShare(side, worstStopDistance, slippageBps, takerFeeRate),
        sizingBasis: budget.basis,
        sizedWith: sizing,
        checkedNotional: quantity * fills.high,
      },
    };
  }

  /**
   * How much of a fill every limit allows at its real price and stop. A fill inside the range the entry was sized for
   * keeps them all. A short's immediate-or-cancel sell takes any better bid, so a market that jumps while the order is
   * on its way fills it above that range, with more notional, margin and loss at the stop than allowed: the answer is
   * then the largest quantity on the lot that keeps every limit at the fill (0 when not even the exchange minimum
   * does), and the rest is closed at once.
   */
  quantityWithinLimitsAtFill(plan: EntryPlan, fill: FilledEntry, market: MarketSpec): number {
    const sized = plan.sizedWith;
    if (fill.price >= sized.fills.low && fill.price <= sized.fills.high) return fill.quantity;
    if (this.noStopFits(fill, market) !== undefined) return 0;
    const atFill: SizingInput = {
      ...sized,
      fills: { limit: sized.fills.limit, low: fill.price, high: fill.price },
      worstStopDistance: adverseDistance(plan.side, fill.price, fill.stopPrice),
    };
    let kept = Math.min(fill.quantity, entryQuantity(atFill, market, this.risk, this.costs));
    if (this.limitProblems(atFill, kept, market).length > 0) {
      // A larger notional can reach a costlier leverage bracket.
      kept = Math.min(kept, withinNotional(plan.checkedNotional, fill.price, market));
      if (this.limitProblems(atFill, kept, market).length > 0) return 0;
    }
    return kept < market.minAmount ? 0 : kept;
  }

  /**
   * Why no stop the band allows can rest at this fill, or undefined when one can. Inside the range the entry was
   * sized for, the band always holds a tick (`plan` refuses a tick too coarse for its lowest fill); at a fill beyond
   * it, or under a band narrowed since, it may hold none, and the stop would round nearer than the minimum. As for a
   * tick too coarse at the plan, the entry is not kept. Asked of the grid at the fill price, not of the stop itself:
   * the record keeps 12 decimals, and a stop exactly at the minimum would read as a hair inside it.
   */
  noStopFits(fill: FilledEntry, market: MarketSpec): string | undefined {
    if (bandHoldsATick(fill.side, fill.price, market.tickSize, this.risk)) return undefined;
    const { minStopLossPct: min, maxStopLossPct: max } = this.risk;
    return `at that price no stop on the exchange's price step of ${market.tickSize} lies between ${pct(min)} and ${pct(max)} from the fill`;
  }

  /**
   * The same question after a restart, when the plan is gone and the entry order's record keeps only the notional the
   * plan was checked for. A fill within it keeps every limit; a fill beyond it keeps no more than that notional.
   * Margin, the loss at the stop and the exposure caps grow with the notional; the liquidation distance depends on the
   * leverage and the bracket, which a notional no larger cannot make worse. So every limit the plan's check proved
   * still holds at the fill.
   */
  quantityWithinCheckedNotional(checkedNotional: number, fill: FilledEntry, market: MarketSpec): number {
    if (this.noStopFits(fill, market) !== undefined) return 0;
    // The record keeps 12 decimals, so a fill at the very top of its range can come out a hair above what was stored.
    if (fill.quantity * fill.price <= checkedNotional * (1 + EPSILON)) return fill.quantity;
    const kept = Math.min(fill.quantity, withinNotional(checkedNotional, fill.price, market));
    return kept < market.minAmount ? 0 : kept;
  }

  /**
   * Margin, liquidation and the stop's buffer, at the least favourable fill of the range. For an order still to be
   * sent (`anySize`), liquidation is checked at every size it may fill to; for a fill that happened, at its own size.
   */
  private limitProblems(sizing: SizingInput, quantity: number, market: MarketSpec, anySize = false): string[] {
    const { side, leverage, fills, available, worstStopDistance } = sizing;
    const problems: string[] = [];
    const worstMargin = (quantity * fills.high) / leverage;
    if (worstMargin + quantity * fills.high * this.costs.takerFeeRate > available) {
      problems.push(`margin ${usd(worstMargin)} plus fee exceeds the available ${usd(available)}`);
    }
    const bracketCap = largestKnownNotional(market, leverage);
    if (quantity * fills.high >= bracketCap) {
      problems.push(
        `a position of ${usd(quantity * fills.high)} at ${leverage}x is beyond the leverage brackets known for ${market.symbol} ` +
          `(up to ${usd(bracketCap)}), so its liquidation price cannot be known`,
      );
      return problems;
    }
    // Liquidation is computed again from each fill, which moves the distance by float noise: a margin of EPSILON on
    // the safe side keeps the limit at any fill.
    const distance = anySize ? worstLiquidationDistanceAtAnySize : worstLiquidationDistance;
    const liquidationDistance = distance(side, quantity, leverage, fills, market) - EPSILON;
    if (liquidationDistance < this.risk.minLiquidationDistancePct) {
      problems.push(`liquidation would be only ${pct(liquidationDistance)} from entry (minimum ${pct(this.risk.minLiquidationDistancePct)})`);
    }
    const buffer = liquidationDistance - worstStopDistance;
    if (buffer < this.risk.liquidationBufferPct) {
      problems.push(
        `the stop ${pct(worstStopDistance)} from entry is too close to liquidation ${pct(liquidationDistance)} away ` +
          `(${pct(buffer)} apart; at least ${pct(this.risk.liquidationBufferPct)} needed)`,
      );
    }
    return problems;
  }

  /**
   * The analysts' target, or farther out where closing there would net less than the minimum profit from the worst
   * fill of the range: a target that fills is a discretionary close (a small position on a near target would book a
   * winner below the minimum). The floor is rounded away from the entry on the tick.
   */
  private target(side: Side, price: number, takeProfitPct: number, quantity: number, fills: FillRange, tickSize: number): number {
    const target = roundToStep(takeProfitPriceFor(side, price, takeProfitPct), tickSize, 'nearest');
    const worstFill = side === 'long' ? fills.high : fills.low;
    const floor = roundToStep(takeProfitPriceFor(side, worstFill, moveForNetProfit(side, worstFill, quantity, this.minProfitUsd, this.costs)), tickSize, side === 'long' ? 'up' : 'down');
    return side === 'long' ? Math.max(target, floor) : Math.min(target, floor);
  }

  /**
   * Rule 8 for what an entry really filled (a partial fill is smaller than the plan it checked): why that quantity
   * could not net MIN_PROFIT_USD within a MAX_MOVE_FOR_MIN_PROFIT move of its fill, undefined when it can.
   */
  minProfitOutOfReach(side: Side, price: number, quantity: number): string | undefined {
    return this.minProfitProblems(side, price, quantity)[0];
  }

  /** Rule 8: MIN_PROFIT_USD must be within a MAX_MOVE_FOR_MIN_PROFIT move of the entry. */
  private minProfitProblems(side: Side, price: number, quantity: number): string[] {
    const move = moveForNetProfit(side, price, quantity, this.minProfitUsd, this.costs);
    if (move <= MAX_MOVE_FOR_MIN_PROFIT + EPSILON) return [];
    return [
      `a position of ${usd(quantity * price)} would need ${Number.isFinite(move) ? `a ${pct(move)}` : 'an impossible'} price move ` +
        `to net the ${usd(this.minProfitUsd)} minimum profit after fees (at most ${pct(MAX_MOVE_FOR_MIN_PROFIT)})`,
    ];
  }
}

function reject(reason: string): EntryDecision {
  return { approved: false, reasons: [reason] };
}

/** The largest quantity on the lot step whose notional at `price` is no more than `checked`. */
function withinNotional(checked: number, price: number, market: MarketSpec): number {
  const within = roundToStep(checked / price, market.amountStep, 'down');
  return within * price > checked ? roundToStep(within - market.amountStep, market.amountStep, 'down') : within;
}
