// What npm run backtest, walkforward and lookahead replay is what they report: a --db folder holding an earlier run's
// record, or a --from inside the indicators' warm-up (where the replay would start later than asked), is refused with
// a usage error before anything is replayed. Each command runs as its own process on the bundled history, which
// starts 2025-08-10, so the earliest start is 2025-09-14.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempTree } from '../../support/temp-tree.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cli = (name: string): string => fileURLToPath(new URL(`../../../src/cli/${name}.ts`, import.meta.url));
/** Far longer than a day's replay of one market takes; a command still running by then replays far more. */
const DEADLINE_MS = 60_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cwd: string, name: string, args: readonly string[]): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', HOME: cwd, DATA_DIR: join(cwd, 'data'), USE_PAPER_TRADING: 'true' };
  const child = spawn(process.execPath, ['--import', TSX, cli(name), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    const deadline = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.once('exit', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run backtest (cli/backtest)', () => {
  it('when --db names the folder of an earlier backtest, then it refuses it with a usage error and replays nothing', async () => {
    const cwd = await tempTree('ltd-backtest-db-', {});
    const args = ['--symbols', 'BTCUSDT', '--from', '2025-09-14', '--to', '2025-09-15', '--db', 'db'];

    const first = await run(cwd, 'backtest', [...args, '--html', 'first.html']);
    const second = await run(cwd, 'backtest', [...args, '--html', 'second.html']);

    expect(first.code, first.stderr).toBe(0);
    expect(second.code).toBe(2);
    expect(second.stderr.trim()).toBe(
      "--db db is not empty: an earlier run's paper account and trades there would be counted in this backtest. Give an empty or new folder, or delete this one.",
    );
    expect(second.stdout).toBe('');
    expect(existsSync(join(cwd, 'second.html'))).toBe(false);
  }, 2 * DEADLINE_MS + 10_000);

  it('when --from falls in the warm-up, then it names the earliest start and exits 2 instead of replaying a shorter window', async () => {
    const cwd = await tempTree('ltd-backtest-from-', {});

    const result = await run(cwd, 'backtest', ['--symbols', 'BTCUSDT', '--from', '2025-09-10', '--to', '2025-09-15']);

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("--from 2025-09-10 falls in the indicators' 35-day warm-up of the data, which starts 2025-08-10: the earliest start is 2025-09-14");
    expect(result.stdout).toBe('');
  }, DEADLINE_MS + 10_000);
});

describe('npm run walkforward (cli/walkforward)', () => {
  it('when --from falls in the warm-up, then it names the earliest start and exits 2 instead of training on fewer days', async () => {
    const cwd = await tempTree('ltd-walkforward-from-', {});

    const result = await run(cwd, 'walkforward', ['--symbols', 'BTCUSDT', '--from', '2025-09-12', '--to', '2025-09-14', '--train', '1d', '--test', '1d', '--grid', 'MIN_OPPORTUNITY_SCORE=70']);

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("--from 2025-09-12 falls in the indicators' 35-day warm-up of the data, which starts 2025-08-10: the earliest start is 2025-09-14");
    expect(result.stdout).toBe('');
  }, DEADLINE_MS + 10_000);
});

describe('npm run lookahead (cli/lookahead)', () => {
  it('when --from falls in the warm-up, then it names the earliest start and exits 2 instead of checking a shorter window', async () => {
    const cwd = await tempTree('ltd-lookahead-from-', {});

    const result = await run(cwd, 'lookahead', ['--symbols', 'BTCUSDT', '--from', '2025-09-01', '--to', '2025-09-15', '--cuts', '1']);

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("--from 2025-09-01 falls in the indicators' 35-day warm-up of the data, which starts 2025-08-10: the earliest start is 2025-09-14");
    expect(result.stdout).toBe('');
  }, DEADLINE_MS + 10_000);
});
