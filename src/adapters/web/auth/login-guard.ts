// Slows password guessing to a crawl: a few failed logins per address per quarter hour, and a ceiling for all
// addresses together (behind a reverse proxy every request comes from one address). A blocked address is refused
// before its password is checked, so the right password does not get through a block either.
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

export class LoginGuard {
  private readonly perAddress: RateLimiterMemory;
  private readonly overall: RateLimiterMemory;

  constructor(options: LoginGuardOptions = {}) {
    const duration = options.windowSeconds ?? 15 * 60;
    this.perAddress = new RateLimiterMemory({ points: options.perAddress ?? 5, duration, keyPrefix: 'login-address' });
    this.overall = new RateLimiterMemory({ points: options.overall ?? 50, duration, keyPrefix: 'login-all' });
  }

  async check(address: string): Promise<LoginVerdict> {
    const [mine, everyone] = await Promise.all([this.perAddress.get(address), this.overall.get(ALL)]);
    const blocked: RateLimiterRes[] = [];
    if (mine && mine.consumedPoints >= this.perAddress.points) blocked.push(mine);
    if (everyone && everyone.consumedPoints >= this.overall.points) blocked.push(everyone);
    if (blocked.length === 0) return { allowed: true };
    const waitMs = Math.max(...blocked.map((result) => result.msBeforeNext));
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  async failed(address: string): Promise<void> {
    // consume rejects once the points are spent; the count is what matters here, not the rejection.
    await Promise.all([this.perAddress.consume(address).catch(() => undefined), this.overall.consume(ALL).catch(() => undefined)]);
  }

  async succeeded(address: string): Promise<void> {
    await this.perAddress.delete(address);
  }
}
