// Watches the venue's book the whole time: every open position should have exactly one resting reduce-only stop of
// ours. A position found without one starts an "unprotected spell"; a spell longer than the grace (the moment
// between a fill and its stop) while the daemon was running counts as a violation. Time the daemon spent dead or
// starting up is not held against it here: the crash scenario checks protection after each restart instead. Nor is
// time the venue refused every request (a maintenance): no stop can be placed then, and the spell's clock runs again
// when the venue answers.
import type { AccountBook } from '../../test/peers/binance-usdm/account-book.js';

/** What the soak reads of a venue's stand-in: its account book (every stand-in shares it) and its clock. */
export interface VenueBook {
  readonly book: AccountBook;
  now(): number;
}

export interface UnprotectedSpell {
  readonly symbol: string;
  /** performance.now() when first seen unprotected, and when it ended (protected or flat). */
  readonly from: number;
  to?: number;
  readonly simFrom: number;
  simTo?: number;
  /** Real ms of the spell during which the daemon was up and running. */
  runningMs: number;
}

export interface ProtectionSummary {
  readonly samples: number;
  readonly positionsSeen: number;
  readonly spells: readonly UnprotectedSpell[];
  readonly violations: readonly UnprotectedSpell[];
  /** Longest spell while the daemon was running, real ms. */
  readonly longestRunningMs: number;
  /** Positions that had more than one resting stop of ours at once. */
  readonly doubleStops: number;
  /** Which stops, per such position (`SYMBOL: id, id`). */
  readonly doubleStopDetails: readonly string[];
}

export const DEFAULT_PROTECTION_GRACE_MS = 3_000;
/**
 * How long ccxt waits for an answer before it gives up (the daemon's request timeout), and how many requests a stop
 * replacement makes before the old stop is gone: place the new one, look it up by client id when the answer was lost,
 * verify it among the open orders, cancel the old one. The new stop is verified before the old one is cancelled, so
 * when the venue holds those answers past the timeout both versions rest together meanwhile: the safe order of steps,
 * and harmless (both are reduce-only: whichever fires first closes the position, the other then expires).
 */
const REQUEST_TIMEOUT_MS = 10_000;
const REPLACEMENT_REQUESTS = 4;

export class ProtectionMonitor {
  private timer: NodeJS.Timeout | undefined;
  private readonly open = new Map<string, UnprotectedSpell>();
  private readonly closed: UnprotectedSpell[] = [];
  private readonly seen = new Set<string>();
  private readonly doubled = new Map<string, string>();
  /** When two versions of a position's stop were first seen resting together (a replacement under way). */
  private readonly replacingSince = new Map<string, number>();
  private samples = 0;
  private daemonRunning = false;
  private venueRefusing = false;
  private lastSampleAt = performance.now();

  constructor(
    private readonly venue: VenueBook,
    private readonly prefix: string,
    private graceMs = DEFAULT_PROTECTION_GRACE_MS,
  ) {}

  start(everyMs = 10): void {
    this.stop();
    this.lastSampleAt = performance.now();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  setGrace(ms: number): void {
    this.graceMs = ms;
  }

  daemonDown(): void {
    this.sample();
    this.daemonRunning = false;
  }

  daemonUp(): void {
    this.sample();
    this.daemonRunning = true;
  }

  /** The venue refuses every request from now (a maintenance) until `venueAnswers`. */
  venueDown(): void {
    this.sample();
    this.venueRefusing = true;
  }

  venueAnswers(): void {
    this.sample();
    this.venueRefusing = false;
  }

  /** Stops of ours resting for `symbol` right now (a take-profit order closes at a gain: it protects nothing). */
  stopsFor(symbol: string): number {
    return this.stopIdsFor(symbol).length;
  }

  stopIdsFor(symbol: string): string[] {
    const position = this.venue.book.position(symbol);
    if (!position) return [];
    const exitSide = position.amount > 0 ? 'SELL' : 'BUY';
    return this.venue.book.algoOrders.filter(
      (algo) =>
        algo.symbol === symbol &&
        algo.algoStatus === 'NEW' &&
        algo.orderType === 'STOP_MARKET' &&
        algo.reduceOnly &&
        algo.side === exitSide &&
        algo.clientAlgoId.startsWith(`${this.prefix}-`) &&
        algo.quantity >= Math.abs(position.amount) - 1e-9,
    ).map((algo) => algo.clientAlgoId);
  }

  sample(): void {
    const now = performance.now();
    const elapsed = now - this.lastSampleAt;
    this.lastSampleAt = now;
    this.samples += 1;
    const positions = this.venue.book.openPositions();
    const present = new Set<string>();
    for (const position of positions) {
      const key = `${position.symbol}@${position.entryPrice}`;
      present.add(position.symbol);
      this.seen.add(key);
      const ids = this.stopIdsFor(position.symbol);
      const stops = ids.length;
      if (stops > 1 && this.isDouble(key, ids, now)) this.doubled.set(key, `${position.symbol}: ${ids.join(', ')}`);
      if (stops <= 1) this.replacingSince.delete(key);
      const spell = this.open.get(position.symbol);
      if (stops >= 1) {
        if (spell) this.end(position.symbol, spell, now);
        continue;
      }
      if (spell) {
        if (this.daemonRunning && !this.venueRefusing) spell.runningMs += elapsed;
      } else {
        this.open.set(position.symbol, { symbol: position.symbol, from: now, simFrom: this.venue.now(), runningMs: 0 });
      }
    }
    for (const [symbol, spell] of this.open) if (!present.has(symbol)) this.end(symbol, spell, now);
  }

  /**
   * Two stops of ours on one position are a double, except while one replaces the other: a trailing move or a re-arm
   * places the new version (`…-stop.2`) and verifies it before the old one is cancelled. Versions of the same
   * position's stop resting together longer than a replacement's requests each held to the timeout, plus the grace,
   * are a double all the same (the old one was never cancelled).
   */
  private isDouble(key: string, ids: readonly string[], now: number): boolean {
    const owners = new Set(ids.map((id) => id.replace(/-stop(\.\d+)?$/, '')));
    if (owners.size > 1 || ids.some((id) => !/-stop(\.\d+)?$/.test(id))) return true;
    const since = this.replacingSince.get(key) ?? now;
    this.replacingSince.set(key, since);
    return now - since > REPLACEMENT_REQUESTS * REQUEST_TIMEOUT_MS + this.graceMs;
  }

  summary(): ProtectionSummary {
    this.sample();
    const spells = [...this.closed, ...this.open.values()];
    const violations = spells.filter((spell) => spell.runningMs > this.graceMs);
    return {
      samples: this.samples,
      positionsSeen: this.seen.size,
      spells,
      violations,
      longestRunningMs: Math.max(0, ...spells.map((spell) => spell.runningMs)),
      doubleStops: this.doubled.size,
      doubleStopDetails: [...this.doubled.values()],
    };
  }

  private end(symbol: string, spell: UnprotectedSpell, now: number): void {
    spell.to = now;
    spell.simTo = this.venue.now();
    this.closed.push(spell);
    this.open.delete(symbol);
  }
}
