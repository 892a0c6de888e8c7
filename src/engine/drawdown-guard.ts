// Follows the account's equity (wallet plus open P&L at the mark) for the drawdown kill switch, keeps its peak and
// tripped state in the store (a restart neither forgets the peak nor lifts the switch), and tells the owner.
// The wallet it measures, in capped live mode the daemon's share of the account, is capital-footing.ts's.
import {
  DEFAULT_DRAWDOWN,
  drawdownFrom,
  initialDrawdownState,
  observeEquity,
  resumeAfterDrawdown,
  type DrawdownChange,
  type DrawdownState,
  type DrawdownTransition,
} from '../domain/drawdown.js';
import type { BreakerChange, EntryBlock } from '../domain/circuit-breakers.js';
import { describeError } from '../domain/errors.js';
import { grossPnl, roundUsd, usd } from '../domain/money.js';
import type { Position } from '../domain/trading.js';
import type { TradingStateRepository } from '../ports/store.js';
import type { EngineContext } from './engine-context.js';
import { CapitalFooting } from './capital-footing.js';

const STATE_KEY = 'drawdown';
/** A new peak is written down once it is this much above the saved one: a rising market costs no write per tick. */
const PEAK_SAVE_STEP = 0.001;

const pct = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;

function isDrawdownState(value: unknown): value is DrawdownState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return typeof state.peakEquity === 'number' && typeof state.tripped === 'boolean' && Array.isArray(state.warned);
}

/**
 * Money paid into the account or taken out of it outside any trade (a paper account given another INITIAL_CAPITAL)
 * moves the stored peak by `move`, so that the transfer reads as neither a gain nor a loss; the caller knows how the
 * transfer changed the equity (`fundPaperAccount`). A switch already tripped stays tripped.
 */
export async function movePeakForTransfer(state: TradingStateRepository, move: (peak: number) => number): Promise<void> {
  const saved = await state.get(STATE_KEY);
  if (!isDrawdownState(saved)) return;
  await state.put(STATE_KEY, { ...saved, peakEquity: roundUsd(move(saved.peakEquity)) } satisfies DrawdownState);
}

export interface EquityReading {
  readonly equity: number;
  readonly drawdown: number;
  readonly peak: number;
}

export class DrawdownGuard {
  private state: DrawdownState | undefined;
  private savedPeak = 0;
  private last: EquityReading | undefined;
  constructor(
    private readonly ctx: EngineContext,
    private readonly footing: CapitalFooting = new CapitalFooting(ctx),
  ) {}

  private get settings() {
    return this.ctx.settings.drawdown ?? DEFAULT_DRAWDOWN;
  }

  /**
   * The stored state, before the equity can be read (that waits for reconciliation): a switch tripped before a restart
   * holds entries back from the start, and what else clears meanwhile (the day's limit at a new day) says so.
   */
  async restore(): Promise<void> {
    this.state = await this.stored();
  }

  /** The stored state (kept from `restore`), or a fresh one from `equity`. */
  async load(equity: number): Promise<void> {
    const kept = this.state ?? (await this.stored());
    this.state = kept ?? initialDrawdownState(equity, this.ctx.clock.now());
    this.savedPeak = this.state.peakEquity;
    if (!kept) await this.ctx.store.state.put(STATE_KEY, this.state);
    await this.footing.save();
  }

  private async stored(): Promise<DrawdownState | undefined> {
    const footingChanged = await this.footing.changed();
    const saved = await this.ctx.store.state.get(STATE_KEY);
    // A peak measured on another footing means nothing now; a tripped switch still waits for /resume.
    return isDrawdownState(saved) && (saved.tripped || !footingChanged) ? saved : undefined;
  }

  current(): DrawdownState | undefined {
    return this.state;
  }

  lastReading(): EquityReading | undefined {
    return this.last;
  }

  blocks(): EntryBlock[] {
    if (!this.state?.tripped) return [];
    return [{ breaker: 'drawdown', reason: `account drawdown reached ${pct(this.settings.maxDrawdownPct)} from the peak of ${usd(this.state.peakEquity)}; /resume to trade again` }];
  }

  /**
   * Equity now: the capital the engine trades with plus the open positions' P&L at the mark price, for the size the
   * venue still holds. A stop or close that filled is in the wallet already while its booking waits for the fills
   * (in capped live mode, in the share through its order's fill); counting the stored size too would count it twice.
   */
  async equity(active: readonly Position[]): Promise<number> {
    const positions = active.filter((p) => p.status === 'open' || p.status === 'closing');
    const wallet = await this.footing.wallet(positions);
    // Unreadable for a moment (a venue hiccup at start-up, say): the stored sizes stand in, as they would be booked.
    const held = positions.length > 0 ? await this.ctx.exchange.positions().catch(() => undefined) : [];
    let open = 0;
    for (const position of positions) {
      const quantity = held === undefined ? position.quantity : (held.find((p) => p.symbol === position.symbol && p.side === position.side)?.quantity ?? 0);
      if (quantity <= 0) continue;
      const mark = await this.ctx.marketData.markPrice(position.symbol);
      open += grossPnl(position.side, position.entryPrice, mark, Math.min(position.quantity, quantity));
    }
    return wallet + open;
  }

  /** Reads equity and applies it; true when the switch tripped just now. */
  async observe(active: readonly Position[]): Promise<boolean> {
    if (!this.state) return false;
    const equity = await this.equity(active);
    const transition = observeEquity(this.state, equity, this.ctx.clock.now(), this.settings);
    this.last = { equity, peak: transition.state.peakEquity, drawdown: drawdownFrom(transition.state.peakEquity, equity) };
    await this.apply(transition);
    return transition.changes.some((change) => change.kind === 'tripped');
  }

  /**
   * Lifts the switch for /resume, written down, and returns what it lifted, for the breakers to tell with every other
   * switch the same /resume lifts, in one message (`BreakerService.announceLifted`).
   */
  async lift(active: readonly Position[], requestedBy: string, sentAt?: Date): Promise<readonly BreakerChange[]> {
    if (!this.state?.tripped) return [];
    const changes = await this.change(resumeAfterDrawdown(this.state, await this.equity(active), this.ctx.clock.now(), requestedBy, sentAt));
    const lifted = changes.flatMap((change) =>
      change.kind === 'cleared' ? [{ breaker: 'drawdown' as const, action: 'cleared' as const, detail: change.detail, note: change.note }] : [],
    );
    // The switch is off and saved: a breaker history row that cannot be written must not keep the owner from being told.
    for (const { breaker, action, detail } of lifted) {
      await this.ctx.store.breakers.record({ time: this.ctx.clock.now(), breaker, action, detail }).catch((error: unknown) => {
        this.ctx.logger.warn({ error: describeError(error) }, 'the drawdown switch was lifted, but its row in the breaker history could not be written');
      });
    }
    return lifted;
  }

  private async apply(transition: DrawdownTransition): Promise<void> {
    for (const change of await this.change(transition)) await this.announce(change);
  }

  /** Takes the transition's state, written down when it changed something; its changes are for the owner. */
  private async change(transition: DrawdownTransition): Promise<readonly DrawdownChange[]> {
    const peakMoved = transition.state.peakEquity > this.savedPeak * (1 + PEAK_SAVE_STEP) || transition.state.peakEquity < this.savedPeak;
    this.state = transition.state;
    if (transition.changes.length === 0 && !peakMoved) return [];
    // Written before the owner is told: an announced trip must survive a restart.
    await this.ctx.store.state.put(STATE_KEY, transition.state);
    this.savedPeak = transition.state.peakEquity;
    return transition.changes;
  }

  private async announce(change: DrawdownChange): Promise<void> {
    const { store, notifier, clock } = this.ctx;
    const at = clock.now();
    // Only /resume lifts the switch, and the breakers tell that with what else it lifted (`lift`).
    if (change.kind === 'cleared') return;
    if (change.kind === 'warning') {
      await notifier.notify({
        type: 'alert',
        at,
        severity: 'warning',
        incident: `drawdown:${change.step}`,
        message: `Equity ${usd(change.equity)} is ${pct(change.drawdown)} below its peak of ${usd(change.peak)} (warning step ${pct(change.step)}; entries stop at ${pct(this.settings.maxDrawdownPct)}).`,
        cleared: false,
      });
      return;
    }
    const detail =
      `equity ${usd(change.equity)} is ${pct(change.drawdown)} below its peak of ${usd(change.peak)}; new entries stop until /resume` +
      (this.settings.closeAll ? ', and every open position is being closed' : '');
    await store.breakers.record({ time: at, breaker: 'drawdown', action: 'tripped', detail });
    await notifier.notify({ type: 'breaker_tripped', at, breaker: 'drawdown', detail });
  }
}
