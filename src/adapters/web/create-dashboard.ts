// Puts the dashboard together for the composition root: credentials, sessions, login guard, every route, the
// live feed and the built page, behind one request handler for the HTTP server.
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { authRoutes } from './api/auth-routes.js';
import { commandRoutes } from './api/command-routes.js';
import type { DashboardData } from './api/dashboard-data.js';
import { historyRoutes } from './api/history-routes.js';
import { openApiDocument } from './api/openapi.js';
import { overviewRoutes } from './api/overview-routes.js';
import { RawReply, route, type Route } from './api/route.js';
import type { DashboardCredentials } from './auth/credentials.js';
import { LoginGuard, type LoginGuardOptions } from './auth/login-guard.js';
import { SessionStore } from './auth/sessions.js';
import { createDashboardHandler, type RequestHandler } from './dashboard-server.js';
import { SecretFilter, writeJson } from './http-reply.js';
import { LiveFeed } from './live-feed.js';
import { StaticFiles } from './static-files.js';

export interface DashboardOptions {
  readonly data: DashboardData;
  readonly credentials: DashboardCredentials;
  readonly sessionHours: number;
  /** Every secret value the daemon holds (keys, tokens, passwords): none may reach a page. */
  readonly secrets: readonly string[];
  /** Folder of the built page; without it (or without a build in it) only the API is served. */
  readonly staticRoot?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a command (a close, a pause, a resume) waits for the loop before answering that it is under way (COMMAND_ANSWER_WITHIN_MS). */
  readonly commandAnswerWithinMs?: number;
  readonly version: string;
  readonly setupSuggested?: () => Promise<boolean>;
  /** More routes (backtests, setup) composed elsewhere. */
  readonly extraRoutes?: readonly Route[];
  readonly loginGuard?: LoginGuardOptions;
  readonly livePollMs?: number;
  /** Runs when the dashboard closes (a backtest child is stopped). */
  readonly onClose?: () => void;
  /** Names the owner reaches the dashboard by besides localhost and the address it listens on (DASHBOARD_ALLOWED_HOSTS). */
  readonly allowedHosts?: readonly string[];
}

export interface Dashboard {
  readonly handler: RequestHandler;
  readonly feed: LiveFeed;
  readonly routes: readonly Route[];
  close(): void;
}

export function createDashboard(options: DashboardOptions): Dashboard {
  const { data, clock, logger } = options;
  const sessions = new SessionStore(clock, options.sessionHours * 3_600_000);
  const filter = new SecretFilter(options.secrets);
  const feed = new LiveFeed({ data, sessions, filter, logger: logger.child({ module: 'dashboard-feed' }), ...(options.livePollMs ? { pollMs: options.livePollMs } : {}) });
  const routes: Route[] = [
    ...authRoutes({
      credentials: options.credentials,
      sessions,
      guard: new LoginGuard(clock, options.loginGuard),
      clock,
      setupSuggested: options.setupSuggested ?? (async () => false),
    }),
    ...overviewRoutes(data),
    ...historyRoutes(data),
    ...commandRoutes(data.control, options.commandAnswerWithinMs),
    ...(options.extraRoutes ?? []),
  ];
  routes.push(
    route({
      method: 'GET',
      path: '/api/events',
      summary: 'Server-Sent Events: `positions` (value, meter, orders) every few seconds while it changes, `message` when the daemon tells its owner something',
      tag: 'live',
      access: 'viewer',
      response: { contentType: 'text/event-stream' },
      handle: async ({ context }) =>
        new RawReply((response) => {
          if (!feed.subscribe(response, context.sessionToken ?? '')) writeJson(response, 503, { error: 'too many live pages open' }, filter);
        }),
    }),
  );
  const document = openApiDocument(routes, options.version);
  routes.push(
    route({
      method: 'GET',
      path: '/api/openapi.json',
      summary: 'This document',
      tag: 'meta',
      access: 'public',
      response: { contentType: 'application/json' },
      handle: async () => new RawReply((response) => writeJson(response, 200, document, filter)),
    }),
  );
  const staticFiles = options.staticRoot === undefined ? undefined : new StaticFiles(options.staticRoot);
  const handler = createDashboardHandler({
    routes,
    sessions,
    secrets: options.secrets,
    logger,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(staticFiles ? { staticFiles } : {}),
  });
  return {
    handler,
    feed,
    routes,
    close: () => {
      feed.close();
      options.onClose?.();
    },
  };
}

