// The tiny surface the repositories are written against. A pg Pool or PoolClient and a PGlite instance or
// transaction all satisfy SqlExecutor, so one set of repositories serves both engines.

export interface SqlResult<R> {
  readonly rows: R[];
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<SqlResult<R>>;
}

/** An executor that can also group statements atomically. */
export interface SqlSession extends SqlExecutor {
  /** Runs `work` in a transaction: a new one at the top level, the current one when already inside a transaction. */
  atomically<T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T>;
}

/** One opened database, whichever engine is behind it. */
export interface SqlDatabase {
  /** Autocommit statements. */
  readonly executor: SqlExecutor;
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** `$1, $2, ...` placeholders for a multi-row VALUES list of `rowCount` rows of `width` columns. */
export function valuesPlaceholders(rowCount: number, width: number): string {
  const rows: string[] = [];
  for (let row = 0; row < rowCount; row++) {
    const cells: string[] = [];
    for (let column = 1; column <= width; column++) cells.push(`$${row * width + column}`);
    rows.push(`(${cells.join(', ')})`);
  }
  return rows.join(', ');
}

/** Postgres accepts at most 65535 parameters per statement; batches stay well under it. */
export function chunk<T>(items: readonly T[], width: number, maxParams = 30_000): T[][] {
  const size = Math.max(1, Math.floor(maxParams / width));
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
