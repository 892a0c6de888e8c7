// The daemon's own first start, as `npm start` runs it: the compiled daemon in paper mode with the embedded store on a
// new data directory, its venue the local fake Binance (HTTP and websocket on 127.0.0.1), no AI keys, no Telegram
// and no Redis (the configuration a fresh clone starts with). Its resident memory is read from /proc, without forcing
// a GC: the peak is the kernel's high-water mark (VmHWM) of the process, which no sampling interval can miss.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeBinance } from '../test/peers/binance-usdm/index.js';
import { PROJECT_ROOT } from './child-process.js';

export interface DaemonFirstStart {
  /** Node's flags, as the `start` script of package.json passes them. */
  readonly nodeFlags: readonly string[];
  /** From spawning the process to its HTTP endpoints serving. */
  readonly startedMs: number;
  /** The process's high-water mark over the whole window. */
  readonly peakRssBytes: number;
  /** At the end of the window. */
  readonly lastRssBytes: number;
  readonly windowMs: number;
}

/** The log line after which the daemon trades: its store, venue, cache, analysts and endpoints are all up. */
const SERVING = 'health, metrics and dashboard served';

/** The node flags of `npm start`, read from package.json so that the benchmark runs the daemon as it is shipped. */
export async function startScriptFlags(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = (manifest.scripts['start'] ?? '').trim().split(/\s+/);
  if (words[0] !== 'node' || words[words.length - 1] !== 'dist/cli/start.js') {
    throw new Error(`package.json's start script is not "node [flags] dist/cli/start.js": ${manifest.scripts['start']}`);
  }
  return words.slice(1, -1);
}

async function residentOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/**
 * Starts the compiled daemon (`startScript`, its `src/cli/start.js`), waits until it serves, keeps it running for
 * `windowMs` (its first scan runs at once), reads its memory and stops it with SIGTERM.
 */
export async function measureDaemonFirstStart(startScript: string, windowMs: number): Promise<DaemonFirstStart> {
  const nodeFlags = await startScriptFlags();
  const venue = await startFakeBinance();
  const home = await mkdtemp(join(tmpdir(), 'bench-daemon-'));
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, startScript], {
    cwd: home,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      DATA_DIR: join(home, 'data'),
      HTTP_PORT: '0',
      EXCHANGE_API_ORIGIN: venue.origin,
      EXCHANGE_WS_ORIGIN: venue.wsOrigin,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const serving = new Promise<void>((resolve, reject) => {
      let pending = '';
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        if (lines.some((line) => line.includes(`"msg":"${SERVING}"`))) resolve();
      });
      void exited.then((code) => reject(new Error(`the daemon exited (code ${code}) before serving: ${stderr}`)));
    });
    await serving;
    const startedMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    if (child.pid === undefined || child.exitCode !== null) throw new Error(`the daemon stopped during the window: ${stderr}`);
    const { rss, hwm } = await residentOf(child.pid);
    return { nodeFlags, startedMs, peakRssBytes: hwm, lastRssBytes: rss, windowMs };
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    await venue.close();
    await rm(home, { recursive: true, force: true });
  }
}
