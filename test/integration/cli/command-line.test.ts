// `--help` and mistyped flags end a command before it opens anything: the daemon must never start trading because
// someone asked it how to use it. Each command runs as its own process, with an environment under which starting
// would leave traces: a data folder created, a connection to the (stand-in) exchange.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptSecret } from '../../../src/config/secrets.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cli = (name: string): string => fileURLToPath(new URL(`../../../src/cli/${name}.ts`, import.meta.url));
/** Far longer than printing usage takes; a command still running by then has started for real. */
const DEADLINE_MS = 20_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly killedAtDeadline: boolean;
}

let cwd: string;
let exchange: Server;
let exchangeConnections: number;
let exchangeOrigin: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'ltd-cli-'));
  exchangeConnections = 0;
  exchange = createServer((socket) => {
    exchangeConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => exchange.listen(0, '127.0.0.1', resolve));
  const address = exchange.address();
  exchangeOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => exchange.close(() => resolve()));
  await rm(cwd, { recursive: true, force: true });
});

function run(name: string, args: readonly string[], extraEnv: Readonly<Record<string, string>> = {}): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: cwd,
    DATA_DIR: join(cwd, 'data'),
    HTTP_PORT: '0',
    USE_PAPER_TRADING: 'true',
    EXCHANGE_API_ORIGIN: exchangeOrigin,
    EXCHANGE_WS_ORIGIN: exchangeOrigin.replace('http:', 'ws:'),
    SYMBOLS: 'BTC/USDT:USDT',
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['--import', TSX, cli(name), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    let killedAtDeadline = false;
    const deadline = setTimeout(() => {
      killedAtDeadline = true;
      child.kill('SIGKILL');
    }, DEADLINE_MS);
    child.once('exit', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr, killedAtDeadline });
    });
  });
}

function expectNothingStarted(result: Run): void {
  expect(result.killedAtDeadline, 'the command was still running at the deadline').toBe(false);
  expect(existsSync(join(cwd, 'data')), 'a data folder was created').toBe(false);
  expect(exchangeConnections, 'the exchange was contacted').toBe(0);
}

describe('npm start (cli/start)', () => {
  it('when asked for --help, then it prints the usage and exits 0 without starting the daemon', async () => {
    const result = await run('start', ['--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm start/);
    expect(result.stdout).toContain('LIVE_TRADING_ACKNOWLEDGED');
    expectNothingStarted(result);
  }, 30_000);

  it('when given a flag it does not know, then it prints the problem and the usage on stderr and exits 2 without starting', async () => {
    const result = await run('start', ['--paper']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--paper'");
    expect(result.stderr).toContain('usage: npm start');
    expect(result.stdout).toBe('');
    expectNothingStarted(result);
  }, 30_000);

  it('when TAKE_PROFIT_LADDER is set for live trading on Hyperliquid, then it says why on stderr and exits 2 without starting', async () => {
    const result = await run('start', [], {
      USE_PAPER_TRADING: 'false',
      LIVE_TRADING_ACKNOWLEDGED: 'I UNDERSTAND THE RISKS',
      EXCHANGE: 'hyperliquid',
      SYMBOLS: 'BTC/USDC:USDC',
      HYPERLIQUID_ACCOUNT_ADDRESS: '0x19e7e376e7c213b7e7e7e46cc70a5dd086daff2a',
      HYPERLIQUID_API_WALLET_KEY: '0x' + '22'.repeat(32),
      TAKE_PROFIT_LADDER: '0.5@1R',
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('TAKE_PROFIT_LADDER: not available with EXCHANGE=hyperliquid in live mode');
    expect(result.stderr).toContain('unprotected');
    expectNothingStarted(result);
  }, 30_000);

  it('when given a stray word, then it is refused the same way', async () => {
    const result = await run('start', ['live']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: npm start');
    expectNothingStarted(result);
  }, 30_000);
});

describe('npm run demo (cli/demo)', () => {
  it('when asked for --help, then it prints the usage and exits 0 without replaying anything', async () => {
    const result = await run('demo', ['--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run demo/);
    expectNothingStarted(result);
  }, 30_000);

  it('when given a flag it does not know, then it exits 2 with the usage', async () => {
    const result = await run('demo', ['--fast']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--fast'");
    expect(result.stderr).toContain('usage: npm run demo');
    expectNothingStarted(result);
  }, 30_000);
});

describe('npm run backtest (cli/backtest)', () => {
  it('when given a flag it does not know, then it exits 2 with the usage, like the other commands', async () => {
    const result = await run('backtest', ['--form', '2025-09-20']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--form'");
    expect(result.stderr).toContain('usage: npm run backtest');
    expectNothingStarted(result);
  }, 30_000);

  it('when .env holds an encrypted key, then it reads it with MASTER_KEY as the daemon does, and goes on to the next check', async () => {
    const masterKey = 'a master key of some length';
    await writeFile(join(cwd, '.env'), `CLAUDE_API_KEY=${encryptSecret('sk-ant-test-key', masterKey)}\n`);
    const result = await run('backtest', ['--from', '2025-13-45'], { MASTER_KEY: masterKey });

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('--from: "2025-13-45" is not a date (use YYYY-MM-DD)');
    expect(result.stderr).not.toContain('sk-ant-test-key');
  }, 30_000);

  it('when the value of a flag is not a date, then it names the flag and exits 2 before replaying anything', async () => {
    const result = await run('backtest', ['--from', '2025-13-45']);

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('--from: "2025-13-45" is not a date (use YYYY-MM-DD)');
    expect(result.stdout).toBe('');
    expectNothingStarted(result);
  }, 30_000);
});
