// Every entry passes here. Pure: given a proposal, the account and the contract, it either returns a complete,
// exchange-ready plan or the reasons a trader would want to read for refusing it.
import type { MarketSpec, Side } from './market.js';
import { adverseDistance, liquidationPrice, roundToStep, stopPriceFor, takeProfitPriceFor } from './money.js';
import type { CostSettings, RiskSettings } from './settings.js';
import type { Position } from './trading.js';

/** Comparisons of fractions tolerate float noise (0.05 computed from prices may be 0.04999999999). */
const EPSILON = 1e-9;
/** The stop is placed about this many 1h ATRs away, then kept inside the allowed and agreed range. */
const STOP_ATR_MULTIPLE = 2.5;

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
}

export interface AccountView {
  /** Wallet balance (capital) in USDT. */
  readonly capital: number;
  readonly available: number;
  readonly activePositions: readonly Position[];
  /** Reasons entries are blocked right now (circuit breakers, pause), already in words. */
  readonly entryBlocks: readonly string[];
}

export interface EntryPlan {
  readonly symbol: string;
  readonly side: Side;
  readonly leverage: number;
  readonly entryPrice: number;
  readonly quantity: number;
  readonly notional: number;
  readonly margin: number;
  readonly stopLossPct: number;
  readonly stopPrice: number;
  readonly liquidationPrice: number;
  readonly takeProfitPrice?: number;
  readonly estimatedEntryFee: number;
  /** Estimated loss if the stop fills, fees and slippage included. */
  readonly lossAtStop: number;
}

export type EntryDecision =
  | { readonly approved: true; readonly plan: EntryPlan }
  | { readonly approved: false; readonly reasons: readonly string[] };

const pct = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`;
const usd = (amount: number): string => `$${amount.toFixed(2)}`;

export class RiskManager {
  constructor(
    private readonly risk: RiskSettings,
    private readonly costs: CostSettings,
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
    const lo = Math.max(min, low);
    const hi = Math.min(max, high);
    const preferred = proposal.atrPct === undefined ? (lo + hi) / 2 : STOP_ATR_MULTIPLE * proposal.atrPct;
    return Math.min(hi, Math.max(lo, preferred));
  }

  /** Share of notional lost when the stop fills: the move, both fees and slippage on both fills. */
  costAtStop(stopLossPct: number): number {
    const slip = this.costs.slippageBps / 10_000;
    return stopLossPct + this.costs.takerFeeRate * (2 + stopLossPct) + slip * 2;
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
    const reasons: string[] = [];
    const costAtStop = this.costAtStop(stopLossPct);
    const maxLoss = this.risk.maxLossAtStopPct * account.capital;
    let notional = account.available * this.risk.positionSizePct * leverage;
    // Size down so a stop-out costs at most maxLossAtStopPct of capital, fees included.
    if (notional * costAtStop > maxLoss) notional = maxLoss / costAtStop;
    const quantity = roundToStep(notional / price, market.amountStep, 'down');
    const finalNotional = quantity * price;
    if (quantity < market.minAmount || finalNotional < market.minNotional) {
      reasons.push(
        `a position of ${usd(finalNotional)} is below the exchange minimum of ${usd(market.minNotional)} ` +
          `for ${market.symbol} (capital ${usd(account.capital)})`,
      );
      return { approved: false, reasons };
    }
    const margin = finalNotional / leverage;
    const estimatedEntryFee = finalNotional * this.costs.takerFeeRate;
    if (margin + estimatedEntryFee > account.available + EPSILON) {
      reasons.push(`margin ${usd(margin)} plus fee exceeds the available ${usd(account.available)}`);
    }
    const liquidation = liquidationPrice({
      side,
      entryPrice: price,
      quantity,
      margin,
      maintenanceMarginRate: market.maintenanceMarginRate,
      maintenanceAmount: market.maintenanceAmount,
    });
    const liquidationDistance = adverseDistance(side, price, liquidation);
    if (liquidationDistance < this.risk.minLiquidationDistancePct - EPSILON) {
      reasons.push(
        `liquidation at ${liquidation.toPrecision(6)} would be only ${pct(liquidationDistance)} from entry ` +
          `(minimum ${pct(this.risk.minLiquidationDistancePct)})`,
      );
    }
    const stopPrice = roundToStep(stopPriceFor(side, price, stopLossPct), market.tickSize, 'nearest');
    const buffer = liquidationDistance - adverseDistance(side, price, stopPrice);
    if (buffer < this.risk.liquidationBufferPct - EPSILON) {
      reasons.push(
        `the stop at ${stopPrice} is too close to liquidation at ${liquidation.toPrecision(6)} ` +
          `(${pct(buffer)} apart; at least ${pct(this.risk.liquidationBufferPct)} needed)`,
      );
    }
    if (reasons.length > 0) return { approved: false, reasons };
    const takeProfitPrice =
      proposal.takeProfitPct === undefined
        ? undefined
        : roundToStep(takeProfitPriceFor(side, price, proposal.takeProfitPct), market.tickSize, 'nearest');
    return {
      approved: true,
      plan: {
        symbol: proposal.symbol,
        side,
        leverage,
        entryPrice: price,
        quantity,
        notional: finalNotional,
        margin,
        stopLossPct,
        stopPrice,
        liquidationPrice: liquidation,
        takeProfitPrice,
        estimatedEntryFee,
        lossAtStop: finalNotional * costAtStop,
      },
    };
  }
}
