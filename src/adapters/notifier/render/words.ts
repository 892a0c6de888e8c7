// The daemon's codes said in words a trader uses.
import type { BreakerKind, Mode } from '../../../domain/events.js';
import type { Side } from '../../../domain/market.js';
import { tradeResult, type CloseReason } from '../../../domain/trading.js';

const CLOSE_REASONS: Readonly<Record<CloseReason, string>> = {
  stop_loss: 'stop loss hit',
  stop_loss_on_exchange: 'stop loss triggered on the exchange',
  liquidation: 'liquidated',
  liquidation_risk: 'too close to liquidation',
  take_profit: 'take profit',
  take_profit_on_exchange: 'take-profit order filled on the exchange',
  ai_exit: 'the analysts advised an exit',
  trailing_stop: 'trailing stop hit',
  time_exit: 'maximum holding time reached',
  drawdown: 'the account drawdown limit was reached (DRAWDOWN_CLOSE_ALL)',
  manual: 'closed on your request',
  shutdown: 'daemon shutting down',
  stop_not_protected: 'the protective stop could not be placed',
  entry_beyond_limits: 'the entry filled at a price where no size kept the risk limits',
  entry_too_small: 'the entry filled too small a part of its plan to reach the minimum profit',
  reconciled: 'found closed on the exchange',
  manual_on_exchange: 'closed by hand on the exchange',
  adl: 'auto-deleveraged by the exchange (ADL)',
  settlement: 'settled by the exchange (delisted)',
};

const BREAKERS: Readonly<Record<BreakerKind, string>> = {
  daily_loss: 'daily loss limit',
  loss_streak: 'losing streak',
  manual_pause: 'paused by you',
  venue_problem: 'exchange problem',
  drawdown: 'account drawdown limit',
  calendar_blackout: 'economic calendar blackout',
};

export function closeReasonInWords(reason: CloseReason): string {
  return CLOSE_REASONS[reason];
}

export function breakerInWords(breaker: BreakerKind): string {
  return BREAKERS[breaker];
}

export function modeLabel(mode: Mode): string {
  return mode.toUpperCase();
}

export function sideLabel(side: Side): string {
  return side === 'long' ? 'LONG' : 'SHORT';
}

/** A coloured dot that makes the direction visible at a glance in a chat list. */
export function sideMark(side: Side): string {
  return side === 'long' ? '🟢' : '🔴';
}

const RESULT_MARKS = { win: '✅', loss: '❌', even: '➖' } as const;

/** A trade's mark by the one rule the summaries and the losing streak count it by: a trade of exactly $0 is even. */
export function resultMark(netPnl: number): string {
  return RESULT_MARKS[tradeResult(netPnl)];
}
