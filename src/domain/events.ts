// Everything the daemon tells its owner. Renderers (console, Telegram) turn these into text; nothing else does.
import type { Side } from './market.js';
import type { Position, Trade } from './trading.js';

export type Mode = 'paper' | 'live' | 'replay';
/** `venue_problem`: the venue refused us for a reason a human must fix (key, permission, account setting). */
export type BreakerKind = 'daily_loss' | 'loss_streak' | 'manual_pause' | 'venue_problem' | 'drawdown' | 'calendar_blackout';

export interface RiskLimitsSummary {
  readonly maxLeverage: number;
  readonly positionSizePct: number;
  readonly minStopLossPct: number;
  readonly maxStopLossPct: number;
  readonly dailyLossLimitPct: number;
  readonly maxConsecutiveLosses: number;
  readonly minProfitUsd: number;
  readonly minConfidence: number;
}

export interface PeriodSummary {
  readonly from: Date;
  readonly to: Date;
  readonly trades: number;
  /** Won and lost by `tradeResult`; the trades neither won nor lost closed even. */
  readonly wins: number;
  readonly losses: number;
  /** 0..1; undefined without trades. */
  readonly winRate?: number;
  readonly netPnl: number;
  readonly fees: number;
  readonly funding: number;
  /** The account's balance at the start and end of the period. */
  readonly startCapital: number;
  readonly endCapital: number;
  /**
   * Money paid in (positive) or taken out during the period outside any trade (a paper account given another
   * INITIAL_CAPITAL): in `endCapital`, not in `netPnl`. Absent when there was none.
   */
  readonly transfers?: number;
  /**
   * Live mode with INITIAL_CAPITAL below the account's balance: the capital the daemon trades with, which its P&L is
   * measured against. Undefined when it is the whole account.
   */
  readonly tradingCapital?: number;
  readonly best?: Trade;
  readonly worst?: Trade;
  /** Gross profit / gross loss; undefined when there is no loss. */
  readonly profitFactor?: number;
  /** Largest peak-to-trough fall of equity, as a fraction of the peak. */
  readonly maxDrawdownPct: number;
  readonly aiCostUsd: number;
}

export interface EquityPoint {
  readonly time: Date;
  readonly equity: number;
}

export interface ScanCandidate {
  readonly symbol: string;
  readonly action: Side | 'hold';
  readonly confidence: number;
  readonly score: number;
  readonly agreeing: readonly string[];
}

export type TradingEvent =
  | {
      readonly type: 'started';
      readonly at: Date;
      readonly mode: Mode;
      /** The capital the daemon trades with (capped at INITIAL_CAPITAL in live mode). */
      readonly capital: number;
      /** The account's whole wallet balance, shown beside it. */
      readonly accountBalance?: number;
      readonly symbols: readonly string[];
      readonly analysts: readonly string[];
      readonly limits: RiskLimitsSummary;
      /** Loud warnings worth seeing at start-up (e.g. technical analysts standing in for missing AI keys). */
      readonly warnings: readonly string[];
    }
  | { readonly type: 'stopped'; readonly at: Date; readonly reason: string; readonly openPositions: number }
  | {
      readonly type: 'position_opened';
      readonly at: Date;
      readonly position: Position;
      /**
       * Price from which a close the daemon chooses may book the minimum profit net; nothing closes there by itself (the
       * band up to it holds, and the daemon's own take-profit waits for more).
       */
      readonly minProfitPrice: number;
      readonly minProfitUsd: number;
      /** The final take-profit order resting on the venue (TAKE_PROFIT_ON_EXCHANGE), as placed; absent when none rests. */
      readonly target?: { readonly triggerPrice: number; readonly netPnl: number };
      /** The take-profit ladder's steps resting on the venue, and those left out with the reason (TAKE_PROFIT_LADDER). */
      readonly ladder?: { readonly placed: readonly LadderStepNote[]; readonly skipped: readonly { readonly step: number; readonly reason: string }[] };
    }
  | {
      /** A ladder step filled on the venue: part of the position is closed, the rest keeps a re-armed stop. */
      readonly type: 'position_partially_closed';
      readonly at: Date;
      /** The position as it is now: the quantity left and its stop. */
      readonly position: Position;
      /** 1-based, as written in TAKE_PROFIT_LADDER. */
      readonly step: number;
      readonly quantity: number;
      readonly price: number;
      /** What this part booked: its exit fee and its share of the entry fee included. */
      readonly realizedPnl: number;
      /** False when the stop could not be re-armed for the rest yet (the old one still rests; it is retried). */
      readonly stopRearmed: boolean;
    }
  | {
      readonly type: 'position_update';
      readonly at: Date;
      readonly position: Position;
      readonly price: number;
      readonly unrealizedPnl: number;
      /** Unrealised net P&L as a fraction of margin. */
      readonly unrealizedPct: number;
      /** Fraction of price still to travel to the stop / to liquidation. */
      readonly stopDistancePct: number;
      readonly liquidationDistancePct: number;
    }
  | {
      readonly type: 'position_closed';
      readonly at: Date;
      readonly trade: Trade;
      readonly capitalAfter: number;
      /** The configured maximum holding time, when the position was closed for reaching it (a time exit). */
      readonly holdingLimitMs?: number;
    }
  | {
      readonly type: 'scan_result';
      readonly at: Date;
      readonly best?: ScanCandidate;
      readonly willTrade: boolean;
      /** Why no trade follows, when none does. */
      readonly reason?: string;
      readonly symbolsScanned: number;
    }
  | {
      readonly type: 'risk_rejected';
      readonly at: Date;
      readonly symbol: string;
      readonly side: Side;
      readonly reasons: readonly string[];
    }
  | {
      readonly type: 'breaker_tripped';
      readonly at: Date;
      readonly breaker: BreakerKind;
      readonly detail: string;
      readonly until?: Date;
    }
  | {
      readonly type: 'breaker_cleared';
      readonly at: Date;
      readonly breaker: BreakerKind;
      readonly detail: string;
      /** The other switches the same request lifted (one /resume lifts them all), told in this one message. */
      readonly alsoCleared?: readonly BreakerKind[];
      /** What still holds new entries back once this one cleared, in words; none when entries are allowed again. */
      readonly stillBlocking?: readonly string[];
    }
  | {
      readonly type: 'alert';
      readonly at: Date;
      readonly severity: 'warning' | 'critical';
      /** Identifies the incident, so it is raised once and cleared once (e.g. `exchange:down`). */
      readonly incident: string;
      readonly message: string;
      /** true on the follow-up that says the incident is over. */
      readonly cleared: boolean;
    }
  | {
      /** This UTC month's AI spend reached AI_MONTHLY_BUDGET_USD: no AI call is made until `resumesAt`. Sent once a month. */
      readonly type: 'ai_budget_reached';
      readonly at: Date;
      readonly budgetUsd: number;
      readonly spentUsd: number;
      /** The start of the next UTC month. */
      readonly resumesAt: Date;
    }
  | {
      readonly type: 'portfolio';
      readonly at: Date;
      readonly capital: number;
      readonly todayPnl: number;
      readonly winRate?: number;
      readonly openPositions: readonly Position[];
    }
  | { readonly type: 'daily_summary'; readonly at: Date; readonly summary: PeriodSummary }
  | {
      readonly type: 'weekly_summary';
      readonly at: Date;
      readonly summary: PeriodSummary;
      readonly equityCurve: readonly EquityPoint[];
    };

export type TradingEventType = TradingEvent['type'];

/** A ladder step as the owner reads it in the opening message. */
export interface LadderStepNote {
  readonly step: number;
  readonly quantity: number;
  readonly triggerPrice: number;
  readonly netPnl: number;
}
