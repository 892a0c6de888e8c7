// The whole daemon as `npm start` runs it (src/main.ts), pointed at the fake venue through its configuration.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDaemon } from '../../../src/main.js';
import { type FakeBinance, TEST_API_KEY, TEST_SECRET } from '../../peers/binance-usdm/index.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { BTC, startVenue, waitFor } from './live-harness.js';

let venue: FakeBinance | undefined;
let botApi: FakeBotApi | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await venue?.close();
  await botApi?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  venue = undefined;
  botApi = undefined;
  dataDir = undefined;
});

/** The configuration of a daemon trading BTC on the fake venue, with its database in a fresh folder. */
async function environment(venue: FakeBinance, overrides: Record<string, string>): Promise<Record<string, string>> {
  dataDir = await mkdtemp(join(tmpdir(), 'ltd-live-'));
  return {
    SYMBOLS: BTC,
    EXCHANGE_API_ORIGIN: venue.origin,
    EXCHANGE_WS_ORIGIN: venue.wsOrigin,
    DATA_DIR: dataDir,
    HTTP_PORT: '0',
    LOG_LEVEL: 'error',
    ...overrides,
  };
}

/** What the daemon prints through `print` (console.error for start-up failures, console.log for notifications). */
function capture(print: 'log' | 'error'): string[] {
  const lines: string[] = [];
  vi.spyOn(console, print).mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  return lines;
}

/** What the daemon logs as JSON lines on stdout, parsed. */
function captureLog(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  });
  return lines;
}

interface HealthAnswer {
  readonly status: number;
  readonly body: { status: string; checks: Record<string, { ok: boolean; detail: string }> };
}

const LIVE = { USE_PAPER_TRADING: 'false', BINANCE_API_KEY: TEST_API_KEY, BINANCE_SECRET_KEY: TEST_SECRET };

describe('runDaemon against the fake venue', () => {
  it('when live trading is asked for without LIVE_TRADING_ACKNOWLEDGED, then it refuses to start (exit 2) with one line saying what to type, and asks the venue nothing', async () => {
    venue = await startVenue();
    const env = await environment(venue, LIVE);
    const errors = capture('error');

    const code = await runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false });

    expect(code).toBe(2);
    const lines = errors.join('\n').split('\n').filter((line) => line.includes('LIVE_TRADING_ACKNOWLEDGED'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('LIVE_TRADING_ACKNOWLEDGED=I UNDERSTAND THE RISKS');
    expect(venue.requests).toEqual([]);
  }, 60_000);

  it('when the live API key may withdraw, then the daemon refuses to start (exit 1) and says to create a key without it', async () => {
    venue = await startVenue({ restrictions: { enableWithdrawals: true } });
    const env = await environment(venue, { ...LIVE, LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS' });
    const errors = capture('error');

    const code = await runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false });

    expect(code).toBe(1);
    const message = errors.join('\n');
    expect(message).toMatch(/^Start-up failed: .*allowed to withdraw funds/m);
    expect(message).toMatch(/Create a new API key/);
    expect(message).toMatch(/untick "Enable Withdrawals"/);
    expect(message).not.toContain(TEST_SECRET);
    expect(venue.requestsTo('/sapi/v1/account/apiRestrictions')).toHaveLength(1);
    expect(venue.signedRequests().filter((r) => r.method !== 'GET')).toEqual([]);
  }, 60_000);

  it('when the start fails while the owner\'s /pause waits for the loop, then the owner is told it was not carried out and the daemon exits (1)', async () => {
    venue = await startVenue();
    botApi = await FakeBotApi.start();
    const telegram = { TELEGRAM_BOT_TOKEN: botApi.token, TELEGRAM_CHAT_ID: '4242', TELEGRAM_API_ROOT: botApi.apiRoot };
    const env = await environment(venue, { ...LIVE, LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS', ...telegram });
    const errors = capture('error');
    capture('log');
    captureLog();
    const bot = botApi;
    // The start's balance read is the first account read once the command menu is published (Telegram answers from
    // then on). Its answer is held, delayed from the listener before the venue acts on it, until the venue goes down.
    let startReading!: () => void;
    const startIsReading = new Promise<void>((resolve) => (startReading = resolve));
    let held = false;
    venue.onRequest((request) => {
      if (held || request.path !== '/fapi/v3/account' || bot.callsOf('setMyCommands').length === 0) return;
      held = true;
      venue?.delayNext({ path: request.path, ms: 3_600_000 });
      startReading();
    });

    const running = runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false });
    await startIsReading;
    bot.pushMessage(4242, '/pause');
    // Updates are handled in order: once /help is answered, the /pause before it waits in the daemon's queue.
    bot.pushMessage(4242, '/help');
    await bot.waitFor((server) => server.sent.some((message) => message.visible.includes('/pause')), 'the answer to /help');
    await venue.close();
    const code = await running;

    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/^Start-up failed: /m);
    expect(bot.sent.map((message) => message.visible)).toContain('⚠️ /pause failed: the daemon is shutting down; the command was not carried out');
  }, 60_000);

  it('when it runs in paper mode, then it scans the venue\'s market data and never sends one signed or keyed request', async () => {
    venue = await startVenue();
    venue.setPrice('BTCUSDT', 100_000);
    const env = await environment(venue, { USE_PAPER_TRADING: 'true', NOTIFY_SCANS: 'all', LOG_LEVEL: 'info' });
    const printed = capture('log');
    const logged = captureLog();
    const stop = new AbortController();

    const running = runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false, signal: stop.signal });
    try {
      await waitFor(() => printed.some((line) => line.includes('Daemon started')), 'the started message', 30_000);
      await waitFor(() => printed.some((line) => line.includes('Scan')), 'the first scan result', 30_000);
    } finally {
      stop.abort();
    }
    const code = await running;

    expect(code).toBe(0);
    expect(printed.find((line) => line.includes('Daemon started'))).toMatch(/PAPER/i);
    for (const timeframe of ['15m', '1h', '4h']) {
      expect(venue.requestsTo('/fapi/v1/klines').some((r) => r.params['interval'] === timeframe)).toBe(true);
    }
    expect(venue.signedRequests()).toEqual([]);
    // HTTP_HOST unset: /health and /metrics (equity, AI spend) are bound to loopback, out of reach of the network.
    expect(logged.find((line) => line['msg'] === 'health, metrics and dashboard served')).toMatchObject({ host: '127.0.0.1' });
  }, 90_000);

  // Most scans are answered from cached closed candles, and in paper mode the account is read from the store: none of
  // that is the venue answering. The clock runs 600 times fast, so the 15-minute limit passes in 1.5 s.
  it.each([
    ['paper', 'market data', { USE_PAPER_TRADING: 'true' }],
    ['live', 'exchange', { ...LIVE, LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS' }],
  ] as const)('%s mode: when the venue has been unreachable for longer than the limit, then /health answers 503 naming the %s', async (_, label, mode) => {
    const speed = 600;
    venue = await startVenue();
    venue.setPrice('BTCUSDT', 100_000);
    // The venue's clock runs with the daemon's, so the candles it serves close as the daemon expects.
    const start = new Date(venue.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    venue.runClock(true, speed);
    const env = await environment(venue, { ...mode, LOG_LEVEL: 'info', DASHBOARD_ENABLED: 'false', SIMULATION_SPEED: String(speed), SIMULATION_START: start });
    capture('log');
    const logged = captureLog();
    const stop = new AbortController();
    const running = runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false, signal: stop.signal });
    const health = async (): Promise<HealthAnswer> => {
      const port = logged.find((line) => line['msg'] === 'health, metrics and dashboard served')?.['port'];
      const response = await fetch(`http://127.0.0.1:${String(port)}/health`);
      return { status: response.status, body: (await response.json()) as HealthAnswer['body'] };
    };
    let after: HealthAnswer | undefined;
    try {
      const server = venue;
      // A scan has read the 4h candles, so the ones it reads next come from the cache.
      await waitFor(() => server.requestsTo('/fapi/v1/klines').some((r) => r.params['interval'] === '4h'), 'the first scan', 60_000);
      await waitFor(async () => (await health()).status === 200, 'a healthy daemon', 30_000);

      const goneAt = server.now();
      await server.close();
      venue = undefined;
      // The venue's clock runs on after it closes, in step with the daemon's: past the limit and a scan more.
      await waitFor(() => server.now() >= goneAt + 20 * 60_000, '20 simulated minutes without the venue', 30_000);
      after = await health();
    } finally {
      stop.abort();
    }
    await running;

    expect(after?.status).toBe(503);
    expect(after?.body.status).toBe('unhealthy');
    expect(after?.body.checks['exchange']).toMatchObject({ ok: false, detail: expect.stringMatching(new RegExp(`^last ${label} answer \\d+ s ago \\(limit 900 s\\)$`)) });
  }, 120_000);
});
