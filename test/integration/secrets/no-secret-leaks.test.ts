// The daemon run as a process with known fake keys for every secret: live trading against the local venue, two AI
// providers (one refusing the key: an error path), Telegram, and a key stored encrypted. Through start-up, the error,
// shutdown, and a failed start with a wrong secret, no key may appear in a log line, a Telegram message, or the
// process's error output.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptSecret } from '../../../src/config/secrets.js';
import { AnthropicServer } from '../../peers/anthropic/anthropic-server.js';
import { startFakeBinance } from '../../peers/binance-usdm/index.js';
import { OpenAiServer } from '../../peers/openai/openai-server.js';
import { FakeBotApi } from '../../peers/telegram/fake-bot-api.js';

const SECRETS = {
  binanceKey: 'leaktest-binance-key-5d1c0a7e',
  binanceSecret: 'leaktest-binance-secret-93b2f4aa61',
  claudeKey: 'leaktest-claude-key-7f3e9c2b41',
  deepseekKey: 'leaktest-deepseek-key-0a8d6e2f13',
  telegramToken: '424242:leaktest-telegram-token-c4e1b9',
  masterKey: 'leaktest-master-key-b7a95e3d2c',
};
const START = fileURLToPath(new URL('../../../src/cli/start.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let venue: Awaited<ReturnType<typeof startFakeBinance>>;
let claude: AnthropicServer;
let deepseek: OpenAiServer;
let telegram: FakeBotApi;

beforeAll(async () => {
  venue = await startFakeBinance({ apiKey: SECRETS.binanceKey, secret: SECRETS.binanceSecret });
  claude = await AnthropicServer.start({ apiKey: 'a-different-key-so-every-call-is-refused' });
  deepseek = await OpenAiServer.start({ apiKey: SECRETS.deepseekKey });
  telegram = await FakeBotApi.start({ token: SECRETS.telegramToken });
});

afterAll(async () => {
  await Promise.all([venue.close(), claude.close(), deepseek.close(), telegram.close()]);
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the daemon; `stopWhen` is polled (bounded) and SIGTERM sent once it holds. */
async function runDaemon(env: Record<string, string>, stopWhen?: () => boolean): Promise<Run> {
  const cwd = await mkdtemp(join(tmpdir(), 'leak-'));
  const child = spawn(process.execPath, ['--import', TSX, START], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, DATA_DIR: join(cwd, 'data'), HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (stopWhen) {
    for (let attempt = 0; attempt < 600 && !stopWhen() && child.exitCode === null; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGTERM');
  }
  const code = await exited;
  // The system_logs table holds the warnings and errors the daemon persisted: they must be clean too.
  const dataDir = join(cwd, 'data', 'pglite');
  let persisted = '';
  if (existsSync(dataDir)) {
    const db = new PGlite(dataDir);
    const logs = await db.query<{ line: string }>('SELECT row_to_json(l)::text AS line FROM system_logs l');
    persisted = logs.rows.map((row) => row.line).join('\n');
    await db.close();
  }
  return { code, stdout: `${stdout}\n${persisted}`, stderr };
}

function liveEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    USE_PAPER_TRADING: 'false',
    LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS',
    BINANCE_API_KEY: SECRETS.binanceKey,
    BINANCE_SECRET_KEY: SECRETS.binanceSecret,
    EXCHANGE_API_ORIGIN: venue.origin,
    EXCHANGE_WS_ORIGIN: venue.wsOrigin,
    SYMBOLS: 'BTC/USDT:USDT,ETH/USDT:USDT',
    CLAUDE_API_KEY: SECRETS.claudeKey,
    CLAUDE_BASE_URL: claude.origin,
    MASTER_KEY: SECRETS.masterKey,
    DEEPSEEK_API_KEY: encryptSecret(SECRETS.deepseekKey, SECRETS.masterKey),
    DEEPSEEK_BASE_URL: deepseek.origin,
    AI_MODE: 'full',
    TELEGRAM_BOT_TOKEN: SECRETS.telegramToken,
    TELEGRAM_CHAT_ID: '777',
    TELEGRAM_API_ROOT: telegram.apiRoot,
    LOG_LEVEL: 'debug',
    ...overrides,
  };
}

function expectNoSecret(...texts: string[]): void {
  const all = texts.join('\n');
  for (const [name, value] of Object.entries(SECRETS)) expect(all.includes(value), `${name} leaked`).toBe(false);
}

describe('secrets never leak', () => {
  it('through start-up, an AI provider refusing its key, and shutdown', async () => {
    const run = await runDaemon(liveEnv(), () => claude.requests.length > 0 && telegram.sent.length >= 2);
    expect(run.code).toBe(0);
    // The error path really happened, and the daemon reported it without the key.
    expect(claude.requests.length).toBeGreaterThan(0);
    expect(run.stdout).toContain('authentication');
    expect(telegram.sent.length).toBeGreaterThan(0);
    expect(telegram.sent.some((message) => message.raw.includes('Daemon started'))).toBe(true);
    expectNoSecret(run.stdout, run.stderr, ...telegram.sent.map((message) => message.raw));
  }, 180_000);

  it('when start-up fails on a wrong exchange secret', async () => {
    const run = await runDaemon(liveEnv({ BINANCE_SECRET_KEY: 'leaktest-wrong-secret-1f2e3d4c5b' }));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Start-up failed');
    expectNoSecret(run.stdout, run.stderr);
    expect(`${run.stdout}${run.stderr}`.includes('leaktest-wrong-secret-1f2e3d4c5b')).toBe(false);
  }, 180_000);

  it('when the master key is wrong, start-up stops naming the variable, not the value', async () => {
    const run = await runDaemon(liveEnv({ MASTER_KEY: 'leaktest-not-the-master-key-99' }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DEEPSEEK_API_KEY');
    expectNoSecret(run.stdout, run.stderr);
  }, 180_000);
});
