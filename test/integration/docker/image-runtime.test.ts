// SLOW (about a minute; most of it `npm ci`, which needs the npm registry or a warm npm cache).
// Reproduces what the Docker image runs, without Docker: the build output, the lock file, the migrations, the calendar and the
// bundled history in a clean folder, production dependencies only (installed and trimmed as the Dockerfile does),
// then `node dist/cli/start.js` in paper mode against the local fake Binance venue. The daemon must become healthy
// and stop cleanly on SIGTERM, as `docker stop` would ask it to.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBinance, type FakeBinance } from '../../peers/binance-usdm/index.js';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../..');
const SETUP_TIMEOUT_MS = 10 * 60_000;
const HEALTH_ATTEMPTS = 120;
const HEALTH_POLL_MS = 500;
const STOP_BUDGET_MS = 10_000;

let workDir: string;
let appDir: string;
let venue: FakeBinance | undefined;
let daemon: ChildProcess | undefined;

/** A port nobody listens on right now, so the test knows where /health will be (HTTP_PORT=0 would hide it). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

async function sh(command: string, args: string[], cwd: string): Promise<void> {
  await run(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } });
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
}

/** Polls /health until it answers 200; gives up after a bounded number of attempts or when the daemon exits. */
async function waitForHealthy(port: number, child: ChildProcess, output: () => string): Promise<unknown> {
  let last = 'no answer yet';
  for (let attempt = 0; attempt < HEALTH_ATTEMPTS; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the daemon exited with ${child.exitCode} before it was healthy:\n${output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
      const body: unknown = await response.json();
      if (response.status === 200) return body;
      last = `${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((next) => setTimeout(next, HEALTH_POLL_MS));
  }
  throw new Error(`/health never answered 200 (last: ${last}):\n${output()}`);
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'image-runtime-'));
  appDir = join(workDir, 'app');
  // The same inputs the Dockerfile copies, built by the project's own build script into the clean folder.
  await sh('npm', ['run', 'build', '--', '--outDir', join(appDir, 'dist')], REPO);
  for (const entry of ['package.json', 'package-lock.json', 'migrations', 'history', 'calendar']) {
    cpSync(join(REPO, entry), join(appDir, entry), { recursive: true });
  }
  await sh('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], appDir);
  await sh('sh', [join(REPO, 'scripts/docker/prune-node-modules.sh'), join(appDir, 'node_modules')], appDir);
  venue = await startFakeBinance();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
    daemon.kill('SIGKILL');
    await exitOf(daemon);
  }
  await venue?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the image runtime (production dependencies only, compiled code)', () => {
  it('has no dev tooling and nothing the pruning removed', () => {
    expect(existsSync(join(appDir, 'dist/cli/start.js'))).toBe(true);
    // What a compiled sweep worker tells its code by: written by the build into the folder it compiled to.
    expect(readFileSync(join(appDir, 'dist/code-fingerprint.txt'), 'utf8')).toMatch(/^[0-9a-f]{32}\n$/);
    expect(existsSync(join(appDir, 'node_modules/ccxt'))).toBe(true);
    for (const devOnly of ['vitest', 'typescript', 'eslint', 'tsx', 'ccxt/dist/cjs']) {
      expect(existsSync(join(appDir, 'node_modules', devOnly))).toBe(false);
    }
  });

  it('when started in paper mode against the venue, then /health turns 200, and SIGTERM ends it with code 0 within 10 s', async () => {
    const port = await freePort();
    let output = '';
    daemon = spawn(process.execPath, ['dist/cli/start.js'], {
      cwd: appDir,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        USE_PAPER_TRADING: 'true',
        SYMBOLS: 'BTC/USDT:USDT,ETH/USDT:USDT',
        EXCHANGE_API_ORIGIN: venue?.origin ?? '',
        EXCHANGE_WS_ORIGIN: venue?.wsOrigin ?? '',
        HTTP_PORT: String(port),
        DATA_DIR: join(workDir, 'data'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    daemon.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    daemon.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = exitOf(daemon);

    const health = await waitForHealthy(port, daemon, () => output.slice(-4_000));
    const stopAskedAt = performance.now();
    daemon.kill('SIGTERM');
    const exit = await Promise.race([
      exited,
      new Promise<'too slow'>((done) => setTimeout(() => done('too slow'), STOP_BUDGET_MS).unref()),
    ]);
    const stopMs = performance.now() - stopAskedAt;

    expect(health).toMatchObject({ status: 'ok' });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stopMs).toBeLessThan(STOP_BUDGET_MS);
  }, 120_000);
});
