// Slows password guessing to a crawl: a few failed logins per address per quarter hour, and a ceiling for all
// addresses together (behind a reverse proxy every request comes from one address). A blocked address is refused
// before its password is checked, so the right password does not get through a block either. Each attempt is counted
// before its password is checked and given back if the password was right: guesses sent all at once are counted as
// they arrive, not only once their slow password checks have ended.
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginGuardOptions {
  /** Failed logins per address per window. */
  readonly perAddress?: number;
  /** Failed logins from all addresses together per window. */
  readonly overall?: number;
  readonly windowSeconds?: number;
}

export type LoginVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

const ALL = 'all';

const refused = (waitMs: number): LoginVerdict => ({ allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });

export class LoginGuard {
  private readonly perAddress: RateLimiterMemory;
  private readonly overall: RateLimiterMemory;

  constructor(options: LoginGuardOptions = {}) {
    const duration = options.windowSeconds ?? 15 * 60;
    this.perAddress = new RateLimiterMemory({ points: options.perAddress ?? 5, duration, keyPrefix: 'login-address' });
    this.overall = new RateLimiterMemory({ points: options.overall ?? 50, duration, keyPrefix: 'login-all' });
  }

  /**
   * Counts an attempt from `address`, refused when the address or everyone together has used up the window's. An
   * address already blocked is refused before the shared ceiling is touched, or one address could spend it alone and
   * lock everyone out; an attempt the ceiling refuses gives its address's point back, as its password was not checked.
   */
  async attempt(address: string): Promise<LoginVerdict> {
    const own = await this.take(this.perAddress, address);
    if (own.blocked) return refused(own.msBeforeNext);
    const everyone = await this.take(this.overall, ALL);
    if (!everyone.blocked) return { allowed: true };
    await this.perAddress.reward(address, 1);
    return refused(everyone.msBeforeNext);
  }

  /**
   * A right password: its attempt does not count. The owner's also lets the address start afresh; the read-only
   * password's does not, or whoever holds it could clear the count between guesses at the owner's.
   */
  async succeeded(address: string, startAfresh: boolean): Promise<void> {
    await Promise.all([startAfresh ? this.perAddress.delete(address) : this.perAddress.reward(address, 1), this.overall.reward(ALL, 1)]);
  }

  /** A key already at its limit is refused without counting, so refused attempts never push a window further. */
  private async take(limiter: RateLimiterMemory, key: string): Promise<{ blocked: boolean; msBeforeNext: number }> {
    const spent = await limiter.get(key);
    if (spent && spent.consumedPoints >= limiter.points) return { blocked: true, msBeforeNext: spent.msBeforeNext };
    try {
      const result = await limiter.consume(key);
      return { blocked: false, msBeforeNext: result.msBeforeNext };
    } catch (rejection) {
      if (rejection instanceof Error) throw rejection;
      // Otherwise the window's points are spent (attempts arriving together), and the rejection carries the limiter's figures.
      return { blocked: true, msBeforeNext: (rejection as RateLimiterRes).msBeforeNext };
    }
  }
}
