// Dashboard sessions: a random token in an HttpOnly, SameSite=Strict cookie, a CSRF token per session, and an
// absolute expiry. Kept in memory: a restart of the daemon logs everyone out, which is the safe way round.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../ports/clock.js';
import type { Role } from './credentials.js';

export const SESSION_COOKIE = 'ltd_session';
/**
 * Per role, more sessions than an owner plausibly has; past it that role's oldest go first, so logins with the
 * read-only password can never push the owner's own sessions out.
 */
export const MAX_SESSIONS_PER_ROLE = 100;

export interface Session {
  readonly role: Role;
  readonly csrfToken: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

const digest = (token: string): string => createHash('sha256').update(token).digest('base64url');

export class SessionStore {
  /** Keyed by a digest of the token, so the map alone cannot be replayed as cookies. */
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly lifetimeMs: number,
  ) {}

  create(role: Role): { token: string; session: Session } {
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const session: Session = {
      role,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.lifetimeMs),
    };
    this.sessions.set(digest(token), session);
    this.evict(role, now);
    return { token, session };
  }

  /** Expired sessions go, then the oldest of `role` past its limit (the map keeps the order they were made in). */
  private evict(role: Role, now: Date): void {
    const own: string[] = [];
    for (const [key, session] of this.sessions) {
      if (session.expiresAt <= now) this.sessions.delete(key);
      else if (session.role === role) own.push(key);
    }
    for (const key of own.slice(0, Math.max(0, own.length - MAX_SESSIONS_PER_ROLE))) this.sessions.delete(key);
  }

  get(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const key = digest(token);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (session.expiresAt <= this.clock.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return session;
  }

  end(token: string | undefined): void {
    if (token) this.sessions.delete(digest(token));
  }

  get lifetimeSeconds(): number {
    return Math.floor(this.lifetimeMs / 1000);
  }
}

export function csrfMatches(session: Session, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${token}`, 'HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export function clearedCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
