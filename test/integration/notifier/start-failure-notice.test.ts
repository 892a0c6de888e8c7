// A daemon that cannot start is restarted by Docker and fails again: the owner must hear of it on Telegram once, not
// once per restart, and hear again when the reason changes or after an hour. Real telegraf against the fake Bot API,
// the record of failures in a real folder.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { START_FAILURES_FILE, StartFailureNotice } from '../../../src/adapters/notifier/start-failure-notice.js';
import { SecretScrubber } from '../../../src/adapters/logging/scrub-secrets.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';

const CHAT = '4242';
const API_SECRET = 'sk-venue-secret-0123456789';

let api: FakeBotApi | undefined;
let scratch: string | undefined;

afterEach(async () => {
  await api?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
  api = undefined;
  scratch = undefined;
});

interface Setup {
  readonly api: FakeBotApi;
  readonly clock: ManualClock;
  readonly logger: RecordingLogger;
  readonly dataDir: string;
  readonly fallbackDir: string;
  /** Makes DATA_DIR writable again, as when the disk was cleared between two restarts. */
  unblockDataDir(): Promise<void>;
  /** A notice as a fresh process would build it: each failed start is a new process. */
  notice(options?: { readonly sendBudgetMs?: number; readonly telegram?: false }): StartFailureNotice;
}

/**
 * An unwritable folder is one whose parent is a regular file: tests may run as root, whom a read-only mode does not
 * stop.
 */
async function setUp(unwritable: { readonly dataDir?: boolean; readonly fallback?: boolean } = {}): Promise<Setup> {
  const clock = new ManualClock('2025-10-10T03:04:00Z');
  const server = await FakeBotApi.start({ timeSource: () => clock.now().getTime() });
  api = server;
  const folder = await mkdtemp(join(tmpdir(), 'ltd-start-failures-'));
  scratch = folder;
  const dataBlocker = join(folder, 'data-blocker');
  const fallbackBlocker = join(folder, 'fallback-blocker');
  if (unwritable.dataDir === true) await writeFile(dataBlocker, '');
  if (unwritable.fallback === true) await writeFile(fallbackBlocker, '');
  const data = join(folder, 'data-blocker', 'data');
  const fallback = join(folder, 'fallback-blocker', 'tmp');
  const logger = new RecordingLogger();
  return {
    api: server,
    clock,
    logger,
    dataDir: data,
    fallbackDir: fallback,
    unblockDataDir: () => rm(dataBlocker, { force: true }),
    notice: (options = {}) =>
      new StartFailureNotice({
        dataDir: data,
        fallbackDir: fallback,
        clock,
        logger,
        mode: 'live',
        ...(options.telegram === false ? {} : { telegram: { token: server.token, chatId: CHAT, apiRoot: server.apiRoot } }),
        hideSecrets: new SecretScrubber([API_SECRET, server.token]),
        ...(options.sendBudgetMs === undefined ? {} : { sendBudgetMs: options.sendBudgetMs }),
      }),
  };
}

const maintenance = (requestId: number) => new Error(`binance {"code":-1,"msg":"System maintenance","requestId":${requestId}}`);

describe('telling the owner that the daemon could not start', () => {
  it('when the start fails, then the owner gets one plain message with the mode, the reason without secrets, and what happens next', async () => {
    const { api, notice } = await setUp();

    await notice().failed(new Error(`the exchange refused the API key ${API_SECRET}: it may withdraw funds`));

    expect(api.sent).toHaveLength(1);
    const message = api.sent[0]!;
    expect(message.chatId).toBe(CHAT);
    expect(message.parseMode).toBeUndefined();
    expect(message.visible).toContain('could not start · LIVE');
    expect(message.visible).toContain('it may withdraw funds');
    expect(message.visible).toMatch(/started again and retries/);
    expect(message.visible).toMatch(/Check: /);
    expect(message.visible).not.toContain(API_SECRET);
  });

  it('when a live start fails, then the owner is told only the stops placed before rest on the exchange, and to check the venue for a position still without one', async () => {
    const { api, notice } = await setUp();

    await notice().failed(new Error('request timed out'));

    const visible = api.sent[0]!.visible;
    expect(visible).toMatch(/Stops placed before the daemon stopped rest on the exchange/);
    expect(visible).toMatch(/a position whose stop was not placed yet .* is unprotected until then: check the exchange/);
    expect(visible).not.toContain('Open positions keep their stops');
  });

  it('when the same start fails again within the hour (its numbers aside), then nothing more is sent; after the hour the owner hears how many starts failed since when', async () => {
    const { api, clock, notice } = await setUp();

    await notice().failed(maintenance(1));
    clock.advanceBy(60_000);
    await notice().failed(maintenance(2));
    clock.advanceBy(58 * 60_000);
    await notice().failed(maintenance(3));
    expect(api.sent).toHaveLength(1);

    clock.advanceBy(60_000);
    await notice().failed(maintenance(4));

    expect(api.sent).toHaveLength(2);
    expect(api.sent[1]!.visible).toContain('4 failed starts since 2025-10-10 03:04 UTC');
  });

  it('when the reason changes, then the owner hears at once', async () => {
    const { api, clock, notice } = await setUp();

    await notice().failed(maintenance(1));
    clock.advanceBy(60_000);
    await notice().failed(new Error('connect ECONNREFUSED 127.0.0.1:5432'));

    expect(api.sent.map((message) => message.visible)).toEqual([expect.stringContaining('System maintenance'), expect.stringContaining('ECONNREFUSED')]);
    expect(api.sent[1]!.visible).toContain('2 failed starts since 2025-10-10 03:04 UTC');
  });

  it('when two reasons take turns through a maintenance, then each is told once within the hour, not at every restart', async () => {
    const { api, clock, notice } = await setUp();

    for (let restart = 0; restart < 6; restart += 1) {
      await notice().failed(restart % 2 === 0 ? maintenance(restart) : new Error('fetch failed: request timed out after 10000 ms'));
      clock.advanceBy(60_000);
    }

    expect(api.sent.map((message) => message.visible)).toEqual([expect.stringContaining('System maintenance'), expect.stringContaining('request timed out')]);
  });

  it('when Telegram never answers, then it gives up after its budget without throwing, and the next failed start tries again', async () => {
    const { api, clock, logger, notice } = await setUp();
    api.failNext(1, { kind: 'hang' });

    const failing = notice({ sendBudgetMs: 5_000 }).failed(maintenance(1));
    await api.waitFor((server) => server.callsOf('sendMessage').some((call) => call.outcome === 'hung'), 'the hung send');
    clock.advanceBy(5_000);
    await failing;

    expect(logger.lines.some((line) => line.level === 'warn' && line.message.includes('could not tell the owner'))).toBe(true);
    await notice().failed(maintenance(2));
    expect(api.sent).toHaveLength(1);
  });

  it('when Telegram refuses or is down, then the failure path neither throws nor shows the bot token in the log', async () => {
    const { api, logger, notice } = await setUp();
    api.failNext(1, { kind: 'bad_request', description: 'Bad Request: chat not found' });

    await expect(notice().failed(maintenance(1))).resolves.toBeUndefined();
    await api.goDown();
    await expect(notice().failed(maintenance(2))).resolves.toBeUndefined();

    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(warnings)).not.toContain(api.token.split(':')[1]);
  });

  it('when a start succeeds after failures, then its start-up line says so, the record is gone, and a later error is not told as a failed start', async () => {
    const { api, clock, dataDir, notice } = await setUp();
    await notice().failed(maintenance(1));
    clock.advanceBy(2 * 60_000);
    await notice().failed(maintenance(2));
    const record = JSON.parse(await readFile(join(dataDir, START_FAILURES_FILE), 'utf8')) as { count: number };
    expect(record.count).toBe(2);

    const started = notice();
    expect(await started.recoveryLine()).toBe('Recovered after 2 failed starts since 2025-10-10 03:04 UTC');
    await started.succeeded();
    await started.failed(new Error('loop ended on an error'));

    await expect(readFile(join(dataDir, START_FAILURES_FILE), 'utf8')).rejects.toThrow(/ENOENT/);
    expect(await notice().recoveryLine()).toBeUndefined();
    expect(api.sent).toHaveLength(1);
  });

  it('when Telegram is not configured, then failed starts are only counted, for the start that succeeds', async () => {
    const { api, notice } = await setUp();

    await notice({ telegram: false }).failed(maintenance(1));

    expect(api.calls).toEqual([]);
    expect(await notice({ telegram: false }).recoveryLine()).toBe('Recovered after 1 failed start since 2025-10-10 03:04 UTC');
  });

  it('when DATA_DIR cannot be written, then five restarts a minute apart still send one message, and the record is kept in the fallback folder', async () => {
    const { api, clock, fallbackDir, notice } = await setUp({ dataDir: true });

    for (let start = 1; start <= 5; start += 1) {
      await notice().failed(new Error(`ENOSPC: no space left on device, write (request ${start})`));
      clock.advanceBy(60_000);
    }

    expect(api.sent).toHaveLength(1);
    expect(api.sent[0]!.visible).not.toContain('could not be recorded');
    expect(await notice().recoveryLine()).toBe('Recovered after 5 failed starts since 2025-10-10 03:04 UTC');
    expect(await readdir(fallbackDir)).toEqual([expect.stringMatching(/^start-failures-[0-9a-f]+\.json$/)]);
  });

  it('when DATA_DIR fills up during a run of failed starts, then its older record does not hide the newer one in the fallback folder', async () => {
    const { api, clock, dataDir, notice } = await setUp();
    await notice().failed(maintenance(1));
    // A folder where the record's temporary copy goes makes every later write fail, as a full disk does, while the
    // record already there can still be read.
    await mkdir(join(dataDir, `${START_FAILURES_FILE}.tmp`));

    for (let start = 2; start <= 4; start += 1) {
      clock.advanceBy(60_000);
      await notice().failed(new Error(`ENOSPC: no space left on device, write (request ${start})`));
    }

    expect(api.sent.map((message) => message.visible)).toEqual([expect.stringContaining('System maintenance'), expect.stringContaining('ENOSPC')]);
  });

  it('when neither DATA_DIR nor the fallback folder can be written, then every failed start still tells the owner, and says it may repeat at every restart', async () => {
    const { api, clock, notice } = await setUp({ dataDir: true, fallback: true });

    for (let start = 1; start <= 3; start += 1) {
      await notice().failed(maintenance(start));
      clock.advanceBy(60_000);
    }

    expect(api.sent).toHaveLength(3);
    for (const message of api.sent) {
      expect(message.visible).toContain('could not be recorded');
      expect(message.visible).toMatch(/may repeat at every restart/);
      expect(message.visible).not.toMatch(/at most once an hour/);
    }
  });

  it('when a start succeeds after failures recorded in both places, then it counts them all and clears both', async () => {
    const { clock, dataDir, fallbackDir, notice, unblockDataDir } = await setUp({ dataDir: true });
    await notice().failed(maintenance(1));
    await unblockDataDir();
    clock.advanceBy(60_000);
    await notice().failed(maintenance(2));
    expect(await readdir(fallbackDir)).toHaveLength(1);

    const started = notice();
    expect(await started.recoveryLine()).toBe('Recovered after 2 failed starts since 2025-10-10 03:04 UTC');
    await started.succeeded();

    await expect(readFile(join(dataDir, START_FAILURES_FILE), 'utf8')).rejects.toThrow(/ENOENT/);
    expect(await readdir(fallbackDir)).toEqual([]);
    expect(await notice().recoveryLine()).toBeUndefined();
  });
});
