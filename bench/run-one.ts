// Runs one benchmark in its own process (started by bench/run.ts), so that each one starts from a clean heap and a
// crash or a leaked handle in one cannot spoil the others. Writes its outcome as JSON to the file named by --out.
//   node --import tsx bench/run-one.ts <scan|latency|replay|cost|memory|dashboard> [--quick] --out <file>
import { writeFile } from 'node:fs/promises';
import { BENCHMARK_IDS, progressTo, type BenchContext, type BenchOutcome, type BenchmarkId } from './harness.js';

async function load(id: BenchmarkId): Promise<(ctx: BenchContext) => Promise<BenchOutcome>> {
  switch (id) {
    case 'scan':
      return (await import('./scan-cycle.js')).runScanCycle;
    case 'sweep':
      return (await import('./sweep-scaling.js')).runSweepScaling;
    case 'fills':
      return (await import('./stop-fill-latency.js')).runStopFillLatency;
    case 'universe':
      return (await import('./universe-scan.js')).runUniverseScan;
    case 'latency':
      return (await import('./order-path-latency.js')).runLatency;
    case 'replay':
      return (await import('./replay-throughput.js')).runReplayThroughput;
    case 'cost':
      return (await import('./ai-cost.js')).runAiCost;
    case 'memory':
      return (await import('./memory.js')).runMemory;
    case 'dashboard':
      return (await import('./dashboard.js')).runDashboard;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const id = args[0] as BenchmarkId;
  const out = args[args.indexOf('--out') + 1];
  if (!BENCHMARK_IDS.includes(id) || !args.includes('--out') || !out) {
    throw new Error(`usage: run-one.ts <${BENCHMARK_IDS.join('|')}> [--quick] --out <file>`);
  }
  const run = await load(id);
  const outcome = await run({ mode: args.includes('--quick') ? 'quick' : 'full', progress: progressTo(id) });
  await writeFile(out, JSON.stringify(outcome));
}

main().then(
  // Servers, sockets and SDK agents of a finished benchmark are not worth waiting for.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
