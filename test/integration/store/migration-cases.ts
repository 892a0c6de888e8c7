// Migration behaviour shared by the PGlite (file-backed) and Postgres tests: both reopen one database several times.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangedMigrationError } from '../../../src/adapters/store/migration-runner.js';
import { defaultMigrationsDir } from '../../../src/adapters/store/migrations.js';
import type { Store } from '../../../src/ports/store.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { newPosition } from './store-contract.js';

export interface ReopenableDatabase {
  /** Opens a store on the same database every time (it starts empty before the first call). */
  open(options: { logger: RecordingLogger; migrationsDir: string }): Promise<Store>;
}

/** How many migrations the open applied, from its 'schema up to date' log line. */
export function appliedCount(logger: RecordingLogger): number | undefined {
  const line = logger.lines.find((entry) => entry.message === 'schema up to date');
  return (line?.context as { applied?: number } | undefined)?.applied;
}

export function registerMigrationCases(name: string, database: ReopenableDatabase): void {
  describe(`${name} migrations`, () => {
    let migrationsDir: string;
    let shippedCount: number;

    beforeAll(async () => {
      // A private copy of the shipped migrations, so cases can edit and add files.
      migrationsDir = await mkdtemp(join(tmpdir(), 'migrations-'));
      await cp(defaultMigrationsDir(), migrationsDir, { recursive: true });
      shippedCount = (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql')).length;
    });
    afterAll(async () => {
      await rm(migrationsDir, { recursive: true, force: true });
    });

    it('when a fresh database is opened twice, then the first open applies every file and the second none', async () => {
      const firstLogger = new RecordingLogger();
      const first = await database.open({ logger: firstLogger, migrationsDir });
      const position = await first.positions.create(newPosition());
      await first.close();

      const secondLogger = new RecordingLogger();
      const second = await database.open({ logger: secondLogger, migrationsDir });
      try {
        expect(appliedCount(firstLogger)).toBe(shippedCount);
        expect(appliedCount(secondLogger)).toBe(0);
        expect((await second.positions.get(position.id))?.symbol).toBe(position.symbol);
      } finally {
        await second.close();
      }
    });

    it('when a new migration file appears, then only it is applied on the next open', async () => {
      await writeFile(join(migrationsDir, '999_extra.sql'), 'CREATE TABLE extra_marker (id INTEGER PRIMARY KEY);\n');
      const logger = new RecordingLogger();
      const store = await database.open({ logger, migrationsDir });
      await store.close();
      const appliedNames = logger.lines
        .filter((entry) => entry.message === 'migration applied')
        .map((entry) => (entry.context as { migration: string }).migration);
      expect(appliedNames).toEqual(['999_extra.sql']);
    });

    it('when an applied migration file was edited, then opening stops with an error naming the file', async () => {
      const file = join(migrationsDir, '001_initial.sql');
      await writeFile(file, `${await readFile(file, 'utf8')}\n-- an edit after the fact\n`);
      const opening = database.open({ logger: new RecordingLogger(), migrationsDir });
      await expect(opening).rejects.toBeInstanceOf(ChangedMigrationError);
      await expect(database.open({ logger: new RecordingLogger(), migrationsDir })).rejects.toThrow(/001_initial\.sql/);
    });
  });
}
