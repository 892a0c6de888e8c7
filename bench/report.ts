// BENCHMARKS.md: the machine, a summary of every verdict, then one section per benchmark with the command that
// reproduces it alone.
import { BENCHMARK_IDS, fmt, table, type BenchOutcome, type BenchmarkId } from './harness.js';
import type { Machine } from './machine.js';

export interface ReportInput {
  readonly machine: Machine;
  readonly outcomes: readonly BenchOutcome[];
  readonly crashes: readonly { readonly id: BenchmarkId; readonly error: Error }[];
  readonly elapsedMs: number;
  /** The BENCHMARKS.md this run replaces: its sections no benchmark writes (hand-kept tables) are carried over. */
  readonly previous?: string;
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

/**
 * What an earlier BENCHMARKS.md holds that this run does not write: whole sections (`## N. …`) and summary rows
 * (`| N. …`) under numbers no benchmark of the run owns. The replay tables of the exit and sizing features and the
 * walk-forward are kept by hand, and a full run must not wipe them.
 */
export function handKept(previous: string, written: ReadonlySet<number>): { sections: Map<number, string>; summaryRows: string[] } {
  const numberOf = (text: string, mark: string): number | undefined => {
    const match = new RegExp(`^${mark} (\\d+)\\. `).exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const sections = new Map<number, string>();
  for (const chunk of previous.split(/\n(?=## \d+\. )/)) {
    const n = numberOf(chunk, '##');
    if (n !== undefined && !written.has(n)) sections.set(n, chunk.trimEnd());
  }
  const summary = previous.split(/\n(?=## )/).find((chunk) => chunk.startsWith('## Summary')) ?? '';
  const summaryRows = summary.split('\n').filter((line) => {
    const n = numberOf(line, '\\|');
    return n !== undefined && !written.has(n);
  });
  return { sections, summaryRows };
}

export function renderReport({ machine, outcomes, crashes, elapsedMs, previous }: ReportInput): string {
  const [one, five, fifteen] = machine.loadAverage.map((value) => value.toFixed(2));
  const kept = handKept(previous ?? '', new Set(outcomes.map((outcome) => number(outcome.id))));
  const summary = outcomes.flatMap((outcome) =>
    outcome.checks.filter((check) => !check.gate).map((check) => [`${number(outcome.id)}. ${outcome.title}`, check.what, check.measured, fmt.outcome(check)]),
  );
  const sections = [
    ...outcomes.map((outcome) => ({ n: number(outcome.id), text: renderSection(outcome) })),
    ...[...kept.sections].map(([n, text]) => ({ n, text })),
  ].sort((a, b) => a.n - b.n);
  return [
    '# Benchmarks',
    '',
    `Measured ${machine.date} by \`npm run bench\` (all ${outcomes.length} benchmarks in one run, ${(elapsedMs / 60_000).toFixed(1)} minutes). Every figure below comes from that run; where a baseline exists it was measured in the same run on the same machine, side by side. On a shared machine the ratios hold; absolute times move with the load.`,
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
    [table(['benchmark', 'target', 'measured', 'result'], summary), ...kept.summaryRows].join('\n'),
    ...crashes.map((crash) => `\n**${number(crash.id)}. ${crash.id} did not finish: ${crash.error.message}.**`),
    '',
    ...sections.map((section) => `${section.text}\n`),
  ].join('\n');
}
