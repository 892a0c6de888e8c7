// What the position monitor decides on each check, in the spec's order: liquidation risk, stop, profit targets,
// optional trailing/time exits, then the AI exit opinion. A position whose net profit is between $0 and the
// minimum profit is never closed by a discretionary rule: only the stop or liquidation protection can close it.
import type { ExitVote } from './analysis.js';
import { adverseDistance, exitOrderSide, grossPnl, roundToStep, sideSign, slippedPrice } from './money.js';
import type { CostSettings, ExitSettings } from './settings.js';
import type { CloseReason, Position } from './trading.js';

export interface PositionValuation {
  /** Price the close would fill at (after slippage). */
  readonly exitPrice: number;
  readonly grossPnl: number;
  readonly exitFee: number;
  /** Gross minus entry fee minus exit fee plus funding: what closing now would book. */
  readonly netPnl: number;
  /** netPnl as a fraction of margin. */
  readonly netPct: number;
}

export function valuePosition(position: Position, price: number, costs: CostSettings): PositionValuation {
  const exitPrice = slippedPrice(exitOrderSide(position.side), price, costs.slippageBps);
  const gross = grossPnl(position.side, position.entryPrice, exitPrice, position.quantity);
  const exitFee = exitPrice * position.quantity * costs.takerFeeRate;
  const netPnl = gross - position.entryFee - exitFee + position.funding;
  return { exitPrice, grossPnl: gross, exitFee, netPnl, netPct: position.margin > 0 ? netPnl / position.margin : 0 };
}

/** Market price at which closing would book exactly `targetNetPnl` (fees, slippage and funding so far included). */
export function priceForNetPnl(
  position: Pick<Position, 'side' | 'quantity' | 'entryPrice' | 'entryFee' | 'funding'>,
  targetNetPnl: number,
  costs: CostSettings,
): number {
  const s = sideSign(position.side);
  const q = position.quantity;
  const slip = costs.slippageBps / 10_000;
  const fill = position.side === 'long' ? 1 - slip : 1 + slip;
  // net = s·(P·fill - entry)·q - entryFee - P·fill·q·fee + funding, solved for P.
  const constant = targetNetPnl + position.entryFee - position.funding + s * position.entryPrice * q;
  return constant / (fill * q * (s - costs.takerFeeRate));
}

/**
 * Where a take-profit order rests: the position's target, or farther out where closing there would book less than the
 * minimum profit for the position as it stands (its fill, its size, the funding so far), since a target that fills is
 * a discretionary close. Away from the entry on the tick: never a smaller profit than that.
 */
export function takeProfitTrigger(position: Position, target: number, minProfitUsd: number, costs: CostSettings, tickSize: number): number {
  const long = sideSign(position.side) > 0;
  const floor = priceForNetPnl(position, minProfitUsd, costs);
  return roundToStep(long ? Math.max(target, floor) : Math.min(target, floor), tickSize, long ? 'up' : 'down');
}

export type ExitDecision =
  | { readonly action: 'hold' }
  | { readonly action: 'close'; readonly reason: CloseReason; readonly detail: string };

export interface MarketMark {
  readonly price: number;
  readonly markPrice: number;
  readonly now: Date;
}

const HOLD: ExitDecision = { action: 'hold' };
/** Thresholds are compared with a tolerance far below a cent, so a price computed to hit $5.00 exactly counts. */
const EPSILON = 1e-9;
const money = (amount: number): string => `${amount < 0 ? '-' : ''}$${Math.abs(amount).toFixed(2)}`;

/**
 * `realised`: the net P&L the position's earlier exits (take-profit steps, a stop filled in part) already took. The
 * trade is booked whole, from every fill, so the protected band and the profit rules hold on the whole: a remainder at
 * a small loss after a step that took $2.51 is still part of a small winner, which no discretionary rule may close,
 * and a remainder $7.74 up after a part lost $8 is part of a loser, which no take-profit may close.
 */
export function evaluateExit(
  position: Position,
  mark: MarketMark,
  exitVote: ExitVote | undefined,
  settings: ExitSettings,
  costs: CostSettings,
  realised = 0,
): ExitDecision {
  const { price, markPrice } = mark;
  const toLiquidation = adverseDistance(position.side, markPrice, position.liquidationPrice);
  if (toLiquidation < settings.liquidationCloseDistancePct) {
    return { action: 'close', reason: 'liquidation_risk', detail: `mark price ${(toLiquidation * 100).toFixed(2)}% from liquidation` };
  }
  // On the mark, as the venue's stop triggers (and the paper and replay fills): a wick of the last price alone through
  // the stop would close a position the venue keeps.
  if (adverseDistance(position.side, markPrice, position.stopPrice) <= 0) {
    return { action: 'close', reason: 'stop_loss', detail: `mark price ${markPrice} reached the stop ${position.stopPrice}` };
  }
  // Every rule below is the daemon's own choice. The band judges the trade as it is booked: whole.
  const heldNetPnl = valuePosition(position, price, costs).netPnl;
  const tradeNetPnl = heldNetPnl + realised;
  const minProfit = settings.minProfitUsd;
  if (inProtectedBand(tradeNetPnl, minProfit)) return HOLD;
  // The profit rules judge the part still held less what closed parts lost: a loss must be won back before a take-profit
  // (or a losing trade would close as one), while a step's profit does not close the rest the ladder leaves to run.
  const judgedNetPnl = heldNetPnl + Math.min(0, realised);
  if (minProfit > 0 && judgedNetPnl >= settings.takeProfitMultiple * minProfit - EPSILON) {
    return { action: 'close', reason: 'take_profit', detail: `net profit ${money(judgedNetPnl)} reached ${settings.takeProfitMultiple}x the minimum` };
  }
  if (judgedNetPnl >= minProfit - EPSILON) {
    // The price the venue's trailing stop and final target are held to, by the same measure: a part closed at a loss
    // raises it to where the whole trade books the minimum; one closed at a profit does not lower it.
    const minProfitPrice = priceForNetPnl(position, openPartMinProfit(minProfit, realised), costs);
    const beyond = sideSign(position.side) * (price - minProfitPrice) / minProfitPrice;
    if (beyond >= settings.beyondMinProfitPct - EPSILON) {
      return { action: 'close', reason: 'take_profit', detail: `price ${(beyond * 100).toFixed(2)}% beyond the min-profit price (net ${money(tradeNetPnl)})` };
    }
  }
  const optional = optionalExit(position, mark, settings);
  if (optional) return optional;
  if (exitVote && exitVote.outcome === 'valid' && exitVote.shouldExit && exitVote.confidence >= settings.aiExitMinConfidence) {
    return { action: 'close', reason: 'ai_exit', detail: `${exitVote.analyst}: ${exitVote.reason} (net ${money(tradeNetPnl)})` };
  }
  return HOLD;
}

/**
 * What the part still held must book for the whole trade to book the minimum profit, for the orders resting on the
 * venue (a trailing stop, the final target): the trade is booked whole, so a part closed earlier at a loss (a hand trim,
 * a close or stop filled in part) raises it. A part closed at a profit does not lower it: each ladder step nets the
 * minimum on its own, and the venue's orders are never set looser than for the open part alone.
 */
export function openPartMinProfit(minProfitUsd: number, closedPartsNetPnl: number): number {
  return minProfitUsd + Math.max(0, -closedPartsNetPnl);
}

/**
 * Between $0 and the minimum profit (inclusive, to a tolerance far below a cent) no discretionary rule may close a
 * position: only its stop or the liquidation protection can. The monitor does not even ask for an AI opinion there.
 */
export function inProtectedBand(netPnl: number, minProfitUsd: number): boolean {
  return netPnl >= 0 && netPnl <= minProfitUsd + EPSILON;
}

/**
 * The exits the band holds back: the daemon's own choices. Protection (the stop, the liquidation guard, the drawdown
 * switch, a position without a stop) and the owner's own close are carried through whatever the position earns.
 */
const DISCRETIONARY_EXITS: ReadonlySet<CloseReason> = new Set<CloseReason>(['take_profit', 'ai_exit', 'trailing_stop', 'time_exit']);

export function isDiscretionaryExit(reason: CloseReason): boolean {
  return DISCRETIONARY_EXITS.has(reason);
}

/**
 * How the exit analysts' answers combine into one opinion: when at least half of the valid answers say exit, the most
 * confident of those decides (its confidence is then held to the exit threshold by `evaluateExit`).
 */
export function combineExitVotes(votes: readonly ExitVote[]): ExitVote | undefined {
  const valid = votes.filter((vote) => vote.outcome === 'valid');
  const exits = valid.filter((vote) => vote.shouldExit).sort((a, b) => b.confidence - a.confidence);
  return exits.length > 0 && exits.length * 2 >= valid.length ? exits[0] : undefined;
}

/** Trailing stop and time exit: both off unless configured. */
function optionalExit(position: Position, mark: MarketMark, settings: ExitSettings): ExitDecision | undefined {
  if (settings.trailingStopPct !== undefined && position.bestPrice !== undefined) {
    // No trailing before the best price is the activation threshold in profit: a trail that starts at once closes
    // on the first wiggle after a tick of profit.
    const bestProfit = (sideSign(position.side) * (position.bestPrice - position.entryPrice)) / position.entryPrice;
    const inProfit = bestProfit > 0 && bestProfit >= (settings.trailingActivationPct ?? 0) - EPSILON;
    // On the mark, as the best price is and as any stop triggers.
    const retrace = adverseDistance(position.side, position.bestPrice, mark.markPrice);
    if (inProfit && retrace >= settings.trailingStopPct) {
      return { action: 'close', reason: 'trailing_stop', detail: `price fell back ${(retrace * 100).toFixed(2)}% from its best` };
    }
  }
  const heldMs = mark.now.getTime() - position.openedAt.getTime();
  if (settings.maxHoldingMs !== undefined && heldMs >= settings.maxHoldingMs) {
    const hours = (ms: number): string => `${(ms / 3_600_000).toFixed(1)} h`;
    return { action: 'close', reason: 'time_exit', detail: `held ${hours(heldMs)}, limit ${hours(settings.maxHoldingMs)}` };
  }
  return undefined;
}

/** The best price seen so far, for the trailing stop. */
export function updatedBestPrice(position: Position, price: number): number {
  const best = position.bestPrice ?? position.entryPrice;
  return sideSign(position.side) * (price - best) > 0 ? price : best;
}
