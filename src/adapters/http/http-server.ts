// The daemon's only listening socket: `/health` for Docker and uptime monitors, `/metrics` for Prometheus.
// It holds no trading state of its own; it asks the sources it is given on every request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../ports/logger.js';

export interface HealthCheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

export type HealthReport = Record<string, HealthCheckResult>;

export interface HealthSource {
  check(): Promise<HealthReport>;
}

export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

export interface HttpServerOptions {
  readonly port: number;
  /** Listening address; loopback unless given, since /metrics shows equity and AI spend. */
  readonly host?: string;
  readonly health: HealthSource;
  readonly metrics: MetricsSource;
  readonly logger: Logger;
  /** A source slower than this answers 503/500, so a hung dependency cannot pile up requests. */
  readonly sourceTimeoutMs?: number;
  /** How long `close()` lets in-flight responses finish before cutting their sockets. */
  readonly closeGraceMs?: number;
  /** Answers every path other than /health and /metrics (the dashboard); without it they are 404. */
  readonly fallback?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

export interface RunningHttpServer {
  /** The address actually bound. */
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_SOURCE_TIMEOUT_MS = 5_000;
const DEFAULT_CLOSE_GRACE_MS = 1_000;
const DEFAULT_HOST = '127.0.0.1';

class SourceTimeout extends Error {}

function withTimeout<T>(work: () => Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new SourceTimeout(`no answer within ${ms} ms`)), ms);
    // A source that throws synchronously must end up as a rejection, not an exception in the request handler.
    Promise.resolve()
      .then(work)
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

function isHealthy(report: HealthReport): boolean {
  return Object.values(report).every((check) => check.ok);
}

export function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const logger = options.logger.child({ module: 'http' });
  const sourceTimeoutMs = options.sourceTimeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS;
  const closeGraceMs = options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;

  async function serveHealth(response: ServerResponse): Promise<void> {
    try {
      const checks = await withTimeout(() => options.health.check(), sourceTimeoutMs);
      const healthy = isHealthy(checks);
      if (!healthy) logger.warn({ checks }, 'health check reports a problem');
      sendJson(response, healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', checks });
    } catch (error) {
      logger.error({ err: error }, 'health source failed');
      sendJson(response, 503, { status: 'unhealthy', error: `health checks could not run: ${(error as Error).message}` });
    }
  }

  async function serveMetrics(response: ServerResponse): Promise<void> {
    try {
      const text = await withTimeout(() => options.metrics.render(), sourceTimeoutMs);
      response.writeHead(200, {
        'content-type': options.metrics.contentType,
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
      });
      response.end(text);
    } catch (error) {
      logger.error({ err: error }, 'metrics source failed');
      sendJson(response, 500, { error: `metrics could not be rendered: ${(error as Error).message}` });
    }
  }

  function route(request: IncomingMessage, response: ServerResponse): Promise<void> | void {
    // The path exactly as sent, not as URL parsing normalises it: a reverse proxy that keeps /metrics (no login) to
    // itself matches the raw path, so `/x/..\metrics` or `/.%2e/metrics` passed on to us must not answer as /metrics.
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const handler = path === '/health' ? serveHealth : path === '/metrics' ? serveMetrics : undefined;
    if (!handler) return options.fallback ? options.fallback(request, response) : sendJson(response, 404, { error: `no such endpoint: ${path}` });
    if (request.method !== 'GET') {
      response.setHeader('allow', 'GET');
      return sendJson(response, 405, { error: `${path} answers GET only` });
    }
    return handler(response);
  }

  const server: Server = createServer((request, response) => {
    Promise.resolve()
      .then(() => route(request, response))
      .catch((error: unknown) => {
        // Last line of defence: a bug here must cost one request, never the daemon.
        logger.error({ err: error }, 'request handler failed');
        if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
        else response.destroy();
      });
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  return new Promise<RunningHttpServer>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? DEFAULT_HOST, () => {
      server.off('error', reject);
      server.on('error', (error) => logger.error({ err: error }, 'http server error'));
      const { address: host, port } = server.address() as AddressInfo;
      logger.info({ port, host }, 'health and metrics endpoint listening');
      resolve({ host, port, close: () => closeServer(server, closeGraceMs) });
    });
  });
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve) => {
    // Idle keep-alive sockets would hold `close` open for the keep-alive timeout; busy ones get a short grace.
    const cutoff = setTimeout(() => server.closeAllConnections(), graceMs);
    cutoff.unref();
    server.close(() => {
      clearTimeout(cutoff);
      resolve();
    });
    server.closeIdleConnections();
  });
}
