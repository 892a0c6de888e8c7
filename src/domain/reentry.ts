// When a symbol may be entered again after one of its positions closed.
//
// Entries are decided on closed 15m candles. Asked again before the next one closes, the analysts see the data that
// led to the entry and then to the exit, and repeat the entry (a cached vote is the very same answer). The daemon
// would buy back what an exit rule had just sold, paying fees and slippage both ways for nothing; repeated, this runs
// into the losing-streak breaker within minutes. So a closed symbol waits for fresh evidence: the next 15m close.
import { TIMEFRAME_MS } from './market.js';

const DECISION_CANDLE_MS = TIMEFRAME_MS['15m'];

/** The first moment a symbol closed at `closedAt` may be entered again: the close of the 15m candle forming then. */
export function reentryAllowedAt(closedAt: Date): Date {
  const formingOpen = Math.floor(closedAt.getTime() / DECISION_CANDLE_MS) * DECISION_CANDLE_MS;
  return new Date(formingOpen + DECISION_CANDLE_MS);
}

/** How far back a close can still hold its symbol back: what a restart must look at. */
export const REENTRY_LOOKBACK_MS = DECISION_CANDLE_MS;
