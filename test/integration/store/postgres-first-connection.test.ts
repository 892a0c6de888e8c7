// After a reboot Docker may start the daemon before Postgres answers: the store waits about a minute for a server
// whose name does not resolve yet, whose port refuses, or which is still starting, and then gives up as before.
// Against a real Postgres (DATABASE_URL) behind a local port the test opens and closes; time is a manual clock.
import net from 'node:net';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { openStore, SERVER_START_PATIENCE_MS } from '../../../src/adapters/store/open-store.js';
import { TemporaryError } from '../../../src/domain/errors.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { databaseUrl, dropSchema, required, skipWithout, uniqueName } from '../../support/services.js';
import { TcpProxy } from '../../support/tcp-proxy.js';

const url = databaseUrl();
const PASSWORD = 'not-the-real-one-5f3a';

/** The URL of the server at `port` on this machine; with `password`, one the log must never show. */
function viaPort(port: number, password?: string): string {
  const target = new URL(required(url, 'DATABASE_URL'));
  target.hostname = '127.0.0.1';
  target.port = String(port);
  if (password !== undefined) target.password = password;
  return target.toString();
}

/** A manual clock whose every sleep lets the test change the world (start the server) before the next attempt. */
function clockWith(onSleep: (sleeps: number) => Promise<void> | void): ManualClock & { sleeps: number } {
  const clock = Object.assign(new ManualClock(new Date('2026-01-01T00:00:00Z')), { sleeps: 0 });
  const sleep = clock.sleep.bind(clock);
  clock.sleep = async (ms: number, signal?: AbortSignal) => {
    await sleep(ms, signal);
    clock.sleeps += 1;
    await onSleep(clock.sleeps);
  };
  return clock;
}

/**
 * Postgres as it answers while it starts: every connection gets the FATAL 57P03 error, until `ready`, from when on
 * connections go through to the real server.
 */
class StartingPostgres {
  ready = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;

  private constructor(private readonly target: URL) {
    this.server = net.createServer((client) => this.answer(client));
  }

  static async start(target: URL): Promise<StartingPostgres> {
    const stand = new StartingPostgres(target);
    stand.server.listen(0, '127.0.0.1');
    await once(stand.server, 'listening');
    return stand;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(client: net.Socket): void {
    this.sockets.add(client);
    client.on('error', () => client.destroy());
    if (this.ready) {
      const upstream = net.connect(Number(this.target.port || 5432), this.target.hostname);
      this.sockets.add(upstream);
      upstream.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      return;
    }
    // The startup message arrives first; the answer is the server's own while it recovers.
    client.once('data', () => {
      const fields = Buffer.from('SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0');
      const header = Buffer.alloc(5);
      header.write('E', 0);
      header.writeInt32BE(fields.length + 4, 1);
      client.end(Buffer.concat([header, fields]));
    });
  }
}

describe.skipIf(skipWithout(url))('the store\u2019s first connection to Postgres', () => {
  const schemas: string[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  let target: URL;

  beforeAll(() => {
    target = new URL(required(url, 'DATABASE_URL'));
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(required(url, 'DATABASE_URL'), schema);
  });

  /** The real server behind a port that refuses connections until restored. */
  async function refusingPort(): Promise<TcpProxy> {
    const proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    await proxy.cut();
    closers.push(() => proxy.close());
    return proxy;
  }

  it('when the port refuses at first and then accepts, then the store opens, each attempt logged', async () => {
    const proxy = await refusingPort();
    const clock = clockWith(async (sleeps) => {
      if (sleeps === 2) await proxy.restore();
    });
    const logger = new RecordingLogger();
    const schema = uniqueName('first_connection');
    schemas.push(schema);

    const store = await openStore({ databaseUrl: viaPort(proxy.port), schema, logger, clock, waitForServerMs: SERVER_START_PATIENCE_MS });
    closers.push(() => store.close());

    const waits = logger.lines.filter((line) => line.message === 'the database is not up yet; trying again');
    expect(waits.map((line) => line.context)).toEqual([
      expect.objectContaining({ server: `127.0.0.1:${proxy.port}`, attempt: 1, reason: 'ECONNREFUSED', retryInMs: 2_000 }),
      expect.objectContaining({ server: `127.0.0.1:${proxy.port}`, attempt: 2, reason: 'ECONNREFUSED', retryInMs: 2_000 }),
    ]);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:04.000Z');
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('when the server is still starting up, then the store waits for it and opens', async () => {
    const starting = await StartingPostgres.start(target);
    closers.push(() => starting.close());
    const clock = clockWith(() => {
      starting.ready = true;
    });
    const logger = new RecordingLogger();
    const schema = uniqueName('first_connection');
    schemas.push(schema);

    const store = await openStore({ databaseUrl: viaPort(starting.port), schema, logger, clock, waitForServerMs: SERVER_START_PATIENCE_MS });
    closers.push(() => store.close());

    expect(clock.sleeps).toBe(1);
    expect(logger.lines.filter((line) => line.level === 'warn').map((line) => line.context)).toEqual([
      expect.objectContaining({ attempt: 1, reason: 'the database system is starting up' }),
    ]);
  });

  it('when the port refuses for a minute, then opening fails as before, with a temporary error, and the log never holds the password', async () => {
    const proxy = await refusingPort();
    const clock = clockWith(() => undefined);
    const logger = new RecordingLogger();

    await expect(openStore({ databaseUrl: viaPort(proxy.port, PASSWORD), logger, clock, waitForServerMs: SERVER_START_PATIENCE_MS })).rejects.toBeInstanceOf(TemporaryError);

    expect(clock.now().toISOString()).toBe('2026-01-01T00:01:00.000Z');
    expect(clock.sleeps).toBe(30);
    expect(JSON.stringify(logger.lines)).not.toContain(PASSWORD);
  });
});
