// Migration files: where they are and what they say. The runner (migration-runner.ts) applies them.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Migration {
  /** File name, e.g. `001_initial.sql`; also the order of application. */
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/**
 * The project's `migrations/` folder, found by walking up from this module to the package root. Works from `src/`
 * under tsx or vitest and from `dist/` after tsc, whatever the working directory.
 */
export function defaultMigrationsDir(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return join(dir, 'migrations');
    if (dirname(dir) === dir) throw new Error(`no migrations/ folder beside a package.json above ${start}`);
  }
}

/** Line endings are normalised first, so a checkout that rewrites them does not look like an edited migration. */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export async function loadMigrations(dir: string): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  if (names.length === 0) throw new Error(`no .sql migrations in ${dir}`);
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}
