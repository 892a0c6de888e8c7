// The dashboard's backtest runner with real child processes (node running a small script in the backtest's place):
// one run at a time, however the requests arrive, and a run stopped by a signal says so.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BacktestBusy, BacktestJobs } from '../../../src/adapters/web/backtest-jobs.js';
import { ManualClock } from '../../../src/adapters/clock/index.js';

const folders: string[] = [];
const runners: BacktestJobs[] = [];

async function runnerOf(script: string): Promise<BacktestJobs> {
  const root = await mkdtemp(join(tmpdir(), 'backtest-jobs-'));
  folders.push(root);
  await mkdir(join(root, 'history', 'klines'), { recursive: true });
  const jobs = new BacktestJobs(
    { command: process.execPath, args: ['-e', script, '--'], bundledData: join(root, 'history'), reportsDir: join(root, 'reports') },
    new ManualClock(new Date('2026-01-05T10:00:00Z')),
  );
  runners.push(jobs);
  return jobs;
}

afterEach(async () => {
  for (const jobs of runners.splice(0)) jobs.close();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe('backtests started from the dashboard', () => {
  it('when two starts arrive at once (a double click), then one run starts and the other is told one is running', async () => {
    const jobs = await runnerOf("process.stdin.resume(); setInterval(() => {}, 1000)");
    const outcomes = await Promise.allSettled([jobs.start({}), jobs.start({})]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(refused?.reason).toBeInstanceOf(BacktestBusy);
    const running = jobs.running();
    expect(running?.status).toBe('running');
    jobs.close();
    expect((await jobs.ended(running?.id ?? ''))?.status).toBe('failed');
  });

  it('when a run is killed by a signal, then its error names the signal, not "exited with code null"', async () => {
    const jobs = await runnerOf("process.kill(process.pid, 'SIGKILL')");
    const job = await jobs.start({});
    const ended = await jobs.ended(job.id);
    expect(ended?.status).toBe('failed');
    expect(ended?.error).toBe('stopped by SIGKILL (the daemon shutting down, or the machine out of memory)');
  });

  it('when a run ends well, then it is done at 100%', async () => {
    const jobs = await runnerOf('process.exit(0)');
    const job = await jobs.start({});
    expect(await jobs.ended(job.id)).toMatchObject({ status: 'done', progress: 1 });
  });
});
