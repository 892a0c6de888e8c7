// The whole daemon (src/main.ts) restarted the way Docker restarts it, against the fake venue and the fake Bot API: a
// start the venue refuses tells the owner once across restarts, and the start that finally succeeds says it recovered.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { START_FAILURES_FILE } from '../../../src/adapters/notifier/start-failure-notice.js';
import { runDaemon } from '../../../src/main.js';
import { type FakeBinance, TEST_API_KEY, TEST_SECRET } from '../../peers/binance-usdm/index.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { BTC, startVenue } from '../live/live-harness.js';

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

/** Keeps the daemon's console output (start-up failures, JSON log lines) out of the test's report. */
function quiet(): void {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
}

describe('runDaemon restarted after failed starts', () => {
  it('when the venue refuses the key at two starts, then the owner gets one message; when the third start succeeds, its start-up message says it recovered', async () => {
    venue = await startVenue({ restrictions: { enableWithdrawals: true } });
    const bot = await FakeBotApi.start();
    botApi = bot;
    dataDir = await mkdtemp(join(tmpdir(), 'ltd-start-failures-'));
    const env = {
      SYMBOLS: BTC,
      EXCHANGE_API_ORIGIN: venue.origin,
      EXCHANGE_WS_ORIGIN: venue.wsOrigin,
      DATA_DIR: dataDir,
      HTTP_PORT: '0',
      LOG_LEVEL: 'error',
      USE_PAPER_TRADING: 'false',
      BINANCE_API_KEY: TEST_API_KEY,
      BINANCE_SECRET_KEY: TEST_SECRET,
      LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS',
      TELEGRAM_BOT_TOKEN: bot.token,
      TELEGRAM_CHAT_ID: '4242',
      TELEGRAM_API_ROOT: bot.apiRoot,
    };
    quiet();
    const start = (signal?: AbortSignal) => runDaemon({ config: { env, dotenvPath: undefined }, installSignalHandlers: false, ...(signal ? { signal } : {}) });

    const codes = [await start(), await start()];

    expect(codes).toEqual([1, 1]);
    expect(bot.sent).toHaveLength(1);
    expect(bot.sent[0]!.chatId).toBe('4242');
    expect(bot.sent[0]!.visible).toContain('could not start · LIVE');
    expect(bot.sent[0]!.visible).toMatch(/allowed to withdraw funds/);
    expect(bot.sent[0]!.visible).not.toContain(TEST_SECRET);

    venue.setApiRestrictions({ enableWithdrawals: false });
    const stop = new AbortController();
    const running = start(stop.signal);
    try {
      await bot.waitFor((server) => server.sent.some((message) => message.visible.includes('Daemon started')), 'the start-up message', 60_000);
    } finally {
      stop.abort();
    }

    expect(await running).toBe(0);
    const started = bot.sent.find((message) => message.visible.includes('Daemon started'));
    expect(started?.visible).toMatch(/WARNING: Recovered after 2 failed starts since \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(await readdir(dataDir)).not.toContain(START_FAILURES_FILE);
  }, 90_000);
});
