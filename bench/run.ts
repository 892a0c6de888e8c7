// `npm run bench`: every benchmark, each in its own process, then BENCHMARKS.md (keeping its hand-kept sections).
//   npm run bench                     all of them (15-30 minutes), writes BENCHMARKS.md
//   npm run bench -- --only scan,cost  the named ones, their sections printed on stdout, no file written
//   npm run bench -- --quick           the CI form: seconds per benchmark, a summary on stdout, no file; exits non-zero
//                                      only when a check that cannot be flaky fails (a ratio, a count) or one crashes
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARK_IDS, FULL_ONLY, type BenchOutcome, type BenchmarkId } from './harness.js';
import { describeMachine } from './machine.js';
import { renderReport, renderSection } from './report.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const TIME_LIMIT_MS = { full: 40 * 60_000, quick: 5 * 60_000 };

interface Options {
  readonly quick: boolean;
  readonly only?: readonly BenchmarkId[];
}

function parseArgs(args: readonly string[]): Options {
  const quick = args.includes('--quick');
  const at = args.indexOf('--only');
  if (at === -1) return { quick };
  const names = (args[at + 1] ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(BENCHMARK_IDS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes a comma-separated list of ${BENCHMARK_IDS.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  }
  return { quick, only: names as BenchmarkId[] };
}

/** Runs one benchmark in a child process; its progress and any library chatter go to our stderr. */
async function runChild(id: BenchmarkId, quick: boolean, dir: string): Promise<BenchOutcome | Error> {
  const out = join(dir, `${id}.json`);
  const args = ['--import', 'tsx', join(ROOT, 'bench', 'run-one.ts'), id, ...(quick ? ['--quick'] : []), '--out', out];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 2, 2] });
  const limit = quick ? TIME_LIMIT_MS.quick : TIME_LIMIT_MS.full;
  const timer = setTimeout(() => child.kill('SIGKILL'), limit);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  if (code !== 0) return new Error(code === null ? `killed after ${limit / 60_000} minutes` : `exited with code ${code}`);
  try {
    return JSON.parse(await readFile(out, 'utf8')) as BenchOutcome;
  } catch (error) {
    return new Error(`wrote no result (${(error as Error).message})`);
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const machine = describeMachine();
  const ids = options.only ?? BENCHMARK_IDS.filter((id) => !options.quick || !FULL_ONLY.includes(id));
  const dir = await mkdtemp(join(tmpdir(), 'bench-'));
  const started = performance.now();
  const outcomes: BenchOutcome[] = [];
  const crashes: { id: BenchmarkId; error: Error }[] = [];
  try {
    for (const id of ids) {
      const began = performance.now();
      process.stderr.write(`== ${id}${options.quick ? ' (quick)' : ''}\n`);
      const result = await runChild(id, options.quick, dir);
      const seconds = ((performance.now() - began) / 1000).toFixed(0);
      if (result instanceof Error) {
        crashes.push({ id, error: result });
        process.stderr.write(`== ${id}: FAILED (${result.message}) after ${seconds} s\n`);
      } else {
        outcomes.push(result);
        process.stderr.write(`== ${id}: done in ${seconds} s\n`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const elapsedMs = performance.now() - started;

  for (const outcome of outcomes) {
    console.log(`# ${outcome.title}`);
    for (const line of outcome.summary) console.log(`  ${line}`);
    for (const check of outcome.checks) console.log(`  [${check.reported ? 'reported' : check.passed ? 'pass' : 'FAIL'}${check.gate ? ', gate' : ''}] ${check.what}: ${check.measured}`);
  }
  for (const crash of crashes) console.log(`# ${crash.id}: CRASHED (${crash.error.message})`);
  const failedGates = outcomes.flatMap((outcome) => outcome.checks.filter((check) => check.gate && !check.passed).map((check) => `${outcome.id}: ${check.what}`));

  if (!options.quick && options.only) {
    for (const outcome of outcomes) console.log(`\n${renderSection(outcome)}`);
  } else if (!options.quick) {
    const file = join(ROOT, 'BENCHMARKS.md');
    const previous = await readFile(file, 'utf8').catch(() => undefined);
    await writeFile(file, renderReport({ machine, outcomes, crashes, elapsedMs, previous }));
    console.log(`\nwrote ${file}`);
  }
  const verdict = failedGates.length > 0 || crashes.length > 0 ? 'FAILED' : 'ok';
  console.log(`bench${options.quick ? ' --quick' : ''}: ${verdict} in ${(elapsedMs / 1000).toFixed(0)} s${failedGates.length ? ` (failed: ${failedGates.join('; ')})` : ''}`);
  return verdict === 'ok' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(2);
  },
);
