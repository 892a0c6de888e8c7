// Runs one of the project's entry points to completion (the daemon with a broken configuration, a backtest on a
// corrupted file) and returns what it said and how it ended.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export const ENTRY_POINTS = {
  daemon: fileURLToPath(new URL('../../src/cli/start.ts', import.meta.url)),
  backtest: fileURLToPath(new URL('../../src/cli/backtest.ts', import.meta.url)),
} as const;

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly realMs: number;
}

export function runOnce(entry: keyof typeof ENTRY_POINTS, args: readonly string[], env: Readonly<Record<string, string>>, cwd: string, limitMs = 120_000): Promise<Finished> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['--import', TSX, ENTRY_POINTS[entry], ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A process that never ends is a finding too; it is killed so the run can report it.
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, realMs: performance.now() - startedAt });
    });
  });
}
