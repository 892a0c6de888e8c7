// Backtests started from the dashboard: one at a time, each in a child process (the daemon's loop must never wait
// for a replay), its progress read from the child's JSON lines, its report kept as a file under DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Clock } from '../../ports/clock.js';

export interface BacktestLauncher {
  /** The program and its first arguments, e.g. `node dist/cli/backtest-job.js`. */
  readonly command: string;
  readonly args: readonly string[];
  /** The bundled history, used when no folder is given. */
  readonly bundledData: string;
  /** Where reports are kept. */
  readonly reportsDir: string;
}

export interface BacktestRequest {
  readonly data?: string;
  readonly from?: string;
  readonly to?: string;
  readonly symbols?: readonly string[];
}

export interface BacktestJob {
  readonly id: string;
  readonly status: 'running' | 'done' | 'failed';
  readonly progress: number;
  readonly startedAt: Date;
  readonly endedAt?: Date;
  readonly error?: string;
  readonly request: BacktestRequest & { readonly data: string };
}

export interface SavedReport {
  readonly id: string;
  readonly createdAt: Date;
  readonly trades: number;
  readonly netPnl: number;
  readonly winRate?: number;
  readonly maxDrawdownPct: number;
  readonly window: { readonly start: string; readonly end: string; readonly symbols: readonly string[] };
}

export class BacktestBusy extends Error {}
export class BadBacktestRequest extends Error {}

const ID = /^bt-[0-9a-z-]{6,40}$/;

export class BacktestJobs {
  private current?: { job: BacktestJob; child: ChildProcess; ended: Promise<BacktestJob> };
  private readonly finished: BacktestJob[] = [];
  /** Set while a start is between its check and its child: two requests at once (a double click) start one run. */
  private starting = false;

  constructor(
    private readonly launcher: BacktestLauncher,
    private readonly clock: Clock,
  ) {}

  async start(request: BacktestRequest): Promise<BacktestJob> {
    if (this.starting || this.current?.job.status === 'running') throw new BacktestBusy('a backtest is running already; wait for it to finish');
    this.starting = true;
    try {
      return await this.launch(request);
    } finally {
      this.starting = false;
    }
  }

  private async launch(request: BacktestRequest): Promise<BacktestJob> {
    const data = resolve(request.data ?? this.launcher.bundledData);
    const klines = await stat(join(data, 'klines')).catch(() => undefined);
    if (!klines?.isDirectory()) throw new BadBacktestRequest(`${data} has no klines/ folder (expected klines/SYMBOL-15m.csv files)`);
    await mkdir(this.launcher.reportsDir, { recursive: true });
    const id = `bt-${this.clock.now().toISOString().slice(0, 19).replace(/[:T]/g, '-').toLowerCase()}-${randomBytes(3).toString('hex')}`;
    const args = [
      ...this.launcher.args,
      '--data',
      data,
      '--report',
      join(this.launcher.reportsDir, `${id}.json`),
      ...(request.from ? ['--from', request.from] : []),
      ...(request.to ? ['--to', request.to] : []),
      ...(request.symbols && request.symbols.length > 0 ? ['--symbols', request.symbols.join(',')] : []),
    ];
    const child = spawn(this.launcher.command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let job: BacktestJob = { id, status: 'running', progress: 0, startedAt: this.clock.now(), request: { ...request, data } };
    let ended: (job: BacktestJob) => void = () => undefined;
    const current = { job, child, ended: new Promise<BacktestJob>((resolve) => (ended = resolve)) };
    const update = (patch: Partial<BacktestJob>) => {
      job = { ...job, ...patch };
      if (this.current?.child === child) this.current = { ...current, job };
    };
    this.current = current;
    let error: string | undefined;
    const stderr: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const message = JSON.parse(line) as { progress?: number; error?: string };
        if (typeof message.progress === 'number') update({ progress: Math.min(1, Math.max(0, message.progress)) });
        if (typeof message.error === 'string') error = message.error;
      } catch {
        // Not one of ours (a library's chatter); ignored.
      }
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr.push(line);
      if (stderr.length > 5) stderr.shift();
    });
    child.on('exit', (code, signal) => {
      const failed = code !== 0;
      // A signal says more than whatever the run last wrote: the daemon stopping it, or the system out of memory.
      const reason = signal ? `stopped by ${signal} (the daemon shutting down, or the machine out of memory)` : (error ?? (stderr.join('\n').slice(-500) || `exited with code ${code}`));
      update({
        status: failed ? 'failed' : 'done',
        progress: failed ? job.progress : 1,
        endedAt: this.clock.now(),
        ...(failed ? { error: reason } : {}),
      });
      this.finished.unshift(job);
      this.finished.splice(20);
      ended(job);
    });
    return job;
  }

  /** The job as it ended; undefined for an id that is not the current run. */
  ended(id: string): Promise<BacktestJob> | undefined {
    return this.current?.job.id === id ? this.current.ended : undefined;
  }

  job(id: string): BacktestJob | undefined {
    if (this.current?.job.id === id) return this.current.job;
    return this.finished.find((job) => job.id === id);
  }

  running(): BacktestJob | undefined {
    return this.current?.job.status === 'running' ? this.current.job : undefined;
  }

  async reports(): Promise<SavedReport[]> {
    const names = await readdir(this.launcher.reportsDir).catch(() => [] as string[]);
    const reports = await Promise.all(
      names
        .filter((name) => name.endsWith('.json') && ID.test(name.slice(0, -5)))
        .map(async (name): Promise<SavedReport | undefined> => {
          try {
            const path = join(this.launcher.reportsDir, name);
            const report = JSON.parse(await readFile(path, 'utf8')) as {
              generatedFrom: SavedReport['window'];
              summary: { trades: number; netPnl: number; winRate?: number; maxDrawdownPct: number };
            };
            return {
              id: name.slice(0, -5),
              createdAt: (await stat(path)).mtime,
              trades: report.summary.trades,
              netPnl: report.summary.netPnl,
              ...(report.summary.winRate === undefined || report.summary.winRate === null ? {} : { winRate: report.summary.winRate }),
              maxDrawdownPct: report.summary.maxDrawdownPct,
              window: report.generatedFrom,
            };
          } catch {
            return undefined;
          }
        }),
    );
    return reports.filter((report): report is SavedReport => report !== undefined).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  /** The report's JSON text, or undefined for an unknown id. */
  async report(id: string): Promise<string | undefined> {
    if (!ID.test(id)) return undefined;
    return readFile(join(this.launcher.reportsDir, `${id}.json`), 'utf8').catch(() => undefined);
  }

  close(): void {
    if (this.current?.job.status === 'running') this.current.child.kill('SIGTERM');
  }
}
