// What every scenario reports: what was injected, what was checked (and whether it held), its figures, and its
// share of the run's totals.

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface Tally {
  faults: number;
  positionsOpened: number;
  /** Positions without their stop past the grace while the daemon ran, or still without one after a restart. */
  unprotected: number;
  /** Double entries, client ids filled twice, positions with two stops. */
  duplicates: number;
  /** Closes without their trade row (or with the wrong fills), messages that never reached the owner. */
  lostRecords: number;
}

export interface ScenarioResult {
  readonly name: string;
  readonly title: string;
  readonly injected: readonly string[];
  readonly checks: readonly Check[];
  readonly figures: readonly (readonly [string, string])[];
  readonly tally: Tally;
  readonly realMs: number;
  readonly simulatedMs: number;
  /** The scenario itself broke (not a check that failed): the harness could not finish it. */
  readonly failure?: string;
}

export interface ScenarioContext {
  readonly quick: boolean;
  readonly seed: number;
  /** A folder of its own for logs and working files. */
  readonly dir: string;
  log(line: string): void;
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** Part of `--quick` (CI), in its short form; the others run only in the full form or when named with --only. */
  readonly quick: boolean;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

export function passed(result: ScenarioResult): boolean {
  return result.failure === undefined && result.checks.every((check) => check.ok);
}

export class ScenarioReport {
  readonly tally: Tally = { faults: 0, positionsOpened: 0, unprotected: 0, duplicates: 0, lostRecords: 0 };
  private readonly injected: string[] = [];
  private readonly checks: Check[] = [];
  private readonly figures: [string, string][] = [];
  private readonly startedAt = performance.now();
  private failure: string | undefined;
  simulatedMs = 0;

  constructor(
    readonly name: string,
    readonly title: string,
    private readonly log: (line: string) => void,
  ) {}

  inject(description: string, faults = 0): void {
    this.injected.push(description);
    this.tally.faults += faults;
  }

  check(name: string, ok: boolean, detail: string): boolean {
    this.checks.push({ name, ok, detail });
    this.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
    return ok;
  }

  figure(name: string, value: string | number): void {
    const shown = typeof value === 'number' ? formatNumber(value) : value;
    this.figures.push([name, shown]);
    this.log(`       ${name}: ${shown}`);
  }

  fail(error: unknown): void {
    this.failure = error instanceof Error ? `${error.message}` : String(error);
    this.log(`  FAIL the scenario could not finish: ${this.failure}`);
  }

  result(): ScenarioResult {
    return {
      name: this.name,
      title: this.title,
      injected: this.injected,
      checks: this.checks,
      figures: this.figures,
      tally: { ...this.tally },
      realMs: performance.now() - this.startedAt,
      simulatedMs: this.simulatedMs,
      ...(this.failure === undefined ? {} : { failure: this.failure }),
    };
  }
}

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
