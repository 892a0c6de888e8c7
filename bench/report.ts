// BENCHMARKS.md: the machine, a summary of every verdict, then one section per benchmark with the command that
// reproduces it alone.
import { BENCHMARK_IDS, fmt, table, type BenchOutcome, type BenchmarkId } from './harness.js';
import type { Machine } from './machine.js';

export interface ReportInput {
  readonly machine: Machine;
  readonly outcomes: readonly BenchOutcome[];
  readonly crashes: readonly { readonly id: BenchmarkId; readonly error: Error }[];
  readonly elapsedMs: number;
}

/** Sections whose number in BENCHMARKS.md was given before they joined the run (the hand-kept ones sit between). */
const FIXED_NUMBER: Partial<Record<BenchmarkId, number>> = { sweep: 12 };
const number = (id: BenchmarkId): number => FIXED_NUMBER[id] ?? BENCHMARK_IDS.indexOf(id) + 1;

export function renderSection(outcome: BenchOutcome): string {
  const checks = outcome.checks.map((check) => [check.what, check.measured, fmt.outcome(check), check.gate ? 'yes' : 'no']);
  return [
    `## ${number(outcome.id)}. ${outcome.title}`,
    '',
    `Reproduce alone: \`npm run bench -- --only ${outcome.id}\` (short form: \`npm run bench -- --only ${outcome.id} --quick\`).`,
    '',
    outcome.markdown,
    '',
    table(['check', 'measured', 'result', 'CI gate'], checks),
  ].join('\n');
}

export function renderReport({ machine, outcomes, crashes, elapsedMs }: ReportInput): string {
  const [one, five, fifteen] = machine.loadAverage.map((value) => value.toFixed(2));
  const summary = outcomes.flatMap((outcome) =>
    outcome.checks.filter((check) => !check.gate).map((check) => [`${number(outcome.id)}. ${outcome.title}`, check.what, check.measured, fmt.outcome(check)]),
  );
  return [
    '# Benchmarks',
    '',
    `Measured ${machine.date} by \`npm run bench\` (all five benchmarks in one run, ${(elapsedMs / 60_000).toFixed(1)} minutes). Every figure below comes from that run; where a baseline exists it was measured in the same run on the same machine, side by side. On a shared machine the ratios hold; absolute times move with the load.`,
    '',
    table(
      ['machine', ''],
      [
        ['CPU', `${machine.cpu}, ${machine.cores} cores`],
        ['memory', `${machine.memoryGb} GB`],
        ['Node.js', machine.node],
        ['OS', machine.os],
        ['load average at start (1/5/15 min)', `${one} / ${five} / ${fifteen}`],
      ],
    ),
    '',
    '`npm run bench -- --quick` is the CI form: every benchmark shrunk to seconds (5 symbols and 1 s stub latency, 5 latency iterations, 5 rounds of 10 simulated days of replay against a fixed baseline computation, 3 simulated days of AI cost, 2 of memory), a summary on stdout and no file. It fails only on the checks marked as CI gates below (ratios and counts, which a busy machine cannot flip), never on absolute times.',
    '',
    '## Summary',
    '',
    table(['benchmark', 'target', 'measured', 'result'], summary),
    ...crashes.map((crash) => `\n**${number(crash.id)}. ${crash.id} did not finish: ${crash.error.message}.**`),
    '',
    ...outcomes.map((outcome) => `${renderSection(outcome)}\n`),
  ].join('\n');
}
