// Slows password guessing to a crawl without letting a guesser lock the owner out.
//
// Each address gets a few failed logins per window. A ceiling for all addresses together catches guessing spread over
// many addresses, but it must not close the login for everyone: anyone with enough addresses could then spend it and
// keep the owner out for as long as they liked. So once the ceiling is reached it only narrows each address's own
// allowance, to the first couple of attempts: an address that has not failed yet (the owner, typing the password
// once) still gets its password checked, while a botnet's total is held to that couple per address per window, not
// the full allowance. Addresses the owner logged in from before keep their full allowance through an attack.
//
// A blocked address is refused before its password is checked, so the right password does not get through a block
// either. Each attempt is counted before its password is checked and given back if the password was right: guesses
// sent all at once are counted as they arrive, not only once their slow password checks have ended. Time comes from
// the injected clock, so the windows can be tested without waiting.
import ipaddr from 'ipaddr.js';
import type { Clock } from '../../../ports/clock.js';

export interface LoginGuardOptions {
  /** Failed logins per address per window. */
  readonly perAddress?: number;
  /** Failed logins from all addresses together per window, past which each address gets only `underAttack`. */
  readonly overall?: number;
  /** Failed logins per address per window while the overall ceiling is reached. */
  readonly underAttack?: number;
  readonly windowSeconds?: number;
}

export type LoginVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Addresses the owner logged in from, remembered this long and at most this many (the oldest go first). */
const KNOWN_FOR_MS = 30 * 86_400_000;
const MAX_KNOWN = 50;

/**
 * Addresses with failures in the window that the guard keeps count of. A spray from more addresses than this finds
 * the count full: a new address is then refused until the window frees places, except the owner's known ones.
 */
const MAX_GUESSERS = 10_000;

/**
 * Whom a guess is charged to: the address, or for IPv6 its /64. One host or home line is commonly given a whole /64,
 * so counting single IPv6 addresses would hand it billions of fresh allowances.
 */
export function guesserOf(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${parsed.toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

const refused = (waitMs: number): LoginVerdict => ({ allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });

export class LoginGuard {
  private readonly perAddress: number;
  private readonly overall: number;
  private readonly underAttack: number;
  private readonly windowMs: number;
  /** Times of the failed (or not yet checked) attempts in the window, oldest first, per address. */
  private readonly failures = new Map<string, number[]>();
  /** The same times for all addresses together, oldest first. */
  private everyone: number[] = [];
  /** Address → when the owner last logged in from it; the map keeps insertion order, oldest first. */
  private readonly known = new Map<string, number>();
  private lastSweep = 0;

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    options: LoginGuardOptions = {},
  ) {
    this.perAddress = options.perAddress ?? 5;
    this.overall = options.overall ?? 50;
    this.underAttack = Math.min(options.underAttack ?? 2, this.perAddress);
    this.windowMs = (options.windowSeconds ?? 15 * 60) * 1000;
  }

  /** Counts an attempt from `address`, or refuses it without counting, so refused attempts never push a window further. */
  attempt(address: string): Promise<LoginVerdict> {
    const guesser = guesserOf(address);
    const now = this.clock.now().getTime();
    this.forget(now);
    if (!this.failures.has(guesser) && this.failures.size >= MAX_GUESSERS && !this.isKnown(guesser, now)) {
      this.forget(now, true);
      if (this.failures.size >= MAX_GUESSERS) return Promise.resolve(refused(this.windowMs));
    }
    const own = (this.failures.get(guesser) ?? []).filter((time) => time > now - this.windowMs);
    if (own.length >= this.perAddress) return Promise.resolve(refused(this.waitUntilBelow(own, this.perAddress, now)));
    if (this.everyone.length >= this.overall && !this.isKnown(guesser, now) && own.length >= this.underAttack) {
      const wait = Math.min(this.waitUntilBelow(own, this.underAttack, now), this.waitUntilBelow(this.everyone, this.overall, now));
      return Promise.resolve(refused(wait));
    }
    own.push(now);
    this.failures.set(guesser, own);
    this.everyone.push(now);
    // Only whether the ceiling is reached, and when it frees, is read: the newest `overall` attempts tell both.
    if (this.everyone.length > this.overall) this.everyone.splice(0, this.everyone.length - this.overall);
    return Promise.resolve({ allowed: true });
  }

  /**
   * A right password: its attempt does not count. The owner's also lets the address start afresh and remembers it;
   * the read-only password's does not, or whoever holds it could clear the count between guesses at the owner's.
   */
  succeeded(address: string, startAfresh: boolean): Promise<void> {
    const guesser = guesserOf(address);
    const own = this.failures.get(guesser) ?? [];
    const counted = own.pop();
    if (counted !== undefined) {
      const at = this.everyone.lastIndexOf(counted);
      if (at >= 0) this.everyone.splice(at, 1);
    }
    if (startAfresh) {
      this.failures.delete(guesser);
      this.remember(guesser);
    } else if (own.length === 0) this.failures.delete(guesser);
    return Promise.resolve();
  }

  private remember(address: string): void {
    this.known.delete(address);
    this.known.set(address, this.clock.now().getTime());
    for (const oldest of this.known.keys()) {
      if (this.known.size <= MAX_KNOWN) break;
      this.known.delete(oldest);
    }
  }

  private isKnown(address: string, now: number): boolean {
    const since = this.known.get(address);
    return since !== undefined && now - since < KNOWN_FOR_MS;
  }

  /** How long until fewer than `limit` of `times` (oldest first, `limit` or more of them) are inside the window. */
  private waitUntilBelow(times: readonly number[], limit: number, now: number): number {
    const leaving = times[times.length - limit] ?? now;
    return leaving + this.windowMs - now;
  }

  /** Drops attempts older than the window; the per-address map is swept once a window, so it holds only recent guessers. */
  private forget(now: number, sweepNow = false): void {
    const start = now - this.windowMs;
    const kept = this.everyone.findIndex((time) => time > start);
    this.everyone = kept < 0 ? [] : kept === 0 ? this.everyone : this.everyone.slice(kept);
    if (!sweepNow && now - this.lastSweep < this.windowMs) {
      return;
    }
    this.lastSweep = now;
    for (const [address, times] of this.failures) {
      const recent = times.filter((time) => time > start);
      if (recent.length === 0) this.failures.delete(address);
      else this.failures.set(address, recent);
    }
  }
}
