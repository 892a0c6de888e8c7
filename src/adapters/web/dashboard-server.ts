// The dashboard's request handler, mounted by the HTTP server beside /health and /metrics: /api/ goes through
// the route table (session, role, CSRF, input schemas, output schemas), everything else is the built page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { DaemonStartingError, DaemonStoppedError } from '../../domain/errors.js';
import type { Logger } from '../../ports/logger.js';
import { parseInput, queryObject, readJsonBody } from './api/request-input.js';
import { ApiError, hasRole, pathMatcher, RawReply, type RequestContext, type Route } from './api/route.js';
import { AllowedHosts } from './allowed-hosts.js';
import { csrfMatches, readCookie, SESSION_COOKIE, type SessionStore } from './auth/sessions.js';
import { SecretFilter, writeJson } from './http-reply.js';
import type { StaticFiles } from './static-files.js';

export interface DashboardServerOptions {
  readonly routes: readonly Route[];
  readonly sessions: SessionStore;
  readonly staticFiles?: StaticFiles;
  /** Every secret value the daemon knows; none may appear in an answer. */
  readonly secrets: readonly string[];
  readonly logger: Logger;
  /** Names besides this machine's own that the dashboard answers to (DASHBOARD_ALLOWED_HOSTS). */
  readonly allowedHosts?: readonly string[];
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

interface CompiledRoute {
  readonly route: Route;
  readonly match: (path: string) => Record<string, string> | undefined;
}

function isSecure(request: IncomingMessage): boolean {
  const forwarded = request.headers['x-forwarded-proto'];
  return (request.socket as { encrypted?: boolean }).encrypted === true || (typeof forwarded === 'string' && forwarded.split(',')[0]?.trim() === 'https');
}

/**
 * Peers whose X-Forwarded-For is believed: loopback (a reverse proxy on the same machine) and the private ranges. In
 * the Docker setup the published port is bound to the host's 127.0.0.1, and every connection then reaches the
 * container from the bridge network's gateway (172.17.0.1, say), the host's proxy included. Trusting loopback alone
 * there would put every client behind one address, and five wrong guesses by anyone would lock the owner out.
 */
const TRUSTED_PROXY = /^(?:::ffff:)?(?:127\.|10\.|172\.(?:1[6-9]|2\d|3[01])\.|192\.168\.)|^::1$|^f[cd][0-9a-f]{2}:|^fe80:/i;

/**
 * Who is asking, for the login limit. Behind a trusted proxy the proxy appends the client's address to
 * X-Forwarded-For: its last entry is the one the proxy saw (earlier ones are whatever the client claimed). From any
 * other peer the header is ignored.
 */
export function clientAddress(request: IncomingMessage): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  const forwarded = request.headers['x-forwarded-for'];
  if (!TRUSTED_PROXY.test(peer) || typeof forwarded !== 'string') return peer;
  return forwarded.split(',').map((entry) => entry.trim()).filter(Boolean).pop() ?? peer;
}

/**
 * A browser names the page a request comes from; one from another site is refused outright. Sec-Fetch-Site says the
 * same where a browser leaves Origin out; `none` is the owner's own typing or bookmark, not a page.
 */
function sameOrigin(request: IncomingMessage): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const host = request.headers['x-forwarded-host'] ?? request.headers.host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function createDashboardHandler(options: DashboardServerOptions): RequestHandler {
  const logger = options.logger.child({ module: 'dashboard' });
  const filter = new SecretFilter(options.secrets);
  const compiled: CompiledRoute[] = options.routes.map((route) => ({ route, match: pathMatcher(route.path) }));
  const hosts = new AllowedHosts(options.allowedHosts);

  async function serveApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const candidates = compiled.map((entry) => ({ entry, params: entry.match(url.pathname) })).filter((found) => found.params !== undefined);
    if (candidates.length === 0) throw new ApiError(404, `no such endpoint: ${url.pathname}`);
    const found = candidates.find((candidate) => candidate.entry.route.method === request.method);
    if (!found) {
      throw new ApiError(405, `${url.pathname} answers ${candidates.map((c) => c.entry.route.method).join(', ')}`, undefined, {
        allow: candidates.map((c) => c.entry.route.method).join(', '),
      });
    }
    const { route } = found.entry;
    const sessionToken = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = options.sessions.get(sessionToken);
    if (!hasRole(session, route.access)) {
      throw session ? new ApiError(403, 'the read-only login may look, not act') : new ApiError(401, 'log in first');
    }
    if (route.method !== 'GET') {
      if (!sameOrigin(request)) throw new ApiError(403, 'cross-site request refused');
      if (route.csrf !== false && (!session || !csrfMatches(session, header(request, 'x-csrf-token')))) {
        throw new ApiError(403, 'missing or wrong CSRF token (X-CSRF-Token header)');
      }
    }
    const context: RequestContext = {
      request,
      response,
      ...(session ? { session } : {}),
      ...(sessionToken ? { sessionToken } : {}),
      address: clientAddress(request),
      secure: isSecure(request),
    };
    const params = route.params ? parseInput(route.params, found.params, 'path') : undefined;
    const query = route.query ? parseInput(route.query, queryObject(url), 'query') : undefined;
    const body = route.body ? parseInput(route.body, await readJsonBody(request), 'body') : undefined;
    const result = await route.handle({ params, query, body, context });
    if (result instanceof RawReply) return result.write(response);
    if (!('json' in route.response)) throw new Error(`${route.path} returned JSON but declares ${route.response.contentType}`);
    writeJson(response, 200, z.encode(route.response.json, result), filter);
  }

  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      const misdirected = hosts.refusal(request);
      if (misdirected !== undefined) throw new ApiError(421, misdirected);
      if (url.pathname.startsWith('/api/') || url.pathname === '/api') {
        await serveApi(request, response, url);
        return;
      }
      if (!options.staticFiles || (request.method !== 'GET' && request.method !== 'HEAD')) throw new ApiError(404, `no such page: ${url.pathname}`);
      await options.staticFiles.serve(request, response, url.pathname);
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof ApiError) {
        writeJson(response, error.status, { error: error.message, ...(error.issues ? { issues: error.issues } : {}) }, filter, error.headers);
        return;
      }
      if (error instanceof DaemonStoppedError || error instanceof DaemonStartingError) {
        // Not a fault: the loop stopped taking commands on its way down, or has not loaded what was asked about yet.
        // The owner is told so, as on Telegram.
        writeJson(response, 503, { error: error.message }, filter);
        return;
      }
      logger.error({ err: error, path: url.pathname }, 'dashboard request failed');
      writeJson(response, 500, { error: 'internal error; the daemon log has the details' }, filter);
    }
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
