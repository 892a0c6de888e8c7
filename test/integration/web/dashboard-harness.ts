// The dashboard's API on a real HTTP server over the embedded store (PGlite in memory), with a fake owner control
// that remembers what it was told, and a manual clock for session expiry.
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { startHttpServer, type RunningHttpServer } from '../../../src/adapters/http/index.js';
import { openStore } from '../../../src/adapters/store/open-store.js';
import type { SqlStore } from '../../../src/adapters/store/sql-store.js';
import type { LoginGuardOptions } from '../../../src/adapters/web/auth/login-guard.js';
import { hashPassword } from '../../../src/adapters/web/auth/password-hash.js';
import { createDashboard, type Dashboard, type Route } from '../../../src/adapters/web/index.js';
import type { DashboardReads } from '../../../src/ports/dashboard.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeOwnerControl } from '../notifier/fake-owner-control.js';

export const OWNER = 'owner-password-0123456789';
export const VIEWER = 'viewer-password-0123456789';
export const SECRET_KEY = 'sk-exchange-secret-value-42';

export interface ApiHarness {
  readonly origin: string;
  readonly store: SqlStore;
  readonly control: FakeOwnerControl;
  readonly clock: ManualClock;
  readonly dashboard: Dashboard;
  close(): Promise<void>;
}

/** One embedded database for a test file: opening PGlite takes seconds, a dashboard over it a millisecond. */
export function openTestStore(): Promise<SqlStore> {
  return openStore({ logger: new RecordingLogger() });
}

export interface ApiOptions {
  readonly secretInSettings?: boolean;
  /** The built page, for tests in a browser. */
  readonly staticRoot?: string;
  readonly extraRoutes?: readonly Route[];
  readonly allowedHosts?: readonly string[];
  readonly loginGuard?: LoginGuardOptions;
  /** In place of the store's own reads (to act between the pages of an export). */
  readonly reads?: DashboardReads;
  readonly commandAnswerWithinMs?: number;
}

export async function startApi(store: SqlStore, options: ApiOptions = {}): Promise<ApiHarness> {
  const logger = new RecordingLogger();
  const clock = new ManualClock(new Date('2025-10-10T21:25:00Z'));
  const control = new FakeOwnerControl();
  if (options.secretInSettings) {
    // A setting that carries a secret by mistake: the answer must still not show it.
    const settings = control.effectiveConfig();
    control.effectiveConfig = () => ({ ...settings, 'exchange note': `key ${SECRET_KEY}` });
  }
  const dashboard = createDashboard({
    data: {
      control,
      reads: options.reads ?? store.dashboard,
      store,
      marketData: { candles: async () => [] },
      clock,
      limits: { maxLeverage: 5, positionSizePct: 0.8, maxLossAtStopPct: 0.2, dailyLossLimitPct: 0.1, maxConsecutiveLosses: 3, maxOpenPositions: 1 },
      scanIntervalMs: 300_000,
      minConfidence: 0.75,
      secrets: [{ name: 'BINANCE_SECRET_KEY', set: true }],
    },
    credentials: { owner: await hashPassword(OWNER), viewer: await hashPassword(VIEWER) },
    sessionHours: 12,
    secrets: [SECRET_KEY, OWNER, VIEWER],
    clock,
    logger,
    version: 'test',
    ...(options.staticRoot ? { staticRoot: options.staticRoot } : {}),
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.loginGuard ? { loginGuard: options.loginGuard } : {}),
    ...(options.commandAnswerWithinMs === undefined ? {} : { commandAnswerWithinMs: options.commandAnswerWithinMs }),
  });
  const server: RunningHttpServer = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    health: { check: async () => ({ loop: { ok: true, detail: 'fine' } }) },
    metrics: { contentType: 'text/plain', render: async () => '' },
    logger,
    fallback: dashboard.handler,
  });
  return {
    origin: `http://127.0.0.1:${server.port}`,
    store,
    control,
    clock,
    dashboard,
    async close() {
      dashboard.close();
      await server.close();
    },
  };
}

/** A logged-in client: the cookie and CSRF token of one session. */
export class Client {
  cookie?: string;
  csrf?: string;

  constructor(private readonly origin: string) {}

  async login(password: string): Promise<Response> {
    const response = await fetch(`${this.origin}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
    const cookie = response.headers.get('set-cookie');
    if (response.ok && cookie) {
      this.cookie = cookie.split(';')[0];
      this.csrf = ((await response.clone().json()) as { csrfToken: string }).csrfToken;
    }
    return response;
  }

  get(path: string): Promise<Response> {
    return fetch(`${this.origin}${path}`, { headers: this.cookie ? { cookie: this.cookie } : {} });
  }

  post(path: string, body: unknown = {}, options: { csrf?: boolean | string; origin?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const token = options.csrf === false ? undefined : typeof options.csrf === 'string' ? options.csrf : this.csrf;
    return fetch(`${this.origin}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(token ? { 'x-csrf-token': token } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
        ...options.headers,
      },
      body: JSON.stringify(body),
    });
  }
}
