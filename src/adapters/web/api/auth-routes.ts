// Logging in and out, and what the page needs to know about its session (its role and its CSRF token).
import { z } from 'zod';
import type { Clock } from '../../../ports/clock.js';
import type { DashboardCredentials, Role } from '../auth/credentials.js';
import type { LoginGuard } from '../auth/login-guard.js';
import { PasswordChecks } from '../auth/password-checks.js';
import { verifyPassword } from '../auth/password-hash.js';
import { clearedCookie, sessionCookie, type Session, type SessionStore } from '../auth/sessions.js';
import { Done, SessionInfo } from './schemas.js';
import { ApiError, route, type Route } from './route.js';

export interface AuthRoutesOptions {
  readonly credentials: DashboardCredentials;
  readonly sessions: SessionStore;
  readonly guard: LoginGuard;
  readonly clock: Clock;
  /** True while there is no configuration file: the page offers the setup wizard first. */
  readonly setupSuggested: () => Promise<boolean>;
}

async function roleFor(password: string, credentials: DashboardCredentials): Promise<Role | undefined> {
  if (await verifyPassword(password, credentials.owner)) return 'owner';
  if (credentials.viewer && (await verifyPassword(password, credentials.viewer))) return 'viewer';
  return undefined;
}

export function authRoutes(options: AuthRoutesOptions): Route[] {
  const { sessions, guard } = options;
  const checks = new PasswordChecks();
  const info = async (session: Session | undefined): Promise<z.output<typeof SessionInfo>> => ({
    authenticated: session !== undefined,
    ...(session ? { role: session.role, csrfToken: session.csrfToken, expiresAt: session.expiresAt } : {}),
    setupSuggested: session?.role === 'owner' ? await options.setupSuggested() : false,
  });

  return [
    route({
      method: 'GET',
      path: '/api/session',
      summary: 'The current session: role, CSRF token, expiry',
      tag: 'auth',
      access: 'public',
      response: { json: SessionInfo },
      handle: async ({ context }) => info(context.session),
    }),
    route({
      method: 'POST',
      path: '/api/login',
      summary: 'Log in with the owner or the read-only password; sets the session cookie',
      tag: 'auth',
      access: 'public',
      csrf: false,
      body: z.object({ password: z.string().min(1).max(200) }),
      response: { json: SessionInfo },
      handle: async ({ body, context }) => {
        // Before the attempt is counted: a login turned away because others are being checked is no guess.
        if (checks.busy()) throw new ApiError(429, 'other logins are being checked; try again in a few seconds', undefined, { 'retry-after': '5' });
        const verdict = await guard.attempt(context.address);
        if (!verdict.allowed) {
          throw new ApiError(429, `too many failed logins; try again in ${verdict.retryAfterSeconds} s`, undefined, {
            'retry-after': String(verdict.retryAfterSeconds),
          });
        }
        const role = await checks.run(() => roleFor(body.password, options.credentials));
        if (!role) throw new ApiError(401, 'wrong password');
        await guard.succeeded(context.address, role === 'owner');
        sessions.end(context.sessionToken);
        const { token, session } = sessions.create(role);
        context.response.setHeader('set-cookie', sessionCookie(token, sessions.lifetimeSeconds, context.secure));
        return info(session);
      },
    }),
    route({
      method: 'POST',
      path: '/api/logout',
      summary: 'End the session',
      tag: 'auth',
      access: 'viewer',
      response: { json: Done },
      handle: async ({ context }) => {
        sessions.end(context.sessionToken);
        context.response.setHeader('set-cookie', clearedCookie(context.secure));
        return { ok: true as const, message: 'logged out' };
      },
    }),
  ];
}
