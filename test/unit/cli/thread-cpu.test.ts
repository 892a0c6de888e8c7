import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { threadCpuMs } from '../../../src/cli/thread-cpu.js';

// Spins until this thread has run `ms` of CPU by its own count, then says how much that was.
const SPINNER = `
const { readFileSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const own = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
const start = own();
let x = 0;
while (own() - start < workerData.ms) for (let i = 0; i < 100000; i += 1) x = (x + i) | 0;
parentPort.postMessage(own() - start + (x === 0.5 ? 1 : 0));
`;

describe('the calling thread\'s CPU time', () => {
  it('when another thread of the process is busy, then it counts only the caller, while the process\'s count has both', async () => {
    const mainBefore = threadCpuMs();
    const processBefore = process.cpuUsage();
    const spun = await new Promise<number>((resolve, reject) => {
      const worker = new Worker(SPINNER, { eval: true, workerData: { ms: 300 } });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const mainAfter = threadCpuMs();
    const processCpu = process.cpuUsage(processBefore);

    expect(mainBefore).toBeDefined();
    expect(mainAfter).toBeDefined();
    const mainMs = (mainAfter ?? 0) - (mainBefore ?? 0);
    const processMs = (processCpu.user + processCpu.system) / 1000;
    expect(spun).toBeGreaterThanOrEqual(300);
    // The process counted the other thread's 300 ms; the caller, which only waited, did not.
    expect(processMs).toBeGreaterThanOrEqual(mainMs + 250);
    expect(mainMs).toBeGreaterThanOrEqual(0);
  });

  it('grows with work on the calling thread', () => {
    const before = threadCpuMs() ?? 0;
    let x = 0;
    while ((threadCpuMs() ?? Number.POSITIVE_INFINITY) - before < 20) for (let i = 0; i < 10_000; i += 1) x = (x + i) | 0;
    expect((threadCpuMs() ?? 0) - before).toBeGreaterThanOrEqual(20);
    expect(x).not.toBe(0.5);
  });
});
