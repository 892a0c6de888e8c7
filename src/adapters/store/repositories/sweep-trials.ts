// Finished trials of parameter sweeps. Written by whichever worker ran the trial (on any machine, into the one
// Postgres), read by the sweep that queued it. A second write of the same trial (a job retried after its worker was
// presumed dead but in fact finished) keeps the first: a trial is a deterministic replay, so both are the same.
import type { SqlExecutor } from '../sql.js';

export interface FinishedTrial<Spec, Result> {
  readonly trialId: string;
  readonly spec: Spec;
  readonly result: Result;
  readonly worker: string;
  readonly finishedAt: Date;
}

export class SqlSweepTrialRepository {
  constructor(private readonly executor: SqlExecutor) {}

  async record(sweepId: string, trialId: string, spec: unknown, result: unknown, worker: string): Promise<void> {
    await this.executor.query(
      `INSERT INTO sweep_trials (sweep_id, trial_id, spec, result, worker) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sweep_id, trial_id) DO NOTHING`,
      [sweepId, trialId, JSON.stringify(spec), JSON.stringify(result), worker],
    );
  }

  /** Every finished trial of the sweep, by trial id; the caller validates `spec` and `result`. */
  async finished(sweepId: string): Promise<Map<string, FinishedTrial<unknown, unknown>>> {
    const { rows } = await this.executor.query<{ trial_id: string; spec: unknown; result: unknown; worker: string; finished_at: Date | string }>(
      'SELECT trial_id, spec, result, worker, finished_at FROM sweep_trials WHERE sweep_id = $1',
      [sweepId],
    );
    return new Map(
      rows.map((row) => [
        row.trial_id,
        { trialId: row.trial_id, spec: parsed(row.spec), result: parsed(row.result), worker: row.worker, finishedAt: new Date(row.finished_at) },
      ]),
    );
  }

  /** The ids of the sweep's finished trials only: what a waiting sweep polls, without moving every result each time. */
  async finishedIds(sweepId: string): Promise<Set<string>> {
    const { rows } = await this.executor.query<{ trial_id: string }>('SELECT trial_id FROM sweep_trials WHERE sweep_id = $1', [sweepId]);
    return new Set(rows.map((row) => row.trial_id));
  }

  async forget(sweepId: string, trialId?: string): Promise<void> {
    if (trialId === undefined) await this.executor.query('DELETE FROM sweep_trials WHERE sweep_id = $1', [sweepId]);
    else await this.executor.query('DELETE FROM sweep_trials WHERE sweep_id = $1 AND trial_id = $2', [sweepId, trialId]);
  }
}

// pg parses JSONB; PGlite does too, but a string is accepted in case a driver hands back text.
const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
