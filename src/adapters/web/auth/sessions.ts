// Dashboard sessions: a random token in an HttpOnly, SameSite=Strict cookie, a CSRF token per session, and an
// absolute expiry. Kept in memory: a restart of the daemon logs everyone out, which is the safe way round.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../ports/clock.js';
import type { Role } from './credentials.js';

export const SESSION_COOKIE = 'ltd_session';
/** More sessions than an owner plausibly has; the oldest go first past it. */
const MAX_SESSIONS = 200;

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
    while (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    return { token, session };
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
