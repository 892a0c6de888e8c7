// A sweep trial that first holds its process's event loop (a synchronous read of a FIFO blocks until the test writes
// to it), as a long CPU-bound replay does on a busy machine, then runs and records the real trial.
import { readFileSync } from 'node:fs';
import type { SandboxedJob } from 'bullmq';
import processTrial from '../../../src/cli/sweep-trial-processor.js';

export default async function blockThenProcess(job: SandboxedJob): Promise<unknown> {
  const { release } = job.data as { release: string };
  readFileSync(release);
  return processTrial(job);
}
