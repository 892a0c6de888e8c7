// Small builders for the dynamic parts of statements: UPDATE assignments from a patch, time-range filters, and the
// oldest-first delete that retention runs on each table it prunes.
import type { SqlExecutor } from '../sql.js';

export interface ColumnSpec {
  readonly column: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each column knows its own value type
  readonly encode: (value: any) => unknown;
}

/**
 * `column = $n` assignments for the keys of `patch` that are set. A key whose value is `undefined` means
 * "unchanged" (patches are often built by spreading optional values), never "clear".
 */
export function patchAssignments(
  patch: object,
  columns: Readonly<Record<string, ColumnSpec>>,
  params: unknown[],
): string[] {
  const assignments: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const spec = columns[key];
    if (!spec) throw new Error(`field ${key} cannot be updated`);
    params.push(spec.encode(value));
    assignments.push(`${spec.column} = $${params.length}`);
  }
  return assignments;
}

/**
 * Deletes up to `limit` rows of `table` whose `column` is before `before`, oldest first (ties by id), and counts them.
 * `only` narrows the rows that may go. Table, column and condition are the code's own text, never input.
 */
export async function deleteOldest(
  db: SqlExecutor,
  table: string,
  before: Date,
  limit: number,
  { column = 'time', only = 'TRUE' }: { readonly column?: string; readonly only?: string } = {},
): Promise<number> {
  const { rows } = await db.query<{ pruned: unknown }>(
    `WITH gone AS (
       DELETE FROM ${table} WHERE id IN (
         SELECT id FROM ${table} WHERE ${column} < $1 AND (${only}) ORDER BY ${column}, id LIMIT $2
       ) RETURNING 1
     )
     SELECT COUNT(*) AS pruned FROM gone`,
    [before, Math.max(0, Math.floor(limit))],
  );
  return Number(rows[0]?.pruned ?? 0);
}

/** `column >= from AND column < to` for the bounds that are given; `TRUE` when none is. */
export function timeRange(column: string, range: { from?: Date; to?: Date }, params: unknown[]): string {
  const conditions: string[] = [];
  if (range.from) {
    params.push(range.from);
    conditions.push(`${column} >= $${params.length}`);
  }
  if (range.to) {
    params.push(range.to);
    conditions.push(`${column} < $${params.length}`);
  }
  return conditions.length === 0 ? 'TRUE' : conditions.join(' AND ');
}

/** Ids are BIGINT in the database; anything that is not a decimal integer cannot name a row. */
export function isRowId(id: string): boolean {
  return /^[0-9]{1,18}$/.test(id);
}
