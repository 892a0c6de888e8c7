// What every benchmark hands back to the runner, and the small helpers they share: a quiet logger, progress on
// stderr, percentiles and number formatting.
import type { Logger } from '../src/ports/logger.js';

export type BenchMode = 'full' | 'quick';

export const BENCHMARK_IDS = ['scan', 'latency', 'replay', 'cost', 'memory', 'dashboard', 'universe', 'fills', 'sweep'] as const;
/** Benchmarks left out of `--quick`: they need services CI may lack, or take minutes at any size. */
export const FULL_ONLY: readonly BenchmarkId[] = ['sweep'];
export type BenchmarkId = (typeof BENCHMARK_IDS)[number];

/**
 * One verdict. A `gate` can fail a CI run: it must not depend on how busy the machine is (a ratio between two
 * figures of the same run, a replay that traded, a count). Targets in seconds or megabytes are reported, never gated.
 */
export interface Check {
  /** The criterion, e.g. `scan of 15 symbols ≤ 20 s`. */
  readonly what: string;
  /** What was measured against it, e.g. `5.3 s`. */
  readonly measured: string;
  readonly passed: boolean;
  readonly gate: boolean;
  /** A figure shown beside the targets for context, with no target of its own: never passes or fails. */
  readonly reported?: boolean;
}

export interface BenchOutcome {
  readonly id: BenchmarkId;
  readonly title: string;
  /** Markdown body of the benchmark's section in BENCHMARKS.md (without its heading). */
  readonly markdown: string;
  /** A few plain lines for the terminal (the quick form prints only these). */
  readonly summary: readonly string[];
  readonly checks: readonly Check[];
}

export interface BenchContext {
  readonly mode: BenchMode;
  /** Progress for a human watching; goes to stderr so stdout stays the result. */
  progress(message: string): void;
}

export function progressTo(id: string): (message: string) => void {
  const started = performance.now();
  return (message) => process.stderr.write(`[${id} +${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
}

/** A logger that keeps nothing but a count of warnings and errors and the last few of them: long runs log a lot. */
export class QuietLogger implements Logger {
  constructor(private readonly tally: { warnings: number; errors: number; last: string[] } = { warnings: 0, errors: 0, last: [] }) {}

  get warnings(): number {
    return this.tally.warnings;
  }

  get errors(): number {
    return this.tally.errors;
  }

  get lastProblems(): readonly string[] {
    return this.tally.last;
  }

  debug = (): void => undefined;
  info = (): void => undefined;
  warn = (context: object, message: string): void => this.keep('warnings', context, message);
  error = (context: object, message: string): void => this.keep('errors', context, message);

  child(): Logger {
    return new QuietLogger(this.tally);
  }

  private keep(kind: 'warnings' | 'errors', context: object, message: string): void {
    this.tally[kind] += 1;
    this.tally.last.push(`${message} ${JSON.stringify(context).slice(0, 200)}`);
    if (this.tally.last.length > 5) this.tally.last.shift();
  }
}

export interface Percentiles {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles (no interpolation: every figure is a latency that was actually observed). */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return { n: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

/** Least-squares slope of y over x (units of y per unit of x); 0 with fewer than two points. */
export function slope(points: readonly { readonly x: number; readonly y: number }[]): number {
  if (points.length < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - meanX) * (p.y - meanY);
    den += (p.x - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export const fmt = {
  ms: (value: number): string => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms` : 'n/a'),
  s: (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`,
  mb: (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`,
  int: (value: number): string => Math.round(value).toLocaleString('en-US'),
  usd: (value: number): string => `$${value < 1 ? value.toFixed(3) : value.toFixed(2)}`,
  pct: (fraction: number): string => `${(fraction * 100).toFixed(1)}%`,
  ratio: (value: number): string => `${value.toFixed(1)}x`,
  verdict: (passed: boolean): string => (passed ? 'PASS' : 'FAIL'),
  /** A check's verdict as a reader sees it. */
  outcome: (check: Pick<Check, 'passed' | 'reported'>): string => (check.reported ? 'reported' : check.passed ? 'PASS' : 'FAIL'),
};

/** A markdown table from a header row and body rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
