// Drives the price of one held position through its venue exits, so a soak scenario sees them act however the
// recorded market moves: the price climbs in the position's favour to where the trailing stop may move and holds there
// until the daemon has moved it; then it climbs past the first ladder step (the step fills) and holds until the daemon
// has re-armed the stop for the rest; then it returns to the recording over a few minutes (the trailed stop fires on
// the way back, or the position lives on). Each hold waits for the daemon, up to a limit, rather than for a fixed time:
// under the faults one answer held past ccxt's timeout stalls the daemon's loop for 10 s real, which at 60x is ten
// simulated minutes. One position at a time; every other symbol follows the recording. The venue publishes the bent
// price as last and mark price alike, so its stops and take-profit orders (triggered on the mark) fire on it and the
// daemon reads it as it would any price.
import { venueSymbol } from '../../test/peers/binance-usdm/venue-state.js';
import type { World } from './world.js';

const MINUTE = 60_000;

const RAMP_MS = 2 * MINUTE;
const RAMP_TO_STEP_MS = MINUTE / 2;
/**
 * The longest a hold waits for the daemon (simulated): past it, the drive goes on without the move it waited for. Under
 * the soak's faults most of a hold's simulated time passes while the daemon's loop is stalled on an answer held past
 * ccxt's timeout (ten simulated minutes each), and most of its checks fail on one of their half-dozen requests, so half
 * an hour is only a few chances for the daemon. Giving up early is not free: a position driven past its step without
 * having trailed can never trail (the quarter left would need about four times the gain to keep the minimum profit), so the
 * wait at the trail is long, and the one past the step, which only needs a re-arm, shorter. Two hours at the trail once
 * went by in a CI run on a loaded machine without one check getting through; four still leave the quick form's six
 * hours room for the step and the way back, and a hold that succeeds ends at once.
 */
const TRAIL_HOLD_LIMIT_MS = 4 * 60 * MINUTE;
const STEP_HOLD_LIMIT_MS = 60 * MINUTE;
const BACK_TO_RECORDING_MS = 5 * MINUTE;

/** How far past the step's trigger the price goes: enough to cross it on the tick, nowhere near the next rule. */
const PAST_STEP = 0.0005;

/** The daemon's terms the drive's levels are derived from (its configuration in the scenario). */
export interface DriveTerms {
  readonly minProfitUsd: number;
  readonly takerFeeRate: number;
  readonly slippage: number;
  /** Trailing distance behind the best price (fraction). */
  readonly trailPct: number;
}

/**
 * The gain (fraction of the entry) at which the daemon may first trail the stop of a position of `notional`: a
 * trailed stop must sit at or beyond the price that books the minimum profit (fees and slippage included), and it
 * trails the best price by `trailPct`, so the best price must be that far beyond it.
 */
export function firstTrailGain(notional: number, terms: DriveTerms): number {
  const minProfitRatio = (1 + (terms.minProfitUsd + terms.takerFeeRate * notional) / notional) / ((1 - terms.slippage) * (1 - terms.takerFeeRate));
  return minProfitRatio / (1 - terms.trailPct) - 1;
}

type Leg = 'to-trail' | 'to-step' | 'back';

interface Drive {
  readonly symbol: string;
  /** +1 long, -1 short. */
  readonly sign: number;
  readonly entry: number;
  /** Gain from the entry (fraction) when the drive began: the climb starts where the price stands. */
  readonly startGain: number;
  /** Gain at which the position's first ladder step triggers. */
  readonly stepGain: number;
  /** Gain held while the trail may move: halfway between its first possible move and the step. */
  readonly trailHold: number;
  leg: Leg;
  /** Simulated instant the current leg began. */
  legFrom: number;
  /** The price when the way back began. */
  backFrom?: number;
}

export interface DriveRecord {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  /** The daemon moved the trailing stop while the price held for it, and re-armed the stop after the step filled. */
  trailed: boolean;
  rearmed: boolean;
  /** The position was closed before the drive's last leg (its stop, a rule of the daemon's, an exit vote). */
  endedEarly: boolean;
}

const lerp = (a: number, b: number, u: number): number => a + (b - a) * Math.min(1, Math.max(0, u));

export class ExitDrive {
  private current: Drive | undefined;
  readonly drives: DriveRecord[] = [];

  constructor(
    private readonly world: World,
    private readonly terms: DriveTerms,
  ) {}

  /** Takes over the venue's market replay (the same pace as the world's), bending the driven symbol's price only. */
  install(stepMs = 50): void {
    this.world.venue.replayMarket({ stepMs, shape: (symbol, time, recorded) => this.priceOf(symbol, time, recorded) });
  }

  get driving(): boolean {
    return this.current !== undefined;
  }

  /**
   * Starts a drive on a held position whose first ladder step rests on the venue and whose price is still near its
   * entry. Returns its symbol, or undefined when no position fits now.
   */
  begin(candidates: readonly string[]): string | undefined {
    if (this.current) return undefined;
    const { venue, protection } = this.world;
    for (const symbol of candidates.map(venueSymbol)) {
      const position = venue.book.position(symbol);
      if (!position || protection.stopsFor(symbol) !== 1) continue;
      const step = venue.book.algoOrders.find((a) => a.symbol === symbol && a.algoStatus === 'NEW' && /-tp1(\.\d+)?$/.test(a.clientAlgoId));
      if (!step) continue;
      const sign = position.amount > 0 ? 1 : -1;
      const entry = position.entryPrice;
      const mark = entry + venue.book.unrealizedPnl(position) / position.amount;
      const startGain = (sign * (mark - entry)) / entry;
      const stepGain = (sign * (step.triggerPrice - entry)) / entry;
      const trailHold = (firstTrailGain(Math.abs(position.amount) * entry, this.terms) + stepGain) / 2;
      if (Math.abs(startGain) > 0.005 || stepGain - trailHold < 0.0005) continue;
      this.current = { symbol, sign, entry, startGain, stepGain, trailHold, leg: 'to-trail', legFrom: venue.now() };
      this.drives.push({ symbol, side: sign > 0 ? 'long' : 'short', trailed: false, rearmed: false, endedEarly: false });
      return symbol;
    }
    return undefined;
  }

  /**
   * The daemon replaced a stop (its log line, written once the new stop is verified): `to` names the new stop's client
   * id. A trailing move ends the wait at the trail, a re-arm after a step the wait past the step.
   */
  replaced(why: string, to: string): void {
    const drive = this.current;
    const record = this.drives[this.drives.length - 1];
    if (!drive || !record) return;
    const algo = this.world.venue.book.algoOrders.find((a) => a.clientAlgoId === to);
    if (algo?.symbol !== drive.symbol) return;
    if (why === 'trailing' && drive.leg === 'to-trail') {
      record.trailed = true;
      this.next(drive, 'to-step');
    } else if (/^take-profit .* filled/.test(why) && drive.leg === 'to-step') {
      record.rearmed = true;
      this.next(drive, 'back');
    }
  }

  /** Moves a hold on past its limit, and ends the drive once it is back on the recording or its position is gone; call it often. */
  tend(): void {
    const drive = this.current;
    const record = this.drives[this.drives.length - 1];
    if (!drive || !record) return;
    const now = this.world.venue.now();
    const inLeg = now - drive.legFrom;
    if (!this.world.venue.book.openPositions().some((position) => position.symbol === drive.symbol)) {
      record.endedEarly = drive.leg !== 'back';
      this.current = undefined;
    } else if (drive.leg === 'back' && inLeg >= BACK_TO_RECORDING_MS) {
      this.current = undefined;
    } else if (drive.leg === 'to-trail' && inLeg >= RAMP_MS + TRAIL_HOLD_LIMIT_MS) {
      this.next(drive, 'to-step');
    } else if (drive.leg === 'to-step' && inLeg >= RAMP_TO_STEP_MS + STEP_HOLD_LIMIT_MS) {
      this.next(drive, 'back');
    }
  }

  private next(drive: Drive, leg: Leg): void {
    const now = this.world.venue.now();
    if (leg === 'back') drive.backFrom = this.driven(drive, now);
    drive.leg = leg;
    drive.legFrom = now;
  }

  private driven(drive: Drive, time: number): number {
    const at = (gain: number): number => drive.entry * (1 + drive.sign * gain);
    const t = time - drive.legFrom;
    const past = drive.stepGain + PAST_STEP;
    if (drive.leg === 'to-trail') return at(lerp(drive.startGain, drive.trailHold, t / RAMP_MS));
    return at(lerp(drive.trailHold, past, t / RAMP_TO_STEP_MS));
  }

  private priceOf(symbol: string, time: number, recorded: number): number {
    const drive = this.current;
    if (!drive || drive.symbol !== symbol) return recorded;
    if (drive.leg !== 'back') return this.driven(drive, time);
    return lerp(drive.backFrom ?? recorded, recorded, (time - drive.legFrom) / BACK_TO_RECORDING_MS);
  }
}
