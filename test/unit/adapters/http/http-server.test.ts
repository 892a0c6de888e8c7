import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startHttpServer,
  type HealthReport,
  type HealthSource,
  type MetricsSource,
  type RunningHttpServer,
} from '../../../../src/adapters/http/index.js';
import { createDaemonMetrics } from '../../../../src/adapters/metrics/index.js';
import { RecordingLogger } from '../../../../src/testing/silent-logger.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(port: number, path: string, options: { method?: string; agent?: Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', agent: options.agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const healthy: HealthReport = { loop: { ok: true, detail: 'last tick 3 s ago' }, store: { ok: true, detail: 'answered' } };
const healthFrom = (check: HealthSource['check']): HealthSource => ({ check });
const metricsFrom = (render: MetricsSource['render'], contentType = 'text/plain; version=0.0.4; charset=utf-8'): MetricsSource => ({
  contentType,
  render,
});

const running: RunningHttpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serve(
  health: HealthSource,
  metrics: MetricsSource = metricsFrom(async () => ''),
  extra: { sourceTimeoutMs?: number; logger?: RecordingLogger } = {},
): Promise<RunningHttpServer> {
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', health, metrics, logger: extra.logger ?? new RecordingLogger(), ...extra });
  running.push(server);
  return server;
}

describe('GET /health', () => {
  it('when every check passes, then it answers 200 with status ok and the checks', async () => {
    const server = await serve(healthFrom(async () => healthy));

    const answer = await get(server.port, '/health');

    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok', checks: healthy });
  });

  it('when one check fails, then it answers 503 unhealthy with every check, so the failing one can be read', async () => {
    const checks = { ...healthy, exchange: { ok: false, detail: 'last exchange answer 900 s ago (limit 600 s)' } };
    const logger = new RecordingLogger();
    const server = await serve(healthFrom(async () => checks), undefined, { logger });

    const answer = await get(server.port, '/health?verbose=1');

    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ status: 'unhealthy', checks });
    expect(logger.lines.some((line) => line.level === 'warn')).toBe(true);
  });

  it('when the health source throws, then it answers 503 with a JSON error and keeps serving', async () => {
    let calls = 0;
    const server = await serve(
      healthFrom(async () => {
        calls += 1;
        if (calls === 1) throw new Error('store handle closed');
        return healthy;
      }),
    );

    const failed = await get(server.port, '/health');
    const next = await get(server.port, '/health');

    expect(failed.status).toBe(503);
    expect(JSON.parse(failed.body)).toEqual({ status: 'unhealthy', error: 'health checks could not run: store handle closed' });
    expect(next.status).toBe(200);
  });

  it('when the health source never answers, then the request ends with 503 after the source timeout', async () => {
    const server = await serve(healthFrom(() => new Promise<HealthReport>(() => undefined)), undefined, { sourceTimeoutMs: 50 });

    const answer = await get(server.port, '/health');

    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).error).toMatch(/no answer within 50 ms/);
  });
});

describe('GET /metrics', () => {
  it('answers 200 with the source\u2019s text and content type', async () => {
    const text = '# HELP up Always 1.\n# TYPE up gauge\nup 1\n';
    const server = await serve(healthFrom(async () => healthy), metricsFrom(async () => text));

    const answer = await get(server.port, '/metrics');

    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(answer.body).toBe(text);
  });

  it('when the daemon metrics are the source, then a scrape shows the loop timings and the account gauges', async () => {
    const metrics = createDaemonMetrics({ defaultMetrics: false });
    metrics.loop.tick({ startedAt: new Date('2025-10-15T12:00:00Z'), durationMs: 250 });
    metrics.setCollectors({ equity: async () => 105.5, tradingCapital: async () => 100, unrealizedPnl: async () => 5.5, activeBreakers: async () => 0, outboxBacklog: async () => 0 });
    const server = await serve(healthFrom(async () => healthy), metrics);

    const answer = await get(server.port, '/metrics');

    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(metrics.contentType);
    expect(answer.body).toMatch(/^trading_loop_tick_duration_seconds_bucket\{le="0.25"\} 1$/m);
    expect(answer.body).toMatch(/^trading_loop_tick_duration_seconds_bucket\{le="0.1"\} 0$/m);
    expect(answer.body).toMatch(/^trading_equity_usdt 105.5$/m);
  });

  it('when rendering fails, then it answers 500 with a JSON error and the health endpoint still works', async () => {
    const server = await serve(
      healthFrom(async () => healthy),
      metricsFrom(() => {
        throw new Error('collector exploded');
      }),
    );

    const answer = await get(server.port, '/metrics');

    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ error: 'metrics could not be rendered: collector exploded' });
    expect((await get(server.port, '/health')).status).toBe(200);
  });
});

describe('other requests', () => {
  it('answers 404 for an unknown path and 405 for a method other than GET', async () => {
    const server = await serve(healthFrom(async () => healthy));

    const unknown = await get(server.port, '/admin');
    const posted = await get(server.port, '/health', { method: 'POST' });

    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ error: 'no such endpoint: /admin' });
    expect(posted.status).toBe(405);
    expect(posted.headers.allow).toBe('GET');
  });

  it('when a path only normalises to /metrics or /health, then it is not answered as them: a proxy matching the raw path would not', async () => {
    const server = await serve(
      healthFrom(async () => healthy),
      metricsFrom(async () => 'equity 1234.5\n'),
    );

    const disguised = ['/x/..\\metrics', '/x/%2e%2e/metrics', '/.%2e/metrics', '/x/../metrics', '/%6detrics', '/x/%2e%2e/health'];
    const answers = await Promise.all(disguised.map((path) => get(server.port, path)));
    const plain = await get(server.port, '/metrics?format=text');

    expect(answers.map((answer) => answer.status)).toEqual(disguised.map(() => 404));
    expect(answers.some((answer) => answer.body.includes('equity'))).toBe(false);
    expect(plain.status).toBe(200);
    expect(plain.body).toBe('equity 1234.5\n');
  });
});

/** Whether a TCP connection to host:port is accepted (true) or refused (false). */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve(false) : reject(error)));
  });
}

describe('the listening address', () => {
  it('when no host is given, then it listens on loopback only: the machine\u2019s other addresses refuse the connection', async () => {
    const server = await startHttpServer({ port: 0, health: healthFrom(async () => healthy), metrics: metricsFrom(async () => ''), logger: new RecordingLogger() });
    running.push(server);
    const external = Object.values(networkInterfaces())
      .flatMap((entries) => entries ?? [])
      .filter((entry) => entry.family === 'IPv4' && !entry.internal)
      .map((entry) => entry.address);

    expect(server.host).toBe('127.0.0.1');
    expect(await accepts('127.0.0.1', server.port)).toBe(true);
    for (const address of external) expect(await accepts(address, server.port), address).toBe(false);
  });

  it('when a host is given, then that address is bound', async () => {
    const server = await startHttpServer({ port: 0, host: '0.0.0.0', health: healthFrom(async () => healthy), metrics: metricsFrom(async () => ''), logger: new RecordingLogger() });
    running.push(server);

    expect(server.host).toBe('0.0.0.0');
    expect(await accepts('127.0.0.1', server.port)).toBe(true);
  });
});

describe('starting and stopping', () => {
  it('when port 0 is asked for, then it reports the free port it got', async () => {
    const server = await serve(healthFrom(async () => healthy));

    expect(server.port).toBeGreaterThan(0);
    expect((await get(server.port, '/health')).status).toBe(200);
  });

  it('when the port is taken, then starting fails instead of running without an endpoint', async () => {
    const first = await serve(healthFrom(async () => healthy));

    const second = startHttpServer({ port: first.port, host: '127.0.0.1', health: healthFrom(async () => healthy), metrics: metricsFrom(async () => ''), logger: new RecordingLogger() });

    await expect(second).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('when a keep-alive client is connected, then close() still finishes well before the keep-alive timeout and refuses new connections', async () => {
    const server = await startHttpServer({ port: 0, host: '127.0.0.1', health: healthFrom(async () => healthy), metrics: metricsFrom(async () => ''), logger: new RecordingLogger() });
    const agent = new Agent({ keepAlive: true });
    await get(server.port, '/health', { agent });
    const socketsBefore = Object.values(agent.freeSockets).flat().length;

    const started = performance.now();
    await server.close();
    const elapsedMs = performance.now() - started;

    // Node's default keep-alive timeout is 5 s; an un-ended idle socket would hold close() that long.
    expect(socketsBefore).toBe(1);
    expect(elapsedMs).toBeLessThan(1_000);
    await expect(get(server.port, '/health')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    agent.destroy();
  });

  it('when a request is still waiting on its source, then close() cuts it after the grace period rather than waiting', async () => {
    let asked!: () => void;
    const wasAsked = new Promise<void>((resolve) => (asked = resolve));
    const hanging = healthFrom(() => {
      asked();
      return new Promise<HealthReport>(() => undefined);
    });
    const server = await startHttpServer({ port: 0, host: '127.0.0.1', health: hanging, metrics: metricsFrom(async () => ''), logger: new RecordingLogger(), closeGraceMs: 100 });
    const pending = get(server.port, '/health');
    await wasAsked;

    await server.close();

    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});
