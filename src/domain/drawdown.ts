// The account drawdown kill switch as pure state transitions. Equity (wallet plus open P&L) is followed from its
// peak; each warning step is announced once until equity makes a new peak, and at the limit entries stop until the
// owner resumes. The engine persists the state, so a restart neither forgets the peak nor lifts a tripped switch.
import { RESUME_SENT_TOLERANCE_MS } from './circuit-breakers.js';
import { usd } from './money.js';

export interface DrawdownSettings {
  /** Drawdown from the peak (fraction) that stops entries until /resume. */
  readonly maxDrawdownPct: number;
  /** Drawdowns (fractions, ascending) announced once each per trough. */
  readonly warningStepsPct: readonly number[];
  /** Also close every open position when the switch trips. */
  readonly closeAll: boolean;
}

export const DEFAULT_DRAWDOWN: DrawdownSettings = { maxDrawdownPct: 0.25, warningStepsPct: [0.05, 0.1], closeAll: false };

export interface DrawdownState {
  readonly peakEquity: number;
  readonly peakAt: string;
  /** Warning steps already announced since the peak. */
  readonly warned: readonly number[];
  readonly tripped: boolean;
  readonly trippedAt?: string;
}

export type DrawdownChange =
  | { readonly kind: 'warning'; readonly step: number; readonly drawdown: number; readonly equity: number; readonly peak: number }
  | { readonly kind: 'tripped'; readonly drawdown: number; readonly equity: number; readonly peak: number }
  | { readonly kind: 'cleared'; readonly detail: string; readonly note: string };

export interface DrawdownTransition {
  readonly state: DrawdownState;
  readonly changes: readonly DrawdownChange[];
}

export function initialDrawdownState(equity: number, now: Date): DrawdownState {
  return { peakEquity: equity, peakAt: now.toISOString(), warned: [], tripped: false };
}

export function drawdownFrom(peak: number, equity: number): number {
  return peak > 0 ? Math.max(0, (peak - equity) / peak) : 0;
}

export function observeEquity(state: DrawdownState, equity: number, now: Date, settings: DrawdownSettings): DrawdownTransition {
  if (!Number.isFinite(equity)) return { state, changes: [] };
  if (equity > state.peakEquity) {
    // A new peak starts a new trough: its warnings may come again.
    return { state: { ...state, peakEquity: equity, peakAt: now.toISOString(), warned: [] }, changes: [] };
  }
  const drawdown = drawdownFrom(state.peakEquity, equity);
  const changes: DrawdownChange[] = [];
  const warned = [...state.warned];
  for (const step of settings.warningStepsPct) {
    if (step >= settings.maxDrawdownPct || warned.includes(step) || drawdown < step) continue;
    warned.push(step);
    changes.push({ kind: 'warning', step, drawdown, equity, peak: state.peakEquity });
  }
  let { tripped, trippedAt } = state;
  if (!tripped && drawdown >= settings.maxDrawdownPct) {
    tripped = true;
    trippedAt = now.toISOString();
    changes.push({ kind: 'tripped', drawdown, equity, peak: state.peakEquity });
  }
  if (changes.length === 0) return { state, changes };
  return { state: { ...state, warned, tripped, ...(trippedAt === undefined ? {} : { trippedAt }) }, changes };
}

/**
 * The owner's /resume lifts the switch and measures from here: the old peak would trip it again at once. The loss
 * already taken is the owner's decision to accept.
 */
export function resumeAfterDrawdown(state: DrawdownState, equity: number, now: Date, requestedBy: string, sentAt?: Date): DrawdownTransition {
  if (!state.tripped) return { state, changes: [] };
  // A /resume sent before the switch tripped was not an answer to it (it waited in the loop's queue meanwhile).
  if (sentAt !== undefined && state.trippedAt !== undefined && Date.parse(state.trippedAt) > sentAt.getTime() + RESUME_SENT_TOLERANCE_MS) return { state, changes: [] };
  const note = `drawdown now measured from ${usd(equity)}`;
  return {
    state: { peakEquity: equity, peakAt: now.toISOString(), warned: [], tripped: false },
    changes: [{ kind: 'cleared', detail: `resumed by ${requestedBy}; ${note}`, note }],
  };
}
