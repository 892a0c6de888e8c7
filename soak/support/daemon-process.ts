// The daemon as a real process (`node --import tsx src/cli/start.ts`), supervised: started with an environment,
// killed with SIGKILL at any instant (synchronously, so a venue hook can kill it as a request arrives), stopped
// with SIGTERM, and every exit recorded. Its JSON log lines go to a file and to listeners.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const START = fileURLToPath(new URL('../../src/cli/start.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const PRELOAD = pathToFileURL(fileURLToPath(new URL('./daemon-preload.ts', import.meta.url))).href;

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface DaemonExit {
  readonly run: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Killed or stopped by the harness; anything else is the daemon giving up on its own. */
  readonly requested: boolean;
}

export const PINO_LEVEL = { info: 30, warn: 40, error: 50, fatal: 60 } as const;

export class DaemonProcess {
  readonly exits: DaemonExit[] = [];
  /** Log lines per pino level, over every run. */
  readonly levelCounts = new Map<number, number>();
  runs = 0;
  stderr = '';
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private requested = false;
  private readonly listeners = new Set<(line: LogLine) => void>();
  private readonly log: WriteStream;

  constructor(
    private readonly cwd: string,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get alive(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  onLine(listener: (line: LogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(env: Readonly<Record<string, string>>): void {
    if (this.child) throw new Error('the daemon is already running');
    this.runs += 1;
    const run = this.runs;
    this.requested = false;
    const child = spawn(process.execPath, ['--import', TSX, '--import', PRELOAD, START], {
      cwd: this.cwd,
      env: { PATH: process.env['PATH'] ?? '', HOME: this.cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.log.write(`--- run ${run} (pid ${child.pid})\n`);
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      this.log.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const text of lines) this.parse(text);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.log.write(chunk);
      this.stderr = (this.stderr + chunk.toString()).slice(-20_000);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exits.push({ run, code, signal, requested: this.requested });
        this.log.write(`--- run ${run} exited (code ${code}, signal ${signal})\n`);
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
  }

  /** SIGKILL now, without waiting: safe to call from inside a request hook. */
  killNow(): boolean {
    if (!this.child?.pid) return false;
    this.requested = true;
    try {
      process.kill(this.child.pid, 'SIGKILL');
      return true;
    } catch {
      return false;
    }
  }

  async kill(): Promise<void> {
    this.killNow();
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 20_000): Promise<DaemonExit | undefined> {
    const child = this.child;
    if (!child) return undefined;
    this.requested = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    return this.exits[this.exits.length - 1];
  }

  async waitForExit(): Promise<DaemonExit | undefined> {
    await this.exited;
    return this.exits[this.exits.length - 1];
  }

  /** Exits nobody asked for: the daemon crashed or gave up. */
  unexpectedExits(): DaemonExit[] {
    return this.exits.filter((exit) => !exit.requested);
  }

  count(level: number): number {
    let total = 0;
    for (const [at, n] of this.levelCounts) if (at >= level) total += n;
    return total;
  }

  async close(): Promise<void> {
    if (this.child) await this.kill();
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }

  private parse(text: string): void {
    if (!text.startsWith('{')) return;
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    this.levelCounts.set(line.level, (this.levelCounts.get(line.level) ?? 0) + 1);
    for (const listener of this.listeners) listener(line);
  }
}
